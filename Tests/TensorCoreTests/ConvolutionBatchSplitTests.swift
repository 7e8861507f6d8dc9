// conv1d and convTranspose1d split batches over both cores: outputs and input gradients must equal
// the item-by-item results bit for bit, weight and bias gradients the sum of the items' gradients.
import Testing
import TensorCore
import TestSupport

/// A convolution case big enough that the batch is split (more than 2^21 multiply-adds in all).
struct BatchSplitCase: Sendable, CustomStringConvertible {
    var name: String
    var input: [Int]
    var weight: [Int]
    var transposed: Bool
    var description: String { name }

    func apply(_ x: Tensor, _ weight: Tensor, _ bias: Tensor) throws -> Tensor {
        transposed
            ? try Tensor.convTranspose1d(x, weight: weight, bias: bias, stride: 2, padding: 2, outputPadding: 1)
            : try Tensor.conv1d(x, weight: weight, bias: bias, stride: 2, padding: 3)
    }
}

@Suite("Convolution batch split")
struct ConvolutionBatchSplitTests {
    static let cases = [
        BatchSplitCase(name: "conv1d", input: [5, 16, 1200], weight: [32, 16, 7], transposed: false),
        BatchSplitCase(name: "convTranspose1d", input: [5, 32, 600], weight: [32, 16, 5], transposed: true),
    ]

    @Test(arguments: cases)
    func splitBatchEqualsItemByItem(_ testCase: BatchSplitCase) throws {
        var generator = RandomStream(seed: 11, stream: testCase.name)
        var x = Tensor.randn(testCase.input, using: &generator)
        var weight = Tensor.randn(testCase.weight, using: &generator) * 0.1
        let channels = testCase.transposed ? testCase.weight[1] : testCase.weight[0]
        var bias = Tensor.randn([channels], using: &generator)
        x.requiresGrad = true
        weight.requiresGrad = true
        bias.requiresGrad = true
        let output = try testCase.apply(x, weight, bias)
        let seed = Tensor.randn(output.shape, using: &generator)
        let whole = try Tensor.gradients(of: output, withRespectTo: [x, weight, bias], seed: seed)

        let batch = testCase.input[0]
        var weightSum = [Double](repeating: 0, count: weight.count)
        var biasSum = [Double](repeating: 0, count: bias.count)
        for item in 0..<batch {
            var single = try Tensor(shape: [1] + Array(testCase.input.dropFirst()), scalars: Array(x.scalars[(item * x.count / batch)..<((item + 1) * x.count / batch)]))
            single.requiresGrad = true
            let itemOutput = try testCase.apply(single, weight, bias)
            let itemSeed = try Tensor(shape: itemOutput.shape, scalars: Array(seed.scalars[(item * seed.count / batch)..<((item + 1) * seed.count / batch)]))
            let parts = try Tensor.gradients(of: itemOutput, withRespectTo: [single, weight, bias], seed: itemSeed)
            let outputSlice = Array(output.scalars[(item * output.count / batch)..<((item + 1) * output.count / batch)])
            #expect(outputSlice.map(\.bitPattern) == itemOutput.scalars.map(\.bitPattern), "output of item \(item)")
            let inputSlice = Array(whole[0].scalars[(item * x.count / batch)..<((item + 1) * x.count / batch)])
            #expect(inputSlice.map(\.bitPattern) == parts[0].scalars.map(\.bitPattern), "input gradient of item \(item)")
            for (index, value) in parts[1].scalars.enumerated() { weightSum[index] += Double(value) }
            for (index, value) in parts[2].scalars.enumerated() { biasSum[index] += Double(value) }
        }
        let weightMismatch = firstMismatch(whole[1].scalars.map(Double.init), weightSum, rtol: 1e-5, atol: 1e-4)
        #expect(weightMismatch == nil, "weight gradient: \(String(describing: weightMismatch))")
        let biasMismatch = firstMismatch(whole[2].scalars.map(Double.init), biasSum, rtol: 1e-5, atol: 1e-4)
        #expect(biasMismatch == nil, "bias gradient: \(String(describing: biasMismatch))")
    }
}

// The layer entries of the finite-difference gradient-check table: every parameter and input of
// Linear, Conv1d, ConvTranspose1d, PReLU, LSTM (uni, bi), MultiheadAttention and lead attention.
import NN
import TensorCore
import Testing
import TestSupport

/// Central differences `(L(w + eps) - L(w - eps)) / 2 eps` of `L = sum(outputs * r)` (fixed random
/// projections `r`, summed in Double) against backward's gradients, for every element of every
/// input and every parameter of `layer`. Returns the worst normalised errors and where they occur.
func checkLayerGradients(_ layer: any Layer, inputs: [Tensor], epsilon: Float = 1e-3,
                         _ function: ([Tensor]) throws -> [Tensor]) throws -> (relative: Double, element: Double, worst: String) {
    let leaves = inputs.map { input -> Tensor in
        var leaf = input.detached()
        leaf.requiresGrad = true
        return leaf
    }
    layer.zeroGrad()
    let outputs = try function(leaves)
    var generator = RandomStream(seed: 11, stream: "layer gradient check")
    let projections = outputs.map { Tensor.randn($0.shape, using: &generator) }
    var objective = Tensor(0)
    for (output, projection) in zip(outputs, projections) { objective = try objective + (output * projection).sum() }
    try objective.backward()

    func evaluate(_ values: [Tensor]) throws -> Double {
        let results = try withNoGrad { try function(values) }
        var total: Double = 0
        for (result, projection) in zip(results, projections) {
            for (a, b) in zip(result.scalars, projection.scalars) { total += Double(a) * Double(b) }
        }
        return total
    }
    func score(_ analytic: [Double], _ numeric: [Double]) -> (Double, Double) {
        let difference = zip(analytic, numeric).map { $0 - $1 }
        let norm = { (v: [Double]) in v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        return (norm(difference) / max(norm(analytic), norm(numeric), 1e-6),
                (difference.map(Swift.abs).max() ?? 0) / max(numeric.map(Swift.abs).max() ?? 0, 1e-3))
    }
    var worst = (relative: 0.0, element: 0.0, worst: "")
    func record(_ name: String, _ analytic: [Double], _ numeric: [Double]) {
        let (relative, element) = score(analytic, numeric)
        if max(relative, element) > max(worst.relative, worst.element) { worst = (relative, element, name) }
    }
    let plain = leaves.map { $0.detached() }
    for (index, leaf) in leaves.enumerated() {
        let analytic = (leaf.grad?.scalars ?? [Float](repeating: 0, count: leaf.count)).map(Double.init)
        var numeric: [Double] = []
        for element in 0..<leaf.count {
            var values = plain
            var shifted = plain[index].scalars
            shifted[element] += epsilon
            values[index] = try Tensor(shape: leaf.shape, scalars: shifted)
            let upper = try evaluate(values)
            shifted[element] -= 2 * epsilon
            values[index] = try Tensor(shape: leaf.shape, scalars: shifted)
            numeric.append((upper - (try evaluate(values))) / Double(2 * epsilon))
        }
        record("input\(index)", analytic, numeric)
    }
    for (key, parameter) in layer.namedParameters {
        let analytic = (parameter.grad?.scalars ?? [Float](repeating: 0, count: parameter.count)).map(Double.init)
        var numeric: [Double] = []
        for element in 0..<parameter.count {
            let original = parameter.value.scalars[element]
            parameter.update { $0[element] = original + epsilon }
            let upper = try evaluate(plain)
            parameter.update { $0[element] = original - epsilon }
            let lower = try evaluate(plain)
            parameter.update { $0[element] = original }
            numeric.append((upper - lower) / Double(2 * epsilon))
        }
        record(key, analytic, numeric)
    }
    return worst
}

@Suite struct LayerGradientCheckTests {
    var generator = RandomStream(seed: 21, stream: "gradient check")
    let tolerance = 1e-2

    mutating func input(_ shape: [Int]) -> Tensor { Tensor.randn(shape, using: &generator) }

    func expectPasses(_ name: String, _ result: (relative: Double, element: Double, worst: String)) {
        #expect(result.relative < tolerance && result.element < tolerance,
                "\(name): relative \(result.relative), element \(result.element) at \(result.worst)")
    }

    @Test mutating func linear() throws {
        let layer = Linear(inputSize: 4, outputSize: 3, using: &generator)
        expectPasses("Linear", try checkLayerGradients(layer, inputs: [input([2, 3, 4])]) { [try layer($0[0])] })
    }

    @Test mutating func conv1d() throws {
        let layer = Conv1d(inputChannels: 2, outputChannels: 3, kernelSize: 3, stride: 2, padding: 1, using: &generator)
        expectPasses("Conv1d", try checkLayerGradients(layer, inputs: [input([2, 2, 7])]) { [try layer($0[0])] })
    }

    @Test mutating func convTranspose1d() throws {
        let layer = ConvTranspose1d(inputChannels: 3, outputChannels: 2, kernelSize: 3, stride: 2, padding: 1,
                                    outputPadding: 1, using: &generator)
        expectPasses("ConvTranspose1d", try checkLayerGradients(layer, inputs: [input([2, 3, 4])]) { [try layer($0[0])] })
    }

    @Test mutating func prelu() throws {
        let layer = PReLU(numParameters: 3)
        // Keep inputs away from the kink at 0.
        let x = input([2, 3, 4]).scalars.map { $0 + ($0 >= 0 ? 0.1 : -0.1) }
        expectPasses("PReLU", try checkLayerGradients(layer, inputs: [try Tensor(shape: [2, 3, 4], scalars: x)]) {
            [try layer($0[0])]
        })
    }

    @Test mutating func lstmUnidirectional() throws {
        let layer = LSTM(inputSize: 3, hiddenSize: 4, using: &generator)
        expectPasses("LSTM", try checkLayerGradients(layer, inputs: [input([2, 5, 3])]) { [try layer($0[0])] })
    }

    @Test mutating func lstmBidirectional() throws {
        let layer = LSTM(inputSize: 3, hiddenSize: 4, bidirectional: true, using: &generator)
        expectPasses("BiLSTM", try checkLayerGradients(layer, inputs: [input([2, 5, 3])]) { [try layer($0[0])] })
    }

    @Test mutating func multiheadAttention() throws {
        let layer = try MultiheadAttention(embedSize: 4, headCount: 2, using: &generator)
        // Tk = 17 > 16 tokens: the general attention kernel.
        expectPasses("MultiheadAttention", try checkLayerGradients(layer, inputs: [input([2, 3, 4]), input([2, 17, 4]),
                                                                                   input([2, 17, 4])]) {
            let result = try layer(query: $0[0], key: $0[1], value: $0[2])
            return [result.output, result.weights]
        })
    }

    @Test mutating func leadAttention() throws {
        let layer = try MultiheadAttention(embedSize: 4, headCount: 2, using: &generator)
        // 12 tokens per group: the batched tiny-attention kernel.
        expectPasses("lead attention", try checkLayerGradients(layer, inputs: [input([3, 12, 4])]) {
            let result = try layer(query: $0[0], key: $0[0], value: $0[0])
            return [result.output, result.weights]
        })
    }

    @Test mutating func attentionWithOnlyOneOutputUsed() throws {
        // The weights' pullback defers to the context's: check each output alone, both kernels.
        for tokens in [12, 17] {
            let layer = try MultiheadAttention(embedSize: 4, headCount: 2, using: &generator)
            let inputs = [input([2, tokens, 4]), input([2, tokens, 4])]
            expectPasses("weights only, \(tokens) tokens", try checkLayerGradients(layer, inputs: inputs) {
                [try layer(query: $0[0], key: $0[0], value: $0[1]).weights]
            })
            expectPasses("output only, \(tokens) tokens", try checkLayerGradients(layer, inputs: inputs) {
                [try layer(query: $0[0], key: $0[0], value: $0[1]).output]
            })
        }
    }
}

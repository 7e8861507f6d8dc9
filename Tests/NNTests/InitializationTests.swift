// Default initialisation distributions (bounds and variance of U(-b, b) = b^2/3) and seeded determinism.
import NN
import TensorCore
import Testing

/// Checks every element lies in [-bound, bound], the largest magnitude is near the bound, the mean
/// is near 0 and the variance near bound^2 / 3 (tolerances from the standard errors for `count` draws).
func expectUniform(_ tensor: Tensor, bound: Float, _ what: String) {
    let values = tensor.scalars.map(Double.init)
    let n = Double(values.count)
    let b = Double(bound)
    #expect(values.allSatisfy { abs($0) <= b }, "\(what): outside [-\(b), \(b)]")
    #expect((values.map(abs).max() ?? 0) > 0.99 * b, "\(what): never approaches the bound")
    let mean = values.reduce(0, +) / n
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
    // U(-b, b): sd of the mean b/sqrt(3n); the variance estimate's sd is about 0.9 b^2/3 / sqrt(n).
    #expect(abs(mean) < 5 * b / (3 * n).squareRoot(), "\(what): mean \(mean)")
    #expect(abs(variance - b * b / 3) < 5 * 0.9 * (b * b / 3) / n.squareRoot(), "\(what): variance \(variance) vs \(b * b / 3)")
}

@Suite struct InitializationTests {
    @Test func linearKaimingUniformAndBias() throws {
        var generator = RandomStream(seed: 1, stream: "init linear")
        let layer = Linear(inputSize: 256, outputSize: 512, using: &generator)
        expectUniform(layer.weight.value, bound: 1 / 16, "Linear weight")
        expectUniform(try #require(layer.bias).value, bound: 1 / 16, "Linear bias")
    }

    @Test func convolutionFanIns() throws {
        var generator = RandomStream(seed: 2, stream: "init conv")
        let conv = Conv1d(inputChannels: 64, outputChannels: 128, kernelSize: 4, using: &generator)
        expectUniform(conv.weight.value, bound: 1 / 16, "Conv1d weight (fan-in Cin K = 256)")
        expectUniform(try #require(conv.bias).value, bound: 1 / 16, "Conv1d bias")
        let transposed = ConvTranspose1d(inputChannels: 128, outputChannels: 16, kernelSize: 4, using: &generator)
        #expect(transposed.weight.shape == [128, 16, 4])
        expectUniform(transposed.weight.value, bound: 1 / 8, "ConvTranspose1d weight (fan-in Cout K = 64)")
    }

    @Test func lstmUniformInverseSquareRootHidden() {
        var generator = RandomStream(seed: 3, stream: "init lstm")
        let layer = LSTM(inputSize: 64, hiddenSize: 100, bidirectional: true, using: &generator)
        for (key, parameter) in layer.namedParameters where parameter.count > 1000 {
            expectUniform(parameter.value, bound: 0.1, "LSTM \(key)")
        }
        #expect(layer.namedParameters.allSatisfy { $0.parameter.value.scalars.allSatisfy { abs($0) <= 0.1 } })
    }

    @Test func multiheadAttentionXavierAndZeroBiases() throws {
        var generator = RandomStream(seed: 4, stream: "init mha")
        let layer = try MultiheadAttention(embedSize: 64, headCount: 8, using: &generator)
        expectUniform(layer.inputProjectionWeight.value, bound: Float((6.0 / 256).squareRoot()), "in_proj_weight")
        #expect(layer.inputProjectionBias.value.scalars.allSatisfy { $0 == 0 })
        #expect(try #require(layer.outputProjection.bias).value.scalars.allSatisfy { $0 == 0 })
        expectUniform(layer.outputProjection.weight.value, bound: 1 / 8, "out_proj.weight")
    }

    @Test func preluStartsAtQuarter() {
        #expect(PReLU(numParameters: 3).weight.value.scalars == [0.25, 0.25, 0.25])
    }

    @Test func sameSeedSameValuesDifferentSeedDifferent() {
        var a = RandomStream(seed: 9, stream: "init")
        var b = RandomStream(seed: 9, stream: "init")
        var c = RandomStream(seed: 10, stream: "init")
        let first = LSTM(inputSize: 3, hiddenSize: 4, bidirectional: true, using: &a)
        let second = LSTM(inputSize: 3, hiddenSize: 4, bidirectional: true, using: &b)
        let third = LSTM(inputSize: 3, hiddenSize: 4, bidirectional: true, using: &c)
        #expect(first.stateDict().map(\.value.scalars) == second.stateDict().map(\.value.scalars))
        #expect(first.stateDict().map(\.value.scalars) != third.stateDict().map(\.value.scalars))
    }
}

// Every layer's forward output and parameter/input gradients against PyTorch 2.15 (nn_layers.py).
import NN
import TensorCore
import Testing
import TestSupport

@Suite struct PyTorchLayerTests {
    var generator = RandomStream(seed: 1, stream: "fixture layers")

    @Test mutating func linear() throws {
        let layer = Linear(inputSize: 5, outputSize: 4, using: &generator)
        try LayerFixture("linear").check(layer) { [try layer($0[0])] }
    }

    @Test mutating func conv1d() throws {
        let layer = Conv1d(inputChannels: 3, outputChannels: 4, kernelSize: 5, stride: 2, padding: 2, using: &generator)
        try LayerFixture("conv1d").check(layer) { [try layer($0[0])] }
    }

    @Test mutating func convTranspose1d() throws {
        let layer = ConvTranspose1d(inputChannels: 4, outputChannels: 3, kernelSize: 5, stride: 2, padding: 2,
                                    outputPadding: 1, using: &generator)
        try LayerFixture("conv_transpose1d").check(layer) { [try layer($0[0])] }
    }

    @Test func preluShared() throws {
        let layer = PReLU()
        try LayerFixture("prelu1").check(layer) { [try layer($0[0])] }
    }

    @Test func preluPerChannel() throws {
        let layer = PReLU(numParameters: 3)
        try LayerFixture("prelu3").check(layer) { [try layer($0[0])] }
    }

    @Test mutating func lstmUnidirectional() throws {
        let layer = LSTM(inputSize: 3, hiddenSize: 5, using: &generator)
        try LayerFixture("lstm_uni").check(layer) { [try layer($0[0])] }
    }

    @Test mutating func lstmBidirectional() throws {
        let layer = LSTM(inputSize: 3, hiddenSize: 5, bidirectional: true, using: &generator)
        try LayerFixture("lstm_bi").check(layer) { [try layer($0[0])] }
    }

    @Test mutating func lstmInferenceMatchesTrainingForward() throws {
        let layer = LSTM(inputSize: 3, hiddenSize: 5, bidirectional: true, using: &generator)
        let fixture = LayerFixture("lstm_bi")
        try layer.loadStateDict(try fixture.stateDict())
        let x = try fixture.tensor("input0")
        let expected = try fixture.tensor("output0")
        for _ in 0..<2 {  // the second call reuses the inference buffers
            let output = try withNoGrad { try layer(x) }
            fixture.compare(output, expected, "no-grad output", rtol: 1e-4)
        }
    }

    @Test mutating func multiheadAttentionCross() throws {
        let layer = try MultiheadAttention(embedSize: 8, headCount: 2, using: &generator)
        try LayerFixture("mha_cross").check(layer) {
            let result = try layer(query: $0[0], key: $0[1], value: $0[2])
            return [result.output, result.weights]
        }
    }

    @Test mutating func multiheadAttentionSharedQueryKey() throws {
        let layer = try MultiheadAttention(embedSize: 8, headCount: 4, using: &generator)
        try LayerFixture("mha_shared").check(layer) {
            let result = try layer(query: $0[0], key: $0[0], value: $0[1])
            return [result.output, result.weights]
        }
    }

    @Test mutating func multiheadAttentionLeadTokens() throws {
        let layer = try MultiheadAttention(embedSize: 8, headCount: 4, using: &generator)
        try LayerFixture("mha_lead").check(layer) {
            let result = try layer(query: $0[0], key: $0[0], value: $0[0])
            return [result.output, result.weights]
        }
    }

    @Test mutating func sequentialInEvalMode() throws {
        let layer = Sequential([Linear(inputSize: 6, outputSize: 5, using: &generator), PReLU(),
                                try Dropout(probability: 0.1), Linear(inputSize: 5, outputSize: 4, using: &generator)])
        try LayerFixture("sequential").check(layer) { [try layer($0[0])] }
    }
}

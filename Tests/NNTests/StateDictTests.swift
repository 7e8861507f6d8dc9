// State-dict keys, order and shapes vs PyTorch's state_dict() (keys.json), loading errors, description.
import Foundation
import NN
import TensorCore
import Testing
import TestSupport

/// The reference VAE-BiLSTM-MHA's module structure at tiny sizes, as the models target would build it.
final class TinyVAE: Layer {
    let noise: Dropout
    let encoderLSTM1, encoderLSTM2, decoderLSTM1, decoderLSTM2: LSTM
    let toStatistics, toReconstruction: Sequential
    let queryKeyProjection, leadEmbedding: Linear
    let temporalAttention, leadAttention: MultiheadAttention
    var isTraining = true

    init(using generator: inout RandomStream) throws {
        noise = try Dropout(probability: 0.01)
        encoderLSTM1 = LSTM(inputSize: 12, hiddenSize: 6, bidirectional: true, using: &generator)
        encoderLSTM2 = LSTM(inputSize: 12, hiddenSize: 5, bidirectional: true, using: &generator)
        toStatistics = Sequential([Linear(inputSize: 10, outputSize: 5, using: &generator), PReLU(),
                                   try Dropout(probability: 0.1), Linear(inputSize: 5, outputSize: 16, using: &generator)])
        queryKeyProjection = Linear(inputSize: 12, outputSize: 8, using: &generator)
        temporalAttention = try MultiheadAttention(embedSize: 8, headCount: 8, using: &generator)
        leadEmbedding = Linear(inputSize: 1, outputSize: 8, using: &generator)
        leadAttention = try MultiheadAttention(embedSize: 8, headCount: 4, using: &generator)
        decoderLSTM1 = LSTM(inputSize: 8, hiddenSize: 5, bidirectional: true, using: &generator)
        decoderLSTM2 = LSTM(inputSize: 10, hiddenSize: 6, bidirectional: true, using: &generator)
        toReconstruction = Sequential([Linear(inputSize: 12, outputSize: 6, using: &generator), PReLU(),
                                       try Dropout(probability: 0.1), Linear(inputSize: 6, outputSize: 24, using: &generator)])
    }

    var children: [(name: String, layer: any Layer)] {
        [("noise", noise), ("enc_lstm1", encoderLSTM1), ("enc_lstm2", encoderLSTM2), ("to_stats", toStatistics),
         ("qk_proj", queryKeyProjection), ("ma", temporalAttention), ("lead_embed", leadEmbedding),
         ("lead_attn", leadAttention), ("dec_lstm1", decoderLSTM1), ("dec_lstm2", decoderLSTM2),
         ("to_recon", toReconstruction)]
    }
    var signature: String { "TinyVAE" }
}

/// The CAE's encoder/decoder structure.
final class TinyCAE: Layer {
    let encoder: Sequential
    let decoder: Sequential
    var isTraining = true

    init(using generator: inout RandomStream) {
        encoder = Sequential([
            Conv1d(inputChannels: 12, outputChannels: 32, kernelSize: 7, stride: 2, padding: 3, using: &generator), ReLU(),
            Conv1d(inputChannels: 32, outputChannels: 64, kernelSize: 5, stride: 2, padding: 2, using: &generator), ReLU(),
            Conv1d(inputChannels: 64, outputChannels: 128, kernelSize: 3, stride: 2, padding: 1, using: &generator), ReLU()])
        decoder = Sequential([
            ConvTranspose1d(inputChannels: 128, outputChannels: 64, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1,
                            using: &generator), ReLU(),
            ConvTranspose1d(inputChannels: 64, outputChannels: 32, kernelSize: 5, stride: 2, padding: 2, outputPadding: 1,
                            using: &generator), ReLU(),
            ConvTranspose1d(inputChannels: 32, outputChannels: 12, kernelSize: 7, stride: 2, padding: 3, outputPadding: 1,
                            using: &generator)])
    }

    var children: [(name: String, layer: any Layer)] { [("encoder", encoder), ("decoder", decoder)] }
    var signature: String { "CAE" }
}

@Suite struct StateDictTests {
    struct Entry: Decodable { let key: String; let shape: [Int] }

    func expectedKeys(_ module: String) throws -> [Entry] {
        let data = try Data(contentsOf: TestPaths.fixtures().appendingPathComponent("keys.json"))
        return try #require(try JSONDecoder().decode([String: [Entry]].self, from: data)[module])
    }

    func expectSameKeys(_ layer: any Layer, _ module: String) throws {
        let expected = try expectedKeys(module)
        let actual = layer.stateDict()
        #expect(actual.map(\.key) == expected.map(\.key), "\(module) keys")
        #expect(actual.map(\.value.shape) == expected.map(\.shape), "\(module) shapes")
    }

    @Test func keysMatchPyTorchForComposites() throws {
        var generator = RandomStream(seed: 3, stream: "keys")
        try expectSameKeys(Sequential([Linear(inputSize: 10, outputSize: 5, using: &generator), PReLU(),
                                       try Dropout(probability: 0.1), Linear(inputSize: 5, outputSize: 16, using: &generator)]),
                           "to_stats")
        try expectSameKeys(LSTM(inputSize: 12, hiddenSize: 6, bidirectional: true, using: &generator), "lstm_bi")
        try expectSameKeys(try MultiheadAttention(embedSize: 8, headCount: 4, using: &generator), "mha")
        try expectSameKeys(try TinyVAE(using: &generator), "tiny_vae")
        let cae = TinyCAE(using: &generator)
        try expectSameKeys(cae, "cae")
        #expect(cae.parameterCount == 75_340)  // models.md: the CAE has 75,340 parameters
    }

    @Test func roundTripCopiesValues() throws {
        var generator = RandomStream(seed: 4, stream: "round trip")
        let source = try TinyVAE(using: &generator)
        let target = try TinyVAE(using: &generator)
        try target.loadStateDict(Dictionary(uniqueKeysWithValues: source.stateDict().map { ($0.key, $0.value) }))
        for (a, b) in zip(source.stateDict(), target.stateDict()) {
            #expect(a.value.scalars == b.value.scalars, "\(a.key)")
        }
        #expect(target.allParameters.allSatisfy { $0.value.requiresGrad })
    }

    @Test func loadingReportsMissingUnexpectedAndMismatchedKeys() throws {
        var generator = RandomStream(seed: 5, stream: "errors")
        let layer = Sequential([Linear(inputSize: 3, outputSize: 2, using: &generator), PReLU()])
        let before = layer.stateDict().map(\.value.scalars)
        let dict: [String: Tensor] = ["0.weight": Tensor.zeros([2, 4]), "1.weight": Tensor.zeros([1]),
                                      "2.weight": Tensor.zeros([1])]
        let error = #expect(throws: NNError.self) { try layer.loadStateDict(dict) }
        guard case .stateDict(let problems)? = error else {
            Issue.record("expected a state-dict error, got \(String(describing: error))")
            return
        }
        #expect(problems.missingKeys == ["0.bias"])
        #expect(problems.unexpectedKeys == ["2.weight"])
        #expect(problems.shapeMismatches == [.init(key: "0.weight", expected: [2, 3], actual: [2, 4])])
        #expect(problems.description == """
            error loading state dict:
              missing keys: 0.bias
              unexpected keys: 2.weight
              size mismatch for 0.weight: expected [2, 3], got [2, 4]
            """)
        #expect(layer.stateDict().map(\.value.scalars) == before, "a failed load changes nothing")

        // Non-strict loading tolerates missing and unexpected keys but not shape mismatches.
        let partial = try layer.loadStateDict(["1.weight": Tensor([0.5]), "extra": Tensor.zeros([1])], strict: false)
        #expect(partial.missingKeys == ["0.weight", "0.bias"] && partial.unexpectedKeys == ["extra"])
        #expect(layer.stateDict()[2].value.scalars == [0.5])
    }

    @Test func descriptionShowsConstructorAndCount() throws {
        var generator = RandomStream(seed: 6, stream: "description")
        #expect(Linear(inputSize: 512, outputSize: 256, using: &generator).description
                == "Linear(in: 512, out: 256) — 131,328 parameters")
        let sequential = Sequential([Linear(inputSize: 4, outputSize: 2, using: &generator), ReLU()])
        #expect(sequential.description == """
            Sequential — 10 parameters
              (0): Linear(in: 4, out: 2) — 10 parameters
              (1): ReLU() — 0 parameters
            """)
        #expect(LSTM(inputSize: 12, hiddenSize: 512, bidirectional: true, using: &generator).parameterCount
                == 2 * (4 * 512 * (12 + 512) + 8 * 512))
    }

    @Test func trainAndEvalPropagate() throws {
        var generator = RandomStream(seed: 7, stream: "mode")
        let model = try TinyVAE(using: &generator)
        model.eval()
        #expect(!model.isTraining && !model.toStatistics.layers[2].isTraining && !model.noise.isTraining)
        model.train()
        #expect(model.toReconstruction.layers[2].isTraining && model.leadAttention.outputProjection.isTraining)
    }
}

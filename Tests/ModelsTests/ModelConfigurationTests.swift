// Presets, factory, parameter counts (vs PyTorch's sum(p.numel())), state_dict keys, JSON round trip.
import Foundation
import Models
import NN
import TensorCore
import Testing
import TestSupport

@Suite struct ModelConfigurationTests {
    /// `Fixtures/param_counts.json`: PyTorch's parameter counts of the reference modules.
    static func torchCounts() throws -> [String: Int] {
        let data = try Data(contentsOf: TestPaths.fixtures().appendingPathComponent("param_counts.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Int])
    }

    @Test(arguments: ModelKind.allCases)
    func parameterCountsMatchPyTorch(kind: ModelKind) throws {
        let counts = try Self.torchCounts()
        for preset in ModelConfiguration.Preset.allCases {
            let model = try ModelFactory.make(kind, preset: preset)
            let expected = try #require(counts["\(kind.rawValue)/\(preset.rawValue)"])
            #expect(model.parameterCount == expected, "\(kind.rawValue) \(preset.rawValue)")
            #expect(model.configuration == ModelConfiguration(kind: kind, preset: preset))
        }
    }

    @Test(arguments: [ModelKind.vae, .vaeMHA, .maVAE])
    func stateDictKeysAreTheReferenceKeys(kind: ModelKind) throws {
        let fixture = try ModelFixture(kind.rawValue)
        let model = try ModelFactory.make(kind, preset: .small)
        #expect(model.namedParameters.map(\.key) == fixture.parameterKeys)
    }

    @Test func caeKeysAndDescription() throws {
        let model = try ModelFactory.make(.cae, preset: .reference)
        #expect(model.namedParameters.map(\.key) == [
            "encoder.0.weight", "encoder.0.bias", "encoder.2.weight", "encoder.2.bias", "encoder.4.weight", "encoder.4.bias",
            "decoder.0.weight", "decoder.0.bias", "decoder.2.weight", "decoder.2.bias", "decoder.4.weight", "decoder.4.bias",
        ])
        #expect(model is CAE)
        let text = model.description
        #expect(text.hasPrefix("CAE(leads: 12) — 75,340 parameters"))
        #expect(text.contains("(encoder): Sequential — 37,728 parameters"))
    }

    @Test func referenceDescriptionsCountParameters() throws {
        let model = try ModelFactory.make(.vaeMHA, preset: .reference)
        #expect(model is VAEBiLSTM)
        let text = model.description
        #expect(text.hasPrefix("VAEBiLSTMMHA(leads: 12, encoder: [512, 256], decoder: [256, 512], latent: 64, heads: 8, leadHeads: 4) — 10,377,562 parameters"))
        // 2 directions x (4H (I + H) + 2 x 4H) with H 512, I 12.
        #expect(text.contains("(enc_lstm1): LSTM(12, 512, bidirectional) — 2,154,496 parameters"))
        #expect(text.contains("(lead_attn): MultiheadAttention(embed: 64, heads: 4)"))
        #expect(try ModelFactory.make(.maVAE, preset: .small) is MAVAE)
    }

    @Test func configurationRoundTripsThroughJSON() throws {
        var configuration = ModelConfiguration(kind: .vaeMHA, preset: .small)
        configuration.inputNoise = .dropout(probability: 0.01)
        let data = try JSONEncoder().encode(configuration)
        #expect(try JSONDecoder().decode(ModelConfiguration.self, from: data) == configuration)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"kind\":\"vae-mha\""))
    }

    @Test func invalidConfigurationsAreRejected() throws {
        let badHeads = ModelConfiguration(kind: .vaeMHA, encoderHidden: [8, 8], decoderHidden: [8, 8], latent: 12)
        #expect(throws: ModelsError.invalidConfiguration("latent 12 is not divisible by temporalHeads 8")) {
            try ModelFactory.make(badHeads)
        }
        let badSizes = ModelConfiguration(kind: .vae, encoderHidden: [8], decoderHidden: [8, 8], latent: 4)
        #expect(throws: ModelsError.self) { try ModelFactory.make(badSizes) }
        #expect(throws: ModelsError.self) { try VAEBiLSTM(configuration: ModelConfiguration(kind: .cae)) }
    }

    @Test func inputNoiseOptionsActOnlyInTraining() throws {
        for noise in [InputNoise.gaussian(standardDeviation: 0.01), .dropout(probability: 0.01), .none] {
            var configuration = ModelConfiguration(kind: .vae, encoderHidden: [4, 4], decoderHidden: [4, 4], latent: 4)
            configuration.inputNoise = noise
            configuration.mlpDropout = 0
            let model = try VAEBiLSTM(configuration: configuration, seed: 1)
            var rng = RandomStream(seed: 2, stream: "x")
            let x = Tensor.randn([1, 200, 12], using: &rng), eps = Tensor.zeros([1, 200, 4])
            model.eval()
            let evaluation = try withNoGrad { try model.forward(x, latentNoise: eps) }
            model.train()
            let training = try withNoGrad { try model.forward(x, latentNoise: eps) }
            #expect((evaluation.mu.scalars == training.mu.scalars) == (noise == .none), "\(noise)")
        }
    }
}

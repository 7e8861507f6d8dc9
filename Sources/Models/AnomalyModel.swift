// AnomalyModel: what every ecgs model shares (a Layer with its configuration), and the factory.
import NN
import TensorCore

/// A reconstruction model of one of the `ModelKind`s, built from a `ModelConfiguration`.
/// Its parameters carry the reference PyTorch state_dict keys (`namedParameters`, `stateDict()`,
/// `loadStateDict(_:strict:)` from `NN.Layer`).
public protocol AnomalyModel: Layer {
    /// The configuration the model was built from (save it as JSON beside the weights).
    var configuration: ModelConfiguration { get }
}

/// Builds models from configurations.
public enum ModelFactory {
    /// A freshly initialised model (PyTorch's default initialisation, drawn from `seed`):
    /// `CAE` for `.cae`, `VAEBiLSTM` for `.vae` / `.vaeMHA`, `MAVAE` for `.maVAE`.
    /// Throws `ModelsError.invalidConfiguration` for inconsistent sizes.
    public static func make(_ configuration: ModelConfiguration, seed: UInt64 = 0) throws -> any AnomalyModel {
        switch configuration.kind {
        case .cae: return try CAE(configuration: configuration, seed: seed)
        case .vae, .vaeMHA: return try VAEBiLSTM(configuration: configuration, seed: seed)
        case .maVAE: return try MAVAE(configuration: configuration, seed: seed)
        }
    }

    /// `make(ModelConfiguration(kind: kind, preset: preset), seed: seed)`.
    public static func make(_ kind: ModelKind, preset: ModelConfiguration.Preset, seed: UInt64 = 0) throws -> any AnomalyModel {
        try make(ModelConfiguration(kind: kind, preset: preset), seed: seed)
    }

    /// The layer that perturbs a VAE's input in training mode, nil for `.none`.
    static func noiseLayer(_ noise: InputNoise, seed: UInt64) throws -> (any UnaryLayer)? {
        switch noise {
        case .gaussian(let sigma):
            return GaussianNoise(standardDeviation: sigma, generator: RandomStream(seed: seed, stream: "input-noise"))
        case .dropout(let probability):
            return try Dropout(probability: probability, generator: RandomStream(seed: seed, stream: "input-noise"))
        case .none:
            return nil
        }
    }

    /// `Linear(in -> hidden), PReLU, Dropout(p), Linear(hidden -> out)`: keys `0.*`, `1.weight`, `3.*`.
    static func mlp(input: Int, hidden: Int, output: Int, dropout: Float, seed: UInt64, stream: String,
                    using generator: inout RandomStream) throws -> Sequential {
        Sequential([
            Linear(inputSize: input, outputSize: hidden, using: &generator),
            PReLU(),
            try Dropout(probability: dropout, generator: RandomStream(seed: seed, stream: stream)),
            Linear(inputSize: hidden, outputSize: output, using: &generator),
        ])
    }
}

/// Throws `ModelsError.shapeMismatch` unless `x` is `[B, T, leads]` (the VAEs' window layout).
func checkWindowBatch(_ x: Tensor, leads: Int, model: String) throws {
    guard x.rank == 3, x.shape[2] == leads else {
        throw ModelsError.shapeMismatch(model: model, expected: [-1, -1, leads], actual: x.shape)
    }
}

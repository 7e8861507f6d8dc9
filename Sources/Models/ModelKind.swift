// The model families ecgs offers (models.md) and the input-noise choices of the VAE encoders.

/// Which architecture a model has. Raw values are the names users type (`model("vae-mha")`).
public enum ModelKind: String, CaseIterable, Codable, Sendable {
    /// Convolutional autoencoder (`CAE`), input `[B, 12, T]`.
    case cae = "cae"
    /// VAE-BiLSTM (`VAEBiLSTM` without attention), input `[B, T, 12]`.
    case vae = "vae"
    /// VAE-BiLSTM-MHA (`VAEBiLSTM` with lead-wise and temporal attention), input `[B, T, 12]`.
    case vaeMHA = "vae-mha"
    /// The reference code's earlier attention VAE (`MAVAE`), input `[B, T, 12]`.
    case maVAE = "ma-vae"

    /// Whether the model is variational (reparameterised latent, Gaussian output).
    public var isVariational: Bool { self != .cae }
}

/// The training-only perturbation applied to a VAE's input before the encoder.
public enum InputNoise: Codable, Sendable, Equatable {
    /// `x + sigma * N(0, 1)` (models.md: sigma 0.01).
    case gaussian(standardDeviation: Float)
    /// `nn.Dropout(p)`, as the reference VAE-BiLSTM(-MHA) code has it (`p = 0.01`).
    case dropout(probability: Float)
    /// No perturbation.
    case none
}

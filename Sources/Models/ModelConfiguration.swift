// ModelConfiguration: kind, sizes and regularisation of a model, with the `reference` and `small` presets.

/// Everything needed to build a model, saved as JSON next to its weights.
///
/// Hidden sizes are per LSTM direction: encoder `(H1, H2)` builds BiLSTM(L -> H1) and
/// BiLSTM(2 H1 -> H2); decoder `(D1, D2)` builds BiLSTM(d -> D1) and BiLSTM(2 D1 -> D2).
/// The CAE ignores everything but `kind` and `leads` (its channels 32/64/128 are fixed, as published).
public struct ModelConfiguration: Codable, Sendable, Equatable {
    /// A named size preset.
    public enum Preset: String, CaseIterable, Codable, Sendable {
        /// The thesis' sizes: encoder (512, 256), decoder (256, 512), latent 64.
        case reference
        /// A laptop-CPU size: encoder (64, 32), decoder (32, 64), latent 16.
        case small
    }

    /// The architecture.
    public var kind: ModelKind
    /// Number of leads (channels) L.
    public var leads: Int
    /// Encoder BiLSTM hidden sizes per direction `(H1, H2)`.
    public var encoderHidden: [Int]
    /// Decoder BiLSTM hidden sizes per direction `(D1, D2)`.
    public var decoderHidden: [Int]
    /// Latent size d.
    public var latent: Int
    /// Heads of the temporal attention (`ma`, MA-VAE `mha.attn`); must divide `latent`.
    public var temporalHeads: Int
    /// Heads of the lead-wise attention (`lead_attn`); must divide `latent`.
    public var leadHeads: Int
    /// Training-time input perturbation of the VAE encoders.
    public var inputNoise: InputNoise
    /// Dropout probability inside the `to_stats` / `to_recon` MLPs.
    public var mlpDropout: Float

    /// Explicit sizes; defaults are the reference model's.
    public init(kind: ModelKind, leads: Int = 12, encoderHidden: [Int] = [512, 256], decoderHidden: [Int] = [256, 512],
                latent: Int = 64, temporalHeads: Int = 8, leadHeads: Int = 4,
                inputNoise: InputNoise = .gaussian(standardDeviation: 0.01), mlpDropout: Float = 0.1) {
        self.kind = kind
        self.leads = leads
        self.encoderHidden = encoderHidden
        self.decoderHidden = decoderHidden
        self.latent = latent
        self.temporalHeads = temporalHeads
        self.leadHeads = leadHeads
        self.inputNoise = inputNoise
        self.mlpDropout = mlpDropout
    }

    /// The preset sizes for `kind` (models.md: reference = thesis sizes, small = laptop sizes).
    public init(kind: ModelKind, preset: Preset) {
        switch preset {
        case .reference:
            self.init(kind: kind)
        case .small:
            self.init(kind: kind, encoderHidden: [64, 32], decoderHidden: [32, 64], latent: 16)
        }
    }

    /// Throws `ModelsError.invalidConfiguration` when sizes are not positive, hidden-size lists do not
    /// hold two entries, or a head count does not divide the latent size.
    public func validate() throws {
        guard leads > 0 else { throw ModelsError.invalidConfiguration("leads must be positive, got \(leads)") }
        guard kind != .cae else { return }
        guard encoderHidden.count == 2, decoderHidden.count == 2 else {
            throw ModelsError.invalidConfiguration(
                "encoderHidden and decoderHidden need two sizes each, got \(encoderHidden) and \(decoderHidden)")
        }
        guard (encoderHidden + decoderHidden + [latent]).allSatisfy({ $0 > 0 }) else {
            throw ModelsError.invalidConfiguration("sizes must be positive: encoder \(encoderHidden), decoder \(decoderHidden), latent \(latent)")
        }
        if kind == .vaeMHA || kind == .maVAE {
            guard temporalHeads > 0, latent % temporalHeads == 0 else {
                throw ModelsError.invalidConfiguration("latent \(latent) is not divisible by temporalHeads \(temporalHeads)")
            }
        }
        if kind == .vaeMHA {
            guard leadHeads > 0, latent % leadHeads == 0 else {
                throw ModelsError.invalidConfiguration("latent \(latent) is not divisible by leadHeads \(leadHeads)")
            }
        }
        guard mlpDropout >= 0 && mlpDropout < 1 else {
            throw ModelsError.invalidConfiguration("mlpDropout must be in [0, 1), got \(mlpDropout)")
        }
    }
}

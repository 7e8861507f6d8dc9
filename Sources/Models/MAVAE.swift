// MAVAE: the reference code's earlier attention VAE (class VAE_BILSTM_MHA, after MA-VAE, arXiv:2309.02253).
import NN
import TensorCore

/// What an MA-VAE forward returns. Shapes for input `[B, T, L]`, latent d.
public struct MAVAEOutput {
    /// Reconstruction mean and log-variance `[B, T, L]`.
    public var xMean: Tensor, xLogVariance: Tensor
    /// Sampled reconstruction `x_mean + exp(x_logvar / 2) eps_x`, `[B, T, L]`.
    public var xReconstruction: Tensor
    /// Posterior mean and log-variance `[B, T, d]`.
    public var mu: Tensor, logVariance: Tensor
    /// Temporal attention weights averaged over heads `[B, T, T]`.
    public var attention: Tensor
    /// "Focus": mean |x_recon - x| over T and L, `[B]`.
    public var focus: Tensor
}

/// The MA-VAE's encoder (state_dict prefix `encoder`): noise, `lstm1`, `lstm2`, `linear_mean`, `linear_logvar`.
public final class MAVAEEncoder: Layer {
    /// `noise`: the training-only input perturbation (nil for `InputNoise.none`).
    public let noise: (any UnaryLayer)?
    /// `lstm1`: BiLSTM(L -> H1); `lstm2`: BiLSTM(2 H1 -> H2).
    public let lstm1: LSTM, lstm2: LSTM
    /// `linear_mean`, `linear_logvar`: Linear(2 H2 -> d) heads.
    public let linearMean: Linear, linearLogVariance: Linear
    /// Training mode (noise active).
    public var isTraining = true

    init(_ c: ModelConfiguration, seed: UInt64, using generator: inout RandomStream) throws {
        noise = try ModelFactory.noiseLayer(c.inputNoise, seed: seed)
        lstm1 = LSTM(inputSize: c.leads, hiddenSize: c.encoderHidden[0], bidirectional: true, using: &generator)
        lstm2 = LSTM(inputSize: 2 * c.encoderHidden[0], hiddenSize: c.encoderHidden[1], bidirectional: true, using: &generator)
        linearMean = Linear(inputSize: 2 * c.encoderHidden[1], outputSize: c.latent, using: &generator)
        linearLogVariance = Linear(inputSize: 2 * c.encoderHidden[1], outputSize: c.latent, using: &generator)
    }

    public var children: [(name: String, layer: any Layer)] {
        (noise.map { [("noise", $0 as any Layer)] } ?? [])
            + [("lstm1", lstm1), ("lstm2", lstm2), ("linear_mean", linearMean), ("linear_logvar", linearLogVariance)]
    }
    public var signature: String { "MAVAEEncoder" }
}

/// The MA-VAE's temporal attention (state_dict prefix `mha`): `to_q` Linear(L -> d) and `attn`.
public final class MAVAEAttention: Layer {
    /// `to_q`: Linear(L -> d) giving queries and keys from the raw input.
    public let toQuery: Linear
    /// `attn`: NH-head attention with values z.
    public let attention: MultiheadAttention
    /// Training mode (no effect: the attention has no dropout).
    public var isTraining = true

    init(_ c: ModelConfiguration, using generator: inout RandomStream) throws {
        toQuery = Linear(inputSize: c.leads, outputSize: c.latent, using: &generator)
        attention = try MultiheadAttention(embedSize: c.latent, headCount: c.temporalHeads, using: &generator)
    }

    public var children: [(name: String, layer: any Layer)] { [("to_q", toQuery), ("attn", attention)] }
    public var signature: String { "MAVAEAttention" }
}

/// The MA-VAE's decoder (state_dict prefix `decoder`): `lstm1`, `lstm2`, `linear_mean`, `linear_logvar`.
public final class MAVAEDecoder: Layer {
    /// `lstm1`: BiLSTM(d -> D1); `lstm2`: BiLSTM(2 D1 -> D2).
    public let lstm1: LSTM, lstm2: LSTM
    /// `linear_mean`, `linear_logvar`: Linear(2 D2 -> L) heads.
    public let linearMean: Linear, linearLogVariance: Linear
    /// Training mode (no effect in the decoder).
    public var isTraining = true

    init(_ c: ModelConfiguration, using generator: inout RandomStream) {
        lstm1 = LSTM(inputSize: c.latent, hiddenSize: c.decoderHidden[0], bidirectional: true, using: &generator)
        lstm2 = LSTM(inputSize: 2 * c.decoderHidden[0], hiddenSize: c.decoderHidden[1], bidirectional: true, using: &generator)
        linearMean = Linear(inputSize: 2 * c.decoderHidden[1], outputSize: c.leads, using: &generator)
        linearLogVariance = Linear(inputSize: 2 * c.decoderHidden[1], outputSize: c.leads, using: &generator)
    }

    public var children: [(name: String, layer: any Layer)] {
        [("lstm1", lstm1), ("lstm2", lstm2), ("linear_mean", linearMean), ("linear_logvar", linearLogVariance)]
    }
    public var signature: String { "MAVAEDecoder" }
}

/// `x: [B, T, L] -> MAVAEOutput` (marcgarreta/12-lead-ECG-AD `src/models/vae_bilstm_mha.py`, class
/// `VAE_BILSTM_MHA`; models.md "A fourth, simpler variant").
///
/// Noise -> BiLSTM(L -> H1) -> BiLSTM(2 H1 -> H2) -> two Linear(2 H2 -> d) heads (mu, logvar);
/// z = mu + exp(logvar / 2) eps_z; q = k = Linear(L -> d)(x), values z, NH-head attention;
/// BiLSTM(d -> D1) -> BiLSTM(2 D1 -> D2) -> two Linear(2 D2 -> L) heads (x_mean, x_logvar);
/// x_recon = x_mean + exp(x_logvar / 2) eps_x. Keys `encoder.*`, `mha.to_q.*`, `mha.attn.*`, `decoder.*`.
public final class MAVAE: AnomalyModel {
    /// The configuration this model was built from.
    public let configuration: ModelConfiguration
    /// `encoder.*` keys.
    public let encoder: MAVAEEncoder
    /// `mha.*` keys.
    public let attention: MAVAEAttention
    /// `decoder.*` keys.
    public let decoder: MAVAEDecoder
    /// Training mode: input noise active (set with `train()` / `eval()`).
    public var isTraining = true

    /// A freshly initialised model (torch default initialisation drawn from `seed`); kind must be `.maVAE`.
    public init(configuration: ModelConfiguration = ModelConfiguration(kind: .maVAE), seed: UInt64 = 0) throws {
        guard configuration.kind == .maVAE else {
            throw ModelsError.invalidConfiguration("MAVAE builds kind ma-vae, got \(configuration.kind.rawValue)")
        }
        try configuration.validate()
        self.configuration = configuration
        var generator = RandomStream(seed: seed, stream: "ma-vae")
        encoder = try MAVAEEncoder(configuration, seed: seed, using: &generator)
        attention = try MAVAEAttention(configuration, using: &generator)
        decoder = MAVAEDecoder(configuration, using: &generator)
    }

    public var children: [(name: String, layer: any Layer)] {
        [("encoder", encoder), ("mha", attention), ("decoder", decoder)]
    }
    public var signature: String {
        let c = configuration
        return "MAVAE(leads: \(c.leads), encoder: \(c.encoderHidden), decoder: \(c.decoderHidden), latent: \(c.latent), "
            + "heads: \(c.temporalHeads))"
    }

    /// `x: [B, T, L], latentNoise: [B, T, d], outputNoise: [B, T, L] -> MAVAEOutput` with both
    /// reparameterisation noises given.
    public func forward(_ x: Tensor, latentNoise: Tensor, outputNoise: Tensor) throws -> MAVAEOutput {
        try checkWindowBatch(x, leads: configuration.leads, model: signature)
        let (batch, steps) = (x.shape[0], x.shape[1])
        guard latentNoise.shape == [batch, steps, configuration.latent] else {
            throw ModelsError.shapeMismatch(model: signature + " latentNoise", expected: [batch, steps, configuration.latent],
                                            actual: latentNoise.shape)
        }
        guard outputNoise.shape == x.shape else {
            throw ModelsError.shapeMismatch(model: signature + " outputNoise", expected: x.shape, actual: outputNoise.shape)
        }
        let perturbed = try encoder.noise?.forward(x) ?? x
        let hidden = try encoder.lstm2.forward(try encoder.lstm1.forward(perturbed))
        let mu = try encoder.linearMean.forward(hidden)
        let logVariance = try encoder.linearLogVariance.forward(hidden)
        let z = try mu + (try (logVariance * 0.5).exp() * latentNoise)
        let query = try attention.toQuery.forward(x)
        let (attended, weights) = try attention.attention.forward(query: query, key: query, value: z)
        let decoded = try decoder.lstm2.forward(try decoder.lstm1.forward(attended))
        let xMean = try decoder.linearMean.forward(decoded)
        let xLogVariance = try decoder.linearLogVariance.forward(decoded)
        let xReconstruction = try xMean + (try (xLogVariance * 0.5).exp() * outputNoise)
        let focus = try (try xReconstruction - x).abs().mean(alongAxes: [1, 2])
        return MAVAEOutput(xMean: xMean, xLogVariance: xLogVariance, xReconstruction: xReconstruction, mu: mu,
                           logVariance: logVariance, attention: weights, focus: focus)
    }

    /// `x: [B, T, L] -> MAVAEOutput` with both noises drawn from `generator` (latent first).
    public func forward(_ x: Tensor, using generator: inout RandomStream) throws -> MAVAEOutput {
        try checkWindowBatch(x, leads: configuration.leads, model: signature)
        let latentNoise = Tensor.randn([x.shape[0], x.shape[1], configuration.latent], using: &generator)
        let outputNoise = Tensor.randn(x.shape, using: &generator)
        return try forward(x, latentNoise: latentNoise, outputNoise: outputNoise)
    }

    /// The reference `loss_function`: Gaussian NLL (no clamping) summed over T and L, mean over B, plus
    /// beta times KL summed over T and d, mean over B.
    public func loss(_ x: Tensor, _ output: MAVAEOutput, beta: Float) throws -> VAELossTerms {
        let nll = try Losses.gaussianNegativeLogLikelihood(x, mean: output.xMean, logVariance: output.xLogVariance,
                                                           logVarianceRange: nil)
        let kl = try Losses.klDivergence(mu: output.mu, logVariance: output.logVariance,
                                         reduction: .sumPerSampleMeanOverBatch)
        return VAELossTerms(total: try nll + kl * beta, negativeLogLikelihood: nll, klDivergence: kl)
    }
}

// VAEBiLSTM: the thesis' VAE-BiLSTM and, with attention, VAE-BiLSTM-MHA (models.md).
import NN
import TensorCore

/// What a VAE-BiLSTM(-MHA) forward returns. Shapes for input `[B, T, L]`, latent d.
public struct VAEOutput {
    /// Reconstruction mean `[B, T, L]`.
    public var xMean: Tensor
    /// Reconstruction log-variance `[B, T, L]` (unclamped; the loss clamps it).
    public var xLogVariance: Tensor
    /// Posterior mean `[B, T, d]`.
    public var mu: Tensor
    /// Posterior log-variance `[B, T, d]`.
    public var logVariance: Tensor
    /// Temporal attention weights averaged over heads `[B, T, T]` (attention models only).
    public var attention: Tensor?
    /// Lead weights: lead attention averaged over heads, then over queries `[B, T, L]` (attention models only).
    public var leadWeights: Tensor?
}

/// `x: [B, T, L] -> VAEOutput` (marcgarreta/12-lead-ECG-AD `src/models/vae_bilstm_attention.py`, class
/// `VAE`; models.md "VAE-BiLSTM" and "VAE-BiLSTM-MHA").
///
/// Encoder: input noise (training only) -> BiLSTM(L -> H1) -> BiLSTM(2 H1 -> H2) -> MLP
/// `Linear(2 H2, H2), PReLU, Dropout, Linear(H2, 2d)` split into mu, logvar; z = mu + eps exp(logvar / 2).
/// With attention (`.vaeMHA`): the 12 lead values of each (b, t) are tokens embedded by Linear(1 -> d),
/// NH_lead-head self-attention over them; z += the attention output averaged over tokens; then
/// q = k = Linear(L -> d)(x) (raw input), values z, NH-head attention whose output feeds the decoder.
/// Decoder: BiLSTM(d -> D1) -> BiLSTM(2 D1 -> D2) -> MLP `Linear(2 D2, D2), PReLU, Dropout, Linear(D2, 2L)`
/// split into x_mean, x_logvar.
///
/// State_dict keys in torch order: `enc_lstm1`, `enc_lstm2`, `to_stats.{0,1,3}`, then (attention only)
/// `qk_proj`, `ma`, `lead_embed`, `lead_attn`, then `dec_lstm1`, `dec_lstm2`, `to_recon.{0,1,3}`.
///
/// One model instance serves one forward at a time: its LSTMs reuse inference buffers across no-grad
/// calls (NN.LSTM), so run concurrent scoring on separate instances.
public final class VAEBiLSTM: AnomalyModel {
    /// The configuration this model was built from.
    public let configuration: ModelConfiguration
    /// The training-only input perturbation (nil for `InputNoise.none`).
    public let noise: (any UnaryLayer)?
    /// `enc_lstm1`: BiLSTM(L -> H1).
    public let encoderLSTM1: LSTM
    /// `enc_lstm2`: BiLSTM(2 H1 -> H2).
    public let encoderLSTM2: LSTM
    /// `to_stats`: the MLP giving `[mu, logvar]`, `[B, T, 2 H2] -> [B, T, 2d]`.
    public let toStatistics: Sequential
    /// The attention blocks, present for `.vaeMHA`.
    public let attentionBlocks: AttentionBlocks?
    /// `dec_lstm1`: BiLSTM(d -> D1).
    public let decoderLSTM1: LSTM
    /// `dec_lstm2`: BiLSTM(2 D1 -> D2).
    public let decoderLSTM2: LSTM
    /// `to_recon`: the MLP giving `[x_mean, x_logvar]`, `[B, T, 2 D2] -> [B, T, 2L]`.
    public let toReconstruction: Sequential
    /// Training mode: input noise and MLP dropout active (set with `train()` / `eval()`).
    public var isTraining = true

    /// The VAE-BiLSTM-MHA's extra layers.
    public struct AttentionBlocks {
        /// `qk_proj`: Linear(L -> d) giving the temporal queries and keys from the raw input.
        public let queryKeyProjection: Linear
        /// `ma`: temporal multi-head attention over the T positions.
        public let temporalAttention: MultiheadAttention
        /// `lead_embed`: Linear(1 -> d) embedding each lead value as a token.
        public let leadEmbedding: Linear
        /// `lead_attn`: multi-head self-attention over the L lead tokens.
        public let leadAttention: MultiheadAttention
    }

    /// A freshly initialised model (torch default initialisation drawn from `seed`). `configuration.kind`
    /// must be `.vae` or `.vaeMHA`.
    public init(configuration: ModelConfiguration, seed: UInt64 = 0) throws {
        guard configuration.kind == .vae || configuration.kind == .vaeMHA else {
            throw ModelsError.invalidConfiguration("VAEBiLSTM builds kinds vae and vae-mha, got \(configuration.kind.rawValue)")
        }
        try configuration.validate()
        self.configuration = configuration
        var generator = RandomStream(seed: seed, stream: "vae-bilstm")
        let (leads, d) = (configuration.leads, configuration.latent)
        let (h1, h2) = (configuration.encoderHidden[0], configuration.encoderHidden[1])
        let (d1, d2) = (configuration.decoderHidden[0], configuration.decoderHidden[1])
        noise = try ModelFactory.noiseLayer(configuration.inputNoise, seed: seed)
        encoderLSTM1 = LSTM(inputSize: leads, hiddenSize: h1, bidirectional: true, using: &generator)
        encoderLSTM2 = LSTM(inputSize: 2 * h1, hiddenSize: h2, bidirectional: true, using: &generator)
        toStatistics = try ModelFactory.mlp(input: 2 * h2, hidden: h2, output: 2 * d, dropout: configuration.mlpDropout,
                                            seed: seed, stream: "to_stats", using: &generator)
        if configuration.kind == .vaeMHA {
            attentionBlocks = AttentionBlocks(
                queryKeyProjection: Linear(inputSize: leads, outputSize: d, using: &generator),
                temporalAttention: try MultiheadAttention(embedSize: d, headCount: configuration.temporalHeads, using: &generator),
                leadEmbedding: Linear(inputSize: 1, outputSize: d, using: &generator),
                leadAttention: try MultiheadAttention(embedSize: d, headCount: configuration.leadHeads, using: &generator))
        } else {
            attentionBlocks = nil
        }
        decoderLSTM1 = LSTM(inputSize: d, hiddenSize: d1, bidirectional: true, using: &generator)
        decoderLSTM2 = LSTM(inputSize: 2 * d1, hiddenSize: d2, bidirectional: true, using: &generator)
        toReconstruction = try ModelFactory.mlp(input: 2 * d2, hidden: d2, output: 2 * leads,
                                                dropout: configuration.mlpDropout, seed: seed, stream: "to_recon",
                                                using: &generator)
    }

    public var children: [(name: String, layer: any Layer)] {
        var list: [(name: String, layer: any Layer)] = []
        if let noise { list.append(("noise", noise)) }
        list += [("enc_lstm1", encoderLSTM1), ("enc_lstm2", encoderLSTM2), ("to_stats", toStatistics)]
        if let blocks = attentionBlocks {
            list += [("qk_proj", blocks.queryKeyProjection), ("ma", blocks.temporalAttention),
                     ("lead_embed", blocks.leadEmbedding), ("lead_attn", blocks.leadAttention)]
        }
        list += [("dec_lstm1", decoderLSTM1), ("dec_lstm2", decoderLSTM2), ("to_recon", toReconstruction)]
        return list
    }

    public var signature: String {
        let c = configuration
        return "\(attentionBlocks == nil ? "VAEBiLSTM" : "VAEBiLSTMMHA")(leads: \(c.leads), encoder: \(c.encoderHidden), "
            + "decoder: \(c.decoderHidden), latent: \(c.latent)"
            + (attentionBlocks == nil ? "" : ", heads: \(c.temporalHeads), leadHeads: \(c.leadHeads)") + ")"
    }

    /// `x: [B, T, L], latentNoise: [B, T, d] -> VAEOutput`, with the reparameterisation noise eps given
    /// (tests; `Tensor.zeros` gives z = mu, a deterministic decode).
    public func forward(_ x: Tensor, latentNoise: Tensor) throws -> VAEOutput {
        try checkWindowBatch(x, leads: configuration.leads, model: signature)
        let (batch, steps, leads, d) = (x.shape[0], x.shape[1], configuration.leads, configuration.latent)
        guard latentNoise.shape == [batch, steps, d] else {
            throw ModelsError.shapeMismatch(model: signature + " latentNoise", expected: [batch, steps, d], actual: latentNoise.shape)
        }
        let perturbed = try noise?.forward(x) ?? x
        let hidden = try encoderLSTM2.forward(try encoderLSTM1.forward(perturbed))
        let statistics = try toStatistics.forward(hidden).chunked(2, axis: -1)
        let (mu, logVariance) = (statistics[0], statistics[1])
        var z = try mu + (try latentNoise * (logVariance * 0.5).exp())
        var attention: Tensor?, leadWeights: Tensor?
        if let blocks = attentionBlocks {
            let tokens = try blocks.leadEmbedding.forward(try x.reshaped(to: [batch * steps, leads, 1]))
            let (leadContext, leadAttention) = try blocks.leadAttention.forward(query: tokens, key: tokens, value: tokens)
            leadWeights = try leadAttention.mean(axis: 1).reshaped(to: [batch, steps, leads])
            z = try z + (try leadContext.mean(axis: 1).reshaped(to: [batch, steps, d]))
            let queryKey = try blocks.queryKeyProjection.forward(x)
            let (attended, weights) = try blocks.temporalAttention.forward(query: queryKey, key: queryKey, value: z)
            attention = weights
            z = attended
        }
        let decoded = try decoderLSTM2.forward(try decoderLSTM1.forward(z))
        let reconstruction = try toReconstruction.forward(decoded).chunked(2, axis: -1)
        return VAEOutput(xMean: reconstruction[0], xLogVariance: reconstruction[1], mu: mu, logVariance: logVariance,
                         attention: attention, leadWeights: leadWeights)
    }

    /// `x: [B, T, L] -> VAEOutput`, eps ~ N(0, I) drawn from `generator` (the reference samples z in
    /// training and evaluation alike).
    public func forward(_ x: Tensor, using generator: inout RandomStream) throws -> VAEOutput {
        try checkWindowBatch(x, leads: configuration.leads, model: signature)
        let noise = Tensor.randn([x.shape[0], x.shape[1], configuration.latent], using: &generator)
        return try forward(x, latentNoise: noise)
    }

    /// The training loss of models.md for window batch `x: [B, T, L]` and its `output`: Gaussian NLL
    /// (x_logvar clamped to [-10, 10]) summed over T and L, mean over B; KL mean over all elements;
    /// total = NLL + beta KL (reference `loss_function` of `vae_bilstm_attention.py`).
    public func loss(_ x: Tensor, _ output: VAEOutput, beta: Float) throws -> VAELossTerms {
        let nll = try Losses.gaussianNegativeLogLikelihood(x, mean: output.xMean, logVariance: output.xLogVariance,
                                                           logVarianceRange: -10...10)
        let kl = try Losses.klDivergence(mu: output.mu, logVariance: output.logVariance, reduction: .meanOverElements)
        return VAELossTerms(total: try nll + kl * beta, negativeLogLikelihood: nll, klDivergence: kl)
    }
}

/// The terms of a VAE loss, each rank 0 and differentiable: `total = negativeLogLikelihood + beta * klDivergence`.
public struct VAELossTerms {
    /// What to call `backward()` on.
    public var total: Tensor
    /// The reconstruction term (Gaussian NLL, log 2 pi constant included, as torch's `log_prob`).
    public var negativeLogLikelihood: Tensor
    /// The KL term before the beta weight.
    public var klDivergence: Tensor
}

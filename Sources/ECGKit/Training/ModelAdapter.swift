// One switch over the concrete model classes: window layout, training loss terms and the
// per-window forward outputs that training and scoring share.
import Models
import NN
import TensorCore

/// The loss of one batch and what the epoch statistics need from it.
struct BatchLoss {
    /// `negativeLogLikelihood + beta * klDivergence` (the CAE: its MSE), rank 0, differentiable.
    var total: Tensor
    /// Reconstruction term: Gaussian NLL for the VAEs, MSE for the CAE.
    var reconstruction: Tensor
    /// KL term (rank 0; zero for the CAE).
    var klDivergence: Tensor
    /// Posterior mean and log-variance `[B, T, d]` (VAEs only), for the collapse count.
    var latentMean: Tensor?
    var latentLogVariance: Tensor?
}

/// A model seen through the operations training and scoring need, whatever its class.
enum ModelAdapter {
    case cae(CAE)
    case vae(VAEBiLSTM)
    case maVAE(MAVAE)

    /// Wraps `model`; throws `TrainingError.unsupportedModel` for a class it does not know.
    init(_ model: any AnomalyModel) throws {
        if let cae = model as? CAE {
            self = .cae(cae)
        } else if let vae = model as? VAEBiLSTM {
            self = .vae(vae)
        } else if let maVAE = model as? MAVAE {
            self = .maVAE(maVAE)
        } else {
            throw TrainingError.unsupportedModel(model.signature)
        }
    }

    var model: any AnomalyModel {
        switch self {
        case .cae(let model): return model
        case .vae(let model): return model
        case .maVAE(let model): return model
        }
    }

    var kind: ModelKind { model.configuration.kind }

    /// The window layout the model takes: `[B, L, T]` for the CAE, `[B, T, L]` for the VAEs.
    var layout: WindowLayout { kind == .cae ? .leadsByTime : .timeByLeads }

    /// The training objective for `batch` in the model's layout (models.md "Training"): CAE MSE;
    /// VAEs NLL + beta KL with the latent noise eps drawn from `generator`.
    func loss(_ batch: Tensor, beta: Double, using generator: inout RandomStream) throws -> BatchLoss {
        switch self {
        case .cae(let model):
            let mse = try model.loss(batch)
            return BatchLoss(total: mse, reconstruction: mse, klDivergence: Tensor(0))
        case .vae(let model):
            let output = try model.forward(batch, using: &generator)
            let terms = try model.loss(batch, output, beta: Float(beta))
            return BatchLoss(total: terms.total, reconstruction: terms.negativeLogLikelihood,
                             klDivergence: terms.klDivergence, latentMean: output.mu,
                             latentLogVariance: output.logVariance)
        case .maVAE(let model):
            let output = try model.forward(batch, using: &generator)
            let terms = try model.loss(batch, output, beta: Float(beta))
            return BatchLoss(total: terms.total, reconstruction: terms.negativeLogLikelihood,
                             klDivergence: terms.klDivergence, latentMean: output.mu,
                             latentLogVariance: output.logVariance)
        }
    }

    /// The VAE forward outputs of `windows: [N, T, L]` as flat arrays, with the temporal attention
    /// `[N, T, T]` and lead weights `[N, T, L]` where the model has them. Nil for the CAE.
    func variationalOutputs(_ windows: Tensor, using generator: inout RandomStream,
                            sampleLatent: Bool) throws -> (outputs: VAEWindowOutputs, leadWeights: Tensor?)? {
        let noiseShape = [windows.shape[0], windows.shape[1], model.configuration.latent]
        switch self {
        case .cae:
            return nil
        case .vae(let model):
            let eps = sampleLatent ? Tensor.randn(noiseShape, using: &generator) : Tensor.zeros(noiseShape)
            let output = try model.forward(windows, latentNoise: eps)
            return (try output.windowOutputs(input: windows), output.leadWeights)
        case .maVAE(let model):
            let eps = sampleLatent ? Tensor.randn(noiseShape, using: &generator) : Tensor.zeros(noiseShape)
            let outputNoise = sampleLatent ? Tensor.randn(windows.shape, using: &generator) : Tensor.zeros(windows.shape)
            let output = try model.forward(windows, latentNoise: eps, outputNoise: outputNoise)
            return (try output.windowOutputs(input: windows), nil)
        }
    }

    /// Head-averaged temporal attention weights of `windows: [N, T, L] -> [N, T, T]`, computed from the
    /// attention path alone: the weights depend only on q = k = the projection of the raw input, never on
    /// the values (the latent path), so the BiLSTMs need not run. Nil for models without attention.
    func temporalAttentionWeights(_ windows: Tensor) throws -> Tensor? {
        let (count, steps, d) = (windows.shape[0], windows.shape[1], model.configuration.latent)
        let values = Tensor.zeros([count, steps, d])
        switch self {
        case .cae:
            return nil
        case .vae(let model):
            guard let blocks = model.attentionBlocks else { return nil }
            let queryKey = try blocks.queryKeyProjection.forward(windows)
            return try blocks.temporalAttention.forward(query: queryKey, key: queryKey, value: values).weights
        case .maVAE(let model):
            let query = try model.attention.toQuery.forward(windows)
            return try model.attention.attention.forward(query: query, key: query, value: values).weights
        }
    }

    /// Whether the model returns temporal attention weights.
    var hasTemporalAttention: Bool {
        switch self {
        case .cae: return false
        case .vae(let model): return model.attentionBlocks != nil
        case .maVAE: return true
        }
    }
}

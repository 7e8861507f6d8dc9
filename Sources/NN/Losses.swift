// The models' losses (models.md): MSE, Gaussian NLL with clamped log-variance, KL to N(0, I).
import Foundation
import TensorCore

/// Losses of the reference models, composed from TensorCore primitives (gradients come from their
/// pullbacks). Each returns a rank-0 tensor.
public enum Losses {
    /// How `klDivergence` reduces its per-element terms.
    public enum KLReduction: Sendable {
        /// Mean over all elements (the reference VAE-BiLSTM(-MHA): `kl.mean()`).
        case meanOverElements
        /// Sum over every axis but the first, mean over the first (batch) axis (the MA-VAE:
        /// `kl.sum(dim=[1, 2]).mean()`).
        case sumPerSampleMeanOverBatch
    }

    /// `mean((prediction - target)^2)` over all elements (`torch.nn.MSELoss()`).
    /// `prediction, target: same shape -> []`.
    public static func meanSquaredError(_ prediction: Tensor, _ target: Tensor) throws -> Tensor {
        guard prediction.shape == target.shape else {
            throw NNError.shapeMismatch(layer: "meanSquaredError target", expected: prediction.shape, actual: target.shape)
        }
        return try Tensor.mse(prediction, target)
    }

    /// Gaussian negative log-likelihood `-Normal(mean, exp(0.5 lv)).log_prob(x)` summed over every
    /// axis but the first and averaged over the first (batch) axis:
    /// `x, mean, logVariance: [B, ...] -> []`, per element `0.5 (log 2 pi + lv + (x - mean)^2 e^-lv)`.
    ///
    /// `logVarianceRange` clamps `lv` first (models.md: `[-10, 10]` for the VAE-BiLSTM(-MHA); pass
    /// nil for the MA-VAE, which does not clamp). `includeConstant: false` drops `0.5 log 2 pi`.
    public static func gaussianNegativeLogLikelihood(
        _ x: Tensor, mean: Tensor, logVariance: Tensor, logVarianceRange: ClosedRange<Float>? = -10...10,
        includeConstant: Bool = true
    ) throws -> Tensor {
        guard mean.shape == x.shape, logVariance.shape == x.shape, x.rank >= 1 else {
            throw NNError.shapeMismatch(layer: "gaussianNegativeLogLikelihood", expected: x.shape,
                                        actual: mean.shape == x.shape ? logVariance.shape : mean.shape)
        }
        let perElement = try Tensor.gaussianNLL(x, mean: mean, logVariance: logVariance,
                                                logVarianceRange: logVarianceRange ?? -Float.infinity...Float.infinity)
        let batch = Float(max(x.shape[0], 1))
        let total = perElement.sum() / batch
        guard includeConstant else { return total }
        let constant = 0.5 * Float(log(2 * Double.pi)) * Float(x.count) / batch
        return total + constant
    }

    /// KL divergence of `N(mu, exp(logVariance))` from `N(0, I)`: per element
    /// `-0.5 (1 + lv - mu^2 - e^lv)`, reduced as `reduction` says. `mu, logVariance: [B, ...] -> []`.
    public static func klDivergence(mu: Tensor, logVariance: Tensor,
                                    reduction: KLReduction = .meanOverElements) throws -> Tensor {
        guard mu.shape == logVariance.shape, mu.rank >= 1 else {
            throw NNError.shapeMismatch(layer: "klDivergence logVariance", expected: mu.shape, actual: logVariance.shape)
        }
        let perElement = try Tensor.klDiagonalGaussian(mu: mu, logVariance: logVariance)
        switch reduction {
        case .meanOverElements: return perElement.mean()
        case .sumPerSampleMeanOverBatch: return perElement.sum() / Float(max(mu.shape[0], 1))
        }
    }
}

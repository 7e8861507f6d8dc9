// Loss composites built from primitives (so their gradients come from the primitives' pullbacks).

extension Tensor {
    /// Mean squared error `mean((prediction - target)^2)` over all elements (`torch.nn.functional.mse_loss`).
    /// `prediction, target: same shape (or broadcastable) -> []`.
    public static func mse(_ prediction: Tensor, _ target: Tensor) throws -> Tensor {
        try squaredDifference(prediction, target).mean()
    }

    /// Gaussian negative log-likelihood per element, without the constant `0.5 log(2 pi)`:
    /// `0.5 * (lv + (x - mean)^2 / e^lv)` with `lv = clamp(logVariance, -10, 10)` (models.md: the
    /// VAE decoder's loss clamps x_logvar to [-10, 10]). `x, mean, logVariance: same shape -> same shape`;
    /// reduce it yourself (the models sum over T and leads and average over the batch).
    public static func gaussianNLL(_ x: Tensor, mean: Tensor, logVariance: Tensor,
                                   logVarianceRange: ClosedRange<Float> = -10...10) throws -> Tensor {
        let clampedLogVariance = logVariance.clamped(min: logVarianceRange.lowerBound, max: logVarianceRange.upperBound)
        let squared = try squaredDifference(x, mean)
        return try (clampedLogVariance + squared * (-clampedLogVariance).exp()) * 0.5
    }

    /// KL divergence of `N(mu, e^logVariance)` from `N(0, 1)` per element:
    /// `-0.5 (1 + logVariance - mu^2 - e^logVariance)`. `mu, logVariance: same shape -> same shape`;
    /// models.md's KL term is its mean over all elements.
    public static func klDiagonalGaussian(mu: Tensor, logVariance: Tensor) throws -> Tensor {
        try ((logVariance + 1) - mu.pow(2) - logVariance.exp()) * -0.5
    }
}

// Posterior-collapse diagnostics: per-dimension KL of the latent posterior and the count of
// dimensions whose mean KL is negligible (the reference training's `low_kl_dims`).
import Foundation

/// Per-latent-dimension KL statistics of a VAE's posterior.
public enum LatentDiagnostics {
    /// The reference's collapse threshold on a dimension's mean KL.
    public static let collapseThreshold = 1e-3

    /// `mu, logVariance: [N, T, d]` flat -> per-dimension sums over the N·T positions of
    /// `-0.5 (1 + logvar - mu^2 - exp(logvar))`, and N·T.
    public static func klSums(mu: [Float], logVariance: [Float], latent: Int) -> (sums: [Double], positions: Int) {
        var sums = [Double](repeating: 0, count: latent)
        guard latent > 0 else { return (sums, 0) }
        let positions = min(mu.count, logVariance.count) / latent
        for position in 0..<positions {
            for dimension in 0..<latent {
                let index = position * latent + dimension
                let m = Double(mu[index]), lv = Double(logVariance[index])
                sums[dimension] += -0.5 * (1 + lv - m * m - exp(lv))
            }
        }
        return (sums, positions)
    }

    /// Number of dimensions whose mean KL (`meanKL: [d]`, averaged over every window and time step) is
    /// below `threshold` (reference: `(kl_per_dim < 1e-3).sum()`).
    public static func collapsedDimensions(meanKL: [Double], threshold: Double = collapseThreshold) -> Int {
        meanKL.filter { $0 < threshold }.count
    }
}

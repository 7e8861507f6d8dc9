// Anomaly scores of models.md computed from a model's per-window outputs: the VAE's
// negative ELBO, the weighted evaluation score, the attention-weighted variant, the
// CAE's MSE, and the per-sample anomaly trace shown on the dashboard.
import Foundation

/// The window-score formulas users can choose by name (`score(m, x, method=...)`).
public enum WindowScoreMethod: String, CaseIterable, Sendable, Codable {
    /// Sum of squared error + sum of KL (the VAE-BiLSTM's score).
    case negativeELBO = "elbo"
    /// alpha * sum((w - mean)^2 / (exp(logvar) + 1e-6)) + (1 - alpha) * sum(logvar) + beta * sum(KL),
    /// alpha 0.4, beta 0.6 (the VAE-BiLSTM-MHA evaluation score).
    case weighted = "weighted"
    /// sum_t a_t ||w_t - mean_t||^2 + sum(KL), a_t the attention position t receives (thesis text).
    case attentionWeighted = "attention"
    /// Mean squared error (the CAE's score).
    case mse = "mse"
}

/// Per-window outputs of a VAE, flat row-major: x, mean, logvar [N, T, L]; mu, logvar_z [N, T, d].
public struct VAEWindowOutputs: Sendable {
    public var windowCount: Int, timeSteps: Int, leads: Int, latent: Int
    public var input: [Float], mean: [Float], logVariance: [Float]
    public var latentMean: [Float], latentLogVariance: [Float]
    /// Temporal attention weights averaged over heads, [N, T, T], when the model has attention.
    public var attention: [Float]?

    public init(windowCount: Int, timeSteps: Int, leads: Int, latent: Int,
                input: [Float], mean: [Float], logVariance: [Float],
                latentMean: [Float], latentLogVariance: [Float], attention: [Float]? = nil) {
        self.windowCount = windowCount
        self.timeSteps = timeSteps
        self.leads = leads
        self.latent = latent
        self.input = input
        self.mean = mean
        self.logVariance = logVariance
        self.latentMean = latentMean
        self.latentLogVariance = latentLogVariance
        self.attention = attention
    }
}

public enum WindowScores {
    /// KL(q(z|x) || N(0, I)) summed over T and d for each window: [N].
    public static func klSum(_ o: VAEWindowOutputs) -> [Double] {
        let n = o.timeSteps * o.latent
        return (0..<o.windowCount).map { w in
            var s = 0.0
            for i in (w * n)..<((w + 1) * n) {
                let mu = Double(o.latentMean[i]), lv = Double(o.latentLogVariance[i])
                s += -0.5 * (1 + lv - mu * mu - exp(lv))
            }
            return s
        }
    }

    /// Window scores [N] by `method`. `alpha`/`beta` apply to `.weighted` (defaults 0.4/0.6).
    public static func scores(_ o: VAEWindowOutputs, method: WindowScoreMethod,
                              alpha: Double = 0.4, beta: Double = 0.6) -> [Double] {
        let kl = klSum(o)
        let n = o.timeSteps * o.leads
        return (0..<o.windowCount).map { w in
            var squared = 0.0, scaled = 0.0, logVar = 0.0, attended = 0.0
            for t in 0..<o.timeSteps {
                let weight = o.attention.map { attentionReceived($0, window: w, position: t, steps: o.timeSteps) } ?? 1
                for l in 0..<o.leads {
                    let i = w * n + t * o.leads + l
                    let d = Double(o.input[i]) - Double(o.mean[i])
                    let lv = Double(o.logVariance[i])
                    squared += d * d
                    scaled += d * d / (exp(lv) + 1e-6)
                    logVar += lv
                    attended += weight * d * d
                }
            }
            switch method {
            case .negativeELBO: return squared + kl[w]
            case .weighted: return alpha * scaled + (1 - alpha) * logVar + beta * kl[w]
            case .attentionWeighted: return attended + kl[w]
            case .mse: return squared / Double(n)
            }
        }
    }

    /// a_t = sum over queries q of A[q, t]: the attention position t receives. The weights
    /// sum to T over t (softmax rows sum to 1), so uniform attention gives a_t = 1 and the
    /// score reduces to the plain negative ELBO.
    static func attentionReceived(_ a: [Float], window w: Int, position t: Int, steps: Int) -> Double {
        var s = 0.0
        let base = w * steps * steps
        for q in 0..<steps { s += Double(a[base + q * steps + t]) }
        return s
    }

    /// Per-sample anomaly trace for display: alpha (x - recon)^2 + (1 - alpha) log(sigma^2 + 1e-6),
    /// element-wise over any layout (usually [12, 5000] after overlap-averaging), alpha 0.7.
    public static func anomalyTrace(input: [Double], reconstruction: [Double], sigma: [Double],
                                    alpha: Double = 0.7) -> [Double] {
        (0..<input.count).map { i in
            let d = input[i] - reconstruction[i]
            return alpha * d * d + (1 - alpha) * log(sigma[i] * sigma[i] + 1e-6)
        }
    }
}

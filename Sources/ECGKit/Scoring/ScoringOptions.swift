// Settings of record scoring (models.md "Scores", the dashboard's strips) and the scoring errors.
import Models

/// How `Scorer.score` scores a record. Defaults follow models.md and the reference code.
public struct ScoringOptions: Sendable {
    /// Which pass gives the CAE's reconstruction and record score.
    public enum CAEPass: String, Sendable, CaseIterable {
        /// One pass over the whole record (the reference dashboard; models.md: "the reference scores
        /// whole 5000-sample records with it"). The window scores still come from the windows.
        case wholeRecord = "record"
        /// The windows' reconstructions overlap-averaged; record score = mean window MSE
        /// (the reference `visualization_cae.py` `ecg_score`).
        case windows = "windows"
    }

    /// How a VAE's latent z is formed when scoring.
    public enum LatentSampling: Sendable, Equatable {
        /// z = mu + eps exp(logvar / 2), eps from `RandomStream(seed:, stream: "score:<record name>")`: the
        /// reference samples z in evaluation too; seeding per record name keeps scores reproducible and
        /// independent of the order records are scored in.
        case sampled(seed: UInt64)
        /// z = mu (a deterministic decode).
        case mean
    }

    /// How the per-lead attention strip reduces one window's `[T, T]` temporal attention.
    public enum StripReduction: String, Sendable, CaseIterable {
        /// Per key position t, the mean over queries of A[q, t] (the attention t receives), overlap-averaged
        /// per sample: a profile along the window. Its mean over a window is the `.windowMean` value.
        case perPosition = "position"
        /// One number per window, the mean of all weights, spread over the window's samples (the reference
        /// code's literal `att.mean(dim=(1, 2))`; softmax rows sum to 1, so this is 1/T everywhere).
        case windowMean = "window"
    }

    /// Window length and stride (reference 500 / 250: 19 windows per 10 s record).
    public var window: Int
    public var stride: Int
    /// Window score formula; nil takes the model kind's default (`defaultMethod(for:)`).
    public var method: WindowScoreMethod?
    /// alpha, beta of `.weighted` (evaluation code 0.4 / 0.6; visualisation code 0.7 / 0.3).
    public var weightedAlpha: Double
    public var weightedBeta: Double
    /// alpha of the per-sample anomaly trace `alpha (x - recon)^2 + (1 - alpha) log(sigma^2 + 1e-6)`.
    public var traceAlpha: Double
    /// The CAE's reconstruction pass (default whole record).
    public var caePass: CAEPass
    /// The VAEs' latent when scoring (default sampled with seed 0, as the reference samples).
    public var latentSampling: LatentSampling
    /// Keep the temporal attention `[W, T, T]` and lead weights `[W, T, L]` in the result.
    public var keepAttention: Bool
    /// Compute the per-lead attention strips (attention models only).
    public var leadStrips: Bool
    /// Strip window and stride (reference 100 / 50) and per-window reduction.
    public var stripWindow: Int
    public var stripStride: Int
    public var stripReduction: StripReduction
    /// Compute the CAE saliency map (gradient mode; CAE only).
    public var saliency: Bool
    /// The lead the heart rate is measured on (reference: lead II).
    public var heartRateLead: String

    /// The reference settings (see each property), with the given overrides.
    public init(window: Int = 500, stride: Int = 250, method: WindowScoreMethod? = nil, weightedAlpha: Double = 0.4,
                weightedBeta: Double = 0.6, traceAlpha: Double = 0.7, caePass: CAEPass = .wholeRecord,
                latentSampling: LatentSampling = .sampled(seed: 0), keepAttention: Bool = true, leadStrips: Bool = false,
                stripWindow: Int = 100, stripStride: Int = 50, stripReduction: StripReduction = .perPosition,
                saliency: Bool = false, heartRateLead: String = "II") {
        self.window = window
        self.stride = stride
        self.method = method
        self.weightedAlpha = weightedAlpha
        self.weightedBeta = weightedBeta
        self.traceAlpha = traceAlpha
        self.caePass = caePass
        self.latentSampling = latentSampling
        self.keepAttention = keepAttention
        self.leadStrips = leadStrips
        self.stripWindow = stripWindow
        self.stripStride = stripStride
        self.stripReduction = stripReduction
        self.saliency = saliency
        self.heartRateLead = heartRateLead
    }

    /// The window score of each model kind in the reference: CAE `mse`; VAE-BiLSTM and MA-VAE `elbo`
    /// (negative ELBO); VAE-BiLSTM-MHA `weighted` (alpha 0.4, beta 0.6).
    public static func defaultMethod(for kind: ModelKind) -> WindowScoreMethod {
        switch kind {
        case .cae: return .mse
        case .vae, .maVAE: return .negativeELBO
        case .vaeMHA: return .weighted
        }
    }
}

/// Why a record could not be scored.
public enum ScoringError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The record's lead count differs from the model's.
    case leadCount(record: String, expected: Int, actual: Int)
    /// An option out of range or not applicable to the model.
    case invalidOption(String)
    /// A method that needs what the model lacks (e.g. attention weighting without attention).
    case unsupportedMethod(method: String, model: String)

    /// What went wrong, without the `score: ` prefix of `description`.
    public var message: String {
        switch self {
        case let .leadCount(record, expected, actual):
            return "record \(record) has \(actual) leads, the model takes \(expected)"
        case .invalidOption(let message):
            return message
        case let .unsupportedMethod(method, model):
            return "method '\(method)' does not apply to \(model)"
        }
    }

    public var description: String { "score: " + message }
}

// What scoring one record yields (score, window scores, the dashboard's traces and strips), and the
// per-dataset summary.
import Evaluation
import Models
import TensorCore

/// One record scored by one model. Shapes: L leads, T samples (the record's length, at least one window),
/// W windows, Tw window length.
public struct ScoreResult: Sendable {
    /// Where `score` comes from.
    public enum ScoreSource: String, CaseIterable, Sendable {
        /// The CAE's MSE of one whole-record pass.
        case wholeRecord = "record"
        /// The mean of the window scores.
        case windowMean = "windows"
    }

    /// The scored record's name.
    public var recordName: String
    /// The kind of the model that scored it.
    public var modelKind: ModelKind
    /// The window score formula used.
    public var method: WindowScoreMethod
    /// The record's anomaly score (compare with a threshold: anomalous iff score > tau).
    public var score: Double
    /// Whether `score` is a whole-record MSE (CAE) or the mean window score.
    public var scoreSource: ScoreSource
    /// Mean of `windowScores` (the reference `ecg_score`).
    public var windowedScore: Double
    /// `[W]` score of each window, starting at `windowStarts` `[W]`.
    public var windowScores: [Double]
    public var windowStarts: [Int]
    /// `[L, T]` reconstruction (VAE: x_mean overlap-averaged; CAE: by `ScoringOptions.caePass`).
    public var reconstruction: Tensor
    /// `[L, T]` predicted standard deviation exp(x_logvar / 2), overlap-averaged (VAEs only).
    public var sigma: Tensor?
    /// `[L, T]` point-wise squared error (x - reconstruction)^2.
    public var squaredError: Tensor
    /// `[L, T]` anomaly trace: VAEs `alpha (x - recon)^2 + (1 - alpha) log(sigma^2 + 1e-6)` (models.md,
    /// alpha `traceAlpha`); the CAE, which predicts no sigma, its squared error.
    public var anomalyTrace: Tensor
    /// `[W, Tw, Tw]` head-averaged temporal attention (attention models, when kept).
    public var temporalAttention: Tensor?
    /// `[W, Tw, L]` lead weights (VAE-BiLSTM-MHA, when kept).
    public var leadWeights: Tensor?
    /// `[L, T]` per-lead attention strips (attention models, when asked).
    public var leadStrips: Tensor?
    /// `[L, T]` CAE saliency in [0, 1] per lead (when asked).
    public var saliency: Tensor?
    /// Beats per minute from R peaks of the heart-rate lead (NaN with fewer than two peaks).
    public var heartRate: Double
    /// The record as scored `[L, T]` (float32, the model's leads; before any zero padding), so that a
    /// figure can draw original against reconstruction without the record at hand.
    public var input: Tensor? = nil
    /// The record's label when known (0 normal, 1 anomalous).
    public var label: Int? = nil
    /// The model's threshold when the record was scored (nil when the model had none): the verdict.
    public var threshold: Threshold? = nil

    /// Whether the score is above the threshold; nil without a threshold.
    public var isAnomalous: Bool? { threshold.map { $0.isAnomalous(score) } }
}

/// Scores of every record of a dataset.
public struct DatasetScores: Sendable {
    /// Record names, in dataset order.
    public var names: [String]
    /// Per record: 0 normal, 1 anomalous, nil unknown (copied from the dataset).
    public var labels: [Int?]
    /// Record scores (`ScoreResult.score`) `[N]`.
    public var scores: [Double]
    /// Window scores per record `[N][W]`.
    public var windowScores: [[Double]]
    /// Heart rates (BPM, NaN where unmeasurable) `[N]`.
    public var heartRates: [Double]
    /// The full per-record results, when asked for (they hold [L, T] traces for every record).
    public var details: [ScoreResult]?
    /// The model kind and window-score method that produced the scores (nil when unknown).
    public var modelKind: ModelKind? = nil
    public var method: WindowScoreMethod? = nil
    /// The model's threshold when the records were scored (nil when the model had none).
    public var threshold: Threshold? = nil

    /// The labels as Booleans (true = anomalous) for the records that have one, with their scores.
    public var labelledScores: (scores: [Double], labels: [Bool]) {
        let known = labels.indices.filter { labels[$0] != nil }
        return (known.map { scores[$0] }, known.map { labels[$0] == 1 })
    }
}

// One place for the language layer to set a threshold by name and evaluate scores against labels
// (models.md "Thresholds" and "Evaluation"), over the Evaluation library.
import Evaluation

/// Threshold methods by the names users type, and evaluation of scores at a threshold.
public enum Thresholding {
    /// The method names `threshold(...)` accepts.
    public static let methodNames = ["p95", "f1", "youden", "pot"]

    /// Sets tau on `scores: [N]` by `method`: "p95" (95th percentile, NumPy linear; "pNN" for other
    /// percentiles), "f1" (F1-maximising, needs `labels`), "youden" (Youden's J, needs `labels`), "pot"
    /// (Peaks-Over-Threshold with `initialQuantile`, `risk`). `labels: [N]`, true = anomalous.
    /// - Throws: `ScoringError.invalidOption` for an unknown method or missing labels; `EvaluationError`.
    public static func threshold(scores: [Double], method: String, labels: [Bool]? = nil,
                                 initialQuantile: Double = 0.98, risk: Double = 1e-3) throws -> Threshold {
        let name = method.lowercased()
        switch name {
        case "f1", "youden":
            guard let labels else {
                throw ScoringError.invalidOption("threshold method '\(name)' needs labels (true = anomalous)")
            }
            return name == "f1" ? try Threshold.maximizingF1(scores: scores, labels: labels)
                                : try Threshold.maximizingYouden(scores: scores, labels: labels)
        case "pot":
            return try Threshold.peaksOverThreshold(scores: scores, initialQuantile: initialQuantile, risk: risk)
        default:
            if name.hasPrefix("p"), let percentile = Double(name.dropFirst()), percentile >= 0, percentile <= 100 {
                return try Threshold.percentile(of: scores, p: percentile)
            }
            throw ScoringError.invalidOption(
                "unknown threshold method '\(method)' (expected \(methodNames.joined(separator: ", ")))")
        }
    }

    /// Precision, recall, F1, ROC-AUC, PR-AUC and the confusion matrix of "score > threshold" against
    /// `labels: [N]` (true = anomalous).
    public static func evaluate(scores: [Double], labels: [Bool], threshold: Double) throws -> BinaryEvaluation {
        try BinaryEvaluation(scores: scores, labels: labels, threshold: threshold)
    }

    /// `evaluate(scores:labels:threshold:)` at `threshold.value`.
    public static func evaluate(scores: [Double], labels: [Bool], threshold: Threshold) throws -> BinaryEvaluation {
        try evaluate(scores: scores, labels: labels, threshold: threshold.value)
    }
}

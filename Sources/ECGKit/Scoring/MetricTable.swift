// MetricTable: evaluations of one or more models on labelled records, one row each — what
// `evaluate` returns, the demo prints and a workspace stores as a `metric_table`.
import Evaluation

/// One model's evaluation on one labelled set at one threshold, with the scores behind it (for ROC
/// and PR curves).
public struct EvaluationRow: Sendable, Equatable {
    /// What the row describes, e.g. "cae (published)" or "vae-mha small".
    public var name: String
    /// The threshold the confusion matrix uses, with its method.
    public var threshold: Threshold
    /// Precision, recall, F1, ROC-AUC, PR-AUC and the confusion matrix.
    public var evaluation: BinaryEvaluation
    /// The scores and labels (true = anomalous) evaluated, in record order.
    public var scores: [Double]
    public var labels: [Bool]

    /// Evaluates `scores` against `labels` at `threshold`.
    /// - Throws: `EvaluationError` for mismatched lengths, a single class or non-finite scores.
    public init(name: String, scores: [Double], labels: [Bool], threshold: Threshold) throws {
        self.name = name
        self.threshold = threshold
        self.scores = scores
        self.labels = labels
        evaluation = try BinaryEvaluation(scores: scores, labels: labels, threshold: threshold.value)
    }
}

/// Rows of evaluations, printed as one table (P, R, F1, ROC-AUC, PR-AUC per row).
public struct MetricTable: Sendable, Equatable {
    /// One row per evaluated model or setting, in the order added.
    public var rows: [EvaluationRow]

    /// A table of `rows`.
    public init(rows: [EvaluationRow]) {
        self.rows = rows
    }
}

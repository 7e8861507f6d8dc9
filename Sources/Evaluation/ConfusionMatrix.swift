// The confusion matrix at a threshold and the metrics derived from it (precision, recall, F1, ...).

/// Counts of a binary decision "anomalous iff score > threshold" against true labels
/// (`true` = anomalous = the positive class).
///
/// Ratios follow `sklearn.metrics.precision_score` / `recall_score` / `f1_score` with the
/// default `zero_division="warn"`: a ratio whose denominator is zero is 0 (scikit-learn warns
/// and returns 0.0; we return 0.0 without a warning).
public struct ConfusionMatrix: Equatable, Sendable, CustomStringConvertible {
    public var truePositives: Int
    public var falsePositives: Int
    public var trueNegatives: Int
    public var falseNegatives: Int

    public init(truePositives: Int, falsePositives: Int, trueNegatives: Int, falseNegatives: Int) {
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.trueNegatives = trueNegatives
        self.falseNegatives = falseNegatives
    }

    /// The matrix for `scores: [N]`, `labels: [N]` with the decision `score > threshold`.
    public init(scores: [Double], labels: [Bool], threshold: Double) throws {
        try validate(scores, labels: labels, function: "ConfusionMatrix")
        var tp = 0, fp = 0, tn = 0, fn = 0
        for (score, label) in zip(scores, labels) {
            switch (score > threshold, label) {
            case (true, true): tp += 1
            case (true, false): fp += 1
            case (false, false): tn += 1
            case (false, true): fn += 1
            }
        }
        self.init(truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn)
    }

    /// All records counted.
    public var total: Int { truePositives + falsePositives + trueNegatives + falseNegatives }

    /// TP / (TP + FP), 0 when nothing is predicted anomalous.
    public var precision: Double { ratio(truePositives, truePositives + falsePositives) }

    /// TP / (TP + FN) (sensitivity, true positive rate), 0 when there are no anomalous records.
    public var recall: Double { ratio(truePositives, truePositives + falseNegatives) }

    /// TN / (TN + FP) (true negative rate), 0 when there are no normal records.
    public var specificity: Double { ratio(trueNegatives, trueNegatives + falsePositives) }

    /// (TP + TN) / total.
    public var accuracy: Double { ratio(truePositives + trueNegatives, total) }

    /// 2 TP / (2 TP + FP + FN), the harmonic mean of precision and recall as scikit-learn computes it.
    public var f1: Double { ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives) }

    public var description: String {
        "ConfusionMatrix(tp: \(truePositives), fp: \(falsePositives), tn: \(trueNegatives), fn: \(falseNegatives))"
    }

    private func ratio(_ numerator: Int, _ denominator: Int) -> Double {
        denominator == 0 ? 0 : Double(numerator) / Double(denominator)
    }
}

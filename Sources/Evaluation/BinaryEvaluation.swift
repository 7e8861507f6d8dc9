// All published metrics of one model on one labelled test set, at one threshold.

/// The metrics the thesis reports (precision, recall, F1, ROC-AUC, PR-AUC as average precision)
/// plus the confusion matrix, for `scores: [N]` against `labels: [N]` (`true` = anomalous) with the
/// decision "score > threshold". Threshold-free metrics (ROC-AUC, AP) follow `rocAUC` and
/// `averagePrecision` (NaN ROC-AUC when one class is missing, as scikit-learn 1.9).
public struct BinaryEvaluation: Equatable, Sendable {
    public var threshold: Double
    public var confusion: ConfusionMatrix
    public var rocAUC: Double
    public var averagePrecision: Double

    public init(scores: [Double], labels: [Bool], threshold: Double) throws {
        self.threshold = threshold
        confusion = try ConfusionMatrix(scores: scores, labels: labels, threshold: threshold)
        rocAUC = try Evaluation.rocAUC(scores: scores, labels: labels)
        averagePrecision = try Evaluation.averagePrecision(scores: scores, labels: labels)
    }

    public var precision: Double { confusion.precision }
    public var recall: Double { confusion.recall }
    public var f1: Double { confusion.f1 }
    public var accuracy: Double { confusion.accuracy }
    public var specificity: Double { confusion.specificity }

    /// (name, value) pairs in the order of the thesis' results table, for printing.
    public var namedValues: [(name: String, value: Double)] {
        [("precision", precision), ("recall", recall), ("f1", f1), ("roc_auc", rocAUC), ("pr_auc", averagePrecision),
         ("accuracy", accuracy), ("specificity", specificity)]
    }
}

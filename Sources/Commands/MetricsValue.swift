// MetricsValue: a metric table (`evaluate`) and a threshold (`threshold`) as values of the language.
import ECGKit
import Evaluation
import Script

/// A table of evaluations (precision, recall, F1, ROC-AUC, PR-AUC per row).
public struct MetricsValue: ScriptObject {
    /// The rows.
    public var table: MetricTable

    /// Wraps `table`.
    public init(_ table: MetricTable) {
        self.table = table
    }

    /// `metrics`: what `type(e)` returns and `help metrics` documents.
    public var typeName: String { "metrics" }

    /// `metrics: 3 rows`.
    public var summary: String { "metrics: \(plural(table.rows.count, "row"))" }
}

/// A decision threshold with its method; behaves as its number in arithmetic and comparisons.
public struct ThresholdValue: ScriptObject {
    /// The threshold.
    public var threshold: Threshold

    /// Wraps `threshold`.
    public init(_ threshold: Threshold) {
        self.threshold = threshold
    }

    /// `threshold`: what `type(t)` returns and `help threshold` documents.
    public var typeName: String { "threshold" }

    /// `threshold p95 = 0.0123 (from 120 scores)`.
    public var summary: String {
        "threshold \(threshold.label) = \(formatNumber(threshold.value)) (from \(threshold.sampleCount) scores)"
    }
}

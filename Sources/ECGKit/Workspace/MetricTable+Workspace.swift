// Metric tables in a workspace: one column dataset per metric (a table h5py and pandas read
// directly) and one subgroup per row with its threshold, scores and labels.
import Evaluation
import Foundation
import Formats

extension MetricTable: WorkspaceCodable {
    public static let workspaceTypeName = "metric_table"

    /// The float64 metric columns, in the order of the thesis' results table.
    private static let metricColumns = ["precision", "recall", "f1", "roc_auc", "pr_auc", "accuracy", "specificity"]

    /// Attributes `row_count` (int64) and `columns` (vlen string array: the column datasets in order);
    /// columns of length R: vlen string `name`, float64 `threshold`, vlen string `threshold_method`,
    /// float64 `precision`, `recall`, `f1`, `roc_auc`, `pr_auc`, `accuracy`, `specificity`, int64
    /// `true_positives`, `false_positives`, `true_negatives`, `false_negatives`; subgroup `rows` with one
    /// subgroup per row `0` … `R-1`: attribute `name`, subgroup `threshold`, float64 `scores` [N], bool
    /// `labels` [N]. On load each row is re-evaluated from its scores, labels and threshold (the columns
    /// are for readers without ecgs).
    public func encode(into group: HDF5Group) throws {
        let columns = ["name", "threshold", "threshold_method"] + Self.metricColumns
            + ["true_positives", "false_positives", "true_negatives", "false_negatives"]
        try group.setAttribute("row_count", .int64(Int64(rows.count)))
        try group.setAttribute("columns", .strings(columns))
        try group.writeStrings("name", rows.map(\.name))
        try group.writeWorkspaceDoubles("threshold", rows.map(\.threshold.value))
        try group.writeStrings("threshold_method", rows.map(\.threshold.method.rawValue))
        for (index, column) in Self.metricColumns.enumerated() {
            try group.writeWorkspaceDoubles(column, rows.map { $0.evaluation.namedValues[index].value })
        }
        try group.writeWorkspaceInts("true_positives", rows.map(\.evaluation.confusion.truePositives))
        try group.writeWorkspaceInts("false_positives", rows.map(\.evaluation.confusion.falsePositives))
        try group.writeWorkspaceInts("true_negatives", rows.map(\.evaluation.confusion.trueNegatives))
        try group.writeWorkspaceInts("false_negatives", rows.map(\.evaluation.confusion.falseNegatives))
        let rowsGroup = try group.createGroup("rows")
        for (index, row) in rows.enumerated() {
            let rowGroup = try rowsGroup.createGroup(String(index))
            try rowGroup.setAttribute("name", .string(row.name))
            try rowGroup.writeWorkspaceThreshold("threshold", row.threshold)
            try rowGroup.writeWorkspaceDoubles("scores", row.scores)
            try rowGroup.writeWorkspaceBools("labels", row.labels)
        }
    }

    /// Reads the rows back and re-evaluates each (same scores, labels and threshold: same metrics).
    public static func decode(from group: HDF5Group) throws -> MetricTable {
        let count = Int(try group.workspaceInt("row_count"))
        let rowsGroup = try group.workspaceGroup("rows")
        return MetricTable(rows: try (0..<count).map { index in
            let rowGroup = try rowsGroup.workspaceGroup(String(index))
            guard let threshold = try rowGroup.readWorkspaceThreshold("threshold") else {
                throw WorkspaceError.malformed(rowGroup, "missing the group 'threshold'")
            }
            let scores = try rowGroup.readWorkspaceDoubles("scores")
            let labels = try rowGroup.readWorkspaceBools("labels")
            do {
                return try EvaluationRow(name: try rowGroup.workspaceString("name"), scores: scores, labels: labels,
                                         threshold: threshold)
            } catch let error as EvaluationError {
                throw WorkspaceError.malformed(rowGroup, "the scores and labels cannot be evaluated: \(error)")
            }
        })
    }

    /// "2 rows: cae (published) F1 0.71, vae small F1 0.64", 8 bytes per stored score.
    public static func describe(_ group: HDF5Group) throws -> WorkspaceEntryDetails {
        let count = Int(try group.workspaceInt("row_count"))
        let names = try group.exists("name") ? try group.readStrings("name") : []
        let f1 = try group.exists("f1") ? try group.readWorkspaceDoubles("f1") : []
        let rows = zip(names, f1).map { "\($0) F1 \(String(format: "%.3f", $1))" }
        let summary = "\(count) row\(count == 1 ? "" : "s")" + (rows.isEmpty ? "" : ": " + rows.joined(separator: ", "))
        return WorkspaceEntryDetails(shape: [count], summary: summary, bytes: count * 8 * max(1, Self.metricColumns.count))
    }
}

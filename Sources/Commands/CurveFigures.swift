// ROC and precision-recall curves of a metric table (`plot(e, "roc.svg")`): one line per row with its
// AUC (ROC) or average precision (PR) in the legend, computed as scikit-learn does (Evaluation).
import ECGKit
import Evaluation
import Render
import Script

/// Builds the ROC / PR figure of an evaluation.
enum CurveFigures {
    /// Width and height of each of the two plots in pixels.
    static let panelWidth = 440.0, panelHeight = 400.0

    /// Two plots side by side, `figure-panel` "roc" (with the chance diagonal) and "pr", axes [0, 1].
    /// - Throws: `ScriptError` for an empty table; `EvaluationError` for rows without both classes.
    static func svg(_ table: MetricTable, title: String) throws -> String {
        guard !table.rows.isEmpty else { throw ScriptError("the metric table has no rows to plot", argument: "x") }
        var rocLines: [PlotSeries] = [], prLines: [PlotSeries] = []
        for (index, row) in table.rows.enumerated() {
            let color = LinePlot.palette[index % LinePlot.palette.count]
            let roc = try rocCurve(scores: row.scores, labels: row.labels)
            let pr = try precisionRecallCurve(scores: row.scores, labels: row.labels)
            rocLines.append(PlotSeries(name: "\(row.name) (AUC \(NumberFormatting.fixed(row.evaluation.rocAUC, digits: 3)))",
                                       x: roc.falsePositiveRates, y: roc.truePositiveRates, color: color))
            prLines.append(PlotSeries(name: "\(row.name) (AP \(NumberFormatting.fixed(row.evaluation.averagePrecision, digits: 3)))",
                                      x: pr.recalls, y: pr.precisions, color: color))
        }
        rocLines.append(PlotSeries(name: "chance", x: [0, 1], y: [0, 1], color: "#999", dashed: true))
        var roc = LinePlot(title: "ROC", xLabel: "false positive rate", yLabel: "true positive rate", series: rocLines,
                           width: panelWidth, height: panelHeight, xRange: 0...1, yRange: 0...1)
        roc.legendPosition = .bottomRight
        roc.identifier = "roc"
        var pr = LinePlot(title: "Precision-recall", xLabel: "recall", yLabel: "precision", series: prLines,
                          width: panelWidth, height: panelHeight, xRange: 0...1, yRange: 0...1)
        pr.legendPosition = .bottomLeft
        pr.identifier = "pr"
        return PlotFigures.grid([("roc", roc.element(), panelWidth, panelHeight), ("pr", pr.element(), panelWidth, panelHeight)],
                                columns: 2, title: title)
    }
}

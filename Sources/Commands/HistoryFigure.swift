// The training-history figure of a model (`plot(m, "h.svg")`): loss, reconstruction, KL, beta and
// learning-rate curves per epoch, one small plot each, two to a row.
import ECGKit
import Render
import Script

/// Builds the history figure and the report's loss series from a `TrainingHistory`.
enum HistoryFigure {
    /// Width and height of one panel in pixels.
    static let panelWidth = 410.0, panelHeight = 250.0

    /// The panels' names, in drawing order, for a history (`kl` only when a KL term was ever non-zero).
    static func panelNames(_ history: TrainingHistory) -> [String] {
        let hasKL = history.contains { $0.trainingKL != 0 || $0.validationKL != 0 }
        return ["loss", "reconstruction"] + (hasKL ? ["kl", "beta"] : []) + ["learning rate"]
    }

    /// Training and validation loss per epoch (the report's model card draws these).
    static func lossSeries(_ history: TrainingHistory) -> [PlotSeries] {
        series(history, [("training loss", \.trainingLoss), ("validation loss", \.validationLoss)])
    }

    /// The figure as an SVG document: panels `figure-panel` named by `panelNames`, each a line plot
    /// against epochs 1...N. - Throws: `ScriptError` for an empty history.
    static func svg(_ history: TrainingHistory, title: String) throws -> String {
        guard !history.isEmpty else {
            throw ScriptError("the model has no training history to plot; train it with fit first", argument: "x")
        }
        let panels = panelNames(history).map { name -> (name: String, plot: SVGElement, width: Double, height: Double) in
            let lines: [PlotSeries]
            switch name {
            case "loss": lines = lossSeries(history)
            case "reconstruction":
                lines = series(history, [("training", \.trainingReconstruction), ("validation", \.validationReconstruction)])
            case "kl": lines = series(history, [("training", \.trainingKL), ("validation", \.validationKL)])
            case "beta": lines = series(history, [("beta", \.beta)])
            default: lines = series(history, [("learning rate", \.learningRate)])
            }
            var plot = LinePlot(title: name, xLabel: "epoch", yLabel: name == "learning rate" ? "lr" : name,
                                series: lines, width: panelWidth, height: panelHeight)
            plot.identifier = "history-" + name.replacingOccurrences(of: " ", with: "-")
            return (name, plot.element(), panelWidth, panelHeight)
        }
        return PlotFigures.grid(panels, columns: 2, title: title)
    }

    /// One series per (name, field) against epochs.
    static func series(_ history: TrainingHistory, _ fields: [(String, KeyPath<TrainingEpoch, Double>)]) -> [PlotSeries] {
        let epochs = history.map { Double($0.epoch) }
        return fields.map { field in PlotSeries(name: field.0, x: epochs, y: history.map { $0[keyPath: field.1] }) }
    }
}

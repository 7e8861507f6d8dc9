// `show s`: a record's score as a header (record, model, method, score, threshold, verdict, heart rate)
// and per lead a braille plot of signal and reconstruction with the anomaly trace under it; a
// dataset's scores as a table. ANSI colours only when the output is a terminal.
import ECGKit
import Evaluation
import Foundation
import Render
import Script

extension ScoreValue: TerminalShowable {
    /// Braille cells (2 dot columns each) and sparkline characters per preview line.
    public static let previewWidth = 60
    /// Braille rows per lead.
    public static let previewHeight = 2

    /// `show(ansiColour: false)`.
    public func show() -> String { show(ansiColour: false) }

    /// The multi-line rendering; `ansiColour` colours the signal (green), the reconstruction (red) and
    /// the trace characters above the threshold (yellow), for terminals only.
    public func show(ansiColour: Bool) -> String {
        switch content {
        case .record(let result): recordLines(result, ansiColour: ansiColour).joined(separator: "\n")
        case .dataset(let scores): datasetLines(scores).joined(separator: "\n")
        }
    }

    /// Header lines, then per default lead (I, II, V1, V5 of 12 leads) `previewHeight` braille lines of
    /// signal and reconstruction scaled to their common range, a sparkline of the anomaly trace (the
    /// largest value of each stretch, so short spikes survive) and a marker line with `^` under every
    /// character whose stretch exceeds the trace threshold (`ScoreFigures.traceThreshold`).
    func recordLines(_ result: ScoreResult, ansiColour: Bool) -> [String] {
        var lines = [summary]
        if let threshold = result.threshold {
            let verdict = ScoreFigureInput.verdictText(isAnomalous: threshold.isAnomalous(result.score))
            lines.append("threshold \(ScoreFigures.methodName(threshold)) = \(formatNumber(threshold.value)): \(verdict)")
        } else {
            lines.append("threshold: none (no verdict)")
        }
        var facts: [String] = []
        if result.heartRate.isFinite { facts.append("heart rate: \(Int(result.heartRate.rounded())) bpm") }
        if let label = result.label { facts.append("label: \(label) (\(label == 0 ? "normal" : "abnormal"))") }
        if !facts.isEmpty { lines.append(facts.joined(separator: "  ")) }
        guard let leadCount = result.input?.shape.first,
              let figure = try? ScoreFigures.figureInput(result, leads: ScoreFigures.defaultLeads(count: leadCount),
                                                         threshold: result.threshold?.value ?? result.score) else {
            return lines + ["(no preview: the result holds no scored signal)"]
        }
        let legend = ansiColour ? "\u{1B}[32msignal\u{1B}[0m vs \u{1B}[31mreconstruction\u{1B}[0m" : "signal vs reconstruction"
        lines.append("per lead: \(legend) (braille), anomaly trace (sparkline)"
                     + (result.threshold == nil ? "" : ", ^ above threshold"))
        for lead in figure.leads {
            lines += leadLines(lead, marked: result.threshold != nil, ansiColour: ansiColour)
        }
        return lines
    }

    /// One lead's braille lines, trace sparkline and marker line.
    func leadLines(_ lead: LeadFigureInput, marked: Bool, ansiColour: Bool) -> [String] {
        let columns = Self.previewWidth * 2
        let signal = peakPreservingDecimation(lead.original, count: columns)
        let reconstruction = peakPreservingDecimation(lead.reconstruction, count: columns)
        let finite = (lead.original + lead.reconstruction).filter(\.isFinite)
        let range = finite.isEmpty ? "no finite samples"
            : String(format: "%.2f..%.2f", finite.min() ?? 0, finite.max() ?? 0)
        let plot = braillePlot([reconstruction, signal], width: Self.previewWidth, height: Self.previewHeight,
                               ansiColour: ansiColour).split(separator: "\n", omittingEmptySubsequences: false)
        var lines = plot.enumerated().map { row, cells in
            let label = row == 0 ? lead.name : ""
            return label.padding(toLength: 6, withPad: " ", startingAt: 0) + cells + (row == 0 ? "  " + range : "")
        }
        let maxima = maximumDecimation(lead.anomalyTrace, count: Self.previewWidth)
        let spark = Array(sparkline(maxima))
        let above = maxima.map { marked && $0 > lead.traceThreshold }
        var traceLine = "trace "
        for (index, character) in spark.enumerated() {
            traceLine += ansiColour && above[index] ? "\u{1B}[33m\(character)\u{1B}[0m" : String(character)
        }
        let peak = lead.anomalyTrace.filter(\.isFinite).max()
        lines.append(traceLine + "  max " + NumberFormatting.significant(peak ?? .nan))
        if above.contains(true) {
            var markers = String(above.map { $0 ? "^" : " " })
            while markers.hasSuffix(" ") { markers.removeLast() }
            lines.append("      " + markers)
        }
        return lines
    }

    /// The summary, the threshold, label counts, then one row per record: name, label, score, verdict
    /// (with a threshold) and heart rate.
    func datasetLines(_ scores: DatasetScores) -> [String] {
        var lines = [summary]
        let threshold = scores.threshold
        if let threshold {
            let above = scores.scores.filter { threshold.isAnomalous($0) }.count
            lines.append("threshold \(ScoreFigures.methodName(threshold)) = \(formatNumber(threshold.value)): "
                         + "\(above) of \(scores.scores.count) records above")
        }
        var columns = [TextTable.Column("record"), TextTable.Column("label"), TextTable.Column("score", alignment: .right)]
        if threshold != nil { columns.append(TextTable.Column("verdict")) }
        columns.append(TextTable.Column("HR (bpm)", alignment: .right))
        var table = TextTable(columns: columns)
        for index in scores.names.indices {
            var row = [scores.names[index], scores.labels[index].map { $0 == 0 ? "normal" : "abnormal" } ?? "-",
                       formatNumber(scores.scores[index])]
            if let threshold { row.append(threshold.isAnomalous(scores.scores[index]) ? "anomalous" : "normal") }
            let rate = index < scores.heartRates.count ? scores.heartRates[index] : .nan
            row.append(rate.isFinite ? "\(Int(rate.rounded()))" : "-")
            table.append(row)
        }
        return lines + [table.render()]
    }
}

/// `values: [N] -> [count]`: the largest finite value of each stretch [i N / count, (i + 1) N / count)
/// (NaN when it has none), so a short spike of an anomaly trace survives; the input when count >= N.
func maximumDecimation(_ values: [Double], count: Int) -> [Double] {
    guard count > 0, count < values.count else { return values }
    return minMaxDecimate(values, columns: count).map(\.maximum)
}

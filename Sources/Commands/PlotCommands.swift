// The `plot` command (topic `plot`): SVG figures of records, datasets, 1-D/2-D tensors, score results,
// models (training history) and metric tables (ROC and precision-recall curves).
import ECGKit
import Foundation
import Render
import Script
import TensorCore

/// `plot`, then `report` (the record library lists them; both draw score results).
func plotCommandSpecs() -> [CommandSpec] {
    [
        CommandSpec(
            name: "plot", topic: "plot", summary: "Draw a record, dataset, tensor, score, model or metrics into an SVG file.",
            details: """
                record: one panel per lead against time in seconds (all leads, or those in leads=, names or
                positions). dataset: lead II (or the given lead) of its first 8 records, one panel each.
                tensor: 1-D as a line, 2-D as a heat map with a colour bar; slice larger tensors first.
                score of a record: per lead (default I, II, V1, V5) the signal (black) against the
                reconstruction (red), the anomaly trace (orange) with the samples above the threshold
                highlighted, the attention or saliency strip when scored with one, the squared-error strip;
                the title gives record, model, verdict and heart rate. threshold= (default: the score's own)
                decides the verdict; the trace is compared with it in trace units (tau x mean trace / score,
                which is tau itself for the CAE). Records are drawn at 500 Hz, the rate they are scored at.
                score of a dataset: the record scores per label as dots, with the threshold line.
                model: its training history (loss, reconstruction, KL and beta, learning rate per epoch).
                metrics: ROC and precision-recall curves, one line per row, AUC and AP in the legend.
                Only .svg files are written (no PNG: no rasteriser is part of ecgs). The file is replaced
                atomically.
                """,
            example: "plot(r, \"r.svg\", leads=[\"II\", \"V1\"])\nplot(s, \"s.svg\", leads=[2, 5, 9], threshold=0.02)\n"
                + "plot(m, \"history.svg\")\nplot(e, \"roc.svg\")\nplot(t[0], \"t.svg\", title=\"window 0\")",
            parameters: [
                Parameter("x", .oneOf([.object("record"), .object("dataset"), .object("tensor"), .object("score"),
                                       .object("model"), .object("metrics")]), .required, "what to draw"),
                Parameter("path", .path(extensions: ["svg"]), .required, "the .svg file to write"),
                Parameter("leads", .any, .optional(defaultValue: .none), "leads to draw: names or positions"),
                Parameter("title", .any, .optional(defaultValue: .none), "figure title"),
                Parameter("threshold", .any, .optional(defaultValue: .none),
                          "score figures: the threshold (number or threshold value); default the score's own"),
            ],
            hasCommandForm: false,
            handler: { arguments, interpreter in
                let path = interpreter.resolveSourcePath(try arguments.string("path"))
                guard (path as NSString).pathExtension.lowercased() == "svg" else {
                    let given = (path as NSString).pathExtension
                    throw ScriptError("plot writes SVG only for now; name the file with .svg"
                                      + (given.isEmpty ? "" : " (got .\(given))"), argument: "path")
                }
                let title: String?
                switch arguments["title"] {
                case .none: title = nil
                case .string(let text): title = text
                case let other: throw ScriptError("title must be a string, got \(other.typeName)", argument: "title")
                }
                let (svg, description) = try figure(arguments, title: title)
                do {
                    try svg.write(toFile: path, atomically: true, encoding: .utf8)
                } catch {
                    throw ScriptError("cannot write '\(path)': \(error.localizedDescription)", argument: "path")
                }
                interpreter.output.writeLine("wrote \(path) (\(description))")
                return .none
            }),
    ] + reportCommandSpecs()
}

/// The SVG for `x` and a few words on what it holds (`3 lead panels`, `heat map 4 x 6`).
private func figure(_ arguments: CallArguments, title: String?) throws -> (String, String) {
    guard case .object(let object) = arguments["x"] else { throw ScriptError("nothing to plot", argument: "x") }
    if case .none = arguments["threshold"] {} else if !(object is ScoreValue) {
        throw ScriptError("threshold= applies to score figures", argument: "threshold")
    }
    if let value = object as? RecordValue {
        let indices = try leadSelection(arguments["leads"], of: value)
        let panels = indices.map { index in
            LeadPanel(label: panelLabel(value.record, index), lead: value.record.leadNames[index],
                      values: Array(value.record.lead(index)), samplingRate: value.record.samplingRate)
        }
        return (PlotFigures.stackedPanels(panels, title: title ?? value.record.name), plural(panels.count, "lead panel"))
    }
    if let value = object as? DatasetValue {
        guard value.dataset.count > 0 else { throw ScriptError("the dataset has no records to plot", argument: "x") }
        let which: Value
        switch arguments["leads"] {
        case .none: which = .string("II")
        case .list(let items) where items.count == 1: which = items[0]
        case .string, .number: which = arguments["leads"]
        default: throw ScriptError("a dataset plot shows one lead of each record, e.g. leads=\"II\"", argument: "leads")
        }
        let panels = try (0..<min(8, value.dataset.count)).map { position -> LeadPanel in
            let record = value.recordValue(at: position)
            let lead: Int
            do {
                lead = try record.leadIndex(which)
            } catch let error as ScriptError {
                guard case .none = arguments["leads"], record.record.leadCount > 0 else {
                    throw ScriptError(error.message, argument: "leads")
                }
                lead = 0
            }
            let label = record.label.map { $0 == 0 ? "  normal" : "  abnormal" } ?? ""
            let diagnoses = record.diagnoses.isEmpty ? "" : ": " + record.diagnoses.joined(separator: ", ")
            return LeadPanel(label: panelLabel(record.record, lead), lead: record.record.leadNames[lead],
                             values: Array(record.record.lead(lead)), samplingRate: record.record.samplingRate,
                             title: record.record.name + label + diagnoses)
        }
        return (PlotFigures.stackedPanels(panels, title: title ?? value.summary), plural(panels.count, "record panel"))
    }
    if let figure = try modelFigure(object, arguments, title: title) { return figure }
    if let value = object as? TensorValue {
        if case .none = arguments["leads"] {} else {
            throw ScriptError("leads= applies to records and datasets, not tensors", argument: "leads")
        }
        let tensor = value.tensor
        let values = tensor.scalars.map(Double.init)
        switch tensor.rank {
        case 1:
            guard !values.isEmpty else { throw ScriptError("the tensor is empty", argument: "x") }
            return (PlotFigures.line(values, title: title), "line of \(values.count) values")
        case 2:
            let rows = tensor.shape[0], columns = tensor.shape[1]
            guard rows > 0, columns > 0 else { throw ScriptError("the tensor is empty", argument: "x") }
            let grid = (0..<rows).map { Array(values[($0 * columns)..<(($0 + 1) * columns)]) }
            return (PlotFigures.heatMap(grid, title: title), "heat map \(rows) x \(columns)")
        default:
            throw ScriptError("plot draws 1-D (line) or 2-D (heat map) tensors, got \(value.shapeDescription); "
                              + "slice it first, e.g. t[0]", argument: "x")
        }
    }
    throw ScriptError("cannot plot a \(object.typeName)", argument: "x")
}

/// The figure of a score, model or metrics value; nil for other values.
private func modelFigure(_ object: any ScriptObject, _ arguments: CallArguments, title: String?) throws -> (String, String)? {
    let threshold = try ScoreFigures.thresholdArgument(arguments["threshold"])
    if let value = object as? ScoreValue {
        switch value.content {
        case .record(let result):
            let leadCount = result.input?.shape.first ?? result.reconstruction.shape.first ?? 0
            let leads = try ScoreFigures.leadSelection(arguments["leads"], leadCount: leadCount,
                                                       fallback: ScoreFigures.defaultLeads(count: leadCount))
            let tau = try ScoreFigures.threshold(of: result, given: threshold)
            var input = try ScoreFigures.figureInput(result, leads: leads, threshold: tau)
            if let title { input.recordName = title }
            return (try ScoreFigure(input).svg(), plural(leads.count, "lead panel"))
        case .dataset(let scores):
            if case .none = arguments["leads"] {} else {
                throw ScriptError("leads= applies to the score of one record", argument: "leads")
            }
            let tau = threshold ?? scores.threshold?.value
            let groups = ScoreFigures.groups(scores)
            let figure = ScoreDistributionFigure(title: title ?? value.summary, groups: groups, threshold: tau)
            return (figure.svg(), "scores of \(scores.scores.count) records in \(plural(groups.count, "group"))")
        }
    }
    if object is ModelValue || object is MetricsValue {
        if case .none = arguments["leads"] {} else {
            throw ScriptError("leads= applies to records, datasets and scores", argument: "leads")
        }
    }
    if let value = object as? ModelValue {
        let history = value.trained.history
        let svg = try HistoryFigure.svg(history, title: title ?? "Training history: " + value.summary)
        return (svg, "training history of \(plural(history.count, "epoch"))")
    }
    if let value = object as? MetricsValue {
        let svg = try CurveFigures.svg(value.table, title: title ?? "ROC and precision-recall")
        return (svg, "ROC and PR curves of \(plural(value.table.rows.count, "row"))")
    }
    return nil
}

/// Lead indices from `leads=`: all leads for none, else a list (or one) of names or positions.
private func leadSelection(_ value: Value, of record: RecordValue) throws -> [Int] {
    let items: [Value]
    switch value {
    case .none: return Array(0..<record.record.leadCount)
    case .list(let list): items = list
    case .string, .number: items = [value]
    default: throw ScriptError("leads must be a list of lead names or positions", argument: "leads")
    }
    guard !items.isEmpty else { throw ScriptError("give at least one lead", argument: "leads") }
    return try items.map { item in
        do { return try record.leadIndex(item) } catch let error as ScriptError {
            throw ScriptError(error.message, argument: "leads")
        }
    }
}

/// `II (mV)`, or the name alone for unit-less leads.
private func panelLabel(_ record: Record, _ index: Int) -> String {
    let unit = record.units[index]
    return record.leadNames[index] + (unit.isEmpty ? "" : " (\(unit))")
}

/// `1 lead panel`, `3 lead panels`: the number and the noun, with an `s` unless the number is 1.
func plural(_ number: Int, _ noun: String) -> String {
    "\(number) \(noun)\(number == 1 ? "" : "s")"
}

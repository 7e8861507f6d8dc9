// The `report` command (topic `plot`): one self-contained HTML file for scored records — a table of
// scores and verdicts, per record the score figure, a lead selector, a threshold slider, the model card.
import ECGKit
import Evaluation
import Foundation
import Render
import Script

func reportCommandSpecs() -> [CommandSpec] {
    [
        CommandSpec(
            name: "report", topic: "plot", summary: "Write an HTML report of scored records (figures, table, model card).",
            details: """
                results: the score of a record, a list of them, or the score of a dataset kept with its
                per-record details. The file holds everything inline (SVG, style, script; nothing is fetched):
                a table of records with score, threshold and verdict; per record the score figure of the chosen
                leads (default I, II, V1, V5; see 'help plot'); a lead selector; a threshold slider that moves
                verdicts and trace highlights in the browser; and a model card (kind, size, training data,
                history, threshold method) from model= or, without it, from what the results record.
                threshold= (number or threshold value) is the slider's start; default the model's threshold,
                else the first result's. The file is replaced atomically.
                """,
            example: "report(s, \"a0001.html\")\nreport([s1, s2], \"run.html\", model=m, title=\"CPSC check\")",
            parameters: [
                Parameter("results", .oneOf([.object("score"), .list]), .required, "score(s) to report"),
                Parameter("path", .path(extensions: ["html"]), .required, "the .html file to write"),
                Parameter("model", .any, .optional(defaultValue: .none), "the model, for the model card"),
                Parameter("title", .any, .optional(defaultValue: .none), "the report's title"),
                Parameter("leads", .any, .optional(defaultValue: .none), "leads to draw: names or positions"),
                Parameter("threshold", .any, .optional(defaultValue: .none), "the record threshold the slider starts at"),
            ],
            hasCommandForm: false,
            handler: { arguments, interpreter in
                let path = interpreter.resolveSourcePath(try arguments.string("path"))
                guard ["html", "htm"].contains((path as NSString).pathExtension.lowercased()) else {
                    throw ScriptError("report writes HTML; name the file with .html", argument: "path")
                }
                let (html, records) = try ReportBuilder.html(arguments, check: { try interpreter.interruption.check() })
                do {
                    try html.write(toFile: path, atomically: true, encoding: .utf8)
                } catch {
                    throw ScriptError("cannot write '\(path)': \(error.localizedDescription)", argument: "path")
                }
                interpreter.output.writeLine("wrote \(path) (\(plural(records, "record")), "
                                             + "\(max(html.utf8.count / 1024, 1)) KB)")
                return .none
            }),
    ]
}

/// Builds the report's input from the command's arguments.
enum ReportBuilder {
    /// The report as HTML and its number of records; `check` runs before each record (Ctrl-C stops
    /// between records).
    static func html(_ arguments: CallArguments, check: () throws -> Void) throws -> (String, Int) {
        let results = try results(arguments["results"])
        let model: TrainedModel?
        switch arguments["model"] {
        case .none: model = nil
        case .object(let object as ModelValue): model = object.trained
        case let other: throw ScriptError("model must be a model, got \(other.typeName)", argument: "model")
        }
        let title: String
        switch arguments["title"] {
        case .none: title = "ECG anomaly report: " + (results.count == 1 ? results[0].recordName : "\(results.count) records")
        case .string(let text): title = text
        case let other: throw ScriptError("title must be a string, got \(other.typeName)", argument: "title")
        }
        let tau: Double
        if let given = try ScoreFigures.thresholdArgument(arguments["threshold"]) {
            tau = given
        } else if let own = model?.threshold?.value {
            tau = own
        } else {
            tau = try ScoreFigures.threshold(of: results[0], given: nil)
        }
        var records: [ReportRecord] = []
        for result in results {
            try check()
            let leadCount = result.input?.shape.first ?? 0
            let leads = try ScoreFigures.leadSelection(arguments["leads"], leadCount: leadCount,
                                                       fallback: ScoreFigures.defaultLeads(count: leadCount))
            records.append(ReportRecord(score: result.score,
                                        figure: try ScoreFigures.figureInput(result, leads: leads, threshold: tau)))
        }
        let card = model.map(modelCard) ?? modelCard(results)
        return (try HTMLReport(ReportInput(title: title, threshold: tau, records: records, modelCard: card)).render(), records.count)
    }

    /// The record results in `value`: one score, a list of scores, or a dataset's details.
    static func results(_ value: Value) throws -> [ScoreResult] {
        let items: [Value]
        if case .list(let list) = value { items = list } else { items = [value] }
        let results = try items.flatMap { item -> [ScoreResult] in
            guard case .object(let object as ScoreValue) = item else {
                throw ScriptError("results must be scores, got \(item.typeName)", argument: "results")
            }
            switch object.content {
            case .record(let result): return [result]
            case .dataset(let scores):
                guard let details = scores.details else {
                    throw ScriptError("the dataset's scores hold no per-record results; score it keeping the details",
                                      argument: "results")
                }
                return details
            }
        }
        guard !results.isEmpty else { throw ScriptError("no scored records to report", argument: "results") }
        return results
    }

    /// The model card of a model: kind, size, parameters, training data, history, threshold, origin.
    static func modelCard(_ model: TrainedModel) -> ModelCard {
        let configuration = model.configuration
        var size = model.sizeName
        if configuration.kind != .cae {
            size += ": encoder \(configuration.encoderHidden), decoder \(configuration.decoderHidden), latent \(configuration.latent)"
        }
        let history = model.history
        let historySummary: String
        if let state = model.trainingState, !history.isEmpty {
            var text = plural(history.count, "epoch")
            if let best = state.bestEpoch, let loss = state.bestValidationLoss {
                text += ", best validation loss \(NumberFormatting.significant(loss)) at epoch \(best)"
            }
            historySummary = text
        } else {
            historySummary = "not trained here"
        }
        return ModelCard(kind: ScoreFigures.modelName(configuration.kind), size: size,
                         parameterCount: model.model.parameterCount, trainingData: model.trainingData ?? "not recorded",
                         historySummary: historySummary, thresholdMethod: thresholdText(model.threshold),
                         trainingLosses: history.isEmpty ? [] : HistoryFigure.lossSeries(history),
                         notes: [ModelCardNote(label: "Origin", value: model.origin)])
    }

    /// The card when no model is given: what the results record (kind, score method, threshold).
    static func modelCard(_ results: [ScoreResult]) -> ModelCard {
        let first = results[0]
        return ModelCard(kind: ScoreFigures.modelName(first.modelKind), size: "not recorded (give model= for details)",
                         trainingData: "not recorded", historySummary: "not recorded",
                         thresholdMethod: thresholdText(first.threshold),
                         notes: [ModelCardNote(label: "Score method", value: first.method.rawValue)])
    }

    /// "p95 = 0.0123 (from 120 scores)" or "none".
    static func thresholdText(_ threshold: Threshold?) -> String {
        threshold.map { "\(ScoreFigures.methodName($0)) = \(NumberFormatting.significant($0.value)) (from \($0.sampleCount) scores)" } ?? "none"
    }
}

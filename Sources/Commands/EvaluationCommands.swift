// Thresholds and evaluation (topic `model`): threshold (on scores, or scoring data with a model and
// setting its threshold), evaluate (a metric table row per score result) and metrics (joining tables).
import ECGKit
import Evaluation
import Foundation
import Models
import Script

func evaluationCommandSpecs() -> [CommandSpec] {
    [
        CommandSpec(
            name: "threshold", topic: "model", summary: "A decision threshold on scores: p95, pNN, f1, youden or pot.",
            details: """
                A record is anomalous when its score is above the threshold. On scores (a dataset's score
                result, a tensor or a list): "p95" the 95th percentile (numpy.percentile, linear; "p99" …
                any percentile), "f1" the F1-maximising threshold and "youden" the one maximising
                TPR - FPR (both need labels: labels=, or the dataset's labels), "pot" Peaks-Over-Threshold
                (a generalized Pareto tail above the level= quantile, risk q= of a normal record exceeding
                it). All the scores given are used: give normal validation scores for p95 and pot.
                threshold(m, data) scores data with m, sets m.threshold (later score results carry it)
                and returns it; score= picks the window-score formula for that scoring ("elbo",
                "weighted", "attention", "mse"; default: the model's own), and the model keeps it as its
                score method, so that score(m, x) scores the way its threshold was set.
                A threshold acts as its number: s.score > tau, tau * 2.
                """,
            example: "tau = threshold(score(m, normal.val), method=\"p95\")\nthreshold(m, normal.val)\n"
                + "threshold(m, normal.val, score=\"weighted\")\n"
                + "threshold([0.1, 0.4, 0.35, 0.8], method=\"f1\", labels=[0, 0, 1, 1])",
            parameters: [
                Parameter("scores", .any, .required, "a score result, tensor or list of scores; or a model"),
                Parameter("data", .any, .optional(defaultValue: .none),
                          "with a model: the records to score"),
                Parameter("method", .string, .optional(defaultValue: .string("p95")), "p95, pNN, f1, youden or pot"),
                Parameter("labels", .any, .optional(defaultValue: .none), "0/1 labels (f1, youden)"),
                Parameter("level", .number, .optional(defaultValue: .number(0.98)), "pot: initial quantile"),
                Parameter("q", .number, .optional(defaultValue: .number(1e-3)), "pot: risk"),
                Parameter("score", .choice(["default"] + WindowScoreMethod.allCases.map(\.rawValue)),
                          .optional(defaultValue: .string("default")), "with a model: the window-score formula"),
            ],
            returns: "threshold",
            handler: { arguments, interpreter in try threshold(arguments, interpreter) }),
        CommandSpec(
            name: "evaluate", topic: "model", summary: "Precision, recall, F1, ROC-AUC, PR-AUC and confusion of scores against labels.",
            details: """
                scores: a dataset's score result (its labels are used unless labels= is given), a list of
                them (one row each, for a table comparing models) or a tensor/list of numbers with labels=.
                The threshold: threshold= (a threshold or a number; a list gives one per row), else the one
                the scores carry from their model (threshold(m, data) before scoring). Records without a
                label are left out. name= names the row (a list names several); by default the model kind
                and method. ROC-AUC is scikit-learn's roc_auc_score, PR-AUC its average_precision_score.
                """,
            example: "e = evaluate(score(m, test))\nevaluate([s1, s2, s3], name=[\"cae\", \"vae\", \"vae-mha\"])\n"
                + "evaluate([0.1, 0.4, 0.35, 0.8], labels=[0, 0, 1, 1], threshold=0.3)",
            parameters: [
                Parameter("scores", .any, .required, "score result(s), or numbers"),
                Parameter("labels", .any, .optional(defaultValue: .none), "0/1 labels"),
                Parameter("threshold", .any, .optional(defaultValue: .none), "threshold(s) (none: the scores')"),
                Parameter("name", .oneOf([.string, .list]), .optional(defaultValue: .none), "row name(s)"),
            ],
            returns: "metrics",
            handler: { arguments, _ in try evaluate(arguments) }),
        CommandSpec(
            name: "metrics", topic: "model", summary: "Join metric tables into one (rows in the order given).",
            example: "metrics(e_cae, e_vae, e_mha)",
            parameters: [Parameter("tables", .object("metrics"), .variadic, "metric tables")],
            returns: "metrics",
            handler: { arguments, _ in
                let tables = try arguments.list("tables").compactMap { value -> MetricsValue? in
                    if case .object(let object) = value { return object as? MetricsValue }
                    return nil
                }
                guard !tables.isEmpty else { throw ScriptError("metrics needs at least one metric table", argument: "tables") }
                return .object(MetricsValue(MetricTable(rows: tables.flatMap(\.table.rows))))
            }),
    ]
}

/// `threshold(...)`: on scores, or scoring `data` with a model and setting its threshold.
private func threshold(_ arguments: CallArguments, _ interpreter: Interpreter) throws -> Value {
    let method = try arguments.string("method").lowercased()
    let level = try arguments.number("level")
    let risk = try arguments.number("q")
    let usesLabels = method == "f1" || method == "youden"
    // A dataset's own labels, unless labels= replaces them (then every score is used).
    let needsLabels = usesLabels && !arguments.isGiven("labels")
    var scores: [Double]
    var labels: [Bool]? = nil
    var model: TrainedModel? = nil
    var scoreMethod: WindowScoreMethod? = nil
    if arguments.isGiven("score"), !(arguments["scores"].isModel) {
        throw ScriptError("score= goes with a model: threshold(m, data, score=...)", argument: "score")
    }
    switch arguments["scores"] {
    case .object(let object as ModelValue):
        guard case .object(let dataObject) = arguments["data"], let data = dataObject as? DatasetValue else {
            throw ScriptError("threshold(m, data) needs the data to score", argument: "data")
        }
        let result: DatasetScores
        var options = ScoringOptions()
        let formula = try arguments.string("score")
        options.method = formula == "default" ? object.trained.scoreMethod : WindowScoreMethod(rawValue: formula)
        do {
            result = try scoreDataset(object.trained.model, data.dataset, options: options, keepDetails: false,
                                      interpreter: interpreter)
        } catch let error as ScoringError {
            throw ScriptError(error.message, argument: "data")
        }
        (scores, labels) = datasetScoresAndLabels(result, needsLabels: needsLabels)
        model = object.trained
        scoreMethod = options.method
    case .object(let object as ScoreValue):
        if case .dataset(let result) = object.content {
            (scores, labels) = datasetScoresAndLabels(result, needsLabels: needsLabels)
        } else {
            scores = object.numericElements ?? []
        }
    case let other:
        if arguments.isGiven("data") { throw ScriptError("data= goes with a model: threshold(m, data)", argument: "data") }
        scores = try numbers(other, argument: "scores")
    }
    if arguments.isGiven("labels") {
        labels = try labelFlags(arguments["labels"])
    }
    if !usesLabels {
        labels = nil
    } else if let given = labels, given.count != scores.count {
        throw ScriptError("labels has \(given.count) entries for \(scores.count) scores", argument: "labels")
    }
    let tau: Threshold
    do {
        tau = try Thresholding.threshold(scores: scores, method: method, labels: labels, initialQuantile: level, risk: risk)
    } catch let error as ScoringError {
        throw ScriptError(error.message, argument: "method")
    } catch {
        throw ScriptError(String(describing: error), argument: "scores")
    }
    if let model {
        model.threshold = tau
        model.scoreMethod = scoreMethod
    }
    return .object(ThresholdValue(tau))
}

/// Scores (and labels) of a dataset's result: for a method that needs labels, the labelled records
/// (nil labels when none has one); otherwise every score.
private func datasetScoresAndLabels(_ result: DatasetScores, needsLabels: Bool) -> ([Double], [Bool]?) {
    guard needsLabels else { return (result.scores, nil) }
    let labelled = result.labelledScores
    return labelled.labels.isEmpty ? (result.scores, nil) : (labelled.scores, labelled.labels)
}

/// `evaluate(...)`: one row per score result (or one for plain numbers).
private func evaluate(_ arguments: CallArguments) throws -> Value {
    let items: [Value]
    if case .list(let list) = arguments["scores"], list.contains(where: { if case .object = $0 { return true } else { return false } }) {
        items = list
    } else {
        items = [arguments["scores"]]
    }
    let names = try rowNames(arguments["name"], count: items.count)
    let thresholds = try rowThresholds(arguments["threshold"], count: items.count)
    let givenLabels: [Bool]? = arguments.isGiven("labels") ? try labelFlags(arguments["labels"]) : nil
    var rows: [EvaluationRow] = []
    for (position, item) in items.enumerated() {
        var scores: [Double]
        var labels: [Bool]?
        var carried: Threshold? = nil
        var defaultName = "scores"
        if case .object(let object as ScoreValue) = item {
            guard case .dataset(let result) = object.content else {
                throw ScriptError("evaluate needs the scores of a dataset (score(m, d)), got one record's score",
                                  argument: "scores")
            }
            if let givenLabels {
                scores = result.scores
                labels = givenLabels
            } else {
                let labelled = result.labelledScores
                scores = labelled.scores
                labels = labelled.labels
            }
            carried = result.threshold
            defaultName = [result.modelKind?.rawValue, result.method.map { "(\($0.rawValue))" }].compactMap { $0 }
                .joined(separator: " ")
        } else {
            scores = try numbers(item, argument: "scores")
            labels = givenLabels
        }
        guard let labels, !labels.isEmpty else {
            throw ScriptError("no labels: give labels= (0 normal, 1 anomalous) or scores of a labelled dataset",
                              argument: "labels")
        }
        guard labels.count == scores.count else {
            throw ScriptError("labels has \(labels.count) entries for \(scores.count) scores", argument: "labels")
        }
        guard let threshold = thresholds?[position] ?? carried else {
            throw ScriptError("no threshold: give threshold= or set the model's with threshold(m, data) before scoring",
                              argument: "threshold")
        }
        do {
            rows.append(try EvaluationRow(name: names?[position] ?? defaultName, scores: scores, labels: labels,
                                          threshold: threshold))
        } catch {
            throw ScriptError(String(describing: error), argument: "scores")
        }
    }
    return .object(MetricsValue(MetricTable(rows: rows)))
}

/// Row names from `name=`: one string per row (a string for a single row).
private func rowNames(_ value: Value, count: Int) throws -> [String]? {
    switch value {
    case .none: return nil
    case .string(let name) where count == 1: return [name]
    case .list(let items) where items.count == count:
        return try items.map { item in
            guard case .string(let name) = item else { throw ScriptError("names must be strings", argument: "name") }
            return name
        }
    default:
        throw ScriptError("name must give one name per row (\(count))", argument: "name")
    }
}

/// Thresholds from `threshold=`: a threshold or number for every row, or a list with one per row.
private func rowThresholds(_ value: Value, count: Int) throws -> [Threshold]? {
    func one(_ item: Value) throws -> Threshold {
        switch item {
        case .number(let number): return Threshold(method: .percentile, value: number, parameters: ["given": 1], sampleCount: 0)
        case .object(let object as ThresholdValue): return object.threshold
        default: throw ScriptError("threshold must be a number or a threshold, got \(item.typeName)", argument: "threshold")
        }
    }
    switch value {
    case .none: return nil
    case .list(let items):
        guard items.count == count else {
            throw ScriptError("threshold lists \(items.count) thresholds for \(count) rows", argument: "threshold")
        }
        return try items.map(one)
    default:
        let threshold = try one(value)
        return Array(repeating: threshold, count: count)
    }
}

extension Value {
    /// Whether the value is a model.
    fileprivate var isModel: Bool {
        if case .object(let object) = self { return object is ModelValue }
        return false
    }
}

// The `score` command (topic `model`): one record's full result (traces, attention, strips, saliency)
// or every record of a dataset, by any window-score formula of models.md.
import ECGKit
import Foundation
import Models
import Script

func scoringCommandSpecs() -> [CommandSpec] {
    [
        CommandSpec(
            name: "score", topic: "model", summary: "Anomaly scores of a record (with its traces) or of every record of a dataset.",
            details: """
                The record (already preprocessed, with the model's leads) is cut into windows of window=
                samples every stride= (500 / 250: 19 windows per 10 s) and run through the model in
                evaluation mode. method= picks the window score: "mse" (CAE), "elbo" (negative ELBO: squared
                error + KL; VAE, MA-VAE), "weighted" (alpha * sum((w - mean)^2 / (sigma^2 + 1e-6)) +
                (1 - alpha) * sum(log sigma^2) + beta * sum(KL), alpha= 0.4, beta= 0.6; VAE-MHA), "attention"
                (attention-weighted squared error + KL; attention models); "default" takes the model's score
                method (set by threshold(m, data, score=...)), else the kind's.
                The record score is the mean window score, except the CAE's default pass="record": the MSE
                of one whole-record pass (the reference dashboard); pass="windows" gives the mean window MSE.
                latent="sampled" (the reference, seeded per record) or "mean" (z = mu). strips=true adds the
                per-lead attention strips, saliency=true the CAE's saliency map. A dataset gives one score
                per record (details=true keeps every record's full result, s[i]); Ctrl-C stops it.
                The model's threshold (threshold(m, data)) travels with the result: s.verdict.
                """,
            example: "s = score(m, x)\ns.score\nsv = score(m, test)\nscore(m, x, method=\"elbo\", strips=true)",
            parameters: [
                Parameter("m", .object("model"), .required, "the model"),
                Parameter("data", recordOrDataset, .required, "a record or a dataset"),
                Parameter("method", .choice(["default"] + WindowScoreMethod.allCases.map(\.rawValue)),
                          .optional(defaultValue: .string("default")), "window score formula"),
                Parameter("pass", .choice(ScoringOptions.CAEPass.allCases.map(\.rawValue)),
                          .optional(defaultValue: .string("record")), "CAE: whole-record or window pass"),
                Parameter("latent", .choice(["sampled", "mean"]), .optional(defaultValue: .string("sampled")),
                          "VAEs: sampled z (seeded) or z = mu"),
                Parameter("alpha", .number, .optional(defaultValue: .number(0.4)), "weighted: alpha"),
                Parameter("beta", .number, .optional(defaultValue: .number(0.6)), "weighted: beta"),
                Parameter("strips", .bool, .optional(defaultValue: .bool(false)), "per-lead attention strips"),
                Parameter("saliency", .bool, .optional(defaultValue: .bool(false)), "CAE saliency map"),
                Parameter("attention", .bool, .optional(defaultValue: .bool(true)), "keep the attention weights"),
                Parameter("details", .bool, .optional(defaultValue: .bool(false)), "datasets: keep each record's result"),
                Parameter("window", .integer, .optional(defaultValue: .number(500)), "window length (samples)"),
                Parameter("stride", .integer, .optional(defaultValue: .number(250)), "window stride (samples)"),
            ],
            returns: "score",
            handler: { arguments, interpreter in try score(arguments, interpreter) }),
    ]
}

/// `score(...)`: options from the arguments, then `Scorer.score` on the record or dataset.
private func score(_ arguments: CallArguments, _ interpreter: Interpreter) throws -> Value {
    let trained = try arguments.object("m", as: ModelValue.self).trained
    var options = try scoringOptions(arguments)
    if options.method == nil { options.method = trained.scoreMethod }
    do {
        if case .object(let object) = arguments["data"], let record = object as? RecordValue {
            var result = try Scorer.score(trained.model, record: record.record, options: options)
            result.threshold = trained.threshold
            result.label = record.label
            return .object(ScoreValue(.record(result)))
        }
        let dataset = try arguments.object("data", as: DatasetValue.self)
        var scores = try scoreDataset(trained.model, dataset.dataset, options: options,
                                      keepDetails: try arguments.bool("details"), interpreter: interpreter)
        scores.threshold = trained.threshold
        if let threshold = trained.threshold, let details = scores.details {
            scores.details = details.map { detail in
                var result = detail
                result.threshold = threshold
                return result
            }
        }
        return .object(ScoreValue(.dataset(scores)))
    } catch let error as ScoringError {
        throw ScriptError(error.message, argument: "data")
    }
}

/// `Scorer.score` on every record of `dataset`, drawing a progress bar on the session's output
/// and stopping when the session is interrupted.
func scoreDataset(_ model: any AnomalyModel, _ dataset: Dataset, options: ScoringOptions, keepDetails: Bool,
                  interpreter: Interpreter) throws -> DatasetScores {
    let progress = ProgressReporter(output: interpreter.output, label: "score", unit: "records")
    defer { progress.finish() }
    return try Scorer.score(model, dataset: dataset, options: options, keepDetails: keepDetails,
                            progress: { progress.update(done: $0, total: $1) },
                            checkCancellation: { try interpreter.interruption.check() })
}

/// `ScoringOptions` from the arguments.
private func scoringOptions(_ arguments: CallArguments) throws -> ScoringOptions {
    var options = ScoringOptions()
    let method = try arguments.string("method")
    options.method = method == "default" ? nil : WindowScoreMethod(rawValue: method)
    options.caePass = ScoringOptions.CAEPass(rawValue: try arguments.string("pass")) ?? .wholeRecord
    options.latentSampling = try arguments.string("latent") == "mean" ? .mean : .sampled(seed: 0)
    options.weightedAlpha = try arguments.number("alpha")
    options.weightedBeta = try arguments.number("beta")
    options.leadStrips = try arguments.bool("strips")
    options.saliency = try arguments.bool("saliency")
    options.keepAttention = try arguments.bool("attention")
    options.window = try arguments.integer("window")
    options.stride = try arguments.integer("stride")
    guard options.window >= 8 else { throw ScriptError("window must be at least 8 samples, got \(options.window)", argument: "window") }
    guard options.stride >= 1 else { throw ScriptError("stride must be at least 1, got \(options.stride)", argument: "stride") }
    return options
}

// The `fit` command: trains a model in place on a dataset's windows, with a progress bar per epoch,
// a line per epoch, Ctrl-C keeping the best weights, and resumption from the model's training state.
import ECGKit
import Foundation
import Models
import Optim
import Script

func fitCommandSpec() -> CommandSpec {
    CommandSpec(
        name: "fit", topic: "model", summary: "Train a model in place on a dataset's normal records; fit again resumes.",
        details: """
            Cuts windows of 500 samples every stride= samples from the dataset's training records and
            validation records, and trains with Adam (lr=), batches of batch=, gradient-norm clipping at
            clip= (0: none), ReduceLROnPlateau on the validation loss, and the KL weight beta= (VAEs: a
            number for a constant, or "cyclical" (default), "warmup", "delayed"). The split: val= splits
            the dataset at random with the training seed; without val= the dataset's own split (split(d))
            is used, else 20% go to validation. windows= draws that many training windows once (seeded).
            epochs= is the TOTAL number of epochs: a model trained 3 epochs and fitted again with
            epochs=5 runs epochs 4 and 5, continuing the optimizer, scheduler and best weights exactly
            (keep the same data and options). patience= stops after that many epochs without a better
            validation loss. seed= seeds the split, subsets, shuffles, noise and dropout (none: from the
            session; a resumed fit keeps the first fit's seed).
            A progress bar runs during each epoch and one line reports it:
            'epoch 3/5  loss 812.4  val 790.1  beta 0.18  lr 5e-4  12.3 s'.
            Ctrl-C stops at the end of the current batch, discards the unfinished epoch and keeps the
            best weights so far. The model always ends with its best weights (lowest validation loss).
            Returns the model itself (trained in place), so 'm = fit(model("cae"), d)' works too.
            """,
        example: "fit(m, normal, epochs=5, batch=64, lr=5e-4, val=0.2)\nfit(m, normal, epochs=10)   # 5 more",
        parameters: [
            Parameter("m", .object("model"), .required, "the model (trained in place)"),
            Parameter("data", .object("dataset"), .required, "normal records"),
            Parameter("epochs", .integer, .optional(defaultValue: .number(10)), "total epochs"),
            Parameter("batch", .integer, .optional(defaultValue: .number(64)), "windows per step"),
            Parameter("lr", .number, .optional(defaultValue: .number(5e-4)), "Adam learning rate"),
            Parameter("val", .number, .optional(defaultValue: .none), "validation share (none: the dataset's split)"),
            Parameter("beta", .oneOf([.number, .string]), .optional(defaultValue: .string("cyclical")),
                      "KL weight: a number, \"cyclical\", \"warmup\" or \"delayed\""),
            Parameter("clip", .number, .optional(defaultValue: .number(1)), "gradient norm clip (0: none)"),
            Parameter("patience", .integer, .optional(defaultValue: .none), "early stopping patience"),
            Parameter("seed", .any, .optional(defaultValue: .none), "training seed (none: from the session)"),
            Parameter("windows", .integer, .optional(defaultValue: .none), "training windows drawn (none: all)"),
            Parameter("stride", .integer, .optional(defaultValue: .number(125)), "window stride (samples)"),
        ],
        returns: "model",
        handler: { arguments, interpreter in try fit(arguments, interpreter) })
}

/// `fit(...)`: options from the arguments, the split, then `Trainer.fit` resuming the model's state.
private func fit(_ arguments: CallArguments, _ interpreter: Interpreter) throws -> Value {
    let value = try arguments.object("m", as: ModelValue.self)
    let trained = value.trained
    let data = try arguments.object("data", as: DatasetValue.self)
    let options = try trainingOptions(arguments, interpreter, previous: trained.trainingOptions)
    let state = trained.trainingState
    let done = state?.epoch ?? 0
    if done >= options.epochs {
        interpreter.output.writeLine("already trained \(plural(done, "epoch")); epochs is the total: "
                                     + "fit(m, data, epochs=\(done + options.epochs)) trains \(options.epochs) more")
        return .object(value)
    }

    var dataset = data.dataset
    if let share = try arguments.optionalNumber("val") {
        guard share >= 0, share < 1 else {
            throw ScriptError("val must be a share from 0 to below 1, got \(formatNumber(share))", argument: "val")
        }
        dataset = try catchingDatasetErrors(argument: "val") {
            try dataset.split(validationFraction: share, seed: options.seed)
        }
    } else if dataset.split == nil {
        dataset = try catchingDatasetErrors(argument: "data") { try dataset.split(validationFraction: 0.2, seed: options.seed) }
    }
    guard let split = dataset.split else { throw ScriptError("the dataset could not be split", argument: "data") }
    guard dataset.records.allSatisfy({ $0.leadCount == trained.configuration.leads }) else {
        let bad = dataset.records.first { $0.leadCount != trained.configuration.leads }
        throw ScriptError("record \(bad?.name ?? "") has \(bad?.leadCount ?? 0) leads, the model takes "
                          + "\(trained.configuration.leads)", argument: "data")
    }

    var progress: ProgressReporter?
    defer { progress?.finish() }
    let report: (TrainingProgress) -> Void = { event in
        switch event {
        case let .batch(epoch, batch, batchCount, _):
            if batch == 1 {
                progress?.finish()
                progress = ProgressReporter(output: interpreter.output, label: "epoch \(epoch)/\(options.epochs)",
                                            unit: "batches")
            }
            progress?.update(done: batch, total: batchCount)
        case let .epoch(epoch, totalEpochs):
            progress?.finish()
            progress = nil
            interpreter.output.writeLine(epochLine(epoch, totalEpochs: totalEpochs, kind: trained.kind))
        }
    }
    let result: TrainingResult
    do {
        result = try Trainer.fit(trained.model, dataset: dataset, options: options, resuming: state, progress: report,
                                 checkCancellation: { try interpreter.interruption.check() })
    } catch let error as TrainingError {
        throw ScriptError(error.description)
    }
    // Erase a terminal bar left by an interrupted epoch before reporting.
    progress?.finish()
    progress = nil
    trained.trainingOptions = options
    trained.trainingState = result.state
    trained.trainingData = "\(data.name): \(dataset.count) records (\(split.training.count) train, "
        + "\(split.validation.count) val)"
    switch result.status {
    case .interrupted:
        if let best = result.state.bestEpoch, let loss = result.state.bestValidationLoss {
            interpreter.output.writeLine("interrupted: kept the best weights (epoch \(best), val \(formatNumber(loss)))")
        } else {
            interpreter.output.writeLine("interrupted before the first epoch ended: the weights are unchanged")
        }
    case .stoppedEarly:
        interpreter.output.writeLine("stopped early: no better validation loss for \(options.earlyStoppingPatience ?? 0) "
                                     + "epochs; kept the best weights (epoch \(result.state.bestEpoch ?? 0))")
    case .completed:
        break
    }
    return .object(value)
}

/// `TrainingOptions` from the arguments; a resumed fit keeps the earlier seed unless one is given.
private func trainingOptions(_ arguments: CallArguments, _ interpreter: Interpreter,
                             previous: TrainingOptions?) throws -> TrainingOptions {
    var options = TrainingOptions()
    options.epochs = try arguments.integer("epochs")
    guard options.epochs >= 1 else { throw ScriptError("epochs must be at least 1, got \(options.epochs)", argument: "epochs") }
    options.batchSize = try arguments.integer("batch")
    guard options.batchSize >= 1 else { throw ScriptError("batch must be at least 1, got \(options.batchSize)", argument: "batch") }
    options.learningRate = try arguments.number("lr")
    guard options.learningRate > 0, options.learningRate.isFinite else {
        throw ScriptError("lr must be a positive number, got \(formatNumber(options.learningRate))", argument: "lr")
    }
    let clip = try arguments.number("clip")
    guard clip >= 0 else { throw ScriptError("clip must be 0 (none) or positive, got \(formatNumber(clip))", argument: "clip") }
    options.gradientClip = clip == 0 ? nil : clip
    switch arguments["beta"] {
    case .number(let beta):
        guard beta >= 0 else { throw ScriptError("beta must be 0 or more, got \(formatNumber(beta))", argument: "beta") }
        options.betaSchedule = .constant(beta)
    case .string("cyclical"): options.betaSchedule = .cyclical()
    case .string("warmup"): options.betaSchedule = .linearWarmup()
    case .string("delayed"): options.betaSchedule = .delayedRamp()
    case let other:
        throw ScriptError("beta must be a number or \"cyclical\", \"warmup\", \"delayed\"; got \(other.summary)",
                          argument: "beta")
    }
    if arguments.isGiven("patience") {
        let patience = try arguments.integer("patience")
        guard patience >= 1 else { throw ScriptError("patience must be at least 1, got \(patience)", argument: "patience") }
        options.earlyStoppingPatience = patience
    }
    if arguments.isGiven("windows") {
        let count = try arguments.integer("windows")
        guard count >= 1 else { throw ScriptError("windows must be at least 1, got \(count)", argument: "windows") }
        options.trainingWindows = count
    }
    let stride = try arguments.integer("stride")
    guard stride >= 1 else { throw ScriptError("stride must be at least 1, got \(stride)", argument: "stride") }
    options.trainingStride = stride
    options.validationStride = stride
    options.seed = try optionalSeed(arguments) ?? previous?.seed ?? interpreter.nextRandomSeed()
    return options
}

/// `epoch 3/5  loss 812.4  val 790.1  beta 0.18  lr 5e-4  12.3 s` (no beta for the CAE).
func epochLine(_ epoch: TrainingEpoch, totalEpochs: Int, kind: ModelKind) -> String {
    var parts = ["epoch \(epoch.epoch)/\(totalEpochs)", "loss \(shortNumber(epoch.trainingLoss))",
                 "val \(shortNumber(epoch.validationLoss))"]
    if kind != .cae { parts.append("beta \(shortNumber(epoch.beta))") }
    parts.append("lr \(shortNumber(epoch.learningRate))")
    parts.append(String(format: "%.1f s", epoch.seconds))
    return parts.joined(separator: "  ")
}

/// Four significant digits: `812.4`, `0.1832`; below 0.01 in short scientific form: `5e-4`, `1.25e-5`.
func shortNumber(_ value: Double) -> String {
    guard value.isFinite, value != 0 else { return formatNumber(value) }
    if abs(value) >= 0.01 && abs(value) < 1e6 {
        return formatNumber(Double(String(format: "%.4g", value)) ?? value)
    }
    let parts = String(format: "%.2e", value).split(separator: "e")
    guard parts.count == 2, let exponent = Int(parts[1]) else { return formatNumber(value) }
    var mantissa = String(parts[0])
    while mantissa.hasSuffix("0") { mantissa.removeLast() }
    if mantissa.hasSuffix(".") { mantissa.removeLast() }
    return "\(mantissa)e\(exponent)"
}

/// Runs `body`, turning a `DatasetError` into a `ScriptError` pinned to `argument`.
private func catchingDatasetErrors<T>(argument: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as DatasetError {
        throw ScriptError(error.description, argument: argument)
    }
}

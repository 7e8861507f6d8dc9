// A model's training options and resumable training state inside its workspace group: options as
// attributes, the per-epoch history as a table of columns, Adam's moments and the weights per key.
import Formats
import Optim

extension TrainingOptions {
    /// Attributes `epochs`, `batch_size`, `learning_rate`, `gradient_clip` (absent: no clipping),
    /// `plateau_factor`, `plateau_patience`, `training_windows` / `validation_windows` /
    /// `early_stopping_patience` (absent: all / never), `resample_each_epoch` (int64 0/1), `seed`
    /// (int64 bit pattern of the UInt64), `window_length`, `training_stride`, `validation_stride`,
    /// `beta_schedule` ("constant" | "cyclical" | "linear_warmup" | "delayed_ramp" | "ma_vae") with the
    /// schedule's parameters as `beta_<name>` attributes.
    func encode(into group: HDF5Group) throws {
        try group.setAttribute("epochs", .int64(Int64(epochs)))
        try group.setAttribute("batch_size", .int64(Int64(batchSize)))
        try group.setAttribute("learning_rate", .double(learningRate))
        if let gradientClip { try group.setAttribute("gradient_clip", .double(gradientClip)) }
        try group.setAttribute("plateau_factor", .double(plateauFactor))
        try group.setAttribute("plateau_patience", .int64(Int64(plateauPatience)))
        if let trainingWindows { try group.setAttribute("training_windows", .int64(Int64(trainingWindows))) }
        if let validationWindows { try group.setAttribute("validation_windows", .int64(Int64(validationWindows))) }
        try group.setAttribute("resample_each_epoch", .int64(resampleEachEpoch ? 1 : 0))
        if let earlyStoppingPatience {
            try group.setAttribute("early_stopping_patience", .int64(Int64(earlyStoppingPatience)))
        }
        try group.setAttribute("seed", .int64(Int64(bitPattern: seed)))
        try group.setAttribute("window_length", .int64(Int64(windowLength)))
        try group.setAttribute("training_stride", .int64(Int64(trainingStride)))
        try group.setAttribute("validation_stride", .int64(Int64(validationStride)))
        switch betaSchedule {
        case .constant(let value):
            try group.setAttribute("beta_schedule", .string("constant"))
            try group.setAttribute("beta_value", .double(value))
        case let .cyclical(period, rampRatio, maximum):
            try group.setAttribute("beta_schedule", .string("cyclical"))
            try group.setAttribute("beta_period", .int64(Int64(period)))
            try group.setAttribute("beta_ramp_ratio", .double(rampRatio))
            try group.setAttribute("beta_maximum", .double(maximum))
        case let .linearWarmup(epochs, final):
            try group.setAttribute("beta_schedule", .string("linear_warmup"))
            try group.setAttribute("beta_epochs", .int64(Int64(epochs)))
            try group.setAttribute("beta_final", .double(final))
        case let .delayedRamp(start, end, firstEpoch, lastEpoch):
            try group.setAttribute("beta_schedule", .string("delayed_ramp"))
            try group.setAttribute("beta_start", .double(start))
            try group.setAttribute("beta_end", .double(end))
            try group.setAttribute("beta_first_epoch", .int64(Int64(firstEpoch)))
            try group.setAttribute("beta_last_epoch", .int64(Int64(lastEpoch)))
        case let .maVAE(total, grace, start, end, mode):
            try group.setAttribute("beta_schedule", .string("ma_vae"))
            try group.setAttribute("beta_total", .int64(Int64(total)))
            try group.setAttribute("beta_grace", .int64(Int64(grace)))
            try group.setAttribute("beta_start", .double(start))
            try group.setAttribute("beta_end", .double(end))
            try group.setAttribute("beta_mode", .string(mode.rawValue))
        }
    }

    static func decode(from group: HDF5Group) throws -> TrainingOptions {
        func integer(_ name: String) throws -> Int { Int(try group.workspaceInt(name)) }
        let schedule: BetaSchedule
        switch try group.requiredWorkspaceString("beta_schedule") {
        case "constant": schedule = .constant(try group.workspaceDouble("beta_value"))
        case "cyclical":
            schedule = .cyclical(period: try integer("beta_period"), rampRatio: try group.workspaceDouble("beta_ramp_ratio"),
                                 maximum: try group.workspaceDouble("beta_maximum"))
        case "linear_warmup":
            schedule = .linearWarmup(epochs: try integer("beta_epochs"), final: try group.workspaceDouble("beta_final"))
        case "delayed_ramp":
            schedule = .delayedRamp(start: try group.workspaceDouble("beta_start"), end: try group.workspaceDouble("beta_end"),
                                    firstEpoch: try integer("beta_first_epoch"), lastEpoch: try integer("beta_last_epoch"))
        case "ma_vae":
            let modeName = try group.requiredWorkspaceString("beta_mode")
            guard let mode = BetaSchedule.MAVAEMode(rawValue: modeName) else {
                throw WorkspaceError.malformed(group, "the attribute 'beta_mode' is '\(modeName)', "
                                               + "expected 'normal', 'monotonic' or 'cyclical'")
            }
            schedule = .maVAE(total: try integer("beta_total"), grace: try integer("beta_grace"),
                              start: try group.workspaceDouble("beta_start"), end: try group.workspaceDouble("beta_end"),
                              mode: mode)
        case let other:
            throw WorkspaceError.malformed(group, "the attribute 'beta_schedule' is '\(other)', expected 'constant', "
                                           + "'cyclical', 'linear_warmup', 'delayed_ramp' or 'ma_vae'")
        }
        return TrainingOptions(epochs: try integer("epochs"), batchSize: try integer("batch_size"),
                               learningRate: try group.workspaceDouble("learning_rate"),
                               gradientClip: try group.optionalWorkspaceDouble("gradient_clip"),
                               plateauFactor: try group.workspaceDouble("plateau_factor"),
                               plateauPatience: try integer("plateau_patience"), betaSchedule: schedule,
                               trainingWindows: try group.optionalWorkspaceInt("training_windows"),
                               validationWindows: try group.optionalWorkspaceInt("validation_windows"),
                               resampleEachEpoch: try group.workspaceInt("resample_each_epoch") != 0,
                               earlyStoppingPatience: try group.optionalWorkspaceInt("early_stopping_patience"),
                               seed: UInt64(bitPattern: try group.workspaceInt("seed")),
                               windowLength: try integer("window_length"), trainingStride: try integer("training_stride"),
                               validationStride: try integer("validation_stride"))
    }
}

extension TrainingState {
    /// Attribute and subgroup names of the training state layout.
    enum Layout {
        static let epoch = "epoch"
        static let history = "history"
        static let optimizer = "optimizer"
        static let scheduler = "scheduler"
        static let currentWeights = "current_weights"
        static let bestWeights = "best_weights"
    }

    /// The history's columns: name, and how to read one epoch's value as a number.
    nonisolated(unsafe) private static let doubleColumns: [(String, WritableKeyPath<TrainingEpoch, Double>)] = [
        ("training_loss", \.trainingLoss), ("training_reconstruction", \.trainingReconstruction),
        ("training_kl", \.trainingKL), ("validation_loss", \.validationLoss),
        ("validation_reconstruction", \.validationReconstruction), ("validation_kl", \.validationKL),
        ("kl_to_reconstruction_ratio", \.klToReconstructionRatio), ("learning_rate", \.learningRate),
        ("next_learning_rate", \.nextLearningRate), ("beta", \.beta), ("gradient_norm", \.gradientNorm),
        ("seconds", \.seconds),
    ]

    /// Attributes `epoch`, `learning_rate`, `best_epoch` / `best_validation_loss` (when set),
    /// `epochs_without_improvement`; subgroup `history` (a table: one 1-D dataset per column of length
    /// `epoch`: int64 `epoch`, float64 `training_loss`, `training_reconstruction`, `training_kl`,
    /// `validation_loss`, `validation_reconstruction`, `validation_kl`, `kl_to_reconstruction_ratio`,
    /// int64 `collapsed_dimensions`, float64 `learning_rate`, `next_learning_rate`, `beta`,
    /// `gradient_norm`, `seconds`, bool `is_best`); subgroup `scheduler` (attributes `best` when set,
    /// `bad_epochs`, `cooldown_counter`, `last_epoch`); subgroup `optimizer` when Adam has run (vlen string
    /// `keys` [P], int64 `step` [P], subgroups `exp_avg` and `exp_avg_sq` with one float32 dataset per key,
    /// shaped like the parameter); subgroups `current_weights` and `best_weights` (like `parameters`).
    func encode(into group: HDF5Group, shapes: [String: [Int]]) throws {
        try group.setAttribute(Layout.epoch, .int64(Int64(epoch)))
        try group.setAttribute("learning_rate", .double(learningRate))
        if let bestEpoch { try group.setAttribute("best_epoch", .int64(Int64(bestEpoch))) }
        if let bestValidationLoss { try group.setAttribute("best_validation_loss", .double(bestValidationLoss)) }
        try group.setAttribute("epochs_without_improvement", .int64(Int64(epochsWithoutImprovement)))

        let table = try group.createGroup(Layout.history)
        try table.writeWorkspaceInts("epoch", history.map(\.epoch))
        for (name, path) in Self.doubleColumns {
            try table.writeWorkspaceDoubles(name, history.map { $0[keyPath: path] })
        }
        try table.writeWorkspaceInts("collapsed_dimensions", history.map(\.collapsedDimensions))
        try table.writeWorkspaceBools("is_best", history.map(\.isBest))

        let schedulerGroup = try group.createGroup(Layout.scheduler)
        if let best = scheduler.best { try schedulerGroup.setAttribute("best", .double(best)) }
        try schedulerGroup.setAttribute("bad_epochs", .int64(Int64(scheduler.badEpochs)))
        try schedulerGroup.setAttribute("cooldown_counter", .int64(Int64(scheduler.cooldownCounter)))
        try schedulerGroup.setAttribute("last_epoch", .int64(Int64(scheduler.lastEpoch)))

        if let optimizer {
            let optimizerGroup = try group.createGroup(Layout.optimizer)
            try optimizerGroup.setAttribute("kind", .string("adam"))
            try optimizerGroup.writeStrings("keys", optimizer.keys)
            try optimizerGroup.writeWorkspaceInts("step", optimizer.steps)
            for (name, moments) in [("exp_avg", optimizer.firstMoments), ("exp_avg_sq", optimizer.secondMoments)] {
                try optimizerGroup.writeNamedArrays(name, zip(optimizer.keys, moments).map { key, values in
                    // A never-updated parameter has empty moments: stored as [0], not in the parameter's shape.
                    let shape = shapes[key].flatMap { $0.reduce(1, *) == values.count ? $0 : nil } ?? [values.count]
                    return NamedArray(key: key, shape: shape, values: values)
                })
            }
        }
        try group.writeNamedArrays(Layout.currentWeights, currentWeights)
        try group.writeNamedArrays(Layout.bestWeights, bestWeights)
    }

    static func decode(from group: HDF5Group) throws -> TrainingState {
        var state = TrainingState()
        state.epoch = Int(try group.workspaceInt(Layout.epoch))
        state.learningRate = try group.workspaceDouble("learning_rate")
        state.bestEpoch = try group.optionalWorkspaceInt("best_epoch")
        state.bestValidationLoss = try group.optionalWorkspaceDouble("best_validation_loss")
        state.epochsWithoutImprovement = Int(try group.workspaceInt("epochs_without_improvement"))

        let table = try group.workspaceGroup(Layout.history)
        let epochs = try table.readWorkspaceInts("epoch")
        let collapsed = try table.readWorkspaceInts("collapsed_dimensions")
        let best = try table.readWorkspaceBools("is_best")
        var columns: [[Double]] = []
        for (name, _) in doubleColumns {
            columns.append(try table.readWorkspaceDoubles(name))
        }
        guard collapsed.count == epochs.count, best.count == epochs.count,
              columns.allSatisfy({ $0.count == epochs.count }) else {
            throw WorkspaceError.malformed(table, "every history column must have \(epochs.count) values, one per epoch")
        }
        state.history = epochs.indices.map { row in
            var entry = TrainingEpoch(epoch: epochs[row], trainingLoss: 0, trainingReconstruction: 0, trainingKL: 0,
                                      validationLoss: 0, validationReconstruction: 0, validationKL: 0,
                                      klToReconstructionRatio: 0, collapsedDimensions: collapsed[row], learningRate: 0,
                                      nextLearningRate: 0, beta: 0, gradientNorm: 0, seconds: 0, isBest: best[row])
            for (column, (_, path)) in zip(columns, doubleColumns) {
                entry[keyPath: path] = column[row]
            }
            return entry
        }

        let schedulerGroup = try group.workspaceGroup(Layout.scheduler)
        state.scheduler = PlateauSnapshot(best: try schedulerGroup.optionalWorkspaceDouble("best"),
                                          badEpochs: Int(try schedulerGroup.workspaceInt("bad_epochs")),
                                          cooldownCounter: Int(try schedulerGroup.workspaceInt("cooldown_counter")),
                                          lastEpoch: Int(try schedulerGroup.workspaceInt("last_epoch")))
        if try group.kind(of: Layout.optimizer) == .group {
            let optimizerGroup = try group.openGroup(Layout.optimizer)
            let keys = try optimizerGroup.readStrings("keys")
            let steps = try optimizerGroup.readWorkspaceInts("step")
            let first = try optimizerGroup.readNamedArrays("exp_avg")
            let second = try optimizerGroup.readNamedArrays("exp_avg_sq")
            guard steps.count == keys.count, first.map(\.key) == keys, second.map(\.key) == keys else {
                throw WorkspaceError.malformed(optimizerGroup, "'keys', 'step', 'exp_avg' and 'exp_avg_sq' must list "
                                               + "the same \(keys.count) parameters in the same order")
            }
            state.optimizer = AdamSnapshot(keys: keys, steps: steps, firstMoments: first.map(\.values),
                                           secondMoments: second.map(\.values))
        }
        state.currentWeights = try group.readNamedArrays(Layout.currentWeights)
        state.bestWeights = try group.readNamedArrays(Layout.bestWeights)
        return state
    }
}

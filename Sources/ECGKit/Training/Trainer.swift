// The training loop of models.md "Training": Adam, gradient clipping, ReduceLROnPlateau on the
// validation loss, per-epoch beta, best-weights keeping, early stopping, cancellation and resumption.
import Foundation
import Models
import NN
import Optim
import TensorCore

/// Trains ecgs models on windows of normal ECGs.
public enum Trainer {
    /// Trains `model` on `training` windows, validating on `validation` after every epoch
    /// (the reference's `train_epoch` / `validate_epoch` loop, models.md "Training").
    ///
    /// Windows may come in either layout (`[N, T, L]` or `[N, L, T]`); each batch is given to the model in
    /// its own (`[B, L, T]` for the CAE, `[B, T, L]` for the VAEs). Per epoch `e` (1-based):
    /// beta = `options.betaSchedule.beta(epoch: e)`; the training windows are shuffled with
    /// `RandomStream(seed:, stream: "shuffle-e")`; per batch: zero grads, loss (CAE MSE; VAE NLL + beta KL,
    /// latent noise from stream "latent-e", input noise and dropout from the model's generators reseeded
    /// from stream "<layer key>-e"), backward, clip the total gradient norm, Adam step; then validation in
    /// eval mode without grad (latent noise from stream "validation", the same every epoch), the plateau
    /// scheduler steps on the validation loss, and the weights are kept when the validation loss is the best
    /// so far. At the end the best weights are loaded into the model, which is left in eval mode.
    ///
    /// Every epoch is a function of (weights, Adam state, epoch, seed), so a run resumed from `state`
    /// (pass the `TrainingResult.state` of an earlier call; a `TrainingState()` without weights starts
    /// afresh) continues the epoch count, the optimizer steps,
    /// the scheduler and the best weights, and ends bit-identical to an uninterrupted run.
    ///
    /// Cancellation: `checkCancellation` is called before every batch and every validation batch; when it
    /// throws, the epoch in progress is discarded (the returned state is the last completed epoch's), the
    /// model gets the best weights so far (the starting weights if no epoch finished) and `fit` returns
    /// status `.interrupted` with the error in `interruption`; it does not rethrow.
    ///
    /// Without validation windows the training loss stands in for the validation loss.
    /// - Throws: `TrainingError` for bad options, windows that do not fit the model, a state from another
    ///   model, or a non-finite loss; errors of the layers.
    public static func fit(_ model: any AnomalyModel, training: WindowSet, validation: WindowSet?,
                           options: TrainingOptions = TrainingOptions(), resuming state: TrainingState? = nil,
                           progress: ((TrainingProgress) -> Void)? = nil,
                           checkCancellation: (() throws -> Void)? = nil) throws -> TrainingResult {
        var loop = try TrainingLoop(model: model, training: training, validation: validation, options: options,
                                    state: state)
        return try loop.run(progress: progress, checkCancellation: checkCancellation, validationLossOverride: nil)
    }

    /// Trains on a split `dataset` (`Dataset.split`; unsplit datasets are split 80/20 with seed 42 as the
    /// reference): windows of `options.windowLength` every `options.trainingStride` samples from the
    /// training records and every `options.validationStride` from the validation records.
    public static func fit(_ model: any AnomalyModel, dataset: Dataset, options: TrainingOptions = TrainingOptions(),
                           resuming state: TrainingState? = nil, progress: ((TrainingProgress) -> Void)? = nil,
                           checkCancellation: (() throws -> Void)? = nil) throws -> TrainingResult {
        let split = dataset.split == nil ? try dataset.split() : dataset
        let training = try split.trainingSet().windows(length: options.windowLength, stride: options.trainingStride)
        let validationRecords = try split.validationSet()
        let validation = validationRecords.count == 0
            ? nil : try validationRecords.windows(length: options.windowLength, stride: options.validationStride)
        return try fit(model, training: training, validation: validation, options: options, resuming: state,
                       progress: progress, checkCancellation: checkCancellation)
    }
}

/// The error `checkCancellation` threw, wrapped so the loop can tell it from real failures.
struct TrainingCancelled: Error {
    let underlying: any Error
}

/// One `fit` call's working objects: the model adapter, batchers, Adam, the scheduler and the state.
struct TrainingLoop {
    let adapter: ModelAdapter
    let model: any AnomalyModel
    let options: TrainingOptions
    let trainingBatcher: WindowBatcher
    let validationBatcher: WindowBatcher?
    let adam: Adam
    let scheduler: ReduceLROnPlateau
    let keys: [String]
    var state: TrainingState
    let validationPool: [Int]

    init(model: any AnomalyModel, training: WindowSet, validation: WindowSet?, options: TrainingOptions,
         state resumed: TrainingState?) throws {
        try options.validate()
        adapter = try ModelAdapter(model)
        self.model = model
        self.options = options
        let leads = model.configuration.leads
        trainingBatcher = try WindowBatcher(training, layout: adapter.layout, leads: leads, role: "training")
        guard trainingBatcher.count > 0 else { throw TrainingError.incompatibleWindows("no training windows") }
        if let validation, validation.count > 0 {
            validationBatcher = try WindowBatcher(validation, layout: adapter.layout, leads: leads, role: "validation")
        } else {
            validationBatcher = nil
        }
        let parameters = model.namedParameters
        keys = parameters.map(\.key)
        adam = try Adam(parameters: parameters.map(\.parameter), learningRate: options.learningRate)
        scheduler = try ReduceLROnPlateau(optimizer: adam, factor: options.plateauFactor, patience: options.plateauPatience)
        validationPool = Self.subset(count: validationBatcher?.count ?? 0, limit: options.validationWindows,
                                     seed: options.seed, stream: "validation-subset")
        if let resumed, !resumed.currentWeights.isEmpty {
            state = resumed
            try restore(resumed)
        } else {
            state = TrainingState()
            state.learningRate = options.learningRate
            state.currentWeights = WeightSnapshots.capture(model)
        }
    }

    /// `limit` indices drawn without replacement from `0..<count` (all, in order, when nil or >= count).
    static func subset(count: Int, limit: Int?, seed: UInt64, stream: String) -> [Int] {
        guard let limit, limit < count else { return Array(0..<count) }
        var generator = RandomStream(seed: seed, stream: stream)
        return Array(generator.permutation(count).prefix(limit))
    }

    /// Loads a saved state's current weights, Adam state and scheduler state.
    func restore(_ saved: TrainingState) throws {
        try WeightSnapshots.load(saved.currentWeights, into: model)
        if let snapshot = saved.optimizer {
            guard snapshot.keys == keys, snapshot.steps.count == keys.count, snapshot.firstMoments.count == keys.count,
                  snapshot.secondMoments.count == keys.count else {
                throw TrainingError.stateMismatch("optimizer keys \(snapshot.keys.prefix(3))... differ from the model's \(keys.prefix(3))...")
            }
            adam.states = try zip(adam.parameters, snapshot.steps.indices).map { parameter, index in
                let step = snapshot.steps[index]
                guard step > 0 else { return nil }
                guard snapshot.firstMoments[index].count == parameter.count,
                      snapshot.secondMoments[index].count == parameter.count else {
                    throw TrainingError.stateMismatch("Adam moments of '\(snapshot.keys[index])' have "
                        + "\(snapshot.firstMoments[index].count) values, the parameter \(parameter.count)")
                }
                return Adam.ParameterState(
                    step: step,
                    exponentialAverage: try Tensor(shape: parameter.shape, scalars: snapshot.firstMoments[index]),
                    exponentialAverageSquared: try Tensor(shape: parameter.shape, scalars: snapshot.secondMoments[index]))
            }
        }
        adam.learningRate = saved.learningRate
        scheduler.best = saved.scheduler.best ?? .infinity
        scheduler.badEpochs = saved.scheduler.badEpochs
        scheduler.cooldownCounter = saved.scheduler.cooldownCounter
        scheduler.lastEpoch = saved.scheduler.lastEpoch
    }

    func optimizerSnapshot() -> AdamSnapshot {
        AdamSnapshot(keys: keys, steps: adam.states.map { $0?.step ?? 0 },
                     firstMoments: adam.states.map { $0?.exponentialAverage.scalars ?? [] },
                     secondMoments: adam.states.map { $0?.exponentialAverageSquared.scalars ?? [] })
    }

    /// Runs epochs `state.epoch + 1 ... options.epochs`. `validationLossOverride(epoch, loss)` replaces the
    /// measured validation loss (tests of best-weights keeping).
    mutating func run(progress: ((TrainingProgress) -> Void)?, checkCancellation: (() throws -> Void)?,
                      validationLossOverride: ((Int, Double) -> Double)?) throws -> TrainingResult {
        let check: () throws -> Void = {
            do { try checkCancellation?() } catch { throw TrainingCancelled(underlying: error) }
        }
        var status = TrainingStatus.completed
        var interruption: (any Error)?
        var epoch = state.epoch + 1
        while epoch <= options.epochs {
            do {
                let entry = try runEpoch(epoch, progress: progress, check: check, validationLossOverride: validationLossOverride)
                progress?(.epoch(entry, totalEpochs: options.epochs))
            } catch let cancelled as TrainingCancelled {
                status = .interrupted
                interruption = cancelled.underlying
                break
            }
            if let patience = options.earlyStoppingPatience, state.epochsWithoutImprovement >= patience {
                status = .stoppedEarly
                break
            }
            epoch += 1
        }
        try WeightSnapshots.load(state.bestWeights.isEmpty ? state.currentWeights : state.bestWeights, into: model)
        model.eval()
        return TrainingResult(status: status, state: state, interruption: interruption)
    }

    /// One epoch: training batches, validation, scheduler, best weights; commits it to `state`.
    mutating func runEpoch(_ epoch: Int, progress: ((TrainingProgress) -> Void)?, check: () throws -> Void,
                           validationLossOverride: ((Int, Double) -> Double)?) throws -> TrainingEpoch {
        let started = ContinuousClock.now
        let beta = options.betaSchedule.beta(epoch: epoch)
        let learningRate = adam.learningRate
        Self.reseedGenerators(of: model, seed: options.seed, epoch: epoch)
        model.train()
        let pool = Self.subset(count: trainingBatcher.count, limit: options.trainingWindows, seed: options.seed,
                               stream: options.resampleEachEpoch ? "training-subset-\(epoch)" : "training-subset")
        var shuffle = RandomStream(seed: options.seed, stream: "shuffle-\(epoch)")
        let order = shuffle.permutation(pool.count).map { pool[$0] }
        var latent = RandomStream(seed: options.seed, stream: "latent-\(epoch)")
        var training = LossAccumulator(latent: model.configuration.latent)
        var gradientNorms = 0.0
        let batchCount = (order.count + options.batchSize - 1) / options.batchSize
        do {
            for batchIndex in 0..<batchCount {
                try check()
                let indices = order[(batchIndex * options.batchSize)..<min(order.count, (batchIndex + 1) * options.batchSize)]
                let batch = try trainingBatcher.batch(indices)
                model.zeroGrad()
                let loss = try adapter.loss(batch, beta: beta, using: &latent)
                let value = Double(try loss.total.item)
                guard value.isFinite else { throw TrainingError.nonFiniteLoss(epoch: epoch, batch: batchIndex + 1) }
                try loss.total.backward()
                gradientNorms += clipGradientNorm(adam.parameters, maxNorm: options.gradientClip ?? .infinity)
                try adam.step()
                try training.add(loss, count: indices.count, collectLatent: false)
                progress?(.batch(epoch: epoch, batch: batchIndex + 1, batchCount: batchCount, loss: value))
            }
            model.zeroGrad()
            let validation = try validate(beta: beta, check: check)
            return try commit(epoch: epoch, training: training, validation: validation ?? training,
                              learningRate: learningRate, beta: beta, gradientNorm: gradientNorms / Double(max(batchCount, 1)),
                              started: started, validationLossOverride: validationLossOverride)
        } catch {
            // Roll back to the last completed epoch so the state stays an epoch boundary.
            model.zeroGrad()
            try rollback()
            throw error
        }
    }

    /// Puts the model, Adam and the scheduler back to `state` (the last completed epoch, or the start).
    func rollback() throws {
        try restore(state)
        if state.optimizer == nil {
            adam.states = Array(repeating: nil, count: adam.parameters.count)
        }
    }

    /// Validation loss terms over the validation pool (eval mode, no grad); nil without validation windows.
    func validate(beta: Double, check: () throws -> Void) throws -> LossAccumulator? {
        guard let validationBatcher, !validationPool.isEmpty else { return nil }
        model.eval()
        var latent = RandomStream(seed: options.seed, stream: "validation")
        var totals = LossAccumulator(latent: model.configuration.latent)
        var start = 0
        while start < validationPool.count {
            try check()
            let indices = validationPool[start..<min(validationPool.count, start + options.batchSize)]
            try withNoGrad {
                let loss = try adapter.loss(try validationBatcher.batch(indices), beta: beta, using: &latent)
                try totals.add(loss, count: indices.count, collectLatent: true)
            }
            start += options.batchSize
        }
        return totals
    }

    /// Steps the scheduler, keeps the best weights, appends the history entry and snapshots the state.
    mutating func commit(epoch: Int, training: LossAccumulator, validation: LossAccumulator, learningRate: Double,
                         beta: Double, gradientNorm: Double, started: ContinuousClock.Instant,
                         validationLossOverride: ((Int, Double) -> Double)?) throws -> TrainingEpoch {
        let measured = validation.mean(\.total)
        let validationLoss = validationLossOverride?(epoch, measured) ?? measured
        let nextLearningRate = scheduler.step(metric: validationLoss)
        let weights = WeightSnapshots.capture(model)
        let isBest = validationLoss < (state.bestValidationLoss ?? .infinity)
        if isBest {
            state.bestValidationLoss = validationLoss
            state.bestEpoch = epoch
            state.bestWeights = weights
            state.epochsWithoutImprovement = 0
        } else {
            state.epochsWithoutImprovement += 1
        }
        let reconstruction = validation.mean(\.reconstruction), kl = validation.mean(\.kl)
        let elapsed = ContinuousClock.now - started
        let entry = TrainingEpoch(
            epoch: epoch, trainingLoss: training.mean(\.total), trainingReconstruction: training.mean(\.reconstruction),
            trainingKL: training.mean(\.kl), validationLoss: validationLoss, validationReconstruction: reconstruction,
            validationKL: kl, klToReconstructionRatio: reconstruction != 0 ? kl / reconstruction : 0,
            collapsedDimensions: LatentDiagnostics.collapsedDimensions(meanKL: validation.meanKLPerDimension),
            learningRate: learningRate, nextLearningRate: nextLearningRate, beta: beta, gradientNorm: gradientNorm,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
            isBest: isBest)
        state.epoch = epoch
        state.history.append(entry)
        state.learningRate = nextLearningRate
        state.currentWeights = weights
        state.optimizer = optimizerSnapshot()
        state.scheduler = PlateauSnapshot(best: scheduler.best.isFinite ? scheduler.best : nil, badEpochs: scheduler.badEpochs,
                                          cooldownCounter: scheduler.cooldownCounter, lastEpoch: scheduler.lastEpoch)
        return entry
    }

    /// Reseeds every dropout and input-noise layer from (seed, its state_dict path, epoch), so each epoch's
    /// randomness depends on nothing that happened before it (what makes resumption exact).
    static func reseedGenerators(of layer: any Layer, seed: UInt64, epoch: Int, path: String = "") {
        if let dropout = layer as? Dropout {
            dropout.generator = RandomStream(seed: seed, stream: "\(path)-\(epoch)")
        } else if let noise = layer as? GaussianNoise {
            noise.generator = RandomStream(seed: seed, stream: "\(path)-\(epoch)")
        }
        for (name, child) in layer.children {
            reseedGenerators(of: child, seed: seed, epoch: epoch, path: path.isEmpty ? name : "\(path).\(name)")
        }
    }
}

/// Window-weighted sums of the loss terms over an epoch, and per-dimension KL sums for the collapse count.
struct LossAccumulator {
    var total = 0.0, reconstruction = 0.0, kl = 0.0
    var windows = 0
    /// Sum over windows and time steps of the per-dimension KL `[d]`, and the number of positions summed.
    var klPerDimension: [Double]
    var positions = 0

    init(latent: Int) { klPerDimension = Array(repeating: 0, count: latent) }

    /// Adds a batch of `count` windows (the reference weights batch means by batch size).
    mutating func add(_ loss: BatchLoss, count: Int, collectLatent: Bool) throws {
        total += Double(try loss.total.item) * Double(count)
        reconstruction += Double(try loss.reconstruction.item) * Double(count)
        kl += Double(try loss.klDivergence.item) * Double(count)
        windows += count
        guard collectLatent, let mu = loss.latentMean, let logVariance = loss.latentLogVariance else { return }
        let sums = LatentDiagnostics.klSums(mu: mu.scalars, logVariance: logVariance.scalars, latent: klPerDimension.count)
        for dimension in klPerDimension.indices { klPerDimension[dimension] += sums.sums[dimension] }
        positions += sums.positions
    }

    func mean(_ term: KeyPath<LossAccumulator, Double>) -> Double {
        windows > 0 ? self[keyPath: term] / Double(windows) : .nan
    }

    /// Mean KL per latent dimension over all positions seen (empty when none were collected).
    var meanKLPerDimension: [Double] {
        positions > 0 ? klPerDimension.map { $0 / Double(positions) } : []
    }
}

/// The state_dict of a model as plain arrays, and back.
enum WeightSnapshots {
    static func capture(_ model: any Layer) -> [NamedArray] {
        model.stateDict().map { NamedArray(key: $0.key, shape: $0.value.shape, values: $0.value.scalars) }
    }

    /// Loads `weights` strictly (every key, same shapes); nothing is assigned when they do not fit.
    static func load(_ weights: [NamedArray], into model: any Layer) throws {
        let dictionary = try tensors(weights)
        do {
            try model.loadStateDict(dictionary, strict: true)
        } catch {
            throw TrainingError.stateMismatch("\(error)")
        }
    }

    /// `weights` as a state_dict keyed by name (a later duplicate key wins).
    /// - Throws: a tensor error when an array's values do not fill its shape.
    static func tensors(_ weights: [NamedArray]) throws -> [String: Tensor] {
        var dictionary: [String: Tensor] = [:]
        for named in weights {
            dictionary[named.key] = try Tensor(shape: named.shape, scalars: named.values)
        }
        return dictionary
    }
}

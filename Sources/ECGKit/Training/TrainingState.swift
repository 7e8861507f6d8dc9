// What a training run leaves behind: per-epoch history, the resumable state (weights, Adam,
// scheduler, epoch counter), the progress reports and the result of `fit`.

/// One epoch's statistics (models.md "Report per epoch").
public struct TrainingEpoch: Codable, Sendable, Equatable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Mean over training windows of the loss (NLL + beta KL; CAE: MSE), and its terms.
    public var trainingLoss: Double
    public var trainingReconstruction: Double
    public var trainingKL: Double
    /// The same on the validation windows (eval mode, no grad); equal to training values without validation.
    public var validationLoss: Double
    public var validationReconstruction: Double
    public var validationKL: Double
    /// `validationKL / validationReconstruction` (the reference prints it; 0 for the CAE).
    public var klToReconstructionRatio: Double
    /// Latent dimensions whose KL, averaged over every validation window and time step, is below 1e-3
    /// (posterior collapse; reference `low_kl_dims`). 0 for the CAE.
    public var collapsedDimensions: Int
    /// Learning rate used in this epoch, and after the plateau scheduler's step.
    public var learningRate: Double
    public var nextLearningRate: Double
    /// KL weight of this epoch.
    public var beta: Double
    /// Mean total gradient norm before clipping over the epoch's batches.
    public var gradientNorm: Double
    /// Wall-clock seconds of the epoch (training and validation).
    public var seconds: Double
    /// Whether this epoch set a new best validation loss.
    public var isBest: Bool
}

/// The per-epoch history of a run, epoch 1 first.
public typealias TrainingHistory = [TrainingEpoch]

/// A named float array: a parameter (state_dict key) or an optimizer moment.
public struct NamedArray: Codable, Sendable, Equatable {
    /// The state_dict key (`enc_lstm1.weight_ih_l0`).
    public var key: String
    /// The tensor's shape.
    public var shape: [Int]
    /// Its elements in C order.
    public var values: [Float]

    /// Creates the value from its parts.
    public init(key: String, shape: [Int], values: [Float]) {
        self.key = key
        self.shape = shape
        self.values = values
    }
}

/// Adam's per-parameter state (`step`, `exp_avg`, `exp_avg_sq`), keyed by state_dict key.
public struct AdamSnapshot: Codable, Sendable, Equatable {
    /// Parameter keys in the optimizer's order; a parameter never updated has step 0 and empty moments.
    public var keys: [String]
    /// Updates applied to each parameter (`step`).
    public var steps: [Int]
    /// `exp_avg` per parameter, C order.
    public var firstMoments: [[Float]]
    /// `exp_avg_sq` per parameter, C order.
    public var secondMoments: [[Float]]
}

/// ReduceLROnPlateau's state (`best` nil before the first step, i.e. +inf).
public struct PlateauSnapshot: Codable, Sendable, Equatable {
    /// Best validation loss seen by the scheduler.
    public var best: Double?
    /// `num_bad_epochs`, `cooldown_counter`, `last_epoch`.
    public var badEpochs: Int
    public var cooldownCounter: Int
    public var lastEpoch: Int
}

/// Everything needed to continue a run where it stopped, as plain arrays (Codable, so a workspace can
/// save it). Always describes an epoch boundary: an interrupted epoch is rolled back, so a resumed run
/// equals an uninterrupted one bit for bit.
public struct TrainingState: Codable, Sendable, Equatable {
    /// Completed epochs.
    public var epoch: Int
    /// One entry per completed epoch.
    public var history: TrainingHistory
    /// The learning rate the next epoch uses.
    public var learningRate: Double
    /// Adam's state after the last completed epoch (nil before the first).
    public var optimizer: AdamSnapshot?
    /// ReduceLROnPlateau's state after the last completed epoch.
    public var scheduler: PlateauSnapshot
    /// The weights after the last completed epoch (where training continues from).
    public var currentWeights: [NamedArray]
    /// The weights of the best epoch (lowest validation loss), restored into the model after `fit`.
    public var bestWeights: [NamedArray]
    /// The best epoch and its validation loss (nil before the first epoch): what an interrupted run
    /// reports ("kept the best weights (epoch 3, val 790.1)").
    public var bestEpoch: Int?
    public var bestValidationLoss: Double?
    /// Epochs since the best one (early stopping's counter).
    public var epochsWithoutImprovement: Int

    /// The state before any training.
    public init() {
        epoch = 0
        history = []
        learningRate = 0
        optimizer = nil
        scheduler = PlateauSnapshot(best: nil, badEpochs: 0, cooldownCounter: 0, lastEpoch: 0)
        currentWeights = []
        bestWeights = []
        bestEpoch = nil
        bestValidationLoss = nil
        epochsWithoutImprovement = 0
    }
}

/// How a `fit` call ended.
public enum TrainingStatus: String, Codable, Sendable, Equatable {
    /// All requested epochs ran.
    case completed
    /// Early stopping fired (no new best for `earlyStoppingPatience` epochs).
    case stoppedEarly
    /// `checkCancellation` threw; the epoch in progress was discarded and the best weights kept.
    case interrupted
}

/// What `fit` returns: how it ended and the state to resume from. The model holds the best weights.
public struct TrainingResult: Sendable {
    /// How the call ended.
    public var status: TrainingStatus
    /// The state to save or to pass to a later `fit(..., resuming:)`.
    public var state: TrainingState
    /// The error `checkCancellation` threw, when interrupted.
    public var interruption: (any Error)?

    /// The history of every epoch so far (also of earlier, resumed runs).
    public var history: TrainingHistory { state.history }
}

/// Progress reported while training.
public enum TrainingProgress: Sendable {
    /// After each optimizer step: epoch (1-based), batch (1-based) of `batchCount`, the batch's loss.
    case batch(epoch: Int, batch: Int, batchCount: Int, loss: Double)
    /// After each epoch's validation, with its statistics.
    case epoch(TrainingEpoch, totalEpochs: Int)
}

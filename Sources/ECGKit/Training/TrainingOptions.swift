// Settings of a training run (models.md "Training": reference defaults) and the training errors.
import Optim

/// How `Trainer.fit` trains. Defaults are the reference training's (models.md "Training"):
/// Adam lr 5e-4, batch 64, gradient-norm clipping at 1.0, ReduceLROnPlateau(factor 0.5, patience 5)
/// on the validation loss, cyclical beta annealing (period 10, ramp 0.5, maximum 0.3), 100 epochs.
public struct TrainingOptions: Sendable {
    /// Total epochs of the run. A resumed fit trains epochs `state.epoch + 1 ... epochs`.
    public var epochs: Int
    /// Windows per optimizer step (the last batch of an epoch may be smaller).
    public var batchSize: Int
    /// Adam's initial learning rate (thesis tables: CAE 1e-3, VAE-BiLSTM 5e-3, VAE-MHA 1e-4).
    public var learningRate: Double
    /// Maximum total gradient L2 norm (`clip_grad_norm_`), nil for no clipping.
    public var gradientClip: Double?
    /// ReduceLROnPlateau's factor and patience (on the validation loss).
    public var plateauFactor: Double
    public var plateauPatience: Int
    /// KL weight per epoch (VAEs; ignored by the CAE). Thesis variants: `.linearWarmup()` (VAE-BiLSTM),
    /// `.delayedRamp()` (VAE-MHA), `.constant(b)`.
    public var betaSchedule: BetaSchedule
    /// Training windows used, drawn once at random (seeded) from the training windows, as the reference's
    /// `random.sample(train_idx, 20000)`; nil uses all.
    public var trainingWindows: Int?
    /// Validation windows used, drawn once (reference 2000); nil uses all.
    public var validationWindows: Int?
    /// Draw a fresh training subset every epoch instead of once (covers more data per run on a CPU).
    public var resampleEachEpoch: Bool
    /// Stop after this many epochs without a new best validation loss; nil never stops early.
    public var earlyStoppingPatience: Int?
    /// Seeds the window subsets, the shuffles (`RandomStream(seed:, stream: "shuffle-<epoch>")`), the
    /// latent noise and the model's dropout / input-noise generators (reseeded each epoch).
    public var seed: UInt64
    /// Window length and strides used when training from a `Dataset` (reference: 500, stride 125 for
    /// both parts).
    public var windowLength: Int
    public var trainingStride: Int
    public var validationStride: Int

    /// The reference settings (see the type's documentation), with the given overrides.
    public init(epochs: Int = 100, batchSize: Int = 64, learningRate: Double = 5e-4, gradientClip: Double? = 1.0,
                plateauFactor: Double = 0.5, plateauPatience: Int = 5,
                betaSchedule: BetaSchedule = .cyclical(period: 10, rampRatio: 0.5, maximum: 0.3),
                trainingWindows: Int? = nil, validationWindows: Int? = nil, resampleEachEpoch: Bool = false,
                earlyStoppingPatience: Int? = nil, seed: UInt64 = 0,
                windowLength: Int = 500, trainingStride: Int = 125, validationStride: Int = 125) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.gradientClip = gradientClip
        self.plateauFactor = plateauFactor
        self.plateauPatience = plateauPatience
        self.betaSchedule = betaSchedule
        self.trainingWindows = trainingWindows
        self.validationWindows = validationWindows
        self.resampleEachEpoch = resampleEachEpoch
        self.earlyStoppingPatience = earlyStoppingPatience
        self.seed = seed
        self.windowLength = windowLength
        self.trainingStride = trainingStride
        self.validationStride = validationStride
    }

    /// Throws `TrainingError.invalidOption` for non-positive sizes or rates.
    func validate() throws {
        guard epochs >= 0 else { throw TrainingError.invalidOption("epochs must be >= 0, got \(epochs)") }
        guard batchSize > 0 else { throw TrainingError.invalidOption("batchSize must be positive, got \(batchSize)") }
        guard learningRate > 0 else { throw TrainingError.invalidOption("learningRate must be positive, got \(learningRate)") }
        if let clip = gradientClip, !(clip > 0) {
            throw TrainingError.invalidOption("gradientClip must be positive, got \(clip)")
        }
        if let count = trainingWindows, count <= 0 {
            throw TrainingError.invalidOption("trainingWindows must be positive, got \(count)")
        }
        if let count = validationWindows, count <= 0 {
            throw TrainingError.invalidOption("validationWindows must be positive, got \(count)")
        }
        if let patience = earlyStoppingPatience, patience <= 0 {
            throw TrainingError.invalidOption("earlyStoppingPatience must be positive, got \(patience)")
        }
    }
}

/// Why training or scoring could not run.
public enum TrainingError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A model class the trainer does not know (its signature).
    case unsupportedModel(String)
    /// An option out of range.
    case invalidOption(String)
    /// Windows that do not fit the model: what was expected and what was given.
    case incompatibleWindows(String)
    /// A `TrainingState` that does not belong to the model (keys or shapes differ).
    case stateMismatch(String)
    /// A loss that became NaN or infinite, with the epoch and batch.
    case nonFiniteLoss(epoch: Int, batch: Int)

    public var description: String {
        switch self {
        case .unsupportedModel(let signature): return "training: unsupported model \(signature)"
        case .invalidOption(let message): return "training: \(message)"
        case .incompatibleWindows(let message): return "training: \(message)"
        case .stateMismatch(let message): return "training: the saved state does not fit the model: \(message)"
        case .nonFiniteLoss(let epoch, let batch): return "training: the loss is not finite at epoch \(epoch), batch \(batch)"
        }
    }
}

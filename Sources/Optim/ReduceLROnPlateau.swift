// ReduceLROnPlateau with torch.optim.lr_scheduler.ReduceLROnPlateau's exact semantics and exposed state.
import NN

/// Lowers the optimizer's learning rate by `factor` when a metric stops improving
/// (`torch.optim.lr_scheduler.ReduceLROnPlateau`). After each epoch call `step(metric:)`:
///
/// - better: `mode min`: `a < best (1 - threshold)` (`rel`) or `a < best - threshold` (`abs`);
///   `mode max`: `a > best (1 + threshold)` or `a > best + threshold`. A better value resets
///   the bad-epoch count, otherwise it increments.
/// - during cooldown the counter decrements and bad epochs are ignored;
/// - when bad epochs exceed `patience`: `lr = max(lr * factor, minLearningRate)`, applied only if
///   the change exceeds `epsilon`; cooldown restarts and the bad-epoch count resets.
public final class ReduceLROnPlateau {
    /// Whether a lower or higher metric is better.
    public enum Mode: String, Sendable { case min, max }
    /// Relative (`rel`) or absolute (`abs`) improvement threshold.
    public enum ThresholdMode: String, Sendable { case relative = "rel", absolute = "abs" }

    /// The optimizer whose learning rate is adjusted.
    public let optimizer: any Optimizer
    /// Whether lower or higher metrics are better.
    public let mode: Mode
    /// Multiplier applied to the learning rate on a plateau.
    public let factor: Double
    /// Bad epochs tolerated before reducing.
    public let patience: Int
    /// Minimum improvement that counts.
    public let threshold: Double
    /// Relative or absolute threshold.
    public let thresholdMode: ThresholdMode
    /// Epochs to wait after a reduction before counting bad epochs again.
    public let cooldown: Int
    /// Lower bound of the learning rate.
    public let minLearningRate: Double
    /// Added to the denominator for numerical stability.
    public let epsilon: Double

    /// Best metric so far (`+inf` for min mode, `-inf` for max mode before the first step).
    public var best: Double
    /// Consecutive epochs without improvement (`num_bad_epochs`).
    public var badEpochs = 0
    /// Epochs of cooldown left (`cooldown_counter`).
    public var cooldownCounter = 0
    /// Number of `step` calls so far (`last_epoch`).
    public var lastEpoch = 0

    /// torch defaults: `mode 'min', factor 0.1, patience 10, threshold 1e-4 'rel', cooldown 0,
    /// min_lr 0, eps 1e-8`. The reference training uses `factor 0.5, patience 5`.
    public init(optimizer: any Optimizer, mode: Mode = .min, factor: Double = 0.1, patience: Int = 10,
                threshold: Double = 1e-4, thresholdMode: ThresholdMode = .relative, cooldown: Int = 0,
                minLearningRate: Double = 0, epsilon: Double = 1e-8) throws {
        guard factor < 1, factor >= 0, patience >= 0, cooldown >= 0 else {
            throw OptimError.invalidArgument(optimizer: "ReduceLROnPlateau",
                                             message: "need 0 <= factor < 1, patience >= 0, cooldown >= 0; got factor \(factor), patience \(patience), cooldown \(cooldown)")
        }
        self.optimizer = optimizer
        self.mode = mode
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.thresholdMode = thresholdMode
        self.cooldown = cooldown
        self.minLearningRate = minLearningRate
        self.epsilon = epsilon
        best = mode == .min ? .infinity : -.infinity
    }

    /// Whether `value` improves on `best` by more than the threshold.
    public func isBetter(_ value: Double, than best: Double) -> Bool {
        switch (mode, thresholdMode) {
        case (.min, .relative): return value < best * (1 - threshold)
        case (.min, .absolute): return value < best - threshold
        case (.max, .relative): return value > best * (threshold + 1)
        case (.max, .absolute): return value > best + threshold
        }
    }

    /// Records one epoch's metric and lowers the learning rate if it has plateaued.
    /// Returns the learning rate after the step.
    @discardableResult
    public func step(metric: Double) -> Double {
        lastEpoch += 1
        if isBetter(metric, than: best) {
            best = metric
            badEpochs = 0
        } else {
            badEpochs += 1
        }
        if cooldownCounter > 0 {
            cooldownCounter -= 1
            badEpochs = 0
        }
        if badEpochs > patience {
            let old = optimizer.learningRate
            let new = Swift.max(old * factor, minLearningRate)
            if old - new > epsilon { optimizer.learningRate = new }
            cooldownCounter = cooldown
            badEpochs = 0
        }
        return optimizer.learningRate
    }
}

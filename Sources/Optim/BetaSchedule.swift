// KL-weight (beta) schedules of the reference trainings (models.md), as a function of the epoch.
import Foundation

/// The weight of the KL term per epoch. Epochs count from 1 (the reference training loop's
/// `range(1, num_epochs + 1)`), except `.maVAE`, which takes the epoch as its caller passes it
/// (the MA-VAE code's `BetaScheduler.__call__(epoch)`).
public enum BetaSchedule: Sendable, Equatable {
    /// The same beta every epoch.
    case constant(Double)
    /// The reference training's cyclical annealing (`cyclical_annealing_beta`): with
    /// `c = (epoch - 1) mod period` and `r = max(1, floor(period * rampRatio))`,
    /// beta = `maximum (c + 1) / r` while `c < r`, then `maximum`. Defaults: period 10,
    /// ramp ratio 0.5, maximum 0.3 (so epochs 1..5 give 0.06, 0.12, ..., 0.3, then 0.3 to epoch 10).
    case cyclical(period: Int = 10, rampRatio: Double = 0.5, maximum: Double = 0.3)
    /// The thesis' VAE-BiLSTM warm-up: beta = `final * epoch / epochs` for epoch <= epochs, then
    /// `final` (thesis: epochs 10, final 1.0: `t/10`, then 1).
    case linearWarmup(epochs: Int = 10, final: Double = 1.0)
    /// The thesis' VAE-MHA schedule: `start` through epoch `firstEpoch - 1`, then a linear ramp
    /// reaching `end` at `lastEpoch`, then `end`:
    /// beta = `start + (end - start) (epoch - firstEpoch + 1) / (lastEpoch - firstEpoch + 1)`
    /// (defaults 1e-8 to 1e-2 over epochs 11-100).
    case delayedRamp(start: Double = 1e-8, end: Double = 1e-2, firstEpoch: Int = 11, lastEpoch: Int = 100)
    /// The MA-VAE code's `BetaScheduler(total, grace, start, end, mode)`.
    case maVAE(total: Int, grace: Int, start: Double = 1e-8, end: Double = 1e-2, mode: MAVAEMode = .cyclical)

    /// The MA-VAE scheduler's modes: for `epoch < grace` (or always, for `normal`) the beta is
    /// `start + (end - start) epoch / grace`; otherwise with `betas = linspace(start, end, total)`,
    /// `monotonic` gives `betas[min(epoch, total - 1)]` and `cyclical` `betas[(epoch - grace) mod total]`.
    public enum MAVAEMode: String, Sendable, Equatable { case normal, monotonic, cyclical }

    /// Beta for `epoch`.
    public func beta(epoch: Int) -> Double {
        switch self {
        case let .constant(value):
            return value
        case let .cyclical(period, rampRatio, maximum):
            let cycleEpoch = (((epoch - 1) % period) + period) % period
            let rampEpochs = Swift.max(1, Int(Double(period) * rampRatio))
            return cycleEpoch < rampEpochs ? maximum * Double(cycleEpoch + 1) / Double(rampEpochs) : maximum
        case let .linearWarmup(epochs, final):
            return epoch <= epochs ? final * Double(epoch) / Double(epochs) : final
        case let .delayedRamp(start, end, firstEpoch, lastEpoch):
            if epoch < firstEpoch { return start }
            if epoch >= lastEpoch { return end }
            return start + (end - start) * Double(epoch - firstEpoch + 1) / Double(lastEpoch - firstEpoch + 1)
        case let .maVAE(total, grace, start, end, mode):
            if epoch < grace || mode == .normal {
                return start + (end - start) * (Double(epoch) / Double(grace))
            }
            let index = mode == .monotonic ? Swift.min(epoch, total - 1) : (epoch - grace) % total
            return BetaSchedule.linspace(start, end, count: total, index: index)
        }
    }

    /// Element `index` of `numpy.linspace(start, end, count)`: `start + index * step`, the last
    /// element exactly `end`.
    static func linspace(_ start: Double, _ end: Double, count: Int, index: Int) -> Double {
        guard count > 1 else { return start }
        if index == count - 1 { return end }
        let step = (end - start) / Double(count - 1)
        return Double(index) * step + start
    }
}

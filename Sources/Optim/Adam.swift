// Adam with torch.optim.Adam's defaults and its single-tensor (non-fused, CPU) update rule.
import Foundation
import NN
import TensorCore

/// Adam (Kingma and Ba, 2015) exactly as `torch.optim.Adam` updates a CPU float32 tensor
/// (single-tensor path, amsgrad off): with `g` the gradient (plus `weightDecay * p`, L2 added to
/// the gradient), per step `t`:
///
///     m = m + (1 - beta1) (g - m)                        // exp_avg.lerp_(g, 1 - beta1)
///     v = beta2 v + (1 - beta2) g^2                      // exp_avg_sq
///     p = p - (lr / (1 - beta1^t)) m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
///
/// Bias corrections and the step size are computed in Double, the element-wise update in Float,
/// in torch's order. Parameters without a gradient are skipped (their state does not advance).
public final class Adam: Optimizer {
    /// Own parameters in state_dict order.
    public let parameters: [Parameter]
    /// Learning rate (schedulers change it).
    public var learningRate: Double
    /// Decay rates of the first and second moment estimates.
    public var betas: (first: Double, second: Double)
    /// Added to the denominator for numerical stability.
    public var epsilon: Double
    /// L2 penalty added to the gradient.
    public var weightDecay: Double
    /// Per-parameter state, index-aligned with `parameters`; nil until the parameter's first update.
    /// Save and restore it to resume training (`optimizer.state_dict()['state']`).
    public var states: [ParameterState?]

    /// One parameter's Adam state (`step`, `exp_avg`, `exp_avg_sq` in torch).
    public struct ParameterState: Sendable {
        /// Number of updates applied.
        public var step: Int
        /// `exp_avg`: first moment estimate.
        public var exponentialAverage: Tensor
        /// `exp_avg_sq`: second moment estimate.
        public var exponentialAverageSquared: Tensor

        /// Creates the value (defaults as in the type's documentation).
        public init(step: Int, exponentialAverage: Tensor, exponentialAverageSquared: Tensor) {
            self.step = step
            self.exponentialAverage = exponentialAverage
            self.exponentialAverageSquared = exponentialAverageSquared
        }
    }

    /// torch defaults: `lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0`.
    public init(parameters: [Parameter], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                epsilon: Double = 1e-8, weightDecay: Double = 0) throws {
        guard learningRate >= 0, epsilon >= 0, weightDecay >= 0,
              (0..<1).contains(betas.0), (0..<1).contains(betas.1) else {
            throw OptimError.invalidArgument(
                optimizer: "Adam", message: "need lr >= 0, eps >= 0, weight_decay >= 0 and betas in [0, 1), got "
                    + "lr \(learningRate), betas (\(betas.0), \(betas.1)), eps \(epsilon), weight_decay \(weightDecay)")
        }
        self.parameters = parameters
        self.learningRate = learningRate
        self.betas = (betas.0, betas.1)
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        states = Array(repeating: nil, count: parameters.count)
    }

    /// One Adam update of every parameter that has a gradient.
    public func step() throws {
        for (index, parameter) in parameters.enumerated() {
            guard let gradient = parameter.grad else { continue }
            var state = states[index] ?? ParameterState(step: 0, exponentialAverage: Tensor.zeros(parameter.shape),
                                                        exponentialAverageSquared: Tensor.zeros(parameter.shape))
            guard state.exponentialAverage.shape == parameter.shape,
                  state.exponentialAverageSquared.shape == parameter.shape else {
                throw OptimError.stateMismatch(optimizer: "Adam", message: "state of parameter \(index) ('\(parameter.name)') "
                    + "has shape \(state.exponentialAverage.shape), parameter has \(parameter.shape)")
            }
            state.step += 1
            update(parameter, gradient: gradient, state: &state)
            states[index] = state
        }
    }

    private func update(_ parameter: Parameter, gradient: Tensor, state: inout ParameterState) {
        let step = Double(state.step)
        let biasCorrection1 = 1 - pow(betas.first, step)
        let biasCorrection2 = 1 - pow(betas.second, step)
        let stepSize = Float(learningRate / biasCorrection1)
        let biasCorrection2Root = Float(biasCorrection2.squareRoot())
        let averageWeight = Float(1 - betas.first)
        let beta2 = Float(betas.second), squareWeight = Float(1 - betas.second)
        let eps = Float(epsilon), decay = Float(weightDecay)
        gradient.withUnsafeBufferPointer { g in
            state.exponentialAverage.withUnsafeMutableBufferPointer { m in
                state.exponentialAverageSquared.withUnsafeMutableBufferPointer { v in
                    parameter.update { p in
                        for i in 0..<p.count {
                            let grad = decay == 0 ? g[i] : g[i] + decay * p[i]
                            // torch's lerp: self + w (end - self) for w < 0.5, else end - (end - self)(1 - w).
                            m[i] = averageWeight < 0.5 ? m[i] + averageWeight * (grad - m[i])
                                                       : grad - (grad - m[i]) * (1 - averageWeight)
                            v[i] = v[i] * beta2 + squareWeight * grad * grad
                            let denominator = v[i].squareRoot() / biasCorrection2Root + eps
                            p[i] = p[i] + (-stepSize) * m[i] / denominator
                        }
                    }
                }
            }
        }
    }
}

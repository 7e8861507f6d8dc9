// Parameter-free and tiny activation layers: ReLU and PReLU (torch.nn semantics).
import TensorCore

/// `x -> max(x, 0)` element-wise, any shape (`torch.nn.ReLU`).
public final class ReLU: UnaryLayer {
    /// Training mode; change it with `train()` / `eval()`.
    public var isTraining = true
    /// Creates the value (defaults as in the type's documentation).
    public init() {}
    /// The constructor as text.
    public var signature: String { "ReLU()" }
    /// Applies the layer (shape contract in the type's documentation).
    public func forward(_ input: Tensor) throws -> Tensor { input.relu() }
}

/// `x -> x if x >= 0 else a x` (`torch.nn.PReLU`): one slope (`numParameters: 1`) or one per
/// channel (axis 1; axis 0 for 1-d input). Parameter `weight [numParameters]`, initialised to 0.25.
public final class PReLU: UnaryLayer {
    /// Number of slopes: 1 (shared) or C (per channel).
    public let numParameters: Int
    /// The `weight` parameter (layout in the type's documentation).
    public let weight: Parameter
    /// Training mode; change it with `train()` / `eval()`.
    public var isTraining = true

    /// Creates the value (defaults as in the type's documentation).
    public init(numParameters: Int = 1, initialValue: Float = 0.25) {
        self.numParameters = numParameters
        weight = Parameter(Tensor(repeating: initialValue, shape: [numParameters]), name: "weight")
    }

    /// Own parameters in state_dict order.
    public var parameters: [Parameter] { [weight] }
    /// The constructor as text.
    public var signature: String { "PReLU(numParameters: \(numParameters))" }

    /// Any shape whose channel axis (1, or 0 for 1-d) has `numParameters` entries when that is > 1.
    public func forward(_ input: Tensor) throws -> Tensor {
        if numParameters > 1 {
            let channelAxis = input.rank == 1 ? 0 : 1
            guard input.rank >= 1, input.shape[channelAxis] == numParameters else {
                throw NNError.invalidInput(layer: signature,
                                           message: "expected \(numParameters) channels on axis \(channelAxis), got shape \(describe(input.shape))")
            }
        }
        return try input.prelu(weight: weight.value)
    }
}

// Parameter-free and tiny activation layers: ReLU and PReLU (torch.nn semantics).
import TensorCore

/// `x -> max(x, 0)` element-wise, any shape (`torch.nn.ReLU`).
public final class ReLU: UnaryLayer {
    public var isTraining = true
    public init() {}
    public var signature: String { "ReLU()" }
    public func forward(_ input: Tensor) throws -> Tensor { input.relu() }
}

/// `x -> x if x >= 0 else a x` (`torch.nn.PReLU`): one slope (`numParameters: 1`) or one per
/// channel (axis 1; axis 0 for 1-d input). Parameter `weight [numParameters]`, initialised to 0.25.
public final class PReLU: UnaryLayer {
    public let numParameters: Int
    public let weight: Parameter
    public var isTraining = true

    public init(numParameters: Int = 1, initialValue: Float = 0.25) {
        self.numParameters = numParameters
        weight = Parameter(Tensor(repeating: initialValue, shape: [numParameters]), name: "weight")
    }

    public var parameters: [Parameter] { [weight] }
    public var signature: String { "PReLU(numParameters: \(numParameters))" }

    /// Any shape whose channel axis (1, or 0 for 1-d) has `numParameters` entries when that is > 1.
    public func forward(_ input: Tensor) throws -> Tensor {
        if numParameters > 1 {
            let channelAxis = input.rank == 1 ? 0 : 1
            guard input.rank >= 1, input.shape[channelAxis] == numParameters else {
                throw NNError.invalidInput(layer: signature,
                                           message: "expected \(numParameters) channels on axis \(channelAxis), got shape \(formatShape(input.shape))")
            }
        }
        return try input.prelu(weight: weight.value)
    }
}

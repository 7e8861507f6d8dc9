// Linear: y = x W^T + b (torch.nn.Linear), weights [out, in], PyTorch default initialisation.
import TensorCore

/// `x: [..., in] -> [..., out]`, `y = x W^T + b` (`torch.nn.Linear`).
///
/// Parameters `weight [out, in]` (kaiming_uniform, a = sqrt(5): `U(-1/sqrt(in), 1/sqrt(in))`) and
/// `bias [out]` (`U(-1/sqrt(in), 1/sqrt(in))`), under the keys `weight` and `bias`.
public final class Linear: UnaryLayer {
    /// Input features `I`.
    public let inputSize: Int
    /// Output features.
    public let outputSize: Int
    /// The `weight` parameter (layout in the type's documentation).
    public let weight: Parameter
    /// The `bias` parameter, nil without bias.
    public let bias: Parameter?
    /// Training mode; change it with `train()` / `eval()`.
    public var isTraining = true

    /// A layer with torch's default initial values drawn from `generator`.
    public init(inputSize: Int, outputSize: Int, bias: Bool = true, using generator: inout RandomStream) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        weight = Parameter(Initialization.kaimingUniform([outputSize, inputSize], fanIn: inputSize, using: &generator),
                           name: "weight")
        self.bias = bias
            ? Parameter(Initialization.uniform([outputSize], bound: Initialization.biasBound(fanIn: inputSize),
                                               using: &generator), name: "bias")
            : nil
    }

    /// Own parameters in state_dict order.
    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }
    /// The constructor as text.
    public var signature: String { "Linear(in: \(inputSize), out: \(outputSize)\(bias == nil ? ", bias: false" : ""))" }

    /// `x: [..., in] -> [..., out]`; throws `NNError.shapeMismatch` when the last axis is not `in`.
    public func forward(_ input: Tensor) throws -> Tensor {
        guard let last = input.shape.last, last == inputSize else {
            throw NNError.shapeMismatch(layer: signature, expected: [-1, inputSize], actual: input.shape)
        }
        return try Tensor.linear(input, weight: weight.value, bias: bias?.value)
    }
}

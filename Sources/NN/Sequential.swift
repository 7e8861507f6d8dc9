// Sequential: a chain of unary layers named "0", "1", ... like torch.nn.Sequential.
import TensorCore

/// Applies its layers in order (`torch.nn.Sequential`). Children are named by index, so the
/// state_dict keys are `0.weight`, `3.bias`, ... (parameter-free layers keep their index).
public final class Sequential: UnaryLayer {
    public let layers: [any UnaryLayer]
    public var isTraining = true

    public init(_ layers: [any UnaryLayer]) { self.layers = layers }

    public var children: [(name: String, layer: any Layer)] {
        layers.enumerated().map { (name: String($0.offset), layer: $0.element as any Layer) }
    }
    public var signature: String { "Sequential" }

    public func forward(_ input: Tensor) throws -> Tensor {
        try layers.reduce(input) { try $1.forward($0) }
    }
}

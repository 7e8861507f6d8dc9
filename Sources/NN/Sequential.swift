// Sequential: a chain of unary layers named "0", "1", ... like torch.nn.Sequential.
import TensorCore

/// Applies its layers in order (`torch.nn.Sequential`). Children are named by index, so the
/// state_dict keys are `0.weight`, `3.bias`, ... (parameter-free layers keep their index).
public final class Sequential: UnaryLayer {
    /// The layers, applied in order.
    public let layers: [any UnaryLayer]
    /// Training mode; change it with `train()` / `eval()`.
    public var isTraining = true

    /// Creates the value (defaults as in the type's documentation).
    public init(_ layers: [any UnaryLayer]) { self.layers = layers }

    /// Child layers in state_dict order.
    public var children: [(name: String, layer: any Layer)] {
        layers.enumerated().map { (name: String($0.offset), layer: $0.element as any Layer) }
    }
    /// The constructor as text.
    public var signature: String { "Sequential" }

    /// Applies the layer (shape contract in the type's documentation).
    public func forward(_ input: Tensor) throws -> Tensor {
        try layers.reduce(input) { try $1.forward($0) }
    }
}

// Parameter: a named, trainable tensor with reference semantics, shared by a layer and its optimizer.
import TensorCore

/// A trainable tensor that layers read on every forward and optimizers update in place.
///
/// A class, so the layer that owns it and the optimizer that updates it see the same value
/// (like `torch.nn.Parameter` inside a module). `value` is always an autodiff leaf
/// (`requiresGrad == true`); `backward()` accumulates into `grad`.
public final class Parameter: @unchecked Sendable {
    /// The local state_dict name inside its layer, e.g. `"weight"` or `"bias_hh_l0_reverse"`.
    public let name: String
    /// The current value (an autodiff leaf).
    public private(set) var value: Tensor

    /// Wraps `value` (detached from any graph) as a leaf that requires grad.
    public init(_ value: Tensor, name: String) {
        self.name = name
        var leaf = value.contiguous().detached()
        leaf.requiresGrad = true
        self.value = leaf
    }

    /// The parameter's shape.
    public var shape: [Int] { value.shape }
    /// Number of scalars.
    public var count: Int { value.count }
    /// The gradient accumulated by `backward()`, nil before the first backward or after `zeroGrad()`.
    public var grad: Tensor? { value.grad }

    /// Clears the accumulated gradient (`torch.optim.Optimizer.zero_grad(set_to_none=True)`).
    public func zeroGrad() { value.zeroGrad() }

    /// Replaces the value (e.g. when loading a state dict); the result is a fresh leaf with no grad.
    /// Throws `NNError.shapeMismatch` when `newValue`'s shape differs from the current one.
    public func assign(_ newValue: Tensor) throws {
        guard newValue.shape == value.shape else {
            throw NNError.shapeMismatch(layer: "Parameter '\(name)'", expected: value.shape, actual: newValue.shape)
        }
        var leaf = newValue.contiguous().detached()
        leaf.requiresGrad = true
        value = leaf
    }

    /// Updates the value in place (optimizer steps): `body` gets the dense C-order elements.
    /// The autodiff leaf and its accumulated `grad` are kept; graphs recorded before keep the
    /// old values (copy-on-write).
    public func update<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try value.withUnsafeMutableBufferPointer(body)
    }
}

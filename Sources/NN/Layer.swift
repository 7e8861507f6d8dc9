// The Layer protocol: parameters under PyTorch state_dict names, child layers, train/eval mode, description.
import TensorCore

/// A neural-network layer or model with named parameters, in the manner of `torch.nn.Module`.
///
/// A layer lists its own parameters (`parameters`, in PyTorch registration order) and its child
/// layers (`children`, under their attribute names, in registration order). From these the
/// extension composes `namedParameters` with dotted keys exactly as `state_dict()` orders them
/// (own parameters first, then each child's recursively: `to_stats.0.weight`,
/// `enc_lstm1.weight_ih_l0_reverse`). Layers are classes so that parameters and mode are shared.
public protocol Layer: AnyObject, CustomStringConvertible {
    /// This layer's own parameters, in PyTorch registration order (keys are `Parameter.name`).
    var parameters: [Parameter] { get }
    /// Child layers under their attribute names, in PyTorch registration order.
    var children: [(name: String, layer: any Layer)] { get }
    /// Training mode (dropout and noise active). Change it with `train()` / `eval()`, which
    /// propagate to the children.
    var isTraining: Bool { get set }
    /// The constructor as text, e.g. `Linear(in: 512, out: 256)`.
    var signature: String { get }
}

/// A layer with one input and one output, chainable in `Sequential`.
public protocol UnaryLayer: Layer {
    /// Applies the layer (shape contract in each layer's documentation).
    func forward(_ input: Tensor) throws -> Tensor
}

extension UnaryLayer {
    /// Same as `forward(_:)`.
    public func callAsFunction(_ input: Tensor) throws -> Tensor { try forward(input) }
}

extension Layer {
    /// Own parameters in state_dict order.
    public var parameters: [Parameter] { [] }
    /// Child layers in state_dict order.
    public var children: [(name: String, layer: any Layer)] { [] }

    /// Every parameter under its full state_dict key, in `state_dict()` order.
    public var namedParameters: [(key: String, parameter: Parameter)] {
        var result = parameters.map { (key: $0.name, parameter: $0) }
        for child in children {
            result += child.layer.namedParameters.map { (key: child.name + "." + $0.key, parameter: $0.parameter) }
        }
        return result
    }

    /// Every parameter, in `state_dict()` order (what an optimizer takes).
    public var allParameters: [Parameter] { namedParameters.map(\.parameter) }

    /// Total number of scalars in all parameters.
    public var parameterCount: Int { namedParameters.reduce(0) { $0 + $1.parameter.count } }

    /// Sets training mode on this layer and every descendant (`module.train(mode)`).
    public func train(_ training: Bool = true) {
        isTraining = training
        for child in children { child.layer.train(training) }
    }

    /// Evaluation mode on this layer and every descendant (`module.eval()`): dropout and noise off.
    public func eval() { train(false) }

    /// Clears every parameter's gradient.
    public func zeroGrad() {
        for parameter in allParameters { parameter.zeroGrad() }
    }

    /// `Linear(in: 512, out: 256) — 131,328 parameters`; containers list their children below,
    /// indented, one per line as `(name): description`.
    public var description: String { describeTree(indent: "") }

    func describeTree(indent: String) -> String {
        var text = "\(signature) — \(formatCount(parameterCount)) parameters"
        for child in children {
            text += "\n\(indent)  (\(child.name)): " + child.layer.describeTree(indent: indent + "  ")
        }
        return text
    }
}

/// `131328` -> `131,328`.
func formatCount(_ count: Int) -> String {
    let digits = String(count.magnitude)
    var groups: [Substring] = []
    var end = digits.endIndex
    while end > digits.startIndex {
        let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
        groups.insert(digits[start..<end], at: 0)
        end = start
    }
    return (count < 0 ? "-" : "") + groups.joined(separator: ",")
}

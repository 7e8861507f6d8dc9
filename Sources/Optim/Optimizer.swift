// The Optimizer protocol: what schedulers and training loops need from an optimizer.
import NN

/// An optimizer over a fixed list of parameters with one learning rate (one torch param group).
public protocol Optimizer: AnyObject {
    /// The parameters it updates, in order.
    var parameters: [Parameter] { get }
    /// The current learning rate (schedulers change it).
    var learningRate: Double { get set }
    /// Applies one update from the parameters' accumulated gradients.
    func step() throws
}

extension Optimizer {
    /// Clears every parameter's gradient (`optimizer.zero_grad()`, set_to_none).
    public func zeroGrad() {
        for parameter in parameters { parameter.zeroGrad() }
    }
}

/// An error from an optimizer or scheduler, naming it and what was wrong.
public enum OptimError: Error, CustomStringConvertible, Equatable, Sendable {
    case invalidArgument(optimizer: String, message: String)
    case stateMismatch(optimizer: String, message: String)

    /// A readable message.
    public var description: String {
        switch self {
        case let .invalidArgument(optimizer, message), let .stateMismatch(optimizer, message):
            return "\(optimizer): \(message)"
        }
    }
}

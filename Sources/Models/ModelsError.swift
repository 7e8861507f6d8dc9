// Errors of the Models target: bad configurations and inputs of the wrong shape.

/// A model could not be built or run; the message names the model and what was expected.
public enum ModelsError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The configuration is inconsistent (e.g. latent size not divisible by the head count).
    case invalidConfiguration(String)
    /// An input had the wrong shape: `model` names the call, `expected` uses -1 for "any".
    case shapeMismatch(model: String, expected: [Int], actual: [Int])

    public var description: String {
        switch self {
        case .invalidConfiguration(let message):
            return "invalid model configuration: \(message)"
        case .shapeMismatch(let model, let expected, let actual):
            func text(_ shape: [Int]) -> String { "[" + shape.map { $0 < 0 ? "*" : String($0) }.joined(separator: ", ") + "]" }
            return "\(model): expected input of shape \(text(expected)), got \(text(actual))"
        }
    }
}

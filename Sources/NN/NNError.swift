// Typed errors of the NN target: shape mismatches naming the layer, state-dict problems, bad arguments.
import TensorCore

/// An error from a layer, a loss or a state-dict operation.
public enum NNError: Error, CustomStringConvertible, Equatable, Sendable {
    /// An input or parameter of the wrong shape: names the layer, the expected and the actual shape.
    case shapeMismatch(layer: String, expected: [Int], actual: [Int])
    /// An input whose shape breaks a layer's contract in a way one shape cannot express.
    case invalidInput(layer: String, message: String)
    /// A constructor or call argument out of range.
    case invalidArgument(layer: String, message: String)
    /// `loadStateDict` found problems; every problem is listed.
    case stateDict(StateDictProblems)

    /// A readable message.
    public var description: String {
        switch self {
        case let .shapeMismatch(layer, expected, actual):
            return "\(layer): expected shape \(describe(expected)), got \(describe(actual))"
        case let .invalidInput(layer, message), let .invalidArgument(layer, message):
            return "\(layer): \(message)"
        case let .stateDict(problems):
            return problems.description
        }
    }
}

/// What `loadStateDict` found wrong: keys the layer needs but the dict lacks, keys the dict has but
/// the layer does not, and tensors of the wrong shape.
public struct StateDictProblems: Equatable, Sendable, CustomStringConvertible {
    /// Keys of the layer absent from the dict.
    public var missingKeys: [String]
    /// Keys of the dict that name no parameter of the layer.
    public var unexpectedKeys: [String]
    /// Keys present in both with different shapes: (key, expected = the layer's, actual = the dict's).
    public var shapeMismatches: [ShapeMismatch]

    /// One shape mismatch between the layer's parameter and the dict's tensor.
    public struct ShapeMismatch: Equatable, Sendable {
        /// The state_dict key.
        public var key: String
        /// The layer's shape.
        public var expected: [Int]
        /// The dict's shape.
        public var actual: [Int]

        /// Creates the value (defaults as in the type's documentation).
        public init(key: String, expected: [Int], actual: [Int]) {
            self.key = key
            self.expected = expected
            self.actual = actual
        }
    }

    /// Creates the value (defaults as in the type's documentation).
    public init(missingKeys: [String] = [], unexpectedKeys: [String] = [], shapeMismatches: [ShapeMismatch] = []) {
        self.missingKeys = missingKeys
        self.unexpectedKeys = unexpectedKeys
        self.shapeMismatches = shapeMismatches
    }

    /// True when nothing is wrong.
    public var isEmpty: Bool { missingKeys.isEmpty && unexpectedKeys.isEmpty && shapeMismatches.isEmpty }

    /// A readable message.
    public var description: String {
        var lines = ["error loading state dict:"]
        if !missingKeys.isEmpty { lines.append("  missing keys: " + missingKeys.joined(separator: ", ")) }
        if !unexpectedKeys.isEmpty { lines.append("  unexpected keys: " + unexpectedKeys.joined(separator: ", ")) }
        for mismatch in shapeMismatches {
            lines.append("  size mismatch for \(mismatch.key): expected \(describe(mismatch.expected)), "
                         + "got \(describe(mismatch.actual))")
        }
        return lines.joined(separator: "\n")
    }
}

// The errors the Evaluation target throws: bad shapes of inputs and fits that cannot be made.

/// A typed error for evaluation input that cannot be scored or fitted.
public enum EvaluationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// `scores` and `labels` have different lengths.
    case lengthMismatch(function: String, scores: Int, labels: Int)
    /// An empty input where at least `minimum` values are needed.
    case tooFewValues(function: String, count: Int, minimum: Int)
    /// A score that is NaN or infinite, at the given index.
    case nonFiniteScore(function: String, index: Int)
    /// A parameter outside its domain, e.g. a percentile of 120.
    case parameterOutOfRange(function: String, name: String, value: Double, expected: String)
    /// The labels hold only one class where both are needed.
    case singleClass(function: String, present: Bool)

    public var description: String {
        switch self {
        case let .lengthMismatch(function, scores, labels):
            return "\(function): \(scores) scores but \(labels) labels; expected equal lengths"
        case let .tooFewValues(function, count, minimum):
            return "\(function): got \(count) values, expected at least \(minimum)"
        case let .nonFiniteScore(function, index):
            return "\(function): score at index \(index) is not finite; expected finite numbers"
        case let .parameterOutOfRange(function, name, value, expected):
            return "\(function): \(name) = \(value) is out of range; expected \(expected)"
        case let .singleClass(function, present):
            return "\(function): labels hold only \(present ? "anomalous" : "normal") records; expected both classes"
        }
    }
}

/// Checks that scores are finite, non-empty and as long as labels (when given).
func validate(_ scores: [Double], labels: [Bool]? = nil, function: String, minimum: Int = 1) throws {
    if let labels, labels.count != scores.count {
        throw EvaluationError.lengthMismatch(function: function, scores: scores.count, labels: labels.count)
    }
    if scores.count < minimum {
        throw EvaluationError.tooFewValues(function: function, count: scores.count, minimum: minimum)
    }
    if let bad = scores.firstIndex(where: { !$0.isFinite }) {
        throw EvaluationError.nonFiniteScore(function: function, index: bad)
    }
}

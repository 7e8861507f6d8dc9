// The errors the Signal library throws: bad filter parameters and inputs too short to filter.

/// An invalid argument or input to a Signal function, with the function name and what was expected.
public struct SignalError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The function that refused the input, e.g. `"filtfilt"`.
    public var function: String
    /// What was wrong, phrased like SciPy's message where SciPy has one.
    public var message: String

    public init(_ function: String, _ message: String) {
        self.function = function
        self.message = message
    }

    public var description: String { "\(function): \(message)" }
}

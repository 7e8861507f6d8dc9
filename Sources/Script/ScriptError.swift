// ScriptError: the error commands and objects throw; the interpreter adds the place.

/// A runtime error with a message, optionally pinned to one argument of the failing call.
///
/// Commands throw it for bad input (`throw ScriptError("high cut 300 Hz is above Nyquist (250 Hz)",
/// argument: "high")`); the interpreter reports it as `file:line:col: error: bandpass: …`
/// with the caret under that argument. Any other error a handler throws is reported the
/// same way using its `description`, with the caret under the call.
public struct ScriptError: Error, CustomStringConvertible, Sendable {
    public var message: String
    /// The parameter name whose argument caused the error, if any.
    public var argument: String?
    /// An explicit place, for errors the interpreter raises itself.
    public var range: SourceRange?
    /// True when the message already names its command (argument-checker messages do).
    public var namesCommand: Bool

    public init(_ message: String, argument: String? = nil, range: SourceRange? = nil, namesCommand: Bool = false) {
        self.message = message
        self.argument = argument
        self.range = range
        self.namesCommand = namesCommand
    }

    public var description: String { message }

    /// "no field 'scor' in score; did you mean 'score'?"
    public static func noSuchField(_ name: String, typeName: String, available: [String]) -> ScriptError {
        var message = "no field '\(name)' in \(typeName)"
        if let suggestion = nearestName(to: name, in: available) {
            message += "; did you mean '\(suggestion)'?"
        } else if !available.isEmpty {
            message += " (fields: \(available.joined(separator: ", ")))"
        }
        return ScriptError(message)
    }
}

/// Thrown by `quit`/`exit`: ends the session or script with `status`.
public struct QuitRequest: Error, Sendable {
    /// The process exit status requested.
    public var status: Int32
    public init(status: Int32) { self.status = status }
}

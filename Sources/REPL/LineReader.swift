// LineReader: where the REPL gets its input lines (libedit on a terminal, plain reads otherwise).

/// What one read from the user gave.
public enum LineInput: Equatable, Sendable {
    /// A line, without its trailing newline.
    case line(String)
    /// Ctrl-C while reading: discard the pending input and prompt again.
    case interrupted
    /// Ctrl-D on an empty line, or the end of piped input.
    case endOfInput
}

/// A source of input lines for the REPL loop.
public protocol LineReader: AnyObject {
    /// Reads one line after showing `prompt` (readers without a terminal show nothing).
    func readLine(prompt: String) -> LineInput
    /// Records a complete, accepted entry (possibly several lines) in the history.
    func addHistory(_ entry: String)
    /// True when input comes from a person at a terminal (errors do not end the session).
    var isInteractive: Bool { get }
}

/// Reads lines from standard input with no prompt, editing or escape codes:
/// used when stdin or stdout is not a terminal (`ecgs < file`, pipes).
public final class PlainLineReader: LineReader {
    public init() {}

    public func readLine(prompt: String) -> LineInput {
        guard let line = Swift.readLine(strippingNewline: true) else { return .endOfInput }
        return .line(line.hasSuffix("\r") ? String(line.dropLast()) : line)
    }

    public func addHistory(_ entry: String) {}

    public var isInteractive: Bool { false }
}

/// Replays a fixed list of inputs, for tests of the REPL loop without a terminal.
public final class ScriptedLineReader: LineReader {
    private var inputs: [LineInput]
    /// The prompts shown, in order.
    public private(set) var prompts: [String] = []
    /// Entries passed to `addHistory`.
    public private(set) var history: [String] = []

    public init(_ inputs: [LineInput]) { self.inputs = inputs }

    public func readLine(prompt: String) -> LineInput {
        prompts.append(prompt)
        return inputs.isEmpty ? .endOfInput : inputs.removeFirst()
    }

    public func addHistory(_ entry: String) { history.append(entry) }

    public var isInteractive: Bool { true }
}

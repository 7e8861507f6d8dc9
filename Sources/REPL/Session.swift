// Session: accumulates typed lines until they parse, then runs them as one entry.
// The same Session serves the libedit REPL, piped stdin and tests.
import Script

/// What happened to a submitted line.
public enum SubmitResult {
    /// The entry ran (or was blank).
    case complete
    /// The entry is unfinished (open bracket or string, trailing operator): read another line.
    case needsMore
    /// Parse or runtime errors; the session state is as before the failing statement.
    case failed([Diagnostic])
    /// Ctrl-C stopped the entry at a safe point.
    case interrupted
    /// `quit`/`exit` was run with this status.
    case quit(Int32)
}

/// One interactive session: an interpreter plus the lines of an unfinished entry.
public final class Session {
    public let interpreter: Interpreter
    /// The name diagnostics use for typed input, e.g. `<stdin>`.
    public let sourceName: String
    private var pendingLines: [String] = []
    /// The input line number the next entry starts on.
    private var nextLineNumber = 1

    public init(interpreter: Interpreter, sourceName: String = "<stdin>") {
        self.interpreter = interpreter
        self.sourceName = sourceName
    }

    /// True while an entry is unfinished (the REPL shows the continuation prompt).
    public var isPending: Bool { !pendingLines.isEmpty }

    /// The unfinished entry's lines joined (what the history records once complete).
    public var pendingText: String { pendingLines.joined(separator: "\n") }

    /// Forgets an unfinished entry (Ctrl-C at the continuation prompt).
    public func cancelPending() {
        nextLineNumber += pendingLines.count
        pendingLines.removeAll()
    }

    /// Adds one line; runs the entry once it parses completely.
    public func submit(_ line: String) -> SubmitResult {
        pendingLines.append(line)
        let source = Source(name: sourceName, text: pendingText, firstLine: nextLineNumber)
        let parsed = interpreter.parse(source)
        if parsed.isIncomplete { return .needsMore }
        cancelPending()
        if !parsed.diagnostics.isEmpty { return .failed(parsed.diagnostics) }
        interpreter.interruption.clear()
        Interruption.setBusy(true)
        defer { Interruption.setBusy(false) }
        do {
            for statement in parsed.statements {
                try interpreter.execute(statement, in: source)
            }
            return .complete
        } catch let failure as ScriptFailure {
            return .failed(failure.diagnostics)
        } catch let request as QuitRequest {
            return .quit(request.status)
        } catch is Interrupted {
            return .interrupted
        } catch {
            return .failed([Diagnostic(.error, String(describing: error))])
        }
    }
}

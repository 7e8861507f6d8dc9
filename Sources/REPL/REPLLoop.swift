// The read-eval-print loop: prompts, continuation lines, Ctrl-C and exit statuses.
import Script

/// Runs a session over a line reader until end of input or `quit`.
public enum REPLLoop {
    /// The prompt for a new entry.
    public static let prompt = "ecgs> "
    /// The prompt for a continuation line of an unfinished entry.
    public static let continuationPrompt = "  ...> "

    /// Reads and runs entries; returns the process exit status.
    ///
    /// Interactive readers show errors and carry on; Ctrl-C clears the pending entry.
    /// Non-interactive input (pipes) behaves like a script: it stops at the first error
    /// with status 65, or 130 when interrupted.
    public static func run(session: Session, reader: any LineReader, errors: any Output) -> Int32 {
        while true {
            let input = reader.readLine(prompt: session.isPending ? continuationPrompt : prompt)
            switch input {
            case .endOfInput:
                if session.isPending {
                    // Report what is unfinished (e.g. an unclosed bracket) rather than dropping it.
                    let text = session.pendingText
                    session.cancelPending()
                    let parsed = session.interpreter.parse(Source(name: session.sourceName, text: text))
                    errors.writeLine(parsed.diagnostics.map { $0.render() }.joined(separator: "\n"))
                    return 65
                }
                return 0
            case .interrupted:
                session.cancelPending()
                session.interpreter.interruption.clear()
                continue
            case .line(let line):
                let entryBefore = session.isPending ? session.pendingText + "\n" + line : line
                let result = session.submit(line)
                if case .needsMore = result { continue }
                if reader.isInteractive, !entryBefore.allSatisfy(\.isWhitespace) {
                    reader.addHistory(entryBefore)
                }
                switch result {
                case .complete, .needsMore:
                    continue
                case .failed(let diagnostics):
                    errors.writeLine(diagnostics.map { $0.render() }.joined(separator: "\n"))
                    if !reader.isInteractive { return 65 }
                case .interrupted:
                    errors.writeLine("interrupted")
                    if !reader.isInteractive { return 130 }
                case .quit(let status):
                    return status
                }
            }
        }
    }
}

// Diagnostics: errors and notes as values with source ranges, and their one renderer.
// Lexer, parser, interpreter and argument checkers all produce these.

/// How serious a diagnostic is.
public enum Severity: String, Sendable {
    case error
    case warning
    case note
}

/// A message tied to a place in a `Source`.
///
/// Rendered as `file:line:col: error: message`, then the source line and a caret
/// under the range (see `render()`), like clang and sqlite3's `^--- error here`.
public struct Diagnostic: Error, CustomStringConvertible, Sendable {
    public var severity: Severity
    public var message: String
    /// The source the range refers to; nil for errors with no place (e.g. a missing file given on the command line).
    public var source: Source?
    public var range: SourceRange?
    /// Follow-up notes, e.g. where a sourced file was included from.
    public var notes: [Diagnostic]
    /// True when the error is "the input ended too early", which a REPL answers by asking for another line.
    public var isAtEndOfInput: Bool

    public init(_ severity: Severity = .error, _ message: String, source: Source? = nil,
                range: SourceRange? = nil, notes: [Diagnostic] = [], isAtEndOfInput: Bool = false) {
        self.severity = severity
        self.message = message
        self.source = source
        self.range = range
        self.notes = notes
        self.isAtEndOfInput = isAtEndOfInput
    }

    /// `file:line:col` of the start of the range, or nil without a place.
    public var location: String? {
        guard let source, let range else { return nil }
        let start = source.location(of: range.start)
        return "\(source.name):\(start.line):\(start.column)"
    }

    /// The diagnostic, its source line with a caret (and `~` under the rest of the range), then its notes.
    public func render() -> String {
        var lines: [String] = []
        let head = "\(severity.rawValue): \(message)"
        if let location { lines.append("\(location): \(head)") } else { lines.append(head) }
        if let source, let range {
            let lineText = source.lineText(containing: range.start)
            let start = source.location(of: range.start)
            let lineEnd = source.lineEnd(containing: range.start)
            let end = source.location(of: min(range.end, lineEnd))
            // Keep tabs so the caret lands under the right character on screen.
            var pad = ""
            for (position, character) in lineText.unicodeScalars.enumerated() where position < start.column - 1 {
                pad.append(character == "\t" ? "\t" : " ")
            }
            let width = max(1, end.column - start.column)
            lines.append(lineText)
            lines.append(pad + "^" + String(repeating: "~", count: width - 1))
        }
        var text = lines.joined(separator: "\n")
        for note in notes { text += "\n" + note.render() }
        return text
    }

    public var description: String { render() }
}

/// One or more diagnostics thrown together: the result of a failed parse or statement.
public struct ScriptFailure: Error, CustomStringConvertible, Sendable {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    /// All diagnostics rendered, separated by newlines.
    public var description: String { diagnostics.map { $0.render() }.joined(separator: "\n") }
}

// The tokens of the ecgs language.

/// What kind of token, with the payload of literals.
public enum TokenKind: Equatable, Sendable {
    case number(Double)
    case string(String)
    case identifier(String)
    /// `true`, `false`, `none`, `and`, `or`, `not`.
    case keyword(String)
    /// Punctuation and operators: `+ - * / % ^ ** == != < <= > >= = |> . , : ( ) [ ]`.
    case symbol(String)
    /// A newline or `;` ending a statement.
    case end
    /// A character the lexer rejected (it already reported it); the parser skips the statement quietly.
    case invalid
    case endOfInput
}

/// One token with its place in the source.
public struct Token: Sendable {
    public var kind: TokenKind
    public var range: SourceRange
    /// True when whitespace (or the start of the line) comes right before it:
    /// command form treats `show -x` and `show - x` differently.
    public var followsSpace: Bool

    public init(kind: TokenKind, range: SourceRange, followsSpace: Bool) {
        self.kind = kind
        self.range = range
        self.followsSpace = followsSpace
    }

    /// True for the symbol `text`.
    public func isSymbol(_ text: String) -> Bool { kind == .symbol(text) }

    /// True for the keyword `text`.
    public func isKeyword(_ text: String) -> Bool { kind == .keyword(text) }
}

/// The words the lexer reads as keywords rather than names.
public let scriptKeywords: Set<String> = ["true", "false", "none", "and", "or", "not"]

// The syntax tree: statements and expressions, each with its source range.
// Pipelines are desugared by the parser: `a |> f(b)` becomes the call `f(a, b)`.

/// Binary operators, from `+` to `and`.
public enum BinaryOperator: String, Sendable, CaseIterable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%", power = "^"
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case and, or
}

/// Prefix operators.
public enum UnaryOperator: String, Sendable {
    case negate = "-"
    case not
}

/// An expression node and where it came from.
public indirect enum ExpressionKind: Sendable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case none
    case name(String)
    case list([Expression])
    case unary(UnaryOperator, Expression)
    case binary(BinaryOperator, Expression, Expression)
    /// A call of a registered command; only names can be called.
    case call(name: String, nameRange: SourceRange, arguments: [Argument])
    case field(Expression, name: String, nameRange: SourceRange)
    case index(Expression, [SubscriptExpression])
}

/// An expression and the source range it covers (used to place carets).
public struct Expression: Sendable {
    public var kind: ExpressionKind
    public var range: SourceRange

    public init(_ kind: ExpressionKind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// One argument of a call: positional (`label == nil`) or named (`key=value`).
public struct Argument: Sendable {
    public var label: String?
    public var labelRange: SourceRange?
    public var value: Expression

    public init(label: String? = nil, labelRange: SourceRange? = nil, value: Expression) {
        self.label = label
        self.labelRange = labelRange
        self.value = value
    }

    /// The range of the whole argument, label included.
    public var range: SourceRange { labelRange.map { $0.union(value.range) } ?? value.range }
}

/// One position inside `[...]`: an index or a `start:stop:step` slice with optional parts.
public struct SubscriptExpression: Sendable {
    /// `t[i]` or `t[start:stop:step]` with any part left out.
    public enum Kind: Sendable {
        case index(Expression)
        case slice(start: Expression?, stop: Expression?, step: Expression?)
    }

    public var kind: Kind
    public var range: SourceRange
}

/// A statement: what one line (or `;`-separated part of it) does.
public enum StatementKind: Sendable {
    case expression(Expression)
    case assignment(name: String, nameRange: SourceRange, value: Expression)
    /// Command form: a verb and its arguments without parentheses, e.g. `help fit`, `save "w.h5" a, b`.
    case command(name: String, nameRange: SourceRange, arguments: [Argument])
}

/// A statement and the source range it covers (its text is what `history save` writes).
public struct Statement: Sendable {
    public var kind: StatementKind
    public var range: SourceRange

    public init(_ kind: StatementKind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

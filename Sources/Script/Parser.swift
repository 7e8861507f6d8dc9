// Parser: tokens to statements. Recovers at statement boundaries (one error per
// statement, so no cascades) and tells a REPL when the input merely stopped too early.

/// The statements of a source, every error found, and whether more input could complete it.
public struct ParseResult: Sendable {
    public var statements: [Statement]
    public var diagnostics: [Diagnostic]

    /// True when every error is "input ended too early" (open bracket, open string,
    /// trailing operator): a REPL should read a continuation line instead of failing.
    public var isIncomplete: Bool {
        !diagnostics.isEmpty && diagnostics.allSatisfy(\.isAtEndOfInput)
    }
}

import Foundation

/// Recursive-descent parser for the ecgs language (grammar in `help language`).
///
/// Command form: a statement that starts with a name in `commandVerbs`, followed on the
/// same line by a name, number, string, `true`/`false`/`none`/`not`, by `[` written after a
/// space (`show [1, 2]`), or by a `-` written after a space and directly before its operand
/// (`seed -1`, while `seed - 1` is arithmetic), is a command: `help fit`, `save "w.h5" a, b`.
/// A verb alone on its line (`whos`) is a call with no arguments. Anything else after the
/// verb (`(`, `=`, `.`, `|>`, an operator) parses as an ordinary expression.
public struct Parser {
    private let source: Source
    private let tokens: [Token]
    private let commandVerbs: Set<String>
    private var position = 0
    private var diagnostics: [Diagnostic] = []

    /// Signals that the current statement is abandoned; its diagnostic (if any) is already recorded.
    private struct Abandon: Error {}

    /// Parses a whole source.
    public static func parse(_ source: Source, commandVerbs: Set<String> = []) -> ParseResult {
        let (tokens, lexerDiagnostics) = Lexer.tokenize(source)
        var parser = Parser(source: source, tokens: tokens, commandVerbs: commandVerbs)
        let statements = parser.parseStatements()
        let all = (lexerDiagnostics + parser.diagnostics).sorted { ($0.range?.start ?? 0) < ($1.range?.start ?? 0) }
        return ParseResult(statements: statements, diagnostics: all)
    }

    private init(source: Source, tokens: [Token], commandVerbs: Set<String>) {
        self.source = source
        self.tokens = tokens
        self.commandVerbs = commandVerbs
    }

    // MARK: Token stream

    private var current: Token { tokens[min(position, tokens.count - 1)] }
    private func peek(_ ahead: Int) -> Token { tokens[min(position + ahead, tokens.count - 1)] }

    @discardableResult
    private mutating func advance() -> Token {
        let token = current
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func isAtStatementEnd(_ token: Token) -> Bool {
        token.kind == .end || token.kind == .endOfInput
    }

    /// Skips newline tokens (not `;`): a trailing operator continues on the next line.
    private mutating func skipNewlines() {
        while current.kind == .end, source.text(in: current.range) == "\n" { advance() }
    }

    /// Records an error at the current token and abandons the statement.
    private mutating func fail(_ message: String, at token: Token? = nil) -> Abandon {
        let token = token ?? current
        if token.kind == .invalid { return Abandon() }
        let atEnd = token.kind == .endOfInput
        let description = atEnd ? "end of input" : "'\(source.text(in: token.range))'"
        let text = message.replacingOccurrences(of: "{found}", with: description)
        diagnostics.append(Diagnostic(.error, text, source: source, range: token.range, isAtEndOfInput: atEnd))
        return Abandon()
    }

    private mutating func expectSymbol(_ symbol: String, _ context: String) throws {
        guard current.isSymbol(symbol) else { throw fail("expected '\(symbol)' \(context), found {found}") }
        advance()
    }

    // MARK: Statements

    private mutating func parseStatements() -> [Statement] {
        var statements: [Statement] = []
        while current.kind != .endOfInput {
            if current.kind == .end {
                advance()
                continue
            }
            do {
                let statement = try parseStatement()
                guard isAtStatementEnd(current) else {
                    throw fail("expected end of statement, found {found}")
                }
                statements.append(statement)
            } catch {
                while !isAtStatementEnd(current) { advance() }
            }
        }
        return statements
    }

    private mutating func parseStatement() throws -> Statement {
        let first = current
        if case .identifier(let name) = first.kind {
            let next = peek(1)
            if next.isSymbol("=") {
                if commandVerbs.contains(name) {
                    throw fail("cannot assign to '\(name)': it is a command", at: first)
                }
                advance()
                advance()
                skipNewlines()
                let value = try parseExpression()
                return Statement(.assignment(name: name, nameRange: first.range, value: value),
                                 first.range.union(value.range))
            }
            if commandVerbs.contains(name), startsCommandArgument(next, following: peek(2)) {
                advance()
                var arguments: [Argument] = []
                var end = first.range
                while !isAtStatementEnd(current) {
                    let argument = try parseArgument()
                    arguments.append(argument)
                    end = argument.range
                    if current.isSymbol(",") { advance() }
                }
                return Statement(.command(name: name, nameRange: first.range, arguments: arguments),
                                 first.range.union(end))
            }
        }
        let expression = try parseExpression()
        return Statement(.expression(expression), expression.range)
    }

    /// Whether the token after a verb makes the statement a command-form statement.
    private func startsCommandArgument(_ token: Token, following: Token) -> Bool {
        switch token.kind {
        case .end, .endOfInput, .identifier, .number, .string: return true
        case .keyword(let word): return word != "and" && word != "or"
        case .symbol("["): return token.followsSpace
        // `seed -1` is command form; `seed - 1` is arithmetic.
        case .symbol("-"): return token.followsSpace && !following.followsSpace
        case .symbol: return false
        case .invalid: return false
        }
    }

    // MARK: Expressions, lowest precedence first

    private mutating func parseExpression() throws -> Expression {
        var left = try parseOr()
        while current.isSymbol("|>") {
            advance()
            skipNewlines()
            left = try parsePipelineTarget(input: left)
        }
        return left
    }

    /// `a |> f(b)` is `f(a, b)`; `a |> f` is `f(a)`.
    private mutating func parsePipelineTarget(input: Expression) throws -> Expression {
        guard case .identifier(let name) = current.kind else {
            throw fail("expected a command name after '|>', found {found}")
        }
        let nameToken = advance()
        var arguments = [Argument(value: input)]
        var end = nameToken.range
        if current.isSymbol("(") {
            let (more, closing) = try parseCallArguments()
            arguments += more
            end = closing
        }
        return Expression(.call(name: name, nameRange: nameToken.range, arguments: arguments), input.range.union(end))
    }

    private mutating func parseOr() throws -> Expression {
        var left = try parseAnd()
        while current.isKeyword("or") {
            advance()
            skipNewlines()
            let right = try parseAnd()
            left = Expression(.binary(.or, left, right), left.range.union(right.range))
        }
        return left
    }

    private mutating func parseAnd() throws -> Expression {
        var left = try parseNot()
        while current.isKeyword("and") {
            advance()
            skipNewlines()
            let right = try parseNot()
            left = Expression(.binary(.and, left, right), left.range.union(right.range))
        }
        return left
    }

    private mutating func parseNot() throws -> Expression {
        if current.isKeyword("not") {
            let keyword = advance()
            let operand = try parseNot()
            return Expression(.unary(.not, operand), keyword.range.union(operand.range))
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws -> Expression {
        var left = try parseAdditive()
        while case .symbol(let symbol) = current.kind,
              let op = BinaryOperator(rawValue: symbol), ["==", "!=", "<", "<=", ">", ">="].contains(symbol) {
            advance()
            skipNewlines()
            let right = try parseAdditive()
            left = Expression(.binary(op, left, right), left.range.union(right.range))
        }
        return left
    }

    private mutating func parseAdditive() throws -> Expression {
        var left = try parseMultiplicative()
        while current.isSymbol("+") || current.isSymbol("-") {
            let op: BinaryOperator = current.isSymbol("+") ? .add : .subtract
            advance()
            skipNewlines()
            let right = try parseMultiplicative()
            left = Expression(.binary(op, left, right), left.range.union(right.range))
        }
        return left
    }

    private mutating func parseMultiplicative() throws -> Expression {
        var left = try parseUnary()
        while case .symbol(let symbol) = current.kind, ["*", "/", "%"].contains(symbol),
              let op = BinaryOperator(rawValue: symbol) {
            advance()
            skipNewlines()
            let right = try parseUnary()
            left = Expression(.binary(op, left, right), left.range.union(right.range))
        }
        return left
    }

    /// Unary minus binds looser than `^`: `-2^2` is `-(2^2)`, as in Python and maths.
    private mutating func parseUnary() throws -> Expression {
        if current.isSymbol("-") {
            let minus = advance()
            let operand = try parseUnary()
            return Expression(.unary(.negate, operand), minus.range.union(operand.range))
        }
        if current.isSymbol("+") {
            advance()
            return try parseUnary()
        }
        return try parsePower()
    }

    /// `^` and `**` are right-associative: `2^3^2` is `2^9`.
    private mutating func parsePower() throws -> Expression {
        let base = try parsePostfix()
        if current.isSymbol("^") || current.isSymbol("**") {
            advance()
            skipNewlines()
            let exponent = try parseUnary()
            return Expression(.binary(.power, base, exponent), base.range.union(exponent.range))
        }
        return base
    }

    private mutating func parsePostfix() throws -> Expression {
        var expression = try parsePrimary()
        while true {
            if current.isSymbol("(") {
                guard case .name(let name) = expression.kind else {
                    throw fail("only commands can be called; found '(' after an expression")
                }
                let (arguments, closing) = try parseCallArguments()
                expression = Expression(.call(name: name, nameRange: expression.range, arguments: arguments),
                                        expression.range.union(closing))
            } else if current.isSymbol(".") {
                advance()
                guard case .identifier(let field) = current.kind else {
                    throw fail("expected a field name after '.', found {found}")
                }
                let fieldToken = advance()
                expression = Expression(.field(expression, name: field, nameRange: fieldToken.range),
                                        expression.range.union(fieldToken.range))
            } else if current.isSymbol("[") {
                advance()
                var subscripts: [SubscriptExpression] = []
                while !current.isSymbol("]") {
                    subscripts.append(try parseSubscript())
                    if current.isSymbol(",") { advance() } else if !current.isSymbol("]") {
                        throw fail("expected ',' or ']' in subscript, found {found}")
                    }
                }
                let closing = advance()
                if subscripts.isEmpty { throw fail("empty subscript: write t[0] or t[:]", at: closing) }
                expression = Expression(.index(expression, subscripts), expression.range.union(closing.range))
            } else {
                return expression
            }
        }
    }

    private mutating func parseSubscript() throws -> SubscriptExpression {
        let start = current.range
        func endsPart(_ token: Token) -> Bool { token.isSymbol(":") || token.isSymbol(",") || token.isSymbol("]") }
        let first: Expression? = endsPart(current) ? nil : try parseExpression()
        guard current.isSymbol(":") else {
            guard let first else { throw fail("expected an index, found {found}") }
            return SubscriptExpression(kind: .index(first), range: first.range)
        }
        advance()
        let stop: Expression? = endsPart(current) ? nil : try parseExpression()
        var step: Expression?
        if current.isSymbol(":") {
            advance()
            step = endsPart(current) ? nil : try parseExpression()
        }
        let end = step?.range ?? stop?.range ?? start
        return SubscriptExpression(kind: .slice(start: first, stop: stop, step: step), range: start.union(end))
    }

    /// Parses `( ... )` after a callee; returns the arguments and the range of `)`.
    private mutating func parseCallArguments() throws -> ([Argument], SourceRange) {
        advance()
        var arguments: [Argument] = []
        while !current.isSymbol(")") {
            arguments.append(try parseArgument())
            if current.isSymbol(",") {
                advance()
            } else if !current.isSymbol(")") {
                throw fail("expected ',' or ')' in call, found {found}")
            }
        }
        return (arguments, advance().range)
    }

    /// `value` or `name=value`.
    private mutating func parseArgument() throws -> Argument {
        if case .identifier(let label) = current.kind, peek(1).isSymbol("=") {
            let labelToken = advance()
            advance()
            let value = try parseExpression()
            return Argument(label: label, labelRange: labelToken.range, value: value)
        }
        return Argument(value: try parseExpression())
    }

    private mutating func parsePrimary() throws -> Expression {
        let token = current
        switch token.kind {
        case .number(let value):
            advance()
            return Expression(.number(value), token.range)
        case .string(let text):
            advance()
            return Expression(.string(text), token.range)
        case .identifier(let name):
            advance()
            return Expression(.name(name), token.range)
        case .keyword("true"), .keyword("false"):
            advance()
            return Expression(.bool(token.isKeyword("true")), token.range)
        case .keyword("none"):
            advance()
            return Expression(.none, token.range)
        case .symbol("("):
            advance()
            let inner = try parseExpression()
            guard current.isSymbol(")") else { throw fail("expected ')' to close '(', found {found}") }
            let closing = advance()
            return Expression(inner.kind, token.range.union(closing.range))
        case .symbol("["):
            advance()
            var items: [Expression] = []
            while !current.isSymbol("]") {
                items.append(try parseExpression())
                if current.isSymbol(",") {
                    advance()
                } else if !current.isSymbol("]") {
                    throw fail("expected ',' or ']' in list, found {found}")
                }
            }
            let closing = advance()
            return Expression(.list(items), token.range.union(closing.range))
        default:
            throw fail("expected an expression, found {found}")
        }
    }
}

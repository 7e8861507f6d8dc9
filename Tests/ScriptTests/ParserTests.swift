// Parser: tree shapes (as S-expressions), source ranges, error positions, recovery and
// the "incomplete input" signal the REPL relies on.
import Script
import Testing

private let verbs: Set<String> = ["help", "seed", "save", "history", "time", "whos", "clear", "show", "print"]

private func dump(_ expression: Expression) -> String {
    switch expression.kind {
    case .number(let value): return formatNumber(value)
    case .string(let text): return "\"\(text)\""
    case .bool(let flag): return flag ? "true" : "false"
    case .none: return "none"
    case .name(let name): return name
    case .list(let items): return "[" + items.map(dump).joined(separator: " ") + "]"
    case .unary(let op, let operand): return "(\(op.rawValue) \(dump(operand)))"
    case .binary(let op, let left, let right): return "(\(op.rawValue) \(dump(left)) \(dump(right)))"
    case .call(let name, _, let arguments):
        return "(call \(name)" + arguments.map { " " + dump($0) }.joined() + ")"
    case .field(let base, let name, _): return "(. \(dump(base)) \(name))"
    case .index(let base, let subscripts):
        return "(index \(dump(base))" + subscripts.map { " " + dump($0) }.joined() + ")"
    }
}

private func dump(_ argument: Argument) -> String {
    argument.label.map { "\($0)=" + dump(argument.value) } ?? dump(argument.value)
}

private func dump(_ subscriptExpression: SubscriptExpression) -> String {
    switch subscriptExpression.kind {
    case .index(let expression): return dump(expression)
    case .slice(let start, let stop, let step):
        return [start, stop, step].map { $0.map(dump) ?? "_" }.joined(separator: ":")
    }
}

private func dump(_ statement: Statement) -> String {
    switch statement.kind {
    case .expression(let expression): return dump(expression)
    case .assignment(let name, _, let value): return "(= \(name) \(dump(value)))"
    case .command(let name, _, let arguments): return "(command \(name)" + arguments.map { " " + dump($0) }.joined() + ")"
    }
}

private func parse(_ text: String) -> ParseResult {
    Parser.parse(Source(name: "t.ecgs", text: text), commandVerbs: verbs)
}

private let trees: [(String, String)] = [
    ("x = 1 + 2 * 3", "(= x (+ 1 (* 2 3)))"),
    ("-2^2", "(- (^ 2 2))"),
    ("2^3^2", "(^ 2 (^ 3 2))"),
    ("2 ** -1", "(^ 2 (- 1))"),
    ("a - b - c", "(- (- a b) c)"),
    ("not a and b or c", "(or (and (not a) b) c)"),
    ("1 < 2 == true", "(== (< 1 2) true)"),
    ("f(a, b, key=5e-4)", "(call f a b key=5e-4)"),
    ("a |> f(b)", "(call f a b)"),
    ("a |> f |> g(1, k=2)", "(call g (call f a) 1 k=2)"),
    ("s.attention[0, :, 2:5]", "(index (. s attention) 0 _:_:_ 2:5:_)"),
    ("t[-1, ::2, 1::-1]", "(index t (- 1) _:_:2 1:_:(- 1))"),
    ("[1, [2, 3], \"x\"]", "[1 [2 3] \"x\"]"),
    ("help fit", "(command help fit)"),
    ("save \"w.h5\" a, b", "(command save \"w.h5\" a b)"),
    ("history save \"f.ecgs\"", "(command history save \"f.ecgs\")"),
    ("time fit(m, x)", "(command time (call fit m x))"),
    ("seed -1", "(command seed (- 1))"),
    ("show [1, 2]", "(command show [1 2])"),
    ("whos", "(command whos)"),
    ("seed(3)", "(call seed 3)"),
    ("seed - 1", "(- seed 1)"),
    ("print x, k=1", "(command print x k=1)"),
    ("f(\n  1,\n  2\n)", "(call f 1 2)"),
    ("x = 1 +\n  2", "(= x (+ 1 2))"),
]

@Test("trees", arguments: trees.indices)
func tree(_ index: Int) {
    let (text, expected) = trees[index]
    let result = parse(text)
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    #expect(result.statements.map(dump).joined(separator: "; ") == expected)
}

@Test func statementsSplitOnNewlinesAndSemicolons() {
    let result = parse("a = 1; b = 2\n\n# comment\nc")
    #expect(result.statements.map(dump) == ["(= a 1)", "(= b 2)", "c"])
}

@Test func rangesCoverTheWholeExpression() {
    let source = Source(name: "t", text: "y = r |> bandpass(0.5, 40)")
    let result = Parser.parse(source)
    guard case .assignment(_, let nameRange, let value) = result.statements[0].kind else {
        Issue.record("not an assignment")
        return
    }
    #expect(nameRange == SourceRange(start: 0, end: 1))
    #expect(source.text(in: value.range) == "r |> bandpass(0.5, 40)")
    guard case .call(_, let callee, let arguments) = value.kind else {
        Issue.record("not a call")
        return
    }
    #expect(source.text(in: callee) == "bandpass")
    #expect(arguments.map { source.text(in: $0.range) } == ["r", "0.5", "40"])
}

/// (input, message, line, column)
private let syntaxErrors: [(String, String, Int, Int)] = [
    ("a = 1\nb = 2\nc = b +* 2", "expected an expression, found '*'", 3, 8),
    ("f(1 2)", "expected ',' or ')' in call, found '2'", 1, 5),
    ("x = )", "expected an expression, found ')'", 1, 5),
    ("x.1", "expected a field name after '.', found '1'", 1, 3),
    ("1 |> 2", "expected a command name after '|>', found '2'", 1, 6),
    ("x.f(1)", "only commands can be called; found '(' after an expression", 1, 4),
    ("t[]", "empty subscript: write t[0] or t[:]", 1, 3),
    ("seed = 4", "cannot assign to 'seed': it is a command", 1, 1),
    ("a b", "expected end of statement, found 'b'", 1, 3),
]

@Test("syntax errors", arguments: syntaxErrors.indices)
func syntaxError(_ index: Int) throws {
    let (text, message, line, column) = syntaxErrors[index]
    let source = Source(name: "t.ecgs", text: text)
    let result = Parser.parse(source, commandVerbs: verbs)
    try #require(result.diagnostics.count == 1, "\(result.diagnostics)")
    #expect(result.diagnostics[0].message == message)
    #expect(source.location(of: try #require(result.diagnostics[0].range).start) == SourceLocation(line: line, column: column))
    #expect(!result.isIncomplete)
}

@Test func recoversAndReportsEachBadStatementOnce() {
    let result = parse("a = (1 +* 2) + )\nb = 2\nc = [1, 2 3]\nd = 4\ne = f(,)")
    #expect(result.diagnostics.map { $0.location ?? "" } == ["t.ecgs:1:9", "t.ecgs:3:11", "t.ecgs:5:7"])
    #expect(result.statements.map(dump) == ["(= b 2)", "(= d 4)"])
    #expect(!result.isIncomplete)
}

@Test func lexicalErrorsDoNotCascadeIntoSyntaxErrors() {
    let result = parse("y = 3 $ 4\nz = 1")
    #expect(result.diagnostics.map(\.message) == ["unexpected character '$'"])
    #expect(result.statements.map(dump) == ["(= z 1)"])
}

private let incompleteInputs = ["f(1,", "x = [1, 2", "x = 1 +", "s = \"open", "a |>", "t[0,", "x = (1 +\n 2", "not"]
private let completeButWrong = ["x = )", "f(1 2", "x = 1 +* 2 +", "c = b +* 2\nd = (1"]

@Test("incomplete input asks for more", arguments: incompleteInputs)
func incomplete(_ text: String) {
    let result = parse(text)
    #expect(result.isIncomplete, "\(result.diagnostics)")
}

@Test("real errors are not incomplete", arguments: completeButWrong)
func notIncomplete(_ text: String) {
    let result = parse(text)
    #expect(!result.diagnostics.isEmpty)
    #expect(!result.isIncomplete)
}

// Lexer: token kinds with their byte ranges, and lexical errors with positions.
import Script
import Testing

private func kinds(_ text: String) -> [TokenKind] {
    Lexer.tokenize(Source(name: "t", text: text)).tokens.map(\.kind)
}

@Test func numbersIncludingExponents() {
    #expect(kinds("42 0.5 5e-4 1.5E+3 7e2") == [.number(42), .number(0.5), .number(5e-4), .number(1500), .number(700), .endOfInput])
}

@Test func operatorsAndPunctuation() {
    #expect(kinds("a |> f(b, k=1) ** 2 ^ 3 == != <= >= < > % / [0:2]") == [
        .identifier("a"), .symbol("|>"), .identifier("f"), .symbol("("), .identifier("b"), .symbol(","),
        .identifier("k"), .symbol("="), .number(1), .symbol(")"), .symbol("**"), .number(2), .symbol("^"),
        .number(3), .symbol("=="), .symbol("!="), .symbol("<="), .symbol(">="), .symbol("<"), .symbol(">"),
        .symbol("%"), .symbol("/"), .symbol("["), .number(0), .symbol(":"), .number(2), .symbol("]"), .endOfInput,
    ])
}

@Test func keywordsCommentsAndStatementEnds() {
    #expect(kinds("true false none and or not x # comment\ny; z") == [
        .keyword("true"), .keyword("false"), .keyword("none"), .keyword("and"), .keyword("or"), .keyword("not"),
        .identifier("x"), .end, .identifier("y"), .end, .identifier("z"), .endOfInput,
    ])
}

@Test func newlinesInsideBracketsDoNotEndStatements() {
    #expect(kinds("f(1,\n2)\n[3,\n4]") == [
        .identifier("f"), .symbol("("), .number(1), .symbol(","), .number(2), .symbol(")"), .end,
        .symbol("["), .number(3), .symbol(","), .number(4), .symbol("]"), .endOfInput,
    ])
}

@Test func byteOrderMarkAndCRLFAreIgnored() {
    #expect(kinds("\u{FEFF}x = 1\r\ny") == [.identifier("x"), .symbol("="), .number(1), .end, .identifier("y"), .endOfInput])
}

@Test func stringEscapes() {
    #expect(kinds(#""a\n\t\\\"b" 'it\'s' "\u{e9}""#) == [.string("a\n\t\\\"b"), .string("it's"), .string("é"), .endOfInput])
}

@Test func tokenRangesAreByteOffsets() {
    let tokens = Lexer.tokenize(Source(name: "t", text: "é = 12.5")).tokens
    // 'é' is not an identifier character: the lexer reports it and moves on.
    #expect(tokens.map(\.range) == [
        SourceRange(start: 0, end: 2), SourceRange(start: 3, end: 4), SourceRange(start: 5, end: 9),
        SourceRange(start: 9, end: 9),
    ])
}

/// (input, message, line, column, at end of input)
private let lexicalErrors: [(String, String, Int, Int, Bool)] = [
    ("x = 3 $ 4", "unexpected character '$'", 1, 7, false),
    ("a = 1\nb = \"open", "unterminated string", 2, 5, true),
    ("y = 1e", "malformed number: exponent needs digits", 1, 5, false),
    ("y = 12ab", "malformed number '12ab'", 1, 5, false),
    ("s = \"\\q\"", "unknown escape '\\q' in string", 1, 6, false),
    ("s = \"\\u{zz}\"", "bad unicode escape (write \\u{41})", 1, 6, false),
    ("é", "unexpected character 'é'", 1, 1, false),
]

@Test("lexical errors", arguments: lexicalErrors.indices)
func lexicalError(_ index: Int) throws {
    let (text, message, line, column, atEnd) = lexicalErrors[index]
    let source = Source(name: "t", text: text)
    let diagnostics = Lexer.tokenize(source).diagnostics
    try #require(diagnostics.count == 1, "\(diagnostics)")
    let diagnostic = diagnostics[0]
    #expect(diagnostic.message == message)
    let location = source.location(of: try #require(diagnostic.range).start)
    #expect(location == SourceLocation(line: line, column: column))
    #expect(diagnostic.isAtEndOfInput == atEnd)
}

// Diagnostics: the one renderer (location, source line, caret and underline) and notes.
import Script
import Testing

@Test func rendersLocationLineAndCaret() {
    let source = Source(name: "prep.ecgs", text: "a = 1\nb = 2\nc = b +* 2\n")
    let diagnostic = Diagnostic(.error, "expected an expression, found '*'", source: source,
                                range: SourceRange(start: 19, end: 20))
    #expect(diagnostic.render() == """
        prep.ecgs:3:8: error: expected an expression, found '*'
        c = b +* 2
               ^
        """)
}

@Test func underlinesTheRangeOnItsFirstLine() {
    let source = Source(name: "<stdin>", text: "x = zq_unii + 1", firstLine: 17)
    let diagnostic = Diagnostic(.error, "undefined name 'zq_unii'", source: source, range: SourceRange(start: 4, end: 11))
    #expect(diagnostic.render() == """
        <stdin>:17:5: error: undefined name 'zq_unii'
        x = zq_unii + 1
            ^~~~~~~
        """)
}

@Test func columnsCountCharactersAndKeepTabs() {
    let source = Source(name: "t", text: "\t\"é\" + x")
    let diagnostic = Diagnostic(.error, "bad", source: source, range: SourceRange(start: 8, end: 9))
    #expect(source.location(of: 8) == SourceLocation(line: 1, column: 8))
    #expect(diagnostic.render() == "t:1:8: error: bad\n\t\"é\" + x\n\t      ^")
}

@Test func withoutPlaceOnlyTheMessage() {
    #expect(Diagnostic(.error, "no input").render() == "error: no input")
}

@Test func notesFollowTheirDiagnostic() {
    let outer = Source(name: "main.ecgs", text: "source \"lib.ecgs\"")
    let inner = Source(name: "lib.ecgs", text: "x = y")
    let note = Diagnostic(.note, "in the file run by this statement", source: outer, range: SourceRange(start: 0, end: 17))
    let diagnostic = Diagnostic(.error, "undefined name 'y'", source: inner, range: SourceRange(start: 4, end: 5), notes: [note])
    #expect(diagnostic.render() == """
        lib.ecgs:1:5: error: undefined name 'y'
        x = y
            ^
        main.ecgs:1:1: note: in the file run by this statement
        source "lib.ecgs"
        ^~~~~~~~~~~~~~~~~
        """)
}

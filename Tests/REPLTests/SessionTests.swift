// Session and REPLLoop without a terminal: continuation, failures, Ctrl-C, quit, prompts.
import Commands
import REPL
import Script
import Testing

private func makeSession() -> (Session, CapturedOutput) {
    let output = CapturedOutput()
    let interpreter = Interpreter(registry: makeCommandRegistry(), output: output, interruption: Interruption())
    return (Session(interpreter: interpreter), output)
}

@Test func submitReportsCompleteNeedsMoreAndFailed() {
    let (session, output) = makeSession()
    guard case .needsMore = session.submit("x = [1,") else { Issue.record("expected needsMore"); return }
    #expect(session.isPending)
    guard case .complete = session.submit("  2]") else { Issue.record("expected complete"); return }
    #expect(!session.isPending)
    guard case .complete = session.submit("x") else { Issue.record("expected complete"); return }
    #expect(output.take() == "[1, 2]\n")
    guard case .failed(let diagnostics) = session.submit("c = x +* 2") else { Issue.record("expected failed"); return }
    // Line numbers continue across entries: this is the fourth input line.
    #expect(diagnostics.map(\.location) == ["<stdin>:4:8"])
    guard case .quit(let status) = session.submit("quit 4") else { Issue.record("expected quit"); return }
    #expect(status == 4)
}

@Test func failedEntryKeepsEarlierStatementsAndRestoresTheFailingOne() {
    let (session, _) = makeSession()
    _ = session.submit("a = 1")
    guard case .failed = session.submit("b = 2; a = zz") else { Issue.record("expected failed"); return }
    #expect(session.interpreter.variables["a"]?.summary == "1")
    #expect(session.interpreter.variables["b"]?.summary == "2")
}

@Test func loopShowsContinuationPromptAndCtrlCClearsThePendingEntry() {
    let (session, output) = makeSession()
    let errors = CapturedOutput()
    let reader = ScriptedLineReader([
        .line("x = [1,"), .interrupted, .line("y = (2 +"), .line("3)"), .line("y"), .line("nope"), .endOfInput,
    ])
    let status = REPLLoop.run(session: session, reader: reader, errors: errors)
    #expect(status == 0)
    #expect(reader.prompts == ["ecgs> ", "  ...> ", "ecgs> ", "  ...> ", "ecgs> ", "ecgs> ", "ecgs> "])
    #expect(session.interpreter.variables["x"] == nil)
    #expect(output.take() == "5\n")
    #expect(errors.take().hasPrefix("<stdin>:5:1: error: undefined name 'nope'"))
    #expect(reader.history == ["y = (2 +\n3)", "y", "nope"])
}

@Test func nonInteractiveInputStopsAtTheFirstError() {
    final class PipedReader: LineReader {
        var lines: [String]
        init(_ lines: [String]) { self.lines = lines }
        func readLine(prompt: String) -> LineInput { lines.isEmpty ? .endOfInput : .line(lines.removeFirst()) }
        func addHistory(_ entry: String) {}
        var isInteractive: Bool { false }
    }
    let (session, output) = makeSession()
    let errors = CapturedOutput()
    let status = REPLLoop.run(session: session, reader: PipedReader(["print(1)", "zz", "print(2)"]), errors: errors)
    #expect(status == 65)
    #expect(output.take() == "1\n")
    #expect(errors.take().hasPrefix("<stdin>:2:1: error: undefined name 'zz'"))
}

@Test func ctrlCDuringWorkStopsAtTheNextSafePointAndTheSessionGoesOn() {
    let interruption = Interruption()
    let work = CommandSpec(
        name: "work", topic: "test", summary: "Counts to n; Ctrl-C arrives at step 3.", example: "work(10)",
        parameters: [Parameter("n", .integer)],
        handler: { arguments, interpreter in
            var done = 0
            for step in 0..<(try arguments.integer("n")) {
                // What the SIGINT handler does, arriving in the middle of the loop.
                if step == 3 { interpreter.interruption.request() }
                try interpreter.interruption.check()
                done += 1
            }
            return .number(Double(done))
        })
    let registry = CommandRegistry(libraries: allCommandLibraries() + [CommandLibrary(name: "test", commands: [work])])
    let interpreter = Interpreter(registry: registry, output: CapturedOutput(), interruption: interruption)
    let session = Session(interpreter: interpreter)
    _ = session.submit("a = 1")
    guard case .interrupted = session.submit("a = 2; b = work(10)") else { Issue.record("expected interrupted"); return }
    #expect(interpreter.variables["a"]?.summary == "2", "statements before the interrupted one are kept")
    #expect(interpreter.variables["b"] == nil, "the interrupted statement changes nothing")
    #expect(!interruption.isRequested)
    guard case .complete = session.submit("b = work(2)") else { Issue.record("expected complete"); return }
    #expect(interpreter.variables["b"]?.summary == "2")
}

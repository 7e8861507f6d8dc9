// The libedit REPL through a real pseudo-terminal: completion, continuation, Ctrl-C,
// Ctrl-D and history recalled after a restart.
import Foundation
import Testing

private func startREPL(historyFolder: URL, extra: [String: String] = [:]) throws -> PseudoTerminal {
    guard let binary = ecgsBinary() else { throw MissingBinary() }
    var environment = [
        "TERM": "xterm", "HOME": historyFolder.path, "LANG": "C.UTF-8",
        "ECGS_HISTORY": historyFolder.appendingPathComponent("history").path,
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
    ]
    environment.merge(extra) { $1 }
    return try PseudoTerminal(binary: binary, environment: environment)
}

private func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-pty-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

@Test func completionContinuationAndCtrlC() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let terminal = try startREPL(historyFolder: folder)
    try terminal.expectPrompt()

    // TAB completes a variable name...
    terminal.send("zq_uni = 5\r")
    try terminal.expectPrompt()
    terminal.send("zq_u\t")
    try terminal.expect("ni")
    terminal.send(" * 2\r")
    try terminal.expect("10\r\n")
    try terminal.expectPrompt()

    // ...and a command name.
    terminal.send("who\t")
    try terminal.expect("s")
    terminal.send("\r")
    try terminal.expect("zq_uni  number")
    try terminal.expectPrompt()

    // Ctrl-C with half a line typed gives a fresh, empty prompt.
    terminal.send("abc def")
    try terminal.expect("abc def")
    terminal.send("\u{03}")
    try terminal.expectPrompt()
    terminal.send("1 + 1\r")
    try terminal.expect("2\r\n")
    try terminal.expectPrompt()

    // An open bracket asks for a continuation line.
    terminal.send("[1,\r")
    try terminal.expectPrompt("  ...> ")
    terminal.send("2]\r")
    try terminal.expect("[1, 2]\r\n")
    try terminal.expectPrompt()

    // Ctrl-C at the continuation prompt drops the pending entry.
    terminal.send("(1 +\r")
    try terminal.expectPrompt("  ...> ")
    terminal.send("\u{03}")
    try terminal.expectPrompt()
    terminal.send("3\r")
    try terminal.expect("3\r\n")
    try terminal.expectPrompt()

    // Ctrl-C during work stops it at the next safe point; the session goes on.
    terminal.send("sleep 60\r")
    try terminal.expect("sleep 60\r\n")
    Thread.sleep(forTimeInterval: 0.2)
    terminal.send("\u{03}")
    try terminal.expect("interrupted\r\n", timeout: 5)
    try terminal.expectPrompt()

    // Errors are shown and the session goes on.
    terminal.send("zq_unii\r")
    try terminal.expect("did you mean 'zq_uni'?")
    try terminal.expectPrompt()

    // Ctrl-D on an empty line exits with status 0.
    terminal.send("\u{04}")
    #expect(terminal.waitForExit() == 0)
}

@Test func historyIsRecalledAfterARestart() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    do {
        let first = try startREPL(historyFolder: folder)
        try first.expectPrompt()
        first.send("print(4242 + 1)\r")
        try first.expect("4243\r\n")
        try first.expectPrompt()
        first.send("quit\r")
        #expect(first.waitForExit() == 0)
    }
    let saved = try String(contentsOf: folder.appendingPathComponent("history"), encoding: .utf8)
    #expect(saved == "print(4242 + 1)\nquit\n")

    let second = try startREPL(historyFolder: folder)
    try second.expectPrompt()
    // Up twice: past 'quit' to the print statement of the previous session.
    second.send("\u{1B}[A\u{1B}[A")
    try second.expect("print(4242 + 1)")
    second.send("\r")
    try second.expect("4243\r\n")
    try second.expectPrompt()
    second.send("\u{04}")
    #expect(second.waitForExit() == 0)
}

@Test func listsCandidatesSearchesHistoryAndReadsUTF8UnderTheCLocale() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // LC_ALL=C: ecgs must fall back to C.UTF-8 or libedit drops non-ASCII keys.
    let terminal = try startREPL(historyFolder: folder, extra: ["LC_ALL": "C", "LANG": "C"])
    try terminal.expectPrompt()

    // TAB with nothing to add lists the candidates and redraws the line.
    terminal.send("zq_uni = 1; zq_other = 2\r")
    try terminal.expectPrompt()
    terminal.send("zq_\t")
    try terminal.expect("zq_other  zq_uni")
    try terminal.expectPrompt("ecgs> zq_")
    terminal.send("\u{03}")
    try terminal.expectPrompt()

    // Ctrl-C on an empty line says how to leave instead of leaving.
    terminal.send("\u{03}")
    try terminal.expect("(Ctrl-D or 'quit' to exit)")
    try terminal.expectPrompt()

    terminal.send("print(\"üé\")\r")
    try terminal.expect("üé\r\n")
    try terminal.expectPrompt()

    // Ctrl-R searches the history backwards.
    terminal.send("print(4242 + 1)\r")
    try terminal.expect("4243\r\n")
    try terminal.expectPrompt()
    terminal.send("1\r")
    try terminal.expectPrompt()
    terminal.send("\u{12}4242")
    try terminal.expect("print(4242 + 1)")
    terminal.send("\r")
    try terminal.expect("4243\r\n")
    try terminal.expectPrompt()
    terminal.send("\u{04}")
    #expect(terminal.waitForExit() == 0)
}

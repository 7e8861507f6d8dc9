// The ecgs executable: command-line parsing and exit codes around the REPL and script runner.
// Exit codes: 0 ok, 64 usage, 65 script or data error, 70 internal, 130 interrupted.
import ArgumentParser
import Commands
import ECGKit
import Foundation
import REPL
import Script

struct ECGS: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ecgs",
        abstract: "An interactive environment for 12-lead ECG anomaly detection.",
        discussion: """
            'ecgs FILE.ecgs' is short for 'ecgs run FILE.ecgs'. \
            With no arguments, starts the REPL (plain line reading when stdin or stdout is not \
            a terminal, so 'ecgs < file' runs like a script). Exit status: 0 ok, 64 usage error, \
            65 script or data error, 70 internal error, 130 interrupted.
            """,
        version: Runner.version,
        subcommands: [Run.self])

    @Option(name: .customShort("c"), help: ArgumentHelp("Run these statements and exit.", valueName: "statements"))
    var statements: String?

    @Option(help: "The session seed (default \(Interpreter.defaultSeed)).")
    var seed: UInt64?

    @Flag(help: .hidden)
    var commandsMarkdown = false

    func run() throws {
        if commandsMarkdown {
            print(makeCommandRegistry().markdown(), terminator: "")
            return
        }
        let status: Int32
        if let statements {
            status = Runner.runScript(Source(name: "-c", text: statements), seed: seed)
        } else {
            status = Runner.runInteractive(seed: seed)
        }
        if status != 0 { throw ExitCode(status) }
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run an .ecgs script; stop at the first error.")

    @ArgumentParser.Argument(help: "The script file.")
    var file: String

    /// `--seed` is declared once, on `ecgs`, and read from there.
    @ParentCommand var parent: ECGS

    func run() throws {
        let status = Runner.runScriptFile(file, seed: parent.seed)
        if status != 0 { throw ExitCode(status) }
    }
}

/// `ecgs [options] FILE [options]` means `ecgs [options] run FILE [options]`: the first
/// argument that is neither an option, an option's value nor a subcommand is a script.
var arguments = Array(CommandLine.arguments.dropFirst())
var position = 0
while position < arguments.count {
    let argument = arguments[position]
    if argument == "-c" || argument == "--seed" {
        position += 2
    } else if argument.hasPrefix("-") {
        position += 1
    } else {
        if argument != "run", argument != "help" { arguments.insert("run", at: position) }
        break
    }
}
AllocatorTuning.keepLargeBuffers()
ECGS.main(arguments)

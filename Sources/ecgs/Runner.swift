// Runner: runs scripts, -c snippets and the interactive session, mapping outcomes to exit statuses.
import Commands
import Foundation
import REPL
import Script

/// Exit statuses (sysexits.h names).
enum ExitStatus {
    static let usage: Int32 = 64
    static let dataError: Int32 = 65
    static let internalError: Int32 = 70
    static let interrupted: Int32 = 130
}

/// The three ways ecgs runs statements, all through the same Interpreter.
enum Runner {
    /// The version `--version` and the REPL banner show.
    static let version = "ecgs 0.1.0"

    /// Diagnostics and messages go to standard error.
    static var standardError: FileDescriptorOutput { FileDescriptorOutput(descriptor: 2) }

    static func makeInterpreter(seed: UInt64?) -> Interpreter {
        Interpreter(registry: makeCommandRegistry(), output: FileDescriptorOutput(descriptor: 1),
                    seed: seed ?? Interpreter.defaultSeed)
    }

    static func runScriptFile(_ path: String, seed: UInt64?) -> Int32 {
        guard let data = FileManager.default.contents(atPath: path) else {
            standardError.writeLine("ecgs: cannot read '\(path)': no such file or not readable")
            return ExitStatus.usage
        }
        guard let text = String(data: data, encoding: .utf8) else {
            standardError.writeLine("ecgs: '\(path)' is not UTF-8 text")
            return ExitStatus.dataError
        }
        return runScript(Source(name: path, text: text, path: path), seed: seed)
    }

    /// Runs a whole source; the first error ends it with its diagnostic on stderr.
    static func runScript(_ source: Source, seed: UInt64?) -> Int32 {
        let interpreter = makeInterpreter(seed: seed)
        InterruptHandler.install()
        Interruption.setBusy(true)
        do {
            try interpreter.run(source)
            return 0
        } catch let failure as ScriptFailure {
            standardError.writeLine(failure.description)
            return ExitStatus.dataError
        } catch let request as QuitRequest {
            return request.status
        } catch is Interrupted {
            standardError.writeLine("ecgs: interrupted")
            return ExitStatus.interrupted
        } catch {
            standardError.writeLine("ecgs: internal error: \(error)")
            return ExitStatus.internalError
        }
    }

    /// The REPL: libedit when both stdin and stdout are terminals, plain lines otherwise.
    static func runInteractive(seed: UInt64?) -> Int32 {
        let interpreter = makeInterpreter(seed: seed)
        let session = Session(interpreter: interpreter)
        InterruptHandler.install()
        let reader: any LineReader
        if isatty(0) == 1, isatty(1) == 1,
           let editor = EditLineReader(completer: Completer(interpreter: interpreter),
                                       historyFile: HistoryFile(path: HistoryFile.defaultPath())) {
            reader = editor
            interpreter.output.writeLine("\(Runner.version): type 'help' for commands, 'help language' for the syntax; Ctrl-D or 'quit' exits.")
        } else {
            reader = PlainLineReader()
        }
        return REPLLoop.run(session: session, reader: reader, errors: standardError)
    }
}

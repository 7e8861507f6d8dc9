// Core session commands: print, show, help, whos, clear, seed, source, time, sleep, history, quit/exit.
import Foundation
import Script

/// The domain-free session commands (topic `session`) and the language help topics.
public func coreCommands() -> CommandLibrary {
    CommandLibrary(name: "core", commands: [
        CommandSpec(
            name: "print", topic: "session", summary: "Print values separated by spaces (strings without quotes).",
            example: "print(\"loss\", 0.25)\nprint x",
            parameters: [Parameter("values", .any, .variadic, "values to print")],
            hasCommandForm: true,
            handler: { arguments, interpreter in
                let items = try arguments.list("values")
                interpreter.output.writeLine(items.map(\.printed).joined(separator: " "))
                return .none
            }),
        CommandSpec(
            name: "show", topic: "session", summary: "Print a value in full (multi-line for tensors, records, lists).",
            example: "show [1, 2, 3]\nshow s.attention[0, 0:8, 0:8]",
            parameters: [Parameter("value", .any, .required, "the value to show")],
            hasCommandForm: true, isReplayable: false,
            handler: { arguments, interpreter in
                if interpreter.output.isTerminal, case .object(let object as any TerminalShowable) = arguments["value"] {
                    interpreter.output.writeLine(object.show(ansiColour: true))
                } else {
                    interpreter.output.writeLine(arguments["value"].show())
                }
                return .none
            }),
        CommandSpec(
            name: "help", topic: "session", summary: "List commands by topic, or explain one command, type or topic.",
            details: "Without a name, lists every command grouped by topic. 'help NAME' shows the\n"
                + "signature, parameters with their defaults, and an example. 'help language' explains the syntax.",
            example: "help\nhelp seed\nhelp language",
            parameters: [Parameter("name", .name, .optional(defaultValue: .none), "command, type or topic")],
            hasCommandForm: true, isReplayable: false,
            handler: { arguments, interpreter in
                guard let name = try arguments.optionalString("name") else {
                    interpreter.output.writeLine(interpreter.registry.listing())
                    return .none
                }
                if let text = interpreter.registry.help(for: name) {
                    interpreter.output.writeLine(text)
                    return .none
                }
                if let value = interpreter.variables[name], let text = interpreter.registry.help(for: value.typeName) {
                    interpreter.output.writeLine("\(name) is a \(value.typeName): \(value.summary)\n\n" + text)
                    return .none
                }
                var message = "no help for '\(name)'"
                if let suggestion = interpreter.registry.suggestion(for: name) {
                    message += "; did you mean '\(suggestion)'?"
                }
                throw ScriptError(message, argument: "name")
            }),
        CommandSpec(
            name: "whos", topic: "session", summary: "List variables with their type, shape and size in bytes.",
            example: "whos",
            hasCommandForm: true, isReplayable: false,
            handler: { _, interpreter in
                interpreter.output.writeLine(variableTable(interpreter.variables))
                return .none
            }),
        CommandSpec(
            name: "clear", topic: "session", summary: "Remove the named variables, or all variables when none are named.",
            example: "clear x\nclear a, b\nclear",
            parameters: [Parameter("names", .name, .variadic, "variables to remove")],
            hasCommandForm: true,
            handler: { arguments, interpreter in
                let names = try arguments.list("names").map { $0.printed }
                if names.isEmpty {
                    interpreter.variables.removeAll()
                    return .none
                }
                for name in names {
                    guard interpreter.variables[name] != nil else {
                        var message = "no variable '\(name)'"
                        if let suggestion = nearestName(to: name, in: interpreter.variables.names) {
                            message += "; did you mean '\(suggestion)'?"
                        }
                        throw ScriptError(message, argument: "names")
                    }
                    interpreter.variables[name] = nil
                }
                return .none
            }),
        CommandSpec(
            name: "seed", topic: "session", summary: "Set the session seed all randomness derives from; without N, return it.",
            details: "The default seed is \(Interpreter.defaultSeed), so a script replays bit-identically.\n"
                + "Each random command draws its own stream from the seed in order.",
            example: "seed 42\nseed",
            parameters: [Parameter("n", .integer, .optional(defaultValue: .none), "a whole number from 0 to 2^53")],
            returns: "number",
            hasCommandForm: true,
            handler: { arguments, interpreter in
                guard arguments.isGiven("n") else { return .number(Double(interpreter.seed)) }
                let n = try arguments.integer("n")
                guard n >= 0 else { throw ScriptError("seed must be 0 or more, got \(n)", argument: "n") }
                interpreter.setSeed(UInt64(n))
                return .none
            }),
        CommandSpec(
            name: "source", topic: "session", summary: "Run an .ecgs script inside this session.",
            details: "A relative path inside a sourced file is relative to that file's folder.\n"
                + "The script stops at its first error, and then nothing it did is kept.",
            example: "source \"prep.ecgs\"",
            parameters: [Parameter("path", .path(extensions: ["ecgs"]), .required, "the script file")],
            hasCommandForm: true,
            handler: { arguments, interpreter in
                let given = try arguments.string("path")
                let path = interpreter.resolveSourcePath(given)
                let text: String
                do {
                    text = try String(contentsOfFile: path, encoding: .utf8)
                } catch {
                    throw ScriptError("cannot read '\(given)': \(readFailure(path))", argument: "path")
                }
                try interpreter.runNested(Source(name: given, text: text, path: path))
                return .none
            }),
        CommandSpec(
            name: "time", topic: "session", summary: "Evaluate an expression, print the wall time it took, return its value.",
            example: "time sum(range(100000))",
            parameters: [Parameter("expression", .expression, .required, "what to time")],
            hasCommandForm: true,
            handler: { arguments, interpreter in
                let start = DispatchTime.now().uptimeNanoseconds
                let value = try arguments.evaluate("expression")
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                interpreter.output.writeLine("time: " + formatDuration(seconds))
                return value
            }),
        CommandSpec(
            name: "sleep", topic: "session", summary: "Wait for some seconds (Ctrl-C stops the wait).",
            example: "sleep 0.5",
            parameters: [Parameter("seconds", .number, .required, "how long, 0 to 86400")],
            hasCommandForm: true,
            handler: { arguments, interpreter in
                let seconds = try arguments.number("seconds")
                guard seconds >= 0, seconds <= 86_400 else {
                    throw ScriptError("seconds must be from 0 to 86400, got \(formatNumber(seconds))", argument: "seconds")
                }
                // Short naps so Ctrl-C is answered within about 10 ms.
                let end = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
                while DispatchTime.now().uptimeNanoseconds < end {
                    try interpreter.interruption.check()
                    let left = end - min(end, DispatchTime.now().uptimeNanoseconds)
                    usleep(UInt32(min(left / 1000, 10_000)))
                }
                return .none
            }),
        CommandSpec(
            name: "history", topic: "session", summary: "Show, save or clear the statements that succeeded this session.",
            details: "'history save FILE' writes them as a runnable .ecgs script. Failed statements\n"
                + "and display-only commands (help, whos, show, history) are not recorded.",
            example: "history\nhistory save \"session.ecgs\"\nhistory clear",
            parameters: [
                Parameter("action", .name, .optional(defaultValue: .string("show")), "show, save or clear"),
                Parameter("path", .path(extensions: ["ecgs"]), .optional(defaultValue: .none), "file for 'save'"),
            ],
            hasCommandForm: true, isReplayable: false,
            handler: { arguments, interpreter in
                let action = try arguments.string("action")
                switch action {
                case "show":
                    for (number, line) in interpreter.history.enumerated() {
                        interpreter.output.writeLine("\(number + 1)  \(line)")
                    }
                case "clear":
                    interpreter.clearHistory()
                case "save":
                    guard let given = try arguments.optionalString("path") else {
                        throw ScriptError("'history save' needs a file name: history save \"session.ecgs\"")
                    }
                    let path = interpreter.resolveSourcePath(given)
                    let text = "# ecgs session history: statements that succeeded, runnable as a script\n"
                        + interpreter.history.map { $0 + "\n" }.joined()
                    do {
                        try text.write(toFile: path, atomically: true, encoding: .utf8)
                    } catch {
                        throw ScriptError("cannot write '\(path)': \(error.localizedDescription)", argument: "path")
                    }
                default:
                    var message = "unknown action '\(action)' (use show, save or clear)"
                    if let suggestion = nearestName(to: action, in: ["show", "save", "clear"]) {
                        message = "unknown action '\(action)'; did you mean '\(suggestion)'?"
                    }
                    throw ScriptError(message, argument: "action")
                }
                return .none
            }),
        quitCommand(name: "quit"),
        quitCommand(name: "exit"),
    ], topics: languageTopics())
}

private func quitCommand(name: String) -> CommandSpec {
    CommandSpec(
        name: name, topic: "session", summary: "End the session (or script) with an exit status (default 0).",
        example: "\(name)\n\(name) 1",
        parameters: [Parameter("status", .integer, .optional(defaultValue: .number(0)), "exit status 0-255")],
        hasCommandForm: true, isReplayable: false,
        handler: { arguments, _ in
            let status = try arguments.integer("status")
            guard (0...255).contains(status) else {
                throw ScriptError("exit status must be 0 to 255, got \(status)", argument: "status")
            }
            throw QuitRequest(status: Int32(status))
        })
}

/// Why a file could not be read, in words ("no such file", "permission denied").
func readFailure(_ path: String) -> String {
    var isDirectory: ObjCBool = false
    if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) { return "no such file" }
    if isDirectory.boolValue { return "it is a folder" }
    if !FileManager.default.isReadableFile(atPath: path) { return "permission denied" }
    return "not valid UTF-8 text"
}

/// `850 us`, `12.3 ms`, `4.56 s`, `2 min 5.0 s`.
func formatDuration(_ seconds: Double) -> String {
    if seconds < 1e-3 { return String(format: "%.0f us", seconds * 1e6) }
    if seconds < 1 { return String(format: "%.1f ms", seconds * 1e3) }
    if seconds < 60 { return String(format: "%.2f s", seconds) }
    return String(format: "%d min %.1f s", Int(seconds / 60), seconds.truncatingRemainder(dividingBy: 60))
}

/// The `whos` table: name, type, shape, bytes, then a total.
func variableTable(_ variables: Variables) -> String {
    guard !variables.isEmpty else { return "no variables" }
    var rows = [["Name", "Type", "Shape", "Bytes"]]
    var total = 0
    for (name, value) in variables.entries {
        rows.append([name, value.typeName, value.shapeDescription, String(value.byteCount)])
        total += value.byteCount
    }
    var widths = [Int](repeating: 0, count: 4)
    for row in rows {
        for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
    }
    var lines = rows.map { row in
        row.enumerated().map { column, cell in
            column == 3 ? String(repeating: " ", count: widths[3] - cell.count) + cell
                : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
        }.joined(separator: "  ")
    }
    let plural = variables.count == 1 ? "variable" : "variables"
    lines.append("\(variables.count) \(plural), \(total) bytes")
    return lines.joined(separator: "\n")
}

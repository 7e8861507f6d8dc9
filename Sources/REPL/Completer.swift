// Completer: tab-completion candidates as a pure function of (line, cursor) and the
// session state: commands, variables, fields after '.', named arguments, file paths in strings.
import Foundation
import Script

/// The word being completed and what it may become.
public struct Completion: Equatable, Sendable {
    /// UTF-8 offset in the line where the word being completed starts.
    public var start: Int
    /// The text typed so far (from `start` to the cursor).
    public var prefix: String
    /// Full replacements for `prefix`, sorted, each starting with `prefix`.
    public var candidates: [String]

    /// The longest text every candidate starts with (at least `prefix` when any match).
    public var commonPrefix: String {
        guard var common = candidates.first else { return prefix }
        for candidate in candidates.dropFirst() {
            while !candidate.hasPrefix(common) { common.removeLast() }
        }
        return common
    }
}

/// Computes completions from the registry and the interpreter's variables.
public struct Completer {
    public let interpreter: Interpreter

    public init(interpreter: Interpreter) { self.interpreter = interpreter }

    /// Candidates for the word before `cursor` (a UTF-8 offset into `line`).
    public func complete(line: String, cursor: Int) -> Completion {
        let bytes = Array(line.utf8.prefix(max(0, cursor)))
        let before = String(decoding: bytes, as: UTF8.self)
        let (tokens, diagnostics) = Lexer.tokenize(Source(name: "<completion>", text: before))
        if let open = diagnostics.first(where: { $0.isAtEndOfInput && $0.message == "unterminated string" }),
           let quote = open.range?.start {
            let typed = String(decoding: bytes[(quote + 1)...], as: UTF8.self)
            let context = callContext(tokens: tokens.filter { $0.range.start < quote })
            return Completion(start: quote + 1, prefix: typed,
                              candidates: pathCandidates(typed, extensions: pathExtensions(context)))
        }
        var start = bytes.count
        while start > 0, isWordByte(bytes[start - 1]) { start -= 1 }
        let word = String(decoding: bytes[start...], as: UTF8.self)
        let earlier = tokens.filter { $0.range.end <= start && $0.kind != .endOfInput }
        var names: [String]
        if start > 0, bytes[start - 1] == UInt8(ascii: ".") {
            names = fieldCandidates(before: Array(bytes[..<(start - 1)]))
        } else {
            names = generalCandidates(context: callContext(tokens: earlier))
        }
        names = Array(Set(names.filter { $0.hasPrefix(word) })).sorted()
        return Completion(start: start, prefix: word, candidates: names)
    }

    /// What the cursor sits in: a call `f(` (with named arguments already given),
    /// a command-form statement, or neither.
    private struct CallContext {
        var command: String?
        var isCommandForm = false
        var isFirstWord = false
        var label: String?
    }

    private func callContext(tokens: [Token]) -> CallContext {
        var statement: [Token] = []
        for token in tokens {
            if token.kind == .end { statement.removeAll() } else if token.kind != .endOfInput { statement.append(token) }
        }
        var context = CallContext()
        if statement.isEmpty {
            context.isFirstWord = true
            return context
        }
        if let last = statement.last, last.isSymbol("="), statement.count >= 2,
           case .identifier(let label) = statement[statement.count - 2].kind {
            context.label = label
        }
        // Innermost unclosed '(' preceded by a name.
        var depth = 0
        for index in statement.indices.reversed() {
            let token = statement[index]
            if token.isSymbol(")") || token.isSymbol("]") { depth += 1 }
            if token.isSymbol("(") || token.isSymbol("[") {
                if depth == 0 {
                    if token.isSymbol("("), index > 0, case .identifier(let name) = statement[index - 1].kind {
                        context.command = name
                        return context
                    }
                    break
                }
                depth -= 1
            }
        }
        if case .identifier(let verb) = statement[0].kind, interpreter.registry.command(named: verb)?.hasCommandForm == true,
           statement.count == 1 || !statement[1].isSymbol("=") {
            context.command = verb
            context.isCommandForm = true
        }
        return context
    }

    private func generalCandidates(context: CallContext) -> [String] {
        let registry = interpreter.registry
        let variables = interpreter.variables.names
        let commands = registry.commands.map(\.name)
        if context.isFirstWord { return commands + variables }
        if context.isCommandForm, context.command == "help" {
            return commands + registry.topics.map(\.name)
        }
        if context.isCommandForm, context.command == "clear" { return variables }
        var names = variables + commands + ["true", "false", "none", "and", "or", "not"]
        if !context.isCommandForm, context.label == nil, let name = context.command,
           let command = registry.command(named: name) {
            names += command.parameters.filter { if case .variadic = $0.arity { false } else { true } }
                .map { $0.name + "=" }
        }
        return names
    }

    /// Fields of the value before the `.`: a variable, or a chain `a.b.` of fields.
    private func fieldCandidates(before bytes: [UInt8]) -> [String] {
        var start = bytes.count
        while start > 0, isWordByte(bytes[start - 1]) || bytes[start - 1] == UInt8(ascii: ".") { start -= 1 }
        let path = String(decoding: bytes[start...], as: UTF8.self).split(separator: ".").map(String.init)
        guard let first = path.first, var value = interpreter.variables[first] else { return [] }
        for field in path.dropFirst() {
            guard case .object(let object) = value, let next = try? object.field(named: field) else { return [] }
            value = next
        }
        return value.fieldNames
    }

    private func pathExtensions(_ context: CallContext) -> [String] {
        guard let name = context.command, let command = interpreter.registry.command(named: name) else { return [] }
        var extensions: [String] = []
        for parameter in command.parameters where context.label == nil || parameter.name == context.label {
            if case .path(let allowed) = parameter.type { extensions += allowed }
        }
        return extensions
    }

    /// Entries of the folder named by `typed` (up to its last '/'), folders with a trailing '/',
    /// files filtered by extension; hidden entries only when the name typed starts with '.'.
    private func pathCandidates(_ typed: String, extensions: [String]) -> [String] {
        let folderPart: String
        let namePart: String
        if let slash = typed.lastIndex(of: "/") {
            folderPart = String(typed[...slash])
            namePart = String(typed[typed.index(after: slash)...])
        } else {
            folderPart = ""
            namePart = typed
        }
        var folder = folderPart.isEmpty ? "." : folderPart
        if folder.hasPrefix("~/") { folder = NSHomeDirectory() + folder.dropFirst(1) }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var candidates: [String] = []
        for entry in entries where entry.hasPrefix(namePart) {
            if entry.hasPrefix("."), !namePart.hasPrefix(".") { continue }
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: folder + "/" + entry, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                candidates.append(folderPart + entry + "/")
            } else if extensions.isEmpty || extensions.contains(where: { entry.hasSuffix("." + $0) }) {
                candidates.append(folderPart + entry)
            }
        }
        return candidates.sorted()
    }
}

private func isWordByte(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
        || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
}

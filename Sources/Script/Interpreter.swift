// Interpreter: runs statements against the session state (variables, seed, history).
// Each statement is a transaction: on failure the variables and seed are restored.
import Foundation

/// The session state and evaluator. Commands receive it as their context:
/// `output` to print, `nextRandomSeed()` for randomness, `interruption.check()` at safe points.
public final class Interpreter {
    /// The fixed default session seed, so a script replays bit-identically.
    public static let defaultSeed: UInt64 = 42

    /// The commands and help topics of this session.
    public let registry: CommandRegistry
    /// Where commands and statement results print.
    public var output: any Output
    /// Poll at safe points in long loops: `try interpreter.interruption.check()`.
    public let interruption: Interruption
    /// The session's variables (what `whos` lists and `clear` removes).
    public var variables = Variables()
    /// The session seed set by `seed N`; all randomness derives from it.
    public private(set) var seed: UInt64
    /// How many random streams were drawn since the seed was set.
    private var drawnStreams: UInt64 = 0
    /// The text of each top-level statement that succeeded, for `history save`.
    public private(set) var history: [String] = []
    /// The sources being run, innermost last (for `source` nesting and relative paths).
    private var sourceStack: [Source] = []

    /// `interruption` defaults to the process-wide flag that Ctrl-C sets.
    public init(registry: CommandRegistry, output: any Output, seed: UInt64 = Interpreter.defaultSeed,
                interruption: Interruption = .process) {
        self.registry = registry
        self.interruption = interruption
        self.output = output
        self.seed = seed
    }

    // MARK: Randomness

    /// Sets the session seed and restarts the sequence of random streams.
    public func setSeed(_ newSeed: UInt64) {
        seed = newSeed
        drawnStreams = 0
    }

    /// A fresh 64-bit seed for one random stream (weight init, shuffling, noise …).
    ///
    /// The n-th call after `seed N` returns SplitMix64(N, n), so successive commands get
    /// independent streams and a replayed script gets exactly the same ones.
    public func nextRandomSeed() -> UInt64 {
        drawnStreams += 1
        var z = seed &+ drawnStreams &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    // MARK: Running sources

    /// Parses with the registry's command-form verbs.
    public func parse(_ source: Source) -> ParseResult {
        Parser.parse(source, commandVerbs: registry.commandVerbs)
    }

    /// Runs every statement of a source, stopping at the first error.
    ///
    /// Throws `ScriptFailure` (parse errors, or the failing statement's diagnostic),
    /// `Interrupted` after Ctrl-C, or `QuitRequest` from `quit`.
    public func run(_ source: Source) throws {
        let parsed = parse(source)
        if !parsed.diagnostics.isEmpty { throw ScriptFailure(parsed.diagnostics) }
        for statement in parsed.statements {
            try interruption.check()
            try execute(statement, in: source)
        }
    }

    /// Runs a file from inside another source (`source "x.ecgs"`): its statements are not
    /// recorded in the history separately, since the `source` statement is.
    public func runNested(_ source: Source) throws {
        guard sourceStack.count < 64 else { throw ScriptError("source files nested more than 64 deep") }
        try run(source)
    }

    /// The path a command should open for `path`: relative paths given inside a sourced file
    /// resolve against that file's folder, elsewhere against the working directory.
    public func resolveSourcePath(_ path: String) -> String {
        guard !path.hasPrefix("/"), let file = sourceStack.last?.path else { return path }
        return URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(path).path
    }

    /// Executes one statement as a transaction and prints its value (if not `none`).
    ///
    /// On any error the variables and the random state are restored, so a failing statement
    /// changes nothing. Errors become a `ScriptFailure` pointing into `source`.
    @discardableResult
    public func execute(_ statement: Statement, in source: Source) throws -> Value {
        let savedVariables = variables
        let savedSeed = seed
        let savedStreams = drawnStreams
        sourceStack.append(source)
        defer { sourceStack.removeLast() }
        do {
            let value = try perform(statement)
            if case .none = value {} else { output.writeLine(value.summary) }
            if sourceStack.count == 1, isReplayable(statement) {
                history.append(source.text(in: statement.range))
            }
            return value
        } catch {
            variables = savedVariables
            seed = savedSeed
            drawnStreams = savedStreams
            switch error {
            case is QuitRequest, is Interrupted: throw error
            case var failure as ScriptFailure:
                // An error inside a sourced file: say which statement ran that file (once, so a
                // deeply nested failure does not list every level).
                if let first = failure.diagnostics.first, first.source !== source, first.notes.isEmpty {
                    failure.diagnostics[0].notes.append(Diagnostic(.note, "in the file run by this statement",
                                                                   source: source, range: statement.range))
                }
                throw failure
            case let error as ScriptError:
                throw ScriptFailure([Diagnostic(.error, error.message, source: source,
                                                range: error.range ?? statement.range)])
            default:
                throw ScriptFailure([Diagnostic(.error, String(describing: error), source: source,
                                                range: statement.range)])
            }
        }
    }

    /// Forgets the recorded history (after `history clear`).
    public func clearHistory() { history.removeAll() }

    private func isReplayable(_ statement: Statement) -> Bool {
        switch statement.kind {
        case .command(let name, _, _): return registry.command(named: name)?.isReplayable ?? true
        case .expression(let expression):
            switch expression.kind {
            case .call(let name, _, _): return registry.command(named: name)?.isReplayable ?? true
            case .name(let name) where variables[name] == nil:
                return registry.command(named: name)?.isReplayable ?? true
            default: return true
            }
        case .assignment: return true
        }
    }

    private func perform(_ statement: Statement) throws -> Value {
        switch statement.kind {
        case .assignment(let name, _, let expression):
            variables[name] = try evaluate(expression)
            return .none
        case .command(let name, let nameRange, let arguments):
            return try call(name, nameRange: nameRange, arguments: arguments, range: statement.range)
        case .expression(let expression):
            // A bare command name on its own line runs it: `whos`, `quit`.
            if case .name(let name) = expression.kind, variables[name] == nil, registry.command(named: name) != nil {
                return try call(name, nameRange: expression.range, arguments: [], range: expression.range)
            }
            return try evaluate(expression)
        }
    }

    // MARK: Expressions

    /// Evaluates an expression; errors are `ScriptError`s carrying a range.
    public func evaluate(_ expression: Expression) throws -> Value {
        switch expression.kind {
        case .number(let number): return .number(number)
        case .string(let text): return .string(text)
        case .bool(let flag): return .bool(flag)
        case .none: return .none
        case .name(let name): return try lookUp(name, range: expression.range)
        case .list(let items): return .list(try items.map(evaluate))
        case .unary(let operation, let operand):
            return try located(expression.range) { try unary(operation, try evaluate(operand)) }
        case .binary(let operation, let left, let right):
            return try evaluateBinary(operation, left, right, range: expression.range)
        case .call(let name, let nameRange, let arguments):
            return try call(name, nameRange: nameRange, arguments: arguments, range: expression.range)
        case .field(let base, let name, let nameRange):
            let value = try evaluate(base)
            return try located(nameRange) {
                guard case .object(let object) = value else {
                    throw ScriptError("\(value.typeName) has no fields (asked for '.\(name)')")
                }
                return try object.field(named: name)
            }
        case .index(let base, let subscripts):
            let value = try evaluate(base)
            let evaluated = try subscripts.map(evaluateSubscript)
            return try located(expression.range) { try index(value, evaluated) }
        }
    }

    private func lookUp(_ name: String, range: SourceRange) throws -> Value {
        if let value = variables[name] { return value }
        if registry.command(named: name) != nil {
            throw ScriptError("'\(name)' is a command; call it as \(name)(...)", range: range)
        }
        var message = "undefined name '\(name)'"
        if let suggestion = registry.suggestion(for: name, extra: variables.names) {
            message += "; did you mean '\(suggestion)'?"
        }
        throw ScriptError(message, range: range)
    }

    /// Runs `body`, giving any `ScriptError` without a place the range `range`.
    func located<T>(_ range: SourceRange, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var error as ScriptError {
            if error.range == nil { error.range = range }
            throw error
        }
    }

    private func evaluateSubscript(_ subscriptExpression: SubscriptExpression) throws -> Subscript {
        func integer(_ expression: Expression?) throws -> Int? {
            guard let expression else { return nil }
            return try integerIndex(try evaluate(expression), range: expression.range)
        }
        switch subscriptExpression.kind {
        case .index(let expression):
            let value = try evaluate(expression)
            if case .string(let name) = value { return .key(name) }
            return .index(try integerIndex(value, range: expression.range))
        case .slice(let start, let stop, let step):
            return .slice(start: try integer(start), stop: try integer(stop), step: try integer(step))
        }
    }

    /// The whole number `value` holds, for use as an index; an error at `range` when it is not one.
    private func integerIndex(_ value: Value, range: SourceRange) throws -> Int {
        guard case .number(let number) = value, number == number.rounded(), abs(number) < 9e15 else {
            throw ScriptError("index must be an integer, got \(value.summary)", range: range)
        }
        return Int(number)
    }

    private func index(_ value: Value, _ subscripts: [Subscript]) throws -> Value {
        func pick<T>(_ items: [T], wrap: ([T]) -> Value, one: (T) -> Value) throws -> Value {
            guard subscripts.count == 1 else {
                throw ScriptError("\(value.typeName) takes one subscript, got \(subscripts.count)")
            }
            switch subscripts[0] {
            case .index(let position):
                return one(items[try Subscript.resolve(index: position, count: items.count)])
            case .slice(let start, let stop, let step):
                let positions = try Subscript.resolve(start: start, stop: stop, step: step, count: items.count)
                return wrap(positions.map { items[$0] })
            case .key(let name):
                throw ScriptError("\(value.typeName) is indexed by position, not by name (got \"\(name)\")")
            }
        }
        switch value {
        case .list(let items): return try pick(items, wrap: { .list($0) }, one: { $0 })
        case .string(let text):
            return try pick(Array(text), wrap: { .string(String($0)) }, one: { .string(String($0)) })
        case .object(let object): return try object.index(subscripts)
        default: throw ScriptError("\(value.typeName) cannot be indexed")
        }
    }
}

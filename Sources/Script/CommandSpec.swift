// CommandSpec: one command as data (name, topic, docs, typed parameters, handler).
// Help, completion, argument errors and docs/commands.md are all derived from it.

/// The type a parameter accepts; checked before the handler runs.
public indirect enum ParameterType: Sendable, Equatable {
    case any
    case number
    /// A number with no fractional part.
    case integer
    case string
    case bool
    case list
    /// A file path (a string); completion offers files with these extensions (empty: any).
    case path(extensions: [String])
    /// One of the given strings, e.g. `method="p95"`; a near miss gets a suggestion.
    case choice([String])
    /// An object whose `typeName` is this, e.g. `.object("tensor")`.
    case object(String)
    /// A name written bare (`clear x`, `help fit`) or as a string; passed as `.string`.
    case name
    /// An expression passed unevaluated, for `time expr`; read it with `CallArguments.evaluate`.
    case expression
    /// Any of several types, e.g. `.oneOf([.number, .object("tensor")])`.
    case oneOf([ParameterType])

    /// How the type reads in messages and signatures: `number`, `tensor`, `"p95"|"f1"`.
    public var displayName: String {
        switch self {
        case .any: "any"
        case .number: "number"
        case .integer: "integer"
        case .string: "string"
        case .bool: "bool"
        case .list: "list"
        case .path: "path"
        case .choice(let options): options.map { "\"\($0)\"" }.joined(separator: "|")
        case .object(let typeName): typeName
        case .name: "name"
        case .expression: "expression"
        case .oneOf(let types): types.map(\.displayName).joined(separator: " or ")
        }
    }
}

/// One parameter of a command.
public struct Parameter: Sendable {
    /// How many arguments the parameter takes.
    public enum Arity: Sendable {
        case required
        /// May be left out; the handler then sees `defaultValue` (which may be `.none`).
        case optional(defaultValue: ValueLiteral)
        /// Takes all remaining positional arguments (zero or more).
        case variadic
    }

    public var name: String
    public var type: ParameterType
    public var arity: Arity
    public var summary: String

    public init(_ name: String, _ type: ParameterType, _ arity: Arity = .required, _ summary: String = "") {
        self.name = name
        self.type = type
        self.arity = arity
        self.summary = summary
    }

    /// `name`, `name=4`, `names...` as shown in signatures.
    public var signatureText: String {
        switch arity {
        case .required: name
        case .optional(let value): "\(name)=\(value.value.summary)"
        case .variadic: "\(name)..."
        }
    }
}

/// A `Value` usable as a parameter default in a `Sendable` table: only plain literals.
public enum ValueLiteral: Sendable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case none

    public var value: Value {
        switch self {
        case .number(let number): .number(number)
        case .string(let text): .string(text)
        case .bool(let flag): .bool(flag)
        case .none: .none
        }
    }
}

/// The function that runs a command with checked arguments in an interpreter.
public typealias CommandHandler = (CallArguments, Interpreter) throws -> Value

/// A command: everything help, completion, argument checking and the docs need.
public struct CommandSpec {
    public var name: String
    /// The help topic it is listed under (`core`, `math`, `signal`, `model` …).
    public var topic: String
    /// One line, shown in `help` listings.
    public var summary: String
    /// Longer explanation shown by `help NAME` (may be empty).
    public var details: String
    /// One or more example lines shown by `help NAME`.
    public var example: String
    public var parameters: [Parameter]
    /// What it returns, e.g. `tensor`; empty for nothing.
    public var returns: String
    /// Whether it may be written without parentheses: `seed 42`, `help fit`.
    public var hasCommandForm: Bool
    /// Whether a successful call is recorded for `history save` (false for `help`, `whos` …).
    public var isReplayable: Bool
    public var handler: CommandHandler

    public init(name: String, topic: String, summary: String, details: String = "", example: String,
                parameters: [Parameter] = [], returns: String = "", hasCommandForm: Bool = false,
                isReplayable: Bool = true, handler: @escaping CommandHandler) {
        self.name = name
        self.topic = topic
        self.summary = summary
        self.details = details
        self.example = example
        self.parameters = parameters
        self.returns = returns
        self.hasCommandForm = hasCommandForm
        self.isReplayable = isReplayable
        self.handler = handler
    }

    /// `bandpass(x, low, high, order=4) -> record`.
    public var signature: String {
        let base = "\(name)(" + parameters.map(\.signatureText).joined(separator: ", ") + ")"
        return returns.isEmpty ? base : base + " -> " + returns
    }
}

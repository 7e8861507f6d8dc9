// CallArguments: a call's arguments after binding and checking against the parameter list.

/// The checked arguments a handler receives, looked up by parameter name.
///
/// Binding and type checks happened before the handler runs, so the typed accessors
/// only throw when the handler asks for a type its own parameter list does not declare.
public struct CallArguments {
    /// The command being called (for messages).
    public let commandName: String
    /// Bound values by parameter name (defaults filled in).
    private let values: [String: Value]
    /// Names the caller actually wrote (positionally or by name).
    private let given: Set<String>
    /// Unevaluated `.expression` parameters.
    private let expressions: [String: () throws -> Value]
    /// The place of each given argument, for errors pinned to it.
    public let ranges: [String: SourceRange]

    public init(commandName: String, values: [String: Value], given: Set<String>,
                expressions: [String: () throws -> Value] = [:], ranges: [String: SourceRange] = [:]) {
        self.commandName = commandName
        self.values = values
        self.given = given
        self.expressions = expressions
        self.ranges = ranges
    }

    /// Whether the caller wrote this argument (rather than it taking its default).
    public func isGiven(_ name: String) -> Bool { given.contains(name) }

    /// The value of a parameter (its default when not given; `.none` for unknown names).
    public subscript(_ name: String) -> Value { values[name] ?? .none }

    private func mismatch(_ name: String, _ expected: String) -> ScriptError {
        ScriptError("bad argument '\(name)' to '\(commandName)' (\(expected) expected, got \(self[name].typeName))",
                    argument: name, namesCommand: true)
    }

    /// The argument as a number.
    public func number(_ name: String) throws -> Double {
        guard case .number(let number) = self[name] else { throw mismatch(name, "number") }
        return number
    }

    /// The argument as a whole number (an integral number).
    public func integer(_ name: String) throws -> Int {
        guard case .number(let number) = self[name], number == number.rounded(), abs(number) < 9e15 else {
            throw mismatch(name, "integer")
        }
        return Int(number)
    }

    /// The argument as a string (also paths, names and choices).
    public func string(_ name: String) throws -> String {
        guard case .string(let text) = self[name] else { throw mismatch(name, "string") }
        return text
    }

    /// The argument as a bool.
    public func bool(_ name: String) throws -> Bool {
        guard case .bool(let flag) = self[name] else { throw mismatch(name, "bool") }
        return flag
    }

    /// The argument as a list (also the values of a variadic parameter).
    public func list(_ name: String) throws -> [Value] {
        guard case .list(let items) = self[name] else { throw mismatch(name, "list") }
        return items
    }

    /// The number, or nil when the argument is `none` (an optional left out).
    public func optionalNumber(_ name: String) throws -> Double? {
        if case .none = self[name] { return nil }
        return try number(name)
    }

    /// The string, or nil when the argument is `none`.
    public func optionalString(_ name: String) throws -> String? {
        if case .none = self[name] { return nil }
        return try string(name)
    }

    /// The object as a concrete `ScriptObject` type.
    public func object<T: ScriptObject>(_ name: String, as type: T.Type) throws -> T {
        guard case .object(let object) = self[name], let typed = object as? T else {
            throw mismatch(name, String(describing: T.self))
        }
        return typed
    }

    /// Evaluates an `.expression` parameter now (e.g. `time` evaluates inside its clock).
    public func evaluate(_ name: String) throws -> Value {
        guard let thunk = expressions[name] else { return self[name] }
        return try thunk()
    }
}

// ScriptObject: the protocol a later layer implements to make a domain type a language value.
// Every requirement but `typeName` and `summary` has a default, so a minimal type is 2 lines.

/// A domain value living in a `Value.object` (tensor, record, dataset, model, score …).
///
/// Example (a later layer):
///
///     struct TensorValue: ScriptObject {
///         var tensor: Tensor
///         var typeName: String { "tensor" }
///         var summary: String { "tensor \(tensor.shape)" }
///         var shapeDescription: String { "\(tensor.shape)" }
///         var byteCount: Int { tensor.count * 4 }
///         func index(_ subscripts: [Subscript]) throws -> Value { … }
///     }
///
/// Register a `HelpTopic` with the same `typeName` so `help tensor` explains the type.
public protocol ScriptObject {
    /// The type's name in the language: what `type(x)` returns and `help` documents.
    var typeName: String { get }
    /// The one line the REPL prints for the value, e.g. `tensor [12, 5000] float32`.
    var summary: String { get }
    /// Field names, for `x.name` and completion after `x.`.
    var fieldNames: [String] { get }
    /// The value of `x.name`; throw `ScriptError` for a name not in `fieldNames`.
    func field(named name: String) throws -> Value
    /// The value of `x[s0, s1, …]`; each subscript is an index or a slice (negative = from the end).
    func index(_ subscripts: [Subscript]) throws -> Value
    /// Element-wise arithmetic/comparison with `other` (a number or another object).
    /// `selfOnLeft` says whether the expression was `self op other` or `other op self`.
    /// Return nil when the operation is not supported, and the interpreter reports it.
    func binary(_ operation: BinaryOperator, _ other: Value, selfOnLeft: Bool) throws -> Value?
    /// `-x`, or nil when not supported.
    func negated() throws -> Value?
    /// `f(x)` applied element-wise, for `abs sqrt exp log round floor ceil`; nil when not supported.
    func map(_ functionName: String, _ function: (Double) -> Double) throws -> Value?
    /// All elements as numbers, for `sum mean min max`; nil when the value has none.
    var numericElements: [Double]? { get }
    /// What `len(x)` returns (the length of the first axis); nil when it has no length.
    var length: Int? { get }
    /// Multi-line rendering for `show x`.
    func show() -> String
    /// Bytes of memory the value holds, for `whos`.
    var byteCount: Int { get }
    /// Shape for `whos`, e.g. `[12, 5000]`; empty when shapeless.
    var shapeDescription: String { get }
    /// Equality, used by `==` and replay checks; default: never equal.
    func isEqual(to other: any ScriptObject) -> Bool
}

extension ScriptObject {
    public var fieldNames: [String] { [] }

    public func field(named name: String) throws -> Value {
        throw ScriptError.noSuchField(name, typeName: typeName, available: fieldNames)
    }

    public func index(_ subscripts: [Subscript]) throws -> Value {
        throw ScriptError("\(typeName) cannot be indexed")
    }

    public func binary(_ operation: BinaryOperator, _ other: Value, selfOnLeft: Bool) throws -> Value? { nil }

    public func negated() throws -> Value? { nil }

    public func map(_ functionName: String, _ function: (Double) -> Double) throws -> Value? { nil }

    public var numericElements: [Double]? { nil }

    public var length: Int? { nil }

    public func show() -> String { summary }

    public var byteCount: Int { 0 }

    public var shapeDescription: String { "" }

    public func isEqual(to other: any ScriptObject) -> Bool { false }
}

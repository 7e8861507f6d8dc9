// Value: what variables hold and commands take and return. Domain values (tensors,
// records, models …) plug in as `.object` through the `ScriptObject` protocol.

/// A value of the ecgs language.
public enum Value {
    case number(Double)
    case string(String)
    case bool(Bool)
    case list([Value])
    case none
    /// A domain value provided by a later layer (tensor, record, model …).
    case object(any ScriptObject)

    /// The name `type(x)` returns and argument errors use: `number`, `string`, `tensor` …
    public var typeName: String {
        switch self {
        case .number: "number"
        case .string: "string"
        case .bool: "bool"
        case .list: "list"
        case .none: "none"
        case .object(let object): object.typeName
        }
    }

    /// The one-line form the REPL prints for the value: `12`, `"text"`, `[1, 2]`, an object's summary.
    public var summary: String {
        switch self {
        case .number(let number): formatNumber(number)
        case .string(let text): quoted(text)
        case .bool(let flag): flag ? "true" : "false"
        case .list(let items): "[" + items.map(\.summary).joined(separator: ", ") + "]"
        case .none: "none"
        case .object(let object): object.summary
        }
    }

    /// The text `print` writes: strings without quotes, everything else as `summary`.
    public var printed: String {
        if case .string(let text) = self { return text }
        return summary
    }

    /// The multi-line rendering `show` prints (an object's `show()`; one line per list item).
    public func show() -> String {
        switch self {
        case .object(let object): object.show()
        case .list(let items) where items.count > 1:
            items.enumerated().map { "[\($0.offset)] \($0.element.summary)" }.joined(separator: "\n")
        default: summary
        }
    }

    /// Size in memory as `whos` reports it (8 bytes a number, UTF-8 length of strings).
    public var byteCount: Int {
        switch self {
        case .number: 8
        case .string(let text): text.utf8.count
        case .bool: 1
        case .list(let items): items.reduce(0) { $0 + $1.byteCount }
        case .none: 0
        case .object(let object): object.byteCount
        }
    }

    /// Shape as `whos` reports it: `[3]` for a list of three, an object's shape, empty for scalars.
    public var shapeDescription: String {
        switch self {
        case .list(let items): "[\(items.count)]"
        case .string(let text): "[\(text.count)]"
        case .object(let object): object.shapeDescription
        default: ""
        }
    }

    /// Names `x.<TAB>` completes and `x.name` accepts.
    public var fieldNames: [String] {
        if case .object(let object) = self { return object.fieldNames }
        return []
    }

    /// Structural equality; objects compare through `ScriptObject.isEqual(to:)`.
    public func isEqual(to other: Value) -> Bool {
        switch (self, other) {
        case let (.number(a), .number(b)): a == b
        case let (.string(a), .string(b)): a == b
        case let (.bool(a), .bool(b)): a == b
        case (.none, .none): true
        case let (.list(a), .list(b)): a.count == b.count && zip(a, b).allSatisfy { $0.isEqual(to: $1) }
        case let (.object(a), .object(b)): a.isEqual(to: b)
        default: false
        }
    }
}

/// A string in double quotes with `\n`, `\t`, `\\` and `\"` escaped, as the lexer reads it back.
func quoted(_ text: String) -> String {
    var result = "\""
    for character in text.unicodeScalars {
        switch character {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\t": result += "\\t"
        case "\r": result += "\\r"
        default: result.unicodeScalars.append(character)
        }
    }
    return result + "\""
}

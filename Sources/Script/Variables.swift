// Variables: the session's named values, kept in the order they were first assigned.

/// An insertion-ordered map from names to values (what `whos` lists).
public struct Variables {
    /// Variable names in the order they were first assigned.
    public private(set) var names: [String] = []
    private var values: [String: Value] = [:]

    public init() {}

    /// The value of a variable; assigning nil removes it, assigning a new name appends it.
    public subscript(_ name: String) -> Value? {
        get { values[name] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: name) == nil { names.append(name) }
            } else if values.removeValue(forKey: name) != nil {
                names.removeAll { $0 == name }
            }
        }
    }

    public var count: Int { names.count }

    public var isEmpty: Bool { names.isEmpty }

    /// Name-value pairs in assignment order.
    public var entries: [(name: String, value: Value)] {
        names.compactMap { name in values[name].map { (name, $0) } }
    }

    public mutating func removeAll() {
        names.removeAll()
        values.removeAll()
    }
}

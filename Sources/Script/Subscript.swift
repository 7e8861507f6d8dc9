// Subscript: one evaluated position of `x[...]`, and Python's rules for negative indices and slices.

/// One evaluated position inside `[...]`: `i`, or `start:stop:step` with optional parts.
public enum Subscript: Equatable, Sendable, CustomStringConvertible {
    case index(Int)
    case slice(start: Int?, stop: Int?, step: Int?)
    /// A name, as in `r["II"]`; objects that hold named parts (leads, records) accept it.
    case key(String)

    /// `:` — everything along the axis.
    public static let all = Subscript.slice(start: nil, stop: nil, step: nil)

    /// The element an index selects in an axis of `count`; `-1` is the last.
    /// Throws "index 7 out of range for length 5".
    public static func resolve(index: Int, count: Int) throws -> Int {
        let resolved = index < 0 ? index + count : index
        guard resolved >= 0, resolved < count else {
            throw ScriptError("index \(index) out of range for length \(count)")
        }
        return resolved
    }

    /// The positions a slice selects in an axis of `count`, with Python's semantics
    /// (`slice.indices`): out-of-range bounds clamp, negative bounds count from the end,
    /// a negative step walks backwards, step 0 is an error.
    public static func resolve(start: Int?, stop: Int?, step: Int?, count: Int) throws -> StrideTo<Int> {
        let step = step ?? 1
        guard step != 0 else { throw ScriptError("slice step cannot be zero") }
        func clamp(_ value: Int?, defaultValue: Int, low: Int, high: Int) -> Int {
            guard var value else { return defaultValue }
            if value < 0 { value += count }
            return min(max(value, low), high)
        }
        if step > 0 {
            let first = clamp(start, defaultValue: 0, low: 0, high: count)
            let last = clamp(stop, defaultValue: count, low: 0, high: count)
            return stride(from: first, to: max(first, last), by: step)
        }
        let first = clamp(start, defaultValue: count - 1, low: -1, high: count - 1)
        let last = clamp(stop, defaultValue: -1, low: -1, high: count - 1)
        return stride(from: first, to: min(first, last), by: step)
    }

    public var description: String {
        switch self {
        case .index(let index): return "\(index)"
        case .slice(let start, let stop, let step):
            let text = (start.map(String.init) ?? "") + ":" + (stop.map(String.init) ?? "")
            return step.map { text + ":\($0)" } ?? text
        case .key(let name):
            return "\"\(name)\""
        }
    }
}

// Conversions between language values and tensors: nested lists to tensors (with the position
// of a ragged or non-numeric item), and shape arguments written `2, 3` or `[2, 3]`.
import Script
import TensorCore

/// Most elements a command may create (1 GiB of float32), so a typo like `zeros(100000, 100000)`
/// fails with a message instead of exhausting memory.
let maximumTensorElements = 1 << 28

/// A number or nested list of numbers as a tensor, in C order (`numpy.array(x, dtype=float32)`).
///
/// The shape comes from the first item at each depth; every other item must match it.
/// Throws e.g. `ragged list: item [1] has 1 element, expected 2 like item [0]` or
/// `item [0, 1] is a string, expected a number`.
func tensorFromNestedList(_ value: Value) throws -> Tensor {
    var shape: [Int] = []
    var probe = value
    while case .list(let items) = probe {
        shape.append(items.count)
        guard let first = items.first else { break }
        probe = first
    }
    var scalars: [Float] = []
    scalars.reserveCapacity(Tensor.elementCount(shape))
    var path: [Int] = []
    try appendScalars(of: value, path: &path, shape: shape, into: &scalars)
    return try Tensor(shape: shape, scalars: scalars)
}

/// Appends the numbers of `value`, the item at `path` (its position in the outer lists), checking
/// it against `shape`. `path` is restored before returning, so one array serves the whole walk.
private func appendScalars(of value: Value, path: inout [Int], shape: [Int], into scalars: inout [Float]) throws {
    let depth = path.count
    if depth == shape.count {
        switch value {
        case .number(let number): scalars.append(Float(number))
        case .list:
            throw ScriptError("ragged list: \(place(path)) is a list, expected a number like \(place(firstPath(depth)))")
        default: throw ScriptError("\(place(path)) is a \(value.typeName), expected a number")
        }
        return
    }
    guard case .list(let items) = value else {
        if case .number = value {
            throw ScriptError("ragged list: \(place(path)) is a number, expected a list of \(shape[depth]) "
                              + "like \(place(firstPath(depth)))")
        }
        throw ScriptError("\(place(path)) is a \(value.typeName), expected a list of \(shape[depth])")
    }
    guard items.count == shape[depth] else {
        let noun = items.count == 1 ? "element" : "elements"
        throw ScriptError("ragged list: \(place(path)) has \(items.count) \(noun), expected \(shape[depth]) "
                          + "like \(place(firstPath(depth)))")
    }
    for (position, item) in items.enumerated() {
        path.append(position)
        try appendScalars(of: item, path: &path, shape: shape, into: &scalars)
        path.removeLast()
    }
}

/// `item [1, 0]`: where an item sits in the nested lists.
private func place(_ path: [Int]) -> String { "item " + describeShape(path) }

/// `[0, 0, …]` of `count` zeros: the item whose shape set the expectation.
private func firstPath(_ count: Int) -> [Int] { [Int](repeating: 0, count: count) }

/// The sizes of a variadic shape parameter, written `2, 3` or `[2, 3]` (no sizes: a 0-d tensor).
/// Each size must be a whole number from 0 (or -1, once, when `allowingInferred`, for `reshape`);
/// the total must stay below `maximumTensorElements`.
func shapeArgument(_ arguments: CallArguments, _ name: String, allowingInferred: Bool = false) throws -> [Int] {
    var items = try arguments.list(name)
    if items.count == 1, case .list(let inner) = items[0] { items = inner }
    var shape: [Int] = []
    for (axis, item) in items.enumerated() {
        guard case .number(let size) = item, size == size.rounded(), size >= -1, size < 9e15,
              size >= 0 || (allowingInferred && !shape.contains(-1)) else {
            let allowed = allowingInferred ? "from 0 (or -1 once)" : "from 0"
            throw ScriptError("size of axis \(axis) must be a whole number \(allowed), got \(item.summary)", argument: name)
        }
        shape.append(Int(size))
    }
    try checkElementCount(shape.filter { $0 >= 0 }, argument: name)
    return shape
}

/// Throws when a tensor of `shape` would be too large to create.
func checkElementCount(_ shape: [Int], argument: String? = nil) throws {
    var total = 1.0
    for size in shape { total *= Double(size) }
    guard total <= Double(maximumTensorElements) else {
        throw ScriptError("shape \(describeShape(shape)) has \(formatNumber(total)) elements, more than the "
                          + "\(maximumTensorElements) a tensor may hold", argument: argument)
    }
}

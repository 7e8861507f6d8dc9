// TensorValue: a float32 tensor as a value of the language — summary, fields, indexing and
// slicing. Arithmetic is in TensorValue+Arithmetic.swift, `show` in TensorValue+Printing.swift.
import Script
import TensorCore

/// A float32 n-d tensor in the language: what `tensor`, `zeros`, `ones`, `randn` … return.
///
/// Values are immutable in the language, so slices are views sharing the storage of the
/// tensor they come from (as NumPy basic slicing), except negative steps, which copy.
public struct TensorValue: ScriptObject {
    /// The wrapped tensor (any rank, possibly a strided view).
    public var tensor: Tensor

    /// Tensors with at most this many elements show their values in the one-line summary.
    public static let inlineLimit = 6

    /// Wraps `tensor` as it is (no copy; a view stays a view).
    public init(_ tensor: Tensor) {
        self.tensor = tensor
    }

    /// `tensor`: what `type(t)` returns and `help tensor` documents.
    public var typeName: String { "tensor" }

    /// `tensor [12, 5000] float32`; with at most `inlineLimit` elements the values follow,
    /// nested like lists: `tensor [2, 2] float32 [[1, 2], [3, 4]]`, `tensor [] float32 2.5`.
    public var summary: String {
        let head = "tensor \(shapeDescription) float32"
        guard tensor.count > 0, tensor.count <= TensorValue.inlineLimit else { return head }
        return head + " " + inlineValues(tensor.scalars[...], shape: tensor.shape[...])
    }

    /// The shape as a list would print: `[2, 3]`, `[]` for a 0-d tensor.
    public var shapeDescription: String { describeShape(tensor.shape) }

    /// Four bytes per element (a view counts the elements it shows).
    public var byteCount: Int { tensor.count * MemoryLayout<Float>.size }

    /// The length of the first axis; none for a 0-d tensor.
    public var length: Int? { tensor.rank > 0 ? tensor.shape[0] : nil }

    /// Every element in C order, for `sum mean min max` (summed in Double there).
    public var numericElements: [Double]? { tensor.scalars.map(Double.init) }

    /// The fields `t.<TAB>` completes.
    public var fieldNames: [String] { ["shape", "ndim", "size", "T"] }

    /// `shape` (list of sizes), `ndim` (number of axes), `size` (number of elements),
    /// `T` (last two axes swapped; the tensor itself below rank 2, as NumPy's `.T` on 1-d).
    public func field(named name: String) throws -> Value {
        switch name {
        case "shape": return .list(tensor.shape.map { .number(Double($0)) })
        case "ndim": return .number(Double(tensor.rank))
        case "size": return .number(Double(tensor.count))
        case "T": return tensor.rank < 2 ? .object(self) : .object(TensorValue(try tensor.transposed()))
        default: throw ScriptError.noSuchField(name, typeName: typeName, available: fieldNames)
        }
    }

    /// `t[i, a:b:s, ...]` with Python's rules per axis (negative indices count from the end,
    /// slice bounds clamp, negative steps walk backwards). Axes not written are kept whole.
    /// An integer removes its axis; when every axis gets an integer the result is a number.
    public func index(_ subscripts: [Subscript]) throws -> Value {
        guard subscripts.count <= tensor.rank else {
            let noun = tensor.rank == 1 ? "subscript" : "subscripts"
            throw ScriptError("tensor \(shapeDescription) takes at most \(tensor.rank) \(noun), got \(subscripts.count)")
        }
        var result = tensor
        var axis = 0
        for (position, item) in subscripts.enumerated() {
            let size = result.shape[axis]
            switch item {
            case .index(let index):
                let resolved: Int
                do {
                    resolved = try Subscript.resolve(index: index, count: size)
                } catch {
                    throw ScriptError("index \(index) out of range for axis \(position) of length \(size)")
                }
                result = try result.sliced(axis: axis, start: resolved, end: resolved + 1).squeezed(axis: axis)
            case .slice(let start, let stop, let step):
                let positions = Array(try Subscript.resolve(start: start, stop: stop, step: step, count: size))
                result = try select(result, axis: axis, positions: positions, step: step ?? 1)
                axis += 1
            case .key(let name):
                throw ScriptError("tensor axes are indexed by position, not by name (got \"\(name)\")")
            }
        }
        if result.rank == 0 { return .number(Double(try result.item)) }
        return .object(TensorValue(result))
    }

    /// Equal when the shapes and all elements are equal (NaN is never equal, as for numbers).
    public func isEqual(to other: any ScriptObject) -> Bool {
        guard let other = other as? TensorValue, other.tensor.shape == tensor.shape else { return false }
        return other.tensor.scalars == tensor.scalars
    }
}

/// The positions a resolved slice picks along `axis`: a strided view for a positive step,
/// a copy (`indexSelect`) for a negative one, since views only stride forwards.
private func select(_ tensor: Tensor, axis: Int, positions: [Int], step: Int) throws -> Tensor {
    guard let first = positions.first, let last = positions.last else {
        return try tensor.sliced(axis: axis, start: 0, end: 0)
    }
    if step > 0 { return try tensor.sliced(axis: axis, start: first, end: last + 1, step: step) }
    return try tensor.indexSelect(axis: axis, indices: positions)
}

/// `[2, 3]`, `[]`: a shape as the language prints lists.
func describeShape(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ", ") + "]"
}

/// C-order `values` of `shape` as nested lists with numbers as the REPL prints them.
private func inlineValues(_ values: ArraySlice<Float>, shape: ArraySlice<Int>) -> String {
    guard let size = shape.first else { return values.first.map { formatNumber(Double($0)) } ?? "" }
    let stride = values.count / max(size, 1)
    let items = (0..<size).map { item in
        let start = values.startIndex + item * stride
        return inlineValues(values[start..<start + stride], shape: shape.dropFirst())
    }
    return "[" + items.joined(separator: ", ") + "]"
}

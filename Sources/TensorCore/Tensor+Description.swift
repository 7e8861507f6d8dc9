// Text form of a tensor for the REPL and test messages: nested brackets, long axes elided.

extension Tensor: CustomStringConvertible {
    /// `Tensor([2, 3]) [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]`; axes longer than 8 show their first and
    /// last 3 entries around `...`; a tracked tensor adds `requiresGrad`.
    public var description: String {
        let values = scalars
        let strides = Tensor.contiguousStrides(for: shape)
        func render(axis: Int, offset: Int) -> String {
            if axis == rank { return "\(values[offset])" }
            let size = shape[axis]
            let indices: [Int?] = size > 8 ? Array(0..<3) + [nil] + Array((size - 3)..<size) : Array(0..<size)
            let parts = indices.map { index in index.map { render(axis: axis + 1, offset: offset + $0 * strides[axis]) } ?? "..." }
            return "[" + parts.joined(separator: ", ") + "]"
        }
        let body = count == 0 ? "[]" : render(axis: 0, offset: 0)
        return "Tensor(\(TensorCore.describe(shape))) \(body)" + (requiresGrad ? " requiresGrad" : "")
    }
}

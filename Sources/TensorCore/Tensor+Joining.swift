// Differentiable concat/stack/split/chunk, constant padding and index_select.

extension Tensor {
    /// Tensors joined along `axis` (`torch.cat`); all other sizes must agree.
    /// Gradient: the matching slice of `g` for each input.
    public static func concatenate(_ tensors: [Tensor], axis: Int) throws -> Tensor {
        guard let first = tensors.first else {
            throw TensorError.invalidArgument(op: "concatenate", message: "expected at least one tensor")
        }
        let a = try normalizeAxis(axis, rank: first.rank, op: "concatenate")
        var total = 0
        for tensor in tensors {
            var expected = first.shape, actual = tensor.shape
            if actual.count == expected.count { expected[a] = 0; actual[a] = 0 }
            guard expected == actual else {
                throw TensorError.shapeMismatch(op: "concatenate", expected: "shapes equal to \(describe(first.shape)) except on axis \(a)",
                                                actual: describe(tensor.shape))
            }
            total += tensor.shape[a]
        }
        var outShape = first.shape
        outShape[a] = total
        let output = Tensor(uninitializedShape: outShape)
        let outStrides = output.strides
        var position = 0
        var starts: [Int] = []
        for tensor in tensors {
            starts.append(position)
            assign(tensor, into: output.storage.pointer + position * outStrides[a], shape: tensor.shape, strides: outStrides)
            position += tensor.shape[a]
        }
        return recordOp(name: "concatenate", output: output, inputs: tensors) { g in
            try zip(tensors, starts).map { tensor, start in
                tensor.node == nil ? nil : try g.sliced(axis: a, start: start, end: start + tensor.shape[a]).contiguousData()
            }
        }
    }

    /// Tensors of equal shape stacked along a new axis (`torch.stack`).
    public static func stack(_ tensors: [Tensor], axis: Int) throws -> Tensor {
        guard let first = tensors.first else { throw TensorError.invalidArgument(op: "stack", message: "expected at least one tensor") }
        let a = try normalizeAxis(axis, rank: first.rank + 1, op: "stack")
        return try concatenate(tensors.map { try $0.unsqueezed(axis: a) }, axis: a)
    }

    /// Views of consecutive pieces of `sizes` along `axis` (`torch.split` with a size list).
    public func split(sizes: [Int], axis: Int) throws -> [Tensor] {
        let a = try normalizeAxis(axis, rank: rank, op: "split")
        guard sizes.reduce(0, +) == shape[a], sizes.allSatisfy({ $0 >= 0 }) else {
            throw TensorError.shapeMismatch(op: "split", expected: "sizes summing to \(shape[a]) (axis \(axis) of \(describe(shape)))", actual: "\(sizes)")
        }
        var start = 0
        return try sizes.map { size in
            defer { start += size }
            return try sliced(axis: a, start: start, end: start + size)
        }
    }

    /// `chunks` views of equal size along `axis` (the last smaller when it does not divide, as `torch.chunk`).
    public func chunked(_ chunks: Int, axis: Int) throws -> [Tensor] {
        let a = try normalizeAxis(axis, rank: rank, op: "chunk")
        guard chunks > 0 else { throw TensorError.invalidArgument(op: "chunk", message: "chunks must be positive, got \(chunks)") }
        let size = (shape[a] + chunks - 1) / chunks
        var sizes: [Int] = []
        var remaining = shape[a]
        while remaining > 0 {
            sizes.append(Swift.min(size, remaining))
            remaining -= size
        }
        return try split(sizes: sizes, axis: a)
    }

    /// `before` and `after` elements of `value` added on `axis` (`torch.nn.functional.pad`, constant mode).
    /// Gradient: the interior slice of `g`.
    public func padded(axis: Int, before: Int, after: Int, value: Float = 0) throws -> Tensor {
        let a = try normalizeAxis(axis, rank: rank, op: "pad")
        guard before >= 0, after >= 0 else {
            throw TensorError.invalidArgument(op: "pad", message: "padding must be non-negative, got (\(before), \(after))")
        }
        var outShape = shape
        outShape[a] += before + after
        let output = Tensor(repeating: value, shape: outShape)
        assign(self, into: output.storage.pointer + before * output.strides[a], shape: shape, strides: output.strides)
        let length = shape[a]
        return Tensor.recordOp(name: "pad", output: output, inputs: [self]) { g in
            [try g.sliced(axis: a, start: before, end: before + length)]
        }
    }

    /// The entries `indices` along `axis` (`torch.index_select`), copied. Gradient: `g` added back
    /// at those indices (repeats accumulate).
    public func indexSelect(axis: Int, indices: [Int]) throws -> Tensor {
        let a = try normalizeAxis(axis, rank: rank, op: "indexSelect")
        let size = shape[a]
        if let bad = indices.first(where: { $0 < 0 || $0 >= size }) {
            throw TensorError.invalidArgument(op: "indexSelect", message: "index \(bad) out of range 0..<\(size) on axis \(axis) of \(describe(shape))")
        }
        return try indexSelectChecked(axis: a, indices: indices)
    }

    private func indexSelectChecked(axis a: Int, indices: [Int]) throws -> Tensor {
        var outShape = shape
        outShape[a] = indices.count
        let output = Tensor(uninitializedShape: outShape)
        for (position, index) in indices.enumerated() {
            let source = viewing(shape: sliceShape(a), strides: strides, offset: offset + index * strides[a])
            assign(source, into: output.storage.pointer + position * output.strides[a], shape: sliceShape(a), strides: output.strides)
        }
        let inputShape = shape
        return Tensor.recordOp(name: "indexSelect", output: output, inputs: [self]) { g in
            let gradient = Tensor.zeros(inputShape)
            let gradientStrides = gradient.strides
            var pieceShape = inputShape
            pieceShape[a] = 1
            for (position, index) in indices.enumerated() {
                let piece = try g.sliced(axis: a, start: position, end: position + 1)
                accumulate(piece, into: gradient.storage.pointer + index * gradientStrides[a], shape: pieceShape, strides: gradientStrides)
            }
            return [gradient]
        }
    }

    private func sliceShape(_ axis: Int) -> [Int] {
        var result = shape
        result[axis] = 1
        return result
    }
}

// Differentiable views and shape ops: reshape, permute, transpose, slice, expand, squeeze, contiguous.

extension Tensor {
    /// A tensor with the same elements in C order and shape `newShape` (one entry may be -1).
    /// A view when this tensor is contiguous, else a copy (`torch.reshape`). Gradient: reshaped back.
    public func reshaped(to newShape: [Int]) throws -> Tensor {
        var resolved = newShape
        let inferred = newShape.indices.filter { newShape[$0] == -1 }
        let known = newShape.filter { $0 != -1 }.reduce(1, *)
        if inferred.count == 1, known > 0, count % known == 0 {
            resolved[inferred[0]] = count / known
        }
        guard inferred.count <= 1, resolved.allSatisfy({ $0 >= 0 }), Tensor.elementCount(resolved) == count else {
            throw TensorError.shapeMismatch(op: "reshape", expected: "a shape with \(count) elements (from \(describe(shape)))", actual: describe(newShape))
        }
        if resolved == shape { return self }
        let source = contiguousData()
        let output = source.viewing(shape: resolved, strides: Tensor.contiguousStrides(for: resolved), offset: source.offset)
        let originalShape = shape
        return Tensor.recordOp(name: "reshape", output: output, inputs: [self]) { g in [try g.reshaped(to: originalShape)] }
    }

    /// Dimensions reordered: result axis i is input axis `axes[i]` (`torch.permute`). A view.
    /// Gradient: permuted by the inverse permutation.
    public func permuted(_ axes: [Int]) throws -> Tensor {
        guard axes.count == rank, Set(axes).count == rank else {
            throw TensorError.invalidArgument(op: "permute", message: "expected a permutation of 0..<\(rank), got \(axes)")
        }
        let resolved = try axes.map { try normalizeAxis($0, rank: rank, op: "permute") }
        guard Set(resolved).count == rank else {
            throw TensorError.invalidArgument(op: "permute", message: "expected a permutation of 0..<\(rank), got \(axes)")
        }
        let output = viewing(shape: resolved.map { shape[$0] }, strides: resolved.map { strides[$0] }, offset: offset)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, axis) in resolved.enumerated() { inverse[axis] = i }
        return Tensor.recordOp(name: "permute", output: output, inputs: [self]) { g in [try g.permuted(inverse)] }
    }

    /// Axes `a` and `b` swapped (`torch.transpose`). A view.
    public func transposed(_ a: Int, _ b: Int) throws -> Tensor {
        var axes = Array(0..<rank)
        let first = try normalizeAxis(a, rank: rank, op: "transpose"), second = try normalizeAxis(b, rank: rank, op: "transpose")
        axes.swapAt(first, second)
        return try permuted(axes)
    }

    /// The last two axes swapped (matrix transpose, `Tensor.mT`). A view; rank must be at least 2.
    public func transposed() throws -> Tensor {
        guard rank >= 2 else {
            throw TensorError.shapeMismatch(op: "transpose", expected: "rank >= 2", actual: describe(shape))
        }
        return try transposed(rank - 2, rank - 1)
    }

    /// Elements `start, start + step, ...` below `end` along `axis` (`x[..., start:end:step, ...]`).
    /// Negative `start`/`end` count from the end; bounds are clamped as in Python. A view.
    /// Gradient: `g` scattered into zeros of the input shape.
    public func sliced(axis: Int, start: Int = 0, end: Int? = nil, step: Int = 1) throws -> Tensor {
        let a = try normalizeAxis(axis, rank: rank, op: "slice")
        guard step > 0 else { throw TensorError.invalidArgument(op: "slice", message: "step must be positive, got \(step)") }
        let size = shape[a]
        func resolve(_ index: Int) -> Int { Swift.min(Swift.max(index < 0 ? index + size : index, 0), size) }
        let first = resolve(start), last = resolve(end ?? size)
        let length = last > first ? (last - first + step - 1) / step : 0
        var newShape = shape, newStrides = strides
        newShape[a] = length
        newStrides[a] = strides[a] * step
        let output = viewing(shape: newShape, strides: newStrides, offset: offset + first * strides[a])
        let inputShape = shape
        return Tensor.recordOp(name: "slice", output: output, inputs: [self]) { g in
            let gradient = Tensor.zeros(inputShape)
            var sliceStrides = Tensor.contiguousStrides(for: inputShape)
            let sliceOffset = first * sliceStrides[a]
            sliceStrides[a] *= step
            assign(g, into: gradient.storage.pointer + sliceOffset, shape: newShape, strides: sliceStrides)
            return [gradient]
        }
    }

    /// Broadcast to `target` without copying (`torch.expand`): size-1 axes repeat with stride 0 and
    /// leading axes may be added. Gradient: summed back to the input shape.
    public func expanded(to target: [Int]) throws -> Tensor {
        let broadcast = try Tensor.broadcastShape(shape, target, op: "expand")
        guard broadcast == target else {
            throw TensorError.shapeMismatch(op: "expand", expected: "a shape that \(describe(shape)) broadcasts to", actual: describe(target))
        }
        if target == shape { return self }
        let output = viewing(shape: target, strides: broadcastStrides(to: target), offset: offset)
        let inputShape = shape
        return Tensor.recordOp(name: "expand", output: output, inputs: [self]) { g in [try g.sum(toShape: inputShape)] }
    }

    /// A size-1 axis inserted at `axis` (`-rank-1...rank`). Always a view. Gradient: reshaped back.
    public func unsqueezed(axis: Int) throws -> Tensor {
        let a = try normalizeAxis(axis, rank: rank + 1, op: "unsqueeze")
        var newShape = shape, newStrides = strides
        newShape.insert(1, at: a)
        newStrides.insert(a < rank ? strides[a] * shape[a] : 1, at: a)
        let inputShape = shape
        let output = viewing(shape: newShape, strides: newStrides, offset: offset)
        return Tensor.recordOp(name: "unsqueeze", output: output, inputs: [self]) { g in [try g.reshaped(to: inputShape)] }
    }

    /// The size-1 axis `axis` removed. Always a view. Gradient: reshaped back.
    public func squeezed(axis: Int) throws -> Tensor {
        let a = try normalizeAxis(axis, rank: rank, op: "squeeze")
        guard shape[a] == 1 else {
            throw TensorError.shapeMismatch(op: "squeeze", expected: "size 1 on axis \(axis)", actual: describe(shape))
        }
        var newShape = shape, newStrides = strides
        newShape.remove(at: a)
        newStrides.remove(at: a)
        let inputShape = shape
        let output = viewing(shape: newShape, strides: newStrides, offset: offset)
        return Tensor.recordOp(name: "squeeze", output: output, inputs: [self]) { g in [try g.reshaped(to: inputShape)] }
    }

    /// All axes merged into one (`torch.flatten`).
    public func flattened() throws -> Tensor { try reshaped(to: [count]) }

    /// This tensor in C order: itself when already contiguous, else a dense copy (`torch.contiguous`).
    /// Gradient: `g`.
    public func contiguous() -> Tensor {
        if isContiguous { return self }
        return Tensor.recordOp(name: "contiguous", output: contiguousCopy(), inputs: [self]) { g in [g] }
    }
}

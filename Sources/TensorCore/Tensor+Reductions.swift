// Reductions (sum, mean, max, min over axes or all) with their pullbacks, and the vectorised row sum.

/// Sum of `count` contiguous floats with 16 independent SIMD lanes (vectorised and more accurate
/// than one running sum).
@inline(__always)
func sumContiguous(_ pointer: UnsafePointer<Float>, _ count: Int) -> Float {
    var lanes = SIMD16<Float>(repeating: 0)
    var i = 0
    let raw = UnsafeRawPointer(pointer)
    while i + 16 <= count {
        lanes += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
        i += 16
    }
    var total = lanes.sum()
    while i < count {
        total += pointer[i]
        i += 1
    }
    return total
}

/// Views a contiguous tensor as `[outer, n, inner]` around `axis`.
@inline(__always)
func splitAround(_ shape: [Int], axis: Int) -> (outer: Int, n: Int, inner: Int) {
    (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
}

extension Tensor {
    /// Sum along one axis of contiguous data, no autodiff: `[outer, n, inner] -> [outer, inner]`.
    private func rawSum(axis: Int) -> Tensor {
        let source = contiguousData()
        defer { withExtendedLifetime(source) {} }
        let (outer, n, inner) = splitAround(shape, axis: axis)
        var outShape = shape
        outShape[axis] = 1
        let output = Tensor(repeating: 0, shape: outShape)
        let x = source.basePointer, y = output.storage.pointer
        for o in 0..<outer {
            if inner == 1 {
                y[o] = sumContiguous(x + o * n, n)
            } else {
                let row = y + o * inner
                for j in 0..<n {
                    let input = x + (o * n + j) * inner
                    for i in 0..<inner { row[i] += input[i] }
                }
            }
        }
        return output
    }

    /// Sum over `axes` (`torch.sum(x, dim, keepdim)`); empty `axes` gives a copy (use `sum()` for
    /// all elements). Gradient: `g` broadcast back over the reduced axes.
    public func sum(alongAxes axes: [Int], keepingDimensions: Bool = false) throws -> Tensor {
        let resolved = Set(try axes.map { try normalizeAxis($0, rank: rank, op: "sum") }).sorted(by: >)
        var reduced = resolved.isEmpty ? contiguousCopy() : self.detached()
        for axis in resolved { reduced = reduced.rawSum(axis: axis) }
        var keptShape = shape
        for axis in resolved { keptShape[axis] = 1 }
        let finalShape = keepingDimensions ? keptShape : shape.indices.filter { !resolved.contains($0) }.map { shape[$0] }
        let output = reduced.viewing(shape: finalShape, strides: Tensor.contiguousStrides(for: finalShape), offset: 0)
        let inputShape = shape
        return Tensor.recordOp(name: "sum", output: output, inputs: [self]) { g in
            [try g.reshaped(to: keptShape).expanded(to: inputShape)]
        }
    }

    /// Sum along one axis.
    public func sum(axis: Int, keepingDimensions: Bool = false) throws -> Tensor {
        try sum(alongAxes: [axis], keepingDimensions: keepingDimensions)
    }

    /// Sum of all elements as a scalar tensor (shape `[]`). Gradient: `g` broadcast to the input shape.
    public func sum() -> Tensor {
        let source = contiguousData()
        defer { withExtendedLifetime(source) {} }
        let output = Tensor(sumContiguous(source.basePointer, count))
        let inputShape = shape
        return Tensor.recordOp(name: "sum", output: output, inputs: [self]) { g in [try g.expanded(to: inputShape)] }
    }

    /// Mean over `axes` (`torch.mean(x, dim, keepdim)`). Gradient: `g / n` broadcast back.
    public func mean(alongAxes axes: [Int], keepingDimensions: Bool = false) throws -> Tensor {
        let resolved = Set(try axes.map { try normalizeAxis($0, rank: rank, op: "mean") })
        let n = resolved.reduce(1) { $0 * shape[$1] }
        return try sum(alongAxes: Array(resolved), keepingDimensions: keepingDimensions) * (1 / Float(n))
    }

    /// Mean along one axis.
    public func mean(axis: Int, keepingDimensions: Bool = false) throws -> Tensor {
        try mean(alongAxes: [axis], keepingDimensions: keepingDimensions)
    }

    /// Mean of all elements as a scalar tensor.
    public func mean() -> Tensor { sum() * (1 / Float(Swift.max(count, 1))) }

    /// Maximum along `axis` (the values of `torch.max(x, dim, keepdim)`). Gradient: `g` to the first
    /// maximal element of each reduced row.
    public func max(axis: Int, keepingDimensions: Bool = false) throws -> Tensor {
        try extremum(axis: axis, keepingDimensions: keepingDimensions, op: "max") { $0 > $1 }
    }

    /// Minimum along `axis` (the values of `torch.min(x, dim, keepdim)`). Gradient: `g` to the first
    /// minimal element of each reduced row.
    public func min(axis: Int, keepingDimensions: Bool = false) throws -> Tensor {
        try extremum(axis: axis, keepingDimensions: keepingDimensions, op: "min") { $0 < $1 }
    }

    /// Largest element as a scalar tensor. Gradient: `g` to the first maximal element.
    public func max() throws -> Tensor { try flattened().max(axis: 0) }

    /// Smallest element as a scalar tensor. Gradient: `g` to the first minimal element.
    public func min() throws -> Tensor { try flattened().min(axis: 0) }

    private func extremum(axis: Int, keepingDimensions: Bool, op: String, _ better: (Float, Float) -> Bool) throws -> Tensor {
        let a = try normalizeAxis(axis, rank: rank, op: op)
        guard shape[a] > 0 else {
            throw TensorError.shapeMismatch(op: op, expected: "a non-empty axis \(axis)", actual: describe(shape))
        }
        let source = contiguousData()
        defer { withExtendedLifetime(source) {} }
        let (outer, n, inner) = splitAround(shape, axis: a)
        var keptShape = shape
        keptShape[a] = 1
        let finalShape = keepingDimensions ? keptShape : shape.enumerated().filter { $0.offset != a }.map(\.element)
        let output = Tensor(uninitializedShape: finalShape)
        var winners = [Int](repeating: 0, count: outer * inner)
        let x = source.basePointer, y = output.storage.pointer
        for o in 0..<outer {
            for i in 0..<inner {
                var best = x[o * n * inner + i], bestIndex = 0
                for j in 1..<Swift.max(n, 1) {
                    let value = x[(o * n + j) * inner + i]
                    if better(value, best) || value.isNaN { best = value; bestIndex = j }
                }
                y[o * inner + i] = best
                winners[o * inner + i] = bestIndex
            }
        }
        let inputShape = shape
        return Tensor.recordOp(name: op, output: output, inputs: [self]) { g in
            let gradient = g.contiguousData()
            defer { withExtendedLifetime(gradient) {} }
            let result = Tensor.zeros(inputShape)
            let gx = result.storage.pointer, gy = gradient.basePointer
            for o in 0..<outer {
                for i in 0..<inner { gx[(o * n + winners[o * inner + i]) * inner + i] = gy[o * inner + i] }
            }
            return [result]
        }
    }
}

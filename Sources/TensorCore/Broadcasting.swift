// Broadcasting rules (NumPy/PyTorch) and the strided row walker that element-wise loops run on.

extension Tensor {
    /// The broadcast of two shapes (align right; sizes equal or one of them 1), as `torch.broadcast_shapes`.
    public static func broadcastShape(_ a: [Int], _ b: [Int], op: String = "broadcast") throws -> [Int] {
        let rank = Swift.max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let sizeA = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let sizeB = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if sizeA == sizeB || sizeB == 1 {
                result[i] = sizeA
            } else if sizeA == 1 {
                result[i] = sizeB
            } else {
                throw TensorError.shapeMismatch(op: op, expected: "shapes that broadcast (equal sizes or 1 per aligned axis)",
                                                actual: "\(describe(a)) and \(describe(b))")
            }
        }
        return result
    }

    /// Strides that read this tensor as if expanded to `target` (0 on broadcast axes). `target`
    /// must be a valid broadcast of `shape`.
    func broadcastStrides(to target: [Int]) -> [Int] {
        var result = [Int](repeating: 0, count: target.count)
        let lead = target.count - rank
        for axis in 0..<rank where shape[axis] != 1 {
            result[axis + lead] = strides[axis]
        }
        return result
    }
}

/// Calls `body(position0, position1, position2, rowLength, innerStride0, innerStride1, innerStride2)`
/// for every innermost row of a 3-operand strided loop over `shape`, after coalescing dimensions.
/// Positions are element indices relative to each operand's base; rows are as long as possible.
@inline(__always)
func forEachRow(shape: [Int], strides0: [Int], strides1: [Int], strides2: [Int],
                _ body: (Int, Int, Int, Int, Int, Int, Int) -> Void) {
    if Tensor.elementCount(shape) == 0 { return }
    let (merged, mergedStrides) = coalesce(shape: shape, strides: [strides0, strides1, strides2])
    let s0 = mergedStrides[0], s1 = mergedStrides[1], s2 = mergedStrides[2]
    let last = merged.count - 1
    let rowLength = merged[last]
    let inner0 = s0[last], inner1 = s1[last], inner2 = s2[last]
    if last == 0 {
        body(0, 0, 0, rowLength, inner0, inner1, inner2)
        return
    }
    var counter = [Int](repeating: 0, count: last)
    var p0 = 0, p1 = 0, p2 = 0
    while true {
        body(p0, p1, p2, rowLength, inner0, inner1, inner2)
        var axis = last - 1
        while axis >= 0 {
            counter[axis] += 1
            p0 += s0[axis]; p1 += s1[axis]; p2 += s2[axis]
            if counter[axis] < merged[axis] { break }
            p0 -= s0[axis] * merged[axis]; p1 -= s1[axis] * merged[axis]; p2 -= s2[axis] * merged[axis]
            counter[axis] = 0
            axis -= 1
        }
        if axis < 0 { return }
    }
}

/// Writes `source` (broadcast to the destination's shape) into the strided destination view.
func assign(_ source: Tensor, into destination: UnsafeMutablePointer<Float>, shape: [Int], strides: [Int]) {
    let sourceStrides = source.broadcastStrides(to: shape)
    let s = source.basePointer
    forEachRow(shape: shape, strides0: strides, strides1: sourceStrides, strides2: strides) { p0, p1, _, n, i0, i1, _ in
        let d = destination + p0, r = s + p1
        if i0 == 1 && i1 == 1 {
            d.update(from: r, count: n)
        } else {
            for i in 0..<n { d[i * i0] = r[i * i1] }
        }
    }
}

/// Adds `source` (broadcast to the destination's shape) into the strided destination view.
func accumulate(_ source: Tensor, into destination: UnsafeMutablePointer<Float>, shape: [Int], strides: [Int]) {
    let sourceStrides = source.broadcastStrides(to: shape)
    let s = source.basePointer
    forEachRow(shape: shape, strides0: strides, strides1: sourceStrides, strides2: strides) { p0, p1, _, n, i0, i1, _ in
        let d = destination + p0, r = s + p1
        if i0 == 1 && i1 == 1 {
            for i in 0..<n { d[i] += r[i] }
        } else {
            for i in 0..<n { d[i * i0] += r[i * i1] }
        }
    }
}

extension Tensor {
    /// Adds `other` (same shape) into this tensor's storage, copying first when shared (copy-on-write).
    mutating func addInPlace(_ other: Tensor) {
        let targetShape = shape
        withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            accumulate(other, into: base, shape: targetShape, strides: Tensor.contiguousStrides(for: targetShape))
        }
    }
}

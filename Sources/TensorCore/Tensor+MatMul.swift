// Matrix products through cblas_sgemm: 2-d, batched with broadcast batch axes, and the linear helper.

extension Tensor {
    /// The last two axes swapped, as a view without autodiff node (BLAS reads it transposed).
    func matrixTransposeView() -> Tensor {
        var newShape = shape, newStrides = strides
        newShape.swapAt(rank - 1, rank - 2)
        newStrides.swapAt(rank - 1, rank - 2)
        return viewing(shape: newShape, strides: newStrides, offset: offset)
    }

    /// Matrix product `a @ b` (`torch.matmul` for rank >= 2).
    ///
    /// `a: [..., M, K], b: [..., K, N] -> [broadcast(...), M, N]`. Batch axes broadcast; a transposed
    /// or permuted operand is passed to BLAS as a transpose flag, not copied. Gradients:
    /// `g @ b^T` and `a^T @ g`, summed over broadcast batch axes.
    public static func matmul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard a.rank >= 2, b.rank >= 2, a.shape[a.rank - 1] == b.shape[b.rank - 2] else {
            throw TensorError.shapeMismatch(op: "matmul", expected: "[..., M, K] x [..., K, N]", actual: "\(describe(a.shape)) x \(describe(b.shape))")
        }
        let output = try rawMatmul(a, b)
        return recordOp(name: "matmul", output: output, inputs: [a, b]) { g in
            var gradA: Tensor?, gradB: Tensor?
            if a.node != nil {
                gradA = try rawMatmul(g, b.matrixTransposeView()).sum(toShape: a.shape)
            }
            if b.node != nil {
                if b.rank == 2 && a.rank > 2 {
                    let k = a.shape[a.rank - 1], n = b.shape[1]
                    let denseA = a.contiguousData()
                    let flatA = denseA.viewing(shape: [a.count / Swift.max(k, 1), k], strides: [k, 1], offset: denseA.offset)
                    let denseG = g.contiguousData()
                    let flatG = denseG.viewing(shape: [denseG.count / Swift.max(n, 1), n], strides: [n, 1], offset: denseG.offset)
                    gradB = try rawMatmul(flatA.matrixTransposeView(), flatG)
                } else {
                    gradB = try rawMatmul(a.matrixTransposeView(), g).sum(toShape: b.shape)
                }
            }
            return [gradA, gradB]
        }
    }

    /// `self @ other`; see `Tensor.matmul(_:_:)`.
    public func matmul(_ other: Tensor) throws -> Tensor { try Tensor.matmul(self, other) }

    /// Affine map `x @ weight^T + bias` (`torch.nn.functional.linear`).
    ///
    /// `x: [..., in], weight: [out, in], bias: [out] -> [..., out]`. The weight is read transposed by
    /// BLAS, not copied.
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
        guard weight.rank == 2, x.rank >= 1, x.shape[x.rank - 1] == weight.shape[1] else {
            throw TensorError.shapeMismatch(op: "linear", expected: "x [..., in] with weight [out, in]", actual: "x \(describe(x.shape)), weight \(describe(weight.shape))")
        }
        if let bias, bias.shape != [weight.shape[0]] {
            throw TensorError.shapeMismatch(op: "linear", expected: "bias [\(weight.shape[0])]", actual: describe(bias.shape))
        }
        let input = x.rank == 1 ? try x.unsqueezed(axis: 0) : x
        var output = try matmul(input, weight.transposed())
        if let bias { output = try output + bias }
        return x.rank == 1 ? try output.squeezed(axis: 0) : output
    }
}

/// Matrix product without autodiff; shapes already validated by the caller (`[..., M, K] x [..., K, N]`).
func rawMatmul(_ left: Tensor, _ right: Tensor) throws -> Tensor {
    var a = left, b = right
    let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1], n = b.shape[b.rank - 1]
    // A matrix stack times one matrix: fold the stack into M when it is laid out densely.
    if b.rank == 2 && a.rank > 2 && a.isContiguous {
        let rows = a.count / Swift.max(k, 1)
        let product = try rawMatmul(a.viewing(shape: [rows, k], strides: [k, 1], offset: a.offset), b)
        return product.viewing(shape: Array(a.shape.dropLast()) + [n], strides: Tensor.contiguousStrides(for: Array(a.shape.dropLast()) + [n]), offset: 0)
    }
    let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
    let batchShape = try Tensor.broadcastShape(batchA, batchB, op: "matmul")
    var operandA = MatrixOperand(rows: m, columns: k, rowStride: a.strides[a.rank - 2], columnStride: a.strides[a.rank - 1])
    if operandA == nil {
        a = a.contiguousCopy()
        operandA = MatrixOperand(rows: m, columns: k, rowStride: k, columnStride: 1)
    }
    var operandB = MatrixOperand(rows: k, columns: n, rowStride: b.strides[b.rank - 2], columnStride: b.strides[b.rank - 1])
    if operandB == nil {
        b = b.contiguousCopy()
        operandB = MatrixOperand(rows: k, columns: n, rowStride: n, columnStride: 1)
    }
    let outShape = batchShape + [m, n]
    guard let layoutA = operandA, let layoutB = operandB else {
        throw TensorError.invalidArgument(op: "matmul", message: "operand layout not representable for BLAS")
    }
    if k == 0 { return Tensor.zeros(outShape) }
    let output = Tensor(uninitializedShape: outShape)
    if output.count == 0 { return output }
    let batchStridesA = a.viewing(shape: batchA, strides: Array(a.strides.dropLast(2)), offset: 0).broadcastStrides(to: batchShape)
    let batchStridesB = b.viewing(shape: batchB, strides: Array(b.strides.dropLast(2)), offset: 0).broadcastStrides(to: batchShape)
    let batches = Tensor.elementCount(batchShape)
    var counter = [Int](repeating: 0, count: batchShape.count)
    var positionA = a.offset, positionB = b.offset
    defer { withExtendedLifetime(a) {}; withExtendedLifetime(b) {} }
    let pa = a.storage.pointer, pb = b.storage.pointer, pc = output.storage.pointer
    for batch in 0..<batches {
        sgemm(transposeA: layoutA.transposed, transposeB: layoutB.transposed, m: m, n: n, k: k, alpha: 1,
              a: pa + positionA, lda: layoutA.leadingDimension, b: pb + positionB, ldb: layoutB.leadingDimension,
              beta: 0, c: pc + batch * m * n, ldc: n)
        var axis = batchShape.count - 1
        while axis >= 0 {
            counter[axis] += 1
            positionA += batchStridesA[axis]
            positionB += batchStridesB[axis]
            if counter[axis] < batchShape[axis] { break }
            positionA -= batchStridesA[axis] * batchShape[axis]
            positionB -= batchStridesB[axis] * batchShape[axis]
            counter[axis] = 0
            axis -= 1
        }
    }
    return output
}

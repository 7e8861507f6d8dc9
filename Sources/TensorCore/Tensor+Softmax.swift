// Fused, numerically stable softmax and log-softmax over one axis, with their pullbacks.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Tensor {
    /// `softmax(x)_j = e^(x_j - m) / sum_k e^(x_k - m)` along `axis`, m the row maximum
    /// (`torch.softmax`). Gradient: `y * (g - sum_j(g y))`.
    public func softmax(axis: Int) throws -> Tensor {
        let a = try normalizeAxis(axis, rank: rank, op: "softmax")
        let output = softmaxForward(axis: a, logarithmic: false)
        return Tensor.recordOp(name: "softmax", output: output, inputs: [self]) { g in
            [softmaxBackward(g, output, axis: a, logarithmic: false)]
        }
    }

    /// `x_j - m - log(sum_k e^(x_k - m))` along `axis` (`torch.log_softmax`).
    /// Gradient: `g - e^y * sum_j g`.
    public func logSoftmax(axis: Int) throws -> Tensor {
        let a = try normalizeAxis(axis, rank: rank, op: "logSoftmax")
        let output = softmaxForward(axis: a, logarithmic: true)
        return Tensor.recordOp(name: "logSoftmax", output: output, inputs: [self]) { g in
            [softmaxBackward(g, output, axis: a, logarithmic: true)]
        }
    }

    private func softmaxForward(axis: Int, logarithmic: Bool) -> Tensor {
        let source = contiguousData()
        defer { withExtendedLifetime(source) {} }
        let (outer, n, inner) = splitAround(shape, axis: axis)
        let output = Tensor(uninitializedShape: shape)
        let x = source.basePointer, y = output.storage.pointer
        if inner == 1 {
            // Rows are contiguous: vectorised exp and sum per row.
            for o in 0..<outer {
                let row = x + o * n, out = y + o * n
                let maximum = maximumContiguous(row, n)
                for j in 0..<n { out[j] = row[j] - maximum }
                VectorMath.exp(n, out, out)
                let total = sumContiguous(out, n)
                if logarithmic {
                    let logTotal = logf(total) + maximum
                    for j in 0..<n { out[j] = row[j] - logTotal }
                } else {
                    let scale = 1 / total
                    for j in 0..<n { out[j] *= scale }
                }
            }
            return output
        }
        var maxima = [Float](repeating: 0, count: inner), sums = [Float](repeating: 0, count: inner)
        for o in 0..<outer {
            let base = o * n * inner
            for i in 0..<inner { maxima[i] = -.infinity; sums[i] = 0 }
            for j in 0..<n {
                for i in 0..<inner { maxima[i] = Swift.max(maxima[i], x[base + j * inner + i]) }
            }
            for j in 0..<n {
                let slice = y + base + j * inner
                for i in 0..<inner { slice[i] = x[base + j * inner + i] - maxima[i] }
                VectorMath.exp(inner, slice, slice)
                for i in 0..<inner { sums[i] += slice[i] }
            }
            if logarithmic {
                for i in 0..<inner { sums[i] = logf(sums[i]) + maxima[i] }
                for j in 0..<n {
                    for i in 0..<inner { y[base + j * inner + i] = x[base + j * inner + i] - sums[i] }
                }
            } else {
                for i in 0..<inner { sums[i] = 1 / sums[i] }
                for j in 0..<n {
                    for i in 0..<inner { y[base + j * inner + i] *= sums[i] }
                }
            }
        }
        return output
    }
}

/// Largest of `count` contiguous floats (-inf when empty), 8 lanes at a time.
@inline(__always)
private func maximumContiguous(_ pointer: UnsafePointer<Float>, _ count: Int) -> Float {
    var lanes = SIMD8<Float>(repeating: -.infinity)
    let raw = UnsafeRawPointer(pointer)
    var i = 0
    while i + 8 <= count {
        let values = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
        lanes.replace(with: values, where: values .> lanes)
        i += 8
    }
    var result = lanes.max()
    while i < count {
        result = Swift.max(result, pointer[i])
        i += 1
    }
    return result
}

/// Shared pullback of softmax (`y (g - sum g y)`) and log-softmax (`g - e^y sum g`) on contiguous `output`.
private func softmaxBackward(_ gradient: Tensor, _ output: Tensor, axis: Int, logarithmic: Bool) -> Tensor {
    let g = gradient.contiguousData()
    defer { withExtendedLifetime(g) {} }
    let (outer, n, inner) = splitAround(output.shape, axis: axis)
    let result = Tensor(uninitializedShape: output.shape)
    let gp = g.basePointer, y = output.basePointer, r = result.storage.pointer
    var sums = [Float](repeating: 0, count: inner)
    for o in 0..<outer {
        let base = o * n * inner
        for i in 0..<inner { sums[i] = 0 }
        for j in 0..<n {
            for i in 0..<inner {
                let k = base + j * inner + i
                sums[i] += logarithmic ? gp[k] : gp[k] * y[k]
            }
        }
        for j in 0..<n {
            for i in 0..<inner {
                let k = base + j * inner + i
                r[k] = logarithmic ? gp[k] - expf(y[k]) * sums[i] : y[k] * (gp[k] - sums[i])
            }
        }
    }
    return result
}

// conv1d and conv_transpose1d (im2col + GEMM per batch item, items split over both cores) with their
// input, weight and bias gradients.

/// Unfolds one `[C, T]` signal into columns `[C*K, columns]`: entry `(c*K + k, t)` is
/// `x[c, t*stride + k - padding]`, or 0 outside the signal.
private func im2col(_ x: UnsafePointer<Float>, channels: Int, length: Int, kernel: Int, stride: Int, padding: Int,
                    columns: Int, into cols: UnsafeMutablePointer<Float>) {
    for c in 0..<channels {
        for k in 0..<kernel {
            let row = cols + (c * kernel + k) * columns
            let signal = x + c * length
            let (first, last) = validRange(kernel: k, length: length, stride: stride, padding: padding, columns: columns)
            for t in 0..<Swift.min(first, columns) { row[t] = 0 }
            if first < last {
                let start = first * stride + k - padding
                if stride == 1 {
                    (row + first).update(from: signal + start, count: last - first)
                } else {
                    for t in first..<last { row[t] = signal[start + (t - first) * stride] }
                }
            }
            for t in Swift.max(last, first)..<columns { row[t] = 0 }
        }
    }
}

/// Adjoint of `im2col`: adds column entry `(c*K + k, t)` into `x[c, t*stride + k - padding]`.
private func col2im(_ cols: UnsafePointer<Float>, channels: Int, length: Int, kernel: Int, stride: Int, padding: Int,
                    columns: Int, into x: UnsafeMutablePointer<Float>) {
    for c in 0..<channels {
        for k in 0..<kernel {
            let row = cols + (c * kernel + k) * columns
            let signal = x + c * length
            let (first, last) = validRange(kernel: k, length: length, stride: stride, padding: padding, columns: columns)
            if first >= last { continue }
            let start = first * stride + k - padding
            if stride == 1 {
                let destination = signal + start, source = row + first
                for t in 0..<(last - first) { destination[t] += source[t] }
            } else {
                for t in first..<last { signal[start + (t - first) * stride] += row[t] }
            }
        }
    }
}

/// Columns `first..<last` whose tap `k` lands inside `0..<length`.
@inline(__always)
private func validRange(kernel k: Int, length: Int, stride: Int, padding: Int, columns: Int) -> (Int, Int) {
    // t*stride + k - padding >= 0  and  t*stride + k - padding <= length - 1
    let lowNumerator = padding - k
    let first = lowNumerator <= 0 ? 0 : (lowNumerator + stride - 1) / stride
    let highNumerator = length - 1 + padding - k
    let last = highNumerator < 0 ? 0 : Swift.min(columns, highNumerator / stride + 1)
    return (Swift.min(first, columns), last)
}

/// Adds `bias[c]` to every row `(b, c)` of a contiguous `[B, C, T]` buffer.
private func addBias(_ bias: Tensor, to output: UnsafeMutablePointer<Float>, batch: Int, channels: Int, length: Int) {
    let dense = bias.contiguousData()
    defer { withExtendedLifetime(dense) {} }
    let b = dense.basePointer
    for n in 0..<batch {
        for c in 0..<channels {
            let row = output + (n * channels + c) * length
            let value = b[c]
            for t in 0..<length { row[t] += value }
        }
    }
}

/// The number of workers a batch is split over: both cores when there are two or more items and
/// enough work to pay for the hand-off, else 1. It depends only on `batch` and `workPerItem`, so
/// results are deterministic.
private func itemWorkers(batch: Int, workPerItem: Int) -> Int {
    batch >= 2 && batch * workPerItem >= 1 << 21 ? KernelThreading.workerCount : 1
}

/// Runs `body(items, worker)` over the batch split between `workers` workers (from `itemWorkers`),
/// concurrently with OpenBLAS single-threaded inside, or inline as one worker when `workers` is 1.
private func forEachItemRange(batch: Int, workers: Int, _ body: (Range<Int>, Int) -> Void) {
    if workers == 1 {
        body(0..<batch, 0)
    } else {
        KernelThreading.concurrentlyWithSingleThreadedBLAS(workers) { worker in
            body(KernelThreading.share(batch, worker: worker, of: workers), worker)
        }
    }
}

/// A weight gradient summed over batch items: each worker accumulates its items into its own
/// buffer (worker 0 straight into the result), then the buffers are added in worker order.
private func weightGradient(shape: [Int], batch: Int, workers: Int,
                            accumulate: (Range<Int>, UnsafeMutablePointer<Float>) -> Void) -> Tensor {
    let result = Tensor.zeros(shape)
    let count = result.count
    guard workers > 1 else {
        accumulate(0..<batch, result.storage.pointer)
        return result
    }
    let partial = Tensor.zeros([workers - 1, count])
    defer { withExtendedLifetime(partial) {} }
    let rp = result.storage.pointer, pp = partial.storage.pointer
    forEachItemRange(batch: batch, workers: workers) { items, worker in
        accumulate(items, worker == 0 ? rp : pp + (worker - 1) * count)
    }
    for worker in 1..<workers {
        let source = pp + (worker - 1) * count
        for index in 0..<count { rp[index] += source[index] }
    }
    return result
}

/// Bias gradient: `g: [B, C, T] -> [C]` summed over batch and time.
private func biasGradient(_ g: UnsafePointer<Float>, batch: Int, channels: Int, length: Int) -> Tensor {
    let result = Tensor.zeros([channels])
    let r = result.storage.pointer
    for n in 0..<batch {
        for c in 0..<channels { r[c] += sumContiguous(g + (n * channels + c) * length, length) }
    }
    return result
}

extension Tensor {
    /// 1-d convolution (`torch.nn.functional.conv1d`, dilation 1, groups 1).
    ///
    /// `x: [B, Cin, T], weight: [Cout, Cin, K], bias: [Cout] -> [B, Cout, (T + 2 padding - K) / stride + 1]`.
    /// Implementation: im2col per batch item and one sgemm `W [Cout, Cin*K] @ cols [Cin*K, Tout]`.
    /// Gradients: input by `col2im(W^T @ g)`, weight by `sum_b g @ cols^T`, bias by summing `g`.
    public static func conv1d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0) throws -> Tensor {
        guard x.rank == 3, weight.rank == 3, x.shape[1] == weight.shape[1] else {
            throw TensorError.shapeMismatch(op: "conv1d", expected: "x [B, Cin, T] and weight [Cout, Cin, K]",
                                            actual: "x \(describe(x.shape)), weight \(describe(weight.shape))")
        }
        let (batch, inChannels, length) = (x.shape[0], x.shape[1], x.shape[2])
        let (outChannels, kernel) = (weight.shape[0], weight.shape[2])
        if let bias, bias.shape != [outChannels] {
            throw TensorError.shapeMismatch(op: "conv1d", expected: "bias [\(outChannels)]", actual: describe(bias.shape))
        }
        guard stride > 0, padding >= 0, length + 2 * padding >= kernel, kernel > 0 else {
            throw TensorError.invalidArgument(op: "conv1d", message: "kernel \(kernel), stride \(stride), padding \(padding) do not fit input length \(length)")
        }
        let outLength = (length + 2 * padding - kernel) / stride + 1
        let rowsPerItem = inChannels * kernel
        let input = x.contiguousData(), filters = weight.contiguousData()
        let columns = Tensor(uninitializedShape: [batch, rowsPerItem, outLength])
        let output = Tensor(uninitializedShape: [batch, outChannels, outLength])
        let xp = input.basePointer, wp = filters.basePointer, cp = columns.storage.pointer, op = output.storage.pointer
        let workPerItem = outChannels * rowsPerItem * outLength
        let workers = itemWorkers(batch: batch, workPerItem: workPerItem)
        forEachItemRange(batch: batch, workers: workers) { items, _ in
            for n in items {
                let itemColumns = cp + n * rowsPerItem * outLength
                im2col(xp + n * inChannels * length, channels: inChannels, length: length, kernel: kernel, stride: stride,
                       padding: padding, columns: outLength, into: itemColumns)
                sgemm(transposeA: false, transposeB: false, m: outChannels, n: outLength, k: rowsPerItem, alpha: 1,
                      a: wp, lda: rowsPerItem, b: itemColumns, ldb: outLength, beta: 0, c: op + n * outChannels * outLength,
                      ldc: outLength)
            }
        }
        if let bias { addBias(bias, to: op, batch: batch, channels: outChannels, length: outLength) }
        return recordOp(name: "conv1d", output: output, inputs: [x, weight] + (bias.map { [$0] } ?? [])) { g in
            // Pointers from the captured tensors, so the buffers stay alive as long as the closure.
            let wp = filters.basePointer, cp = columns.storage.pointer
            let gradient = g.contiguousData()
            defer { withExtendedLifetime(gradient) {} }
            let gp = gradient.basePointer
            var gradients: [Tensor?] = [nil, nil]
            if x.node != nil {
                let gradX = Tensor.zeros(x.shape)
                let scratch = Tensor(uninitializedShape: [workers, rowsPerItem * outLength])
                let sp = scratch.storage.pointer, xgp = gradX.storage.pointer
                forEachItemRange(batch: batch, workers: workers) { items, worker in
                    let own = sp + worker * rowsPerItem * outLength
                    for n in items {
                        sgemm(transposeA: true, transposeB: false, m: rowsPerItem, n: outLength, k: outChannels, alpha: 1,
                              a: wp, lda: rowsPerItem, b: gp + n * outChannels * outLength, ldb: outLength,
                              beta: 0, c: own, ldc: outLength)
                        col2im(own, channels: inChannels, length: length, kernel: kernel, stride: stride,
                               padding: padding, columns: outLength, into: xgp + n * inChannels * length)
                    }
                }
                gradients[0] = gradX
            }
            if weight.node != nil {
                gradients[1] = weightGradient(shape: weight.shape, batch: batch, workers: workers) { items, target in
                    for n in items {
                        sgemm(transposeA: false, transposeB: true, m: outChannels, n: rowsPerItem, k: outLength, alpha: 1,
                              a: gp + n * outChannels * outLength, lda: outLength, b: cp + n * rowsPerItem * outLength,
                              ldb: outLength, beta: 1, c: target, ldc: rowsPerItem)
                    }
                }
            }
            if let bias {
                gradients.append(bias.node == nil ? nil : biasGradient(gp, batch: batch, channels: outChannels, length: outLength))
            }
            return gradients
        }
    }

    /// Transposed 1-d convolution (`torch.nn.functional.conv_transpose1d`, dilation 1, groups 1).
    ///
    /// `x: [B, Cin, T], weight: [Cin, Cout, K] (PyTorch layout), bias: [Cout]
    /// -> [B, Cout, (T - 1) stride - 2 padding + K + outputPadding]`, with `outputPadding < stride`.
    /// Implementation: `cols = W^T [Cout*K, Cin] @ x [Cin, T]` then `col2im` (the adjoint of conv1d).
    /// Gradients: input by `W @ im2col(g)`, weight by `sum_b x @ im2col(g)^T`, bias by summing `g`.
    public static func convTranspose1d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                                       outputPadding: Int = 0) throws -> Tensor {
        guard x.rank == 3, weight.rank == 3, x.shape[1] == weight.shape[0] else {
            throw TensorError.shapeMismatch(op: "convTranspose1d", expected: "x [B, Cin, T] and weight [Cin, Cout, K]",
                                            actual: "x \(describe(x.shape)), weight \(describe(weight.shape))")
        }
        let (batch, inChannels, length) = (x.shape[0], x.shape[1], x.shape[2])
        let (outChannels, kernel) = (weight.shape[1], weight.shape[2])
        if let bias, bias.shape != [outChannels] {
            throw TensorError.shapeMismatch(op: "convTranspose1d", expected: "bias [\(outChannels)]", actual: describe(bias.shape))
        }
        let outLength = (length - 1) * stride - 2 * padding + kernel + outputPadding
        guard stride > 0, padding >= 0, outputPadding >= 0, outputPadding < stride, kernel > 0, outLength > 0 else {
            throw TensorError.invalidArgument(op: "convTranspose1d", message: "kernel \(kernel), stride \(stride), padding \(padding), output padding \(outputPadding) do not fit input length \(length)")
        }
        let rowsPerItem = outChannels * kernel
        let input = x.contiguousData(), filters = weight.contiguousData()
        let output = Tensor.zeros([batch, outChannels, outLength])
        let workPerItem = rowsPerItem * length * inChannels
        let workers = itemWorkers(batch: batch, workPerItem: workPerItem)
        let scratch = Tensor(uninitializedShape: [workers, rowsPerItem * length])
        defer { withExtendedLifetime(scratch) {} }
        let xp = input.basePointer, wp = filters.basePointer, op = output.storage.pointer, sp = scratch.storage.pointer
        forEachItemRange(batch: batch, workers: workers) { items, worker in
            let own = sp + worker * rowsPerItem * length
            for n in items {
                sgemm(transposeA: true, transposeB: false, m: rowsPerItem, n: length, k: inChannels, alpha: 1,
                      a: wp, lda: rowsPerItem, b: xp + n * inChannels * length, ldb: length, beta: 0, c: own, ldc: length)
                col2im(own, channels: outChannels, length: outLength, kernel: kernel, stride: stride, padding: padding,
                       columns: length, into: op + n * outChannels * outLength)
            }
        }
        if let bias { addBias(bias, to: op, batch: batch, channels: outChannels, length: outLength) }
        return recordOp(name: "convTranspose1d", output: output, inputs: [x, weight] + (bias.map { [$0] } ?? [])) { g in
            // Pointers from the captured tensors, so the buffers stay alive as long as the closure.
            let wp = filters.basePointer, xp = input.basePointer
            let gradient = g.contiguousData()
            defer { withExtendedLifetime(gradient) {} }
            let gp = gradient.basePointer
            // im2col(g) per item feeds both gradients: the input gradient item by item on both cores,
            // then the weight gradient (worker buffers added in order), each worker on its own columns.
            let columns = Tensor(uninitializedShape: [batch, rowsPerItem * length])
            defer { withExtendedLifetime(columns) {} }
            let cp = columns.storage.pointer
            let gradX = x.node == nil ? nil : Tensor(uninitializedShape: x.shape)
            let xgp = gradX?.storage.pointer
            if x.node != nil || weight.node != nil {
                forEachItemRange(batch: batch, workers: workers) { items, _ in
                    for n in items {
                        let itemColumns = cp + n * rowsPerItem * length
                        im2col(gp + n * outChannels * outLength, channels: outChannels, length: outLength, kernel: kernel,
                               stride: stride, padding: padding, columns: length, into: itemColumns)
                        if let xgp {
                            sgemm(transposeA: false, transposeB: false, m: inChannels, n: length, k: rowsPerItem, alpha: 1,
                                  a: wp, lda: rowsPerItem, b: itemColumns, ldb: length, beta: 0,
                                  c: xgp + n * inChannels * length, ldc: length)
                        }
                    }
                }
            }
            let gradW = weight.node == nil ? nil : weightGradient(shape: weight.shape, batch: batch, workers: workers) {
                items, target in
                for n in items {
                    sgemm(transposeA: false, transposeB: true, m: inChannels, n: rowsPerItem, k: length, alpha: 1,
                          a: xp + n * inChannels * length, lda: length, b: cp + n * rowsPerItem * length, ldb: length,
                          beta: 1, c: target, ldc: rowsPerItem)
                }
            }
            var gradients: [Tensor?] = [gradX, gradW]
            if let bias {
                gradients.append(bias.node == nil ? nil : biasGradient(gp, batch: batch, channels: outChannels, length: outLength))
            }
            return gradients
        }
    }
}

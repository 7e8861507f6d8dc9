// AttentionKernel: fused multi-head scaled-dot-product attention (forward/backward) on projected
// Q, K, V, keeping only the head-averaged weights, plus its naive reference twin.
import Foundation

/// Sizes of one attention call: `Q: [B, Tq, E]`, `K, V: [B, Tk, E]`, `NH` heads of `E/NH`.
public struct AttentionShape: Sendable, Equatable {
    public var batch: Int
    public var queryLength: Int
    public var keyLength: Int
    public var embed: Int
    public var heads: Int
    /// `E / NH`.
    public var headSize: Int { embed / heads }

    public init(batch: Int, queryLength: Int, keyLength: Int, embed: Int, heads: Int) {
        precondition(heads > 0 && embed % heads == 0, "AttentionShape: embed \(embed) not divisible by \(heads) heads")
        precondition(keyLength >= 1, "AttentionShape: needs at least one key, got \(keyLength)")
        self.batch = batch
        self.queryLength = queryLength
        self.keyLength = keyLength
        self.embed = embed
        self.heads = heads
    }
}

/// Fused attention core of `torch.nn.MultiheadAttention` (batch_first, `need_weights=True`,
/// `average_attn_weights=True`), between the input and output projections:
/// per (b, head) `P = softmax(Q_h K_h^T / sqrt(E/NH))` over keys, `context_h = P V_h`.
///
/// Works one query row at a time against the (b, head)'s keys and values transposed to
/// `[E/NH, Tk]` (vectorised over keys), so the `[Tq, Tk]` score matrix of a head never exists:
/// memory beyond the inputs and outputs is the head-averaged weights `[B, Tq, Tk]`, the saved
/// log-sum-exp `[B, NH, Tq]` and per worker `4 * E/NH * Tk + 3 * Tk` floats. The backward
/// recomputes each row's probabilities from the saved log-sum-exp. Batches are split over the
/// two cores. Suited to the models' small head sizes (E/NH of 2 to 16), where a BLAS call per
/// (b, head) would be bound by packing and memory traffic.
public enum AttentionKernel {
    /// Forward: `Q: [B, Tq, E]`, `K, V: [B, Tk, E]` -> `context [B, Tq, E]`,
    /// `averageWeights [B, Tq, Tk]` (mean over heads of the softmax), `logSumExp [B, NH, Tq]`
    /// (saved for the backward; each row's `log(sum_j exp(s_j))` of the scaled scores).
    public static func forward(
        shape: AttentionShape, query: UnsafePointer<Float>, key: UnsafePointer<Float>, value: UnsafePointer<Float>,
        context: UnsafeMutablePointer<Float>, averageWeights: UnsafeMutablePointer<Float>,
        logSumExp: UnsafeMutablePointer<Float>
    ) {
        let workers = min(KernelThreading.workerCount, shape.batch)
        KernelThreading.concurrently(workers) { worker in
            let scratch = AttentionScratch(shape: shape)
            for b in KernelThreading.share(shape.batch, worker: worker, of: workers) {
                forwardBatch(shape: shape, b: b, query: query, key: key, value: value, context: context,
                             averageWeights: averageWeights, logSumExp: logSumExp, scratch: scratch)
            }
        }
    }

    /// Backward of `forward`: from `contextGradient [B, Tq, E]` and optionally
    /// `averageWeightsGradient [B, Tq, Tk]`, accumulates (`+=`) `queryGradient [B, Tq, E]`,
    /// `keyGradient, valueGradient [B, Tk, E]`. Needs the forward's `logSumExp`.
    public static func backward(
        shape: AttentionShape, query: UnsafePointer<Float>, key: UnsafePointer<Float>, value: UnsafePointer<Float>,
        logSumExp: UnsafePointer<Float>, contextGradient: UnsafePointer<Float>,
        averageWeightsGradient: UnsafePointer<Float>?,
        queryGradient: UnsafeMutablePointer<Float>, keyGradient: UnsafeMutablePointer<Float>,
        valueGradient: UnsafeMutablePointer<Float>
    ) {
        let workers = min(KernelThreading.workerCount, shape.batch)
        KernelThreading.concurrently(workers) { worker in
            let scratch = AttentionScratch(shape: shape)
            for b in KernelThreading.share(shape.batch, worker: worker, of: workers) {
                backwardBatch(shape: shape, b: b, query: query, key: key, value: value, logSumExp: logSumExp,
                              contextGradient: contextGradient, averageWeightsGradient: averageWeightsGradient,
                              queryGradient: queryGradient, keyGradient: keyGradient,
                              valueGradient: valueGradient, scratch: scratch)
            }
        }
    }

    static func forwardBatch(
        shape: AttentionShape, b: Int, query: UnsafePointer<Float>, key: UnsafePointer<Float>,
        value: UnsafePointer<Float>, context: UnsafeMutablePointer<Float>,
        averageWeights: UnsafeMutablePointer<Float>, logSumExp: UnsafeMutablePointer<Float>, scratch: AttentionScratch
    ) {
        let tq = shape.queryLength, tk = shape.keyLength, e = shape.embed, dh = shape.headSize
        let padded = scratch.paddedKeys
        let scale = 1 / Float(dh).squareRoot()
        let inverseHeads = 1 / Float(shape.heads)
        let weightsBase = averageWeights + b * tq * tk
        weightsBase.update(repeating: 0, count: tq * tk)
        for head in 0..<shape.heads {
            scratch.loadTransposed(key + b * tk * e + head * dh, rowStride: e, rows: tk, into: scratch.keysT)
            scratch.loadTransposed(value + b * tk * e + head * dh, rowStride: e, rows: tk, into: scratch.valuesT)
            for i in 0..<tq {
                let q = query + (b * tq + i) * e + head * dh
                let probabilities = scratch.row
                let rowLogSumExp = scratch.softmaxRow(q: q, scale: scale, keyLength: tk,
                                                      into: probabilities)
                logSumExp[(b * shape.heads + head) * tq + i] = rowLogSumExp
                let weights = weightsBase + i * tk
                for j in 0..<tk { weights[j] += probabilities[j] * inverseHeads }
                let out = context + (b * tq + i) * e + head * dh
                for d in 0..<dh {
                    let v = scratch.valuesT + d * padded
                    var accumulator = SIMD16<Float>()
                    var j = 0
                    while j < padded {
                        accumulator += kernelLoad16(probabilities + j) * kernelLoad16(v + j)
                        j += 16
                    }
                    out[d] = accumulator.sum()
                }
            }
        }
    }

    static func backwardBatch(
        shape: AttentionShape, b: Int, query: UnsafePointer<Float>, key: UnsafePointer<Float>,
        value: UnsafePointer<Float>, logSumExp: UnsafePointer<Float>, contextGradient: UnsafePointer<Float>,
        averageWeightsGradient: UnsafePointer<Float>?, queryGradient: UnsafeMutablePointer<Float>,
        keyGradient: UnsafeMutablePointer<Float>, valueGradient: UnsafeMutablePointer<Float>,
        scratch: AttentionScratch
    ) {
        let tq = shape.queryLength, tk = shape.keyLength, e = shape.embed, dh = shape.headSize
        let padded = scratch.paddedKeys
        let scale = 1 / Float(dh).squareRoot()
        let inverseHeads = 1 / Float(shape.heads)
        let probabilities = scratch.row, probabilityGradient = scratch.rowGradient
        for head in 0..<shape.heads {
            scratch.loadTransposed(key + b * tk * e + head * dh, rowStride: e, rows: tk, into: scratch.keysT)
            scratch.loadTransposed(value + b * tk * e + head * dh, rowStride: e, rows: tk, into: scratch.valuesT)
            scratch.keysGradientT.update(repeating: 0, count: dh * padded)
            scratch.valuesGradientT.update(repeating: 0, count: dh * padded)
            for i in 0..<tq {
                let q = query + (b * tq + i) * e + head * dh
                let dContext = contextGradient + (b * tq + i) * e + head * dh
                scratch.scores(q: q, scale: scale, keyLength: tk, into: probabilities)
                let rowLogSumExp = logSumExp[(b * shape.heads + head) * tq + i]
                var j = 0
                while j < padded {
                    kernelStore16(VectorMath.exp(kernelLoad16(probabilities + j) - rowLogSumExp), probabilities + j)
                    j += 16
                }
                // dP = dContext_i V^T (+ dWeights / NH); rowDot = sum_j p_j dP_j.
                if let averageWeightsGradient {
                    let dWeights = averageWeightsGradient + (b * tq + i) * tk
                    for column in 0..<tk { probabilityGradient[column] = dWeights[column] * inverseHeads }
                    for column in tk..<padded { probabilityGradient[column] = 0 }
                } else {
                    probabilityGradient.update(repeating: 0, count: padded)
                }
                for d in 0..<dh {
                    let gradient = dContext[d]
                    let v = scratch.valuesT + d * padded, dv = scratch.valuesGradientT + d * padded
                    j = 0
                    while j < padded {
                        let p = kernelLoad16(probabilities + j)
                        kernelStore16(kernelLoad16(probabilityGradient + j) + gradient * kernelLoad16(v + j), probabilityGradient + j)
                        kernelStore16(kernelLoad16(dv + j) + gradient * p, dv + j)
                        j += 16
                    }
                }
                var rowDotVector = SIMD16<Float>()
                j = 0
                while j < padded {
                    rowDotVector += kernelLoad16(probabilities + j) * kernelLoad16(probabilityGradient + j)
                    j += 16
                }
                let rowDot = rowDotVector.sum()
                // dS = P * (dP - rowDot), scaled once for both dQ and dK.
                j = 0
                while j < padded {
                    let p = kernelLoad16(probabilities + j)
                    kernelStore16(scale * p * (kernelLoad16(probabilityGradient + j) - rowDot), probabilityGradient + j)
                    j += 16
                }
                let dq = queryGradient + (b * tq + i) * e + head * dh
                for d in 0..<dh {
                    let k = scratch.keysT + d * padded, dk = scratch.keysGradientT + d * padded
                    let qd = q[d]
                    var accumulator = SIMD16<Float>()
                    j = 0
                    while j < padded {
                        let ds = kernelLoad16(probabilityGradient + j)
                        accumulator += ds * kernelLoad16(k + j)
                        kernelStore16(kernelLoad16(dk + j) + qd * ds, dk + j)
                        j += 16
                    }
                    dq[d] += accumulator.sum()
                }
            }
            for j in 0..<tk {
                let dk = keyGradient + (b * tk + j) * e + head * dh
                let dv = valueGradient + (b * tk + j) * e + head * dh
                for d in 0..<dh {
                    dk[d] += scratch.keysGradientT[d * padded + j]
                    dv[d] += scratch.valuesGradientT[d * padded + j]
                }
            }
        }
    }
}

/// One worker's scratch for `AttentionKernel`: a head's keys and values transposed to
/// `[E/NH, Tk16]` (Tk rounded up to 16, zero-padded), their gradients, and two score rows.
final class AttentionScratch {
    let headSize: Int
    let paddedKeys: Int
    let keysT: UnsafeMutablePointer<Float>
    let valuesT: UnsafeMutablePointer<Float>
    let keysGradientT: UnsafeMutablePointer<Float>
    let valuesGradientT: UnsafeMutablePointer<Float>
    let row: UnsafeMutablePointer<Float>
    let rowGradient: UnsafeMutablePointer<Float>

    init(shape: AttentionShape) {
        headSize = shape.headSize
        paddedKeys = max(16, (shape.keyLength + 15) / 16 * 16)
        let matrix = shape.headSize * paddedKeys
        keysT = .allocate(capacity: matrix)
        valuesT = .allocate(capacity: matrix)
        keysGradientT = .allocate(capacity: matrix)
        valuesGradientT = .allocate(capacity: matrix)
        row = .allocate(capacity: paddedKeys)
        rowGradient = .allocate(capacity: paddedKeys)
        keysT.update(repeating: 0, count: matrix)
        valuesT.update(repeating: 0, count: matrix)
    }

    deinit {
        keysT.deallocate()
        valuesT.deallocate()
        keysGradientT.deallocate()
        valuesGradientT.deallocate()
        row.deallocate()
        rowGradient.deallocate()
    }

    /// Copies `rows` rows of `headSize` columns (row stride `rowStride`) into `[headSize, paddedKeys]`.
    func loadTransposed(_ source: UnsafePointer<Float>, rowStride: Int, rows: Int, into target: UnsafeMutablePointer<Float>) {
        for j in 0..<rows {
            let sourceRow = source + j * rowStride
            for d in 0..<headSize { target[d * paddedKeys + j] = sourceRow[d] }
        }
    }

    /// Scaled scores `s_j = scale * q . k_j` into `target[0..<paddedKeys]`, `-inf` in the padding.
    @inline(__always)
    func scores(q: UnsafePointer<Float>, scale: Float, keyLength: Int, into target: UnsafeMutablePointer<Float>) {
        var j = 0
        while j < paddedKeys {
            var accumulator = SIMD16<Float>()
            for d in 0..<headSize { accumulator += q[d] * kernelLoad16(keysT + d * paddedKeys + j) }
            kernelStore16(accumulator * scale, target + j)
            j += 16
        }
        for column in keyLength..<paddedKeys { target[column] = -.infinity }
    }

    /// Softmax of the scaled scores into `target`; returns the row's log-sum-exp.
    @inline(__always)
    func softmaxRow(q: UnsafePointer<Float>, scale: Float, keyLength: Int,
                    into target: UnsafeMutablePointer<Float>) -> Float {
        scores(q: q, scale: scale, keyLength: keyLength, into: target)
        var maximumVector = SIMD16<Float>(repeating: -.infinity)
        var j = 0
        while j < paddedKeys {
            maximumVector = kernelMaximum16(maximumVector, kernelLoad16(target + j))
            j += 16
        }
        let maximum = maximumVector.max()
        var sumVector = SIMD16<Float>()
        j = 0
        while j < paddedKeys {
            let exponential = VectorMath.exp(kernelLoad16(target + j) - maximum)
            kernelStore16(exponential, target + j)
            sumVector += exponential
            j += 16
        }
        let sum = sumVector.sum()
        let inverse = 1 / sum
        j = 0
        while j < paddedKeys {
            kernelStore16(kernelLoad16(target + j) * inverse, target + j)
            j += 16
        }
        return maximum + Foundation.log(sum)
    }
}

// MARK: - Naive reference twin

extension AttentionKernel {
    /// The naive twin: per (b, head) the full score matrix, libm `exp`, plain loops, arrays.
    public enum Reference {
        /// Forward: returns `context [B, Tq, E]` and `averageWeights [B, Tq, Tk]`.
        public static func forward(shape: AttentionShape, query: [Float], key: [Float], value: [Float])
            -> (context: [Float], averageWeights: [Float]) {
            let tq = shape.queryLength, tk = shape.keyLength, e = shape.embed, dh = shape.headSize
            var context = [Float](repeating: 0, count: shape.batch * tq * e)
            var weights = [Float](repeating: 0, count: shape.batch * tq * tk)
            for b in 0..<shape.batch {
                for head in 0..<shape.heads {
                    let p = probabilities(shape: shape, b: b, head: head, query: query, key: key)
                    for i in 0..<tq {
                        for j in 0..<tk { weights[(b * tq + i) * tk + j] += p[i * tk + j] / Float(shape.heads) }
                        for d in 0..<dh {
                            var sum: Float = 0
                            for j in 0..<tk { sum += p[i * tk + j] * value[(b * tk + j) * e + head * dh + d] }
                            context[(b * tq + i) * e + head * dh + d] = sum
                        }
                    }
                }
            }
            return (context, weights)
        }

        /// Backward: returns `(dQ, dK, dV)` for `contextGradient` and optional `averageWeightsGradient`.
        public static func backward(shape: AttentionShape, query: [Float], key: [Float], value: [Float],
                                    contextGradient: [Float], averageWeightsGradient: [Float]?)
            -> (query: [Float], key: [Float], value: [Float]) {
            let tq = shape.queryLength, tk = shape.keyLength, e = shape.embed, dh = shape.headSize
            let scale = 1 / Float(dh).squareRoot()
            var dQuery = [Float](repeating: 0, count: query.count)
            var dKey = [Float](repeating: 0, count: key.count)
            var dValue = [Float](repeating: 0, count: value.count)
            for b in 0..<shape.batch {
                for head in 0..<shape.heads {
                    let p = probabilities(shape: shape, b: b, head: head, query: query, key: key)
                    for i in 0..<tq {
                        var dP = [Float](repeating: 0, count: tk)
                        for j in 0..<tk {
                            var sum = averageWeightsGradient.map { $0[(b * tq + i) * tk + j] / Float(shape.heads) } ?? 0
                            for d in 0..<dh {
                                let gradient = contextGradient[(b * tq + i) * e + head * dh + d]
                                sum += gradient * value[(b * tk + j) * e + head * dh + d]
                                dValue[(b * tk + j) * e + head * dh + d] += p[i * tk + j] * gradient
                            }
                            dP[j] = sum
                        }
                        var rowDot: Float = 0
                        for j in 0..<tk { rowDot += p[i * tk + j] * dP[j] }
                        for j in 0..<tk {
                            let dScore = p[i * tk + j] * (dP[j] - rowDot) * scale
                            for d in 0..<dh {
                                dQuery[(b * tq + i) * e + head * dh + d] += dScore * key[(b * tk + j) * e + head * dh + d]
                                dKey[(b * tk + j) * e + head * dh + d] += dScore * query[(b * tq + i) * e + head * dh + d]
                            }
                        }
                    }
                }
            }
            return (dQuery, dKey, dValue)
        }

        /// Softmax over keys of one (b, head)'s scaled scores: `[Tq, Tk]`.
        static func probabilities(shape: AttentionShape, b: Int, head: Int, query: [Float], key: [Float]) -> [Float] {
            let tq = shape.queryLength, tk = shape.keyLength, e = shape.embed, dh = shape.headSize
            let scale = 1 / Float(dh).squareRoot()
            var p = [Float](repeating: 0, count: tq * tk)
            for i in 0..<tq {
                for j in 0..<tk {
                    var sum: Float = 0
                    for d in 0..<dh { sum += query[(b * tq + i) * e + head * dh + d] * key[(b * tk + j) * e + head * dh + d] }
                    p[i * tk + j] = sum * scale
                }
                let maximum = p[(i * tk)..<(i * tk + tk)].max() ?? 0
                var total: Float = 0
                for j in 0..<tk {
                    p[i * tk + j] = Foundation.exp(p[i * tk + j] - maximum)
                    total += p[i * tk + j]
                }
                for j in 0..<tk { p[i * tk + j] /= total }
            }
            return p
        }
    }
}

// LeadAttentionKernel: many tiny self-attentions (up to 16 tokens, e.g. the 12 leads of every
// (b, t)) in direct SIMD loops without per-group BLAS calls, forward/backward, plus its naive twin.
import Foundation

/// Sizes of one batched tiny-attention call: `G` groups of `n <= 16` tokens of dimension `d`,
/// `NH` heads of `d/NH`. Q, K, V, context: `[G, n, d]`; head-averaged weights `[G, n, n]`.
public struct LeadAttentionShape: Sendable, Equatable {
    public var groups: Int
    public var tokens: Int
    public var embed: Int
    public var heads: Int
    /// `d / NH`.
    public var headSize: Int { embed / heads }

    public init(groups: Int, tokens: Int, embed: Int, heads: Int) {
        precondition(tokens >= 1 && tokens <= 16, "LeadAttentionShape: tokens must be 1...16, got \(tokens)")
        precondition(heads > 0 && embed % heads == 0, "LeadAttentionShape: embed \(embed) not divisible by \(heads) heads")
        self.groups = groups
        self.tokens = tokens
        self.embed = embed
        self.heads = heads
    }
}

/// Batched self-attention over tiny groups, `torch.nn.MultiheadAttention` semantics per group
/// (scaled dot product, softmax over keys, weights averaged over heads), for the lead-wise
/// attention of VAE-BiLSTM-MHA (`G = B*T`, 12 tokens). Each group's head is held transposed
/// with the queries in the lanes of `SIMD16` vectors, so the softmax over keys is a lane-wise
/// maximum and sum over `n` vectors, with no horizontal operations. Nothing is saved for the
/// backward (it recomputes the probabilities, cheaper than storing `G*NH*n*n` floats).
/// Groups are split over the two cores.
public enum LeadAttentionKernel {
    /// Forward: `Q, K, V: [G, n, d] -> context [G, n, d]`, `averageWeights [G, n, n]`
    /// (query-major: `[g, i, j]` is query i's weight on key j, mean over heads).
    public static func forward(
        shape: LeadAttentionShape, query: UnsafePointer<Float>, key: UnsafePointer<Float>,
        value: UnsafePointer<Float>, context: UnsafeMutablePointer<Float>, averageWeights: UnsafeMutablePointer<Float>
    ) {
        let workers = min(KernelThreading.workerCount, shape.groups)
        KernelThreading.concurrently(workers) { worker in
            let scratch = LeadAttentionScratch(shape: shape)
            for group in KernelThreading.share(shape.groups, worker: worker, of: workers) {
                forwardGroup(shape: shape, group: group, query: query, key: key, value: value,
                             context: context, averageWeights: averageWeights, scratch: scratch)
            }
        }
    }

    /// Backward of `forward`: from `contextGradient [G, n, d]` and optionally
    /// `averageWeightsGradient [G, n, n]`, accumulates (`+=`) into `queryGradient`,
    /// `keyGradient`, `valueGradient` (all `[G, n, d]`).
    public static func backward(
        shape: LeadAttentionShape, query: UnsafePointer<Float>, key: UnsafePointer<Float>,
        value: UnsafePointer<Float>, contextGradient: UnsafePointer<Float>,
        averageWeightsGradient: UnsafePointer<Float>?, queryGradient: UnsafeMutablePointer<Float>,
        keyGradient: UnsafeMutablePointer<Float>, valueGradient: UnsafeMutablePointer<Float>
    ) {
        let workers = min(KernelThreading.workerCount, shape.groups)
        KernelThreading.concurrently(workers) { worker in
            let scratch = LeadAttentionScratch(shape: shape)
            for group in KernelThreading.share(shape.groups, worker: worker, of: workers) {
                backwardGroup(shape: shape, group: group, query: query, key: key, value: value,
                              contextGradient: contextGradient, averageWeightsGradient: averageWeightsGradient,
                              queryGradient: queryGradient, keyGradient: keyGradient,
                              valueGradient: valueGradient, scratch: scratch)
            }
        }
    }

    static func forwardGroup(
        shape: LeadAttentionShape, group: Int, query: UnsafePointer<Float>, key: UnsafePointer<Float>,
        value: UnsafePointer<Float>, context: UnsafeMutablePointer<Float>,
        averageWeights: UnsafeMutablePointer<Float>, scratch: LeadAttentionScratch
    ) {
        let n = shape.tokens, d = shape.embed, dh = shape.headSize
        let base = group * n * d
        let weightsT = scratch.weightsT, probabilitiesT = scratch.probabilitiesT
        for j in 0..<n { weightsT[j] = SIMD16() }
        for head in 0..<shape.heads {
            let offset = base + head * dh
            scratch.probabilities(query: query + offset, key: key + offset, shape: shape)
            for j in 0..<n { weightsT[j] += probabilitiesT[j] }
            for column in 0..<dh {
                var accumulator = SIMD16<Float>()
                for j in 0..<n { accumulator += probabilitiesT[j] * value[offset + j * d + column] }
                let out = context + offset + column
                for i in 0..<n { out[i * d] = accumulator[i] }
            }
        }
        let inverseHeads = 1 / Float(shape.heads)
        let weights = averageWeights + group * n * n
        for j in 0..<n {
            let column = weightsT[j] * inverseHeads
            for i in 0..<n { weights[i * n + j] = column[i] }
        }
    }

    static func backwardGroup(
        shape: LeadAttentionShape, group: Int, query: UnsafePointer<Float>, key: UnsafePointer<Float>,
        value: UnsafePointer<Float>, contextGradient: UnsafePointer<Float>,
        averageWeightsGradient: UnsafePointer<Float>?, queryGradient: UnsafeMutablePointer<Float>,
        keyGradient: UnsafeMutablePointer<Float>, valueGradient: UnsafeMutablePointer<Float>,
        scratch: LeadAttentionScratch
    ) {
        let n = shape.tokens, d = shape.embed, dh = shape.headSize
        let base = group * n * d
        let scale = 1 / Float(dh).squareRoot()
        let inverseHeads = 1 / Float(shape.heads)
        let probabilitiesT = scratch.probabilitiesT, queryT = scratch.queryT
        let weightsGradientT = scratch.weightsT, contextGradientT = scratch.contextGradientT
        let probabilityGradientT = scratch.probabilityGradientT
        for j in 0..<n {
            var column = SIMD16<Float>()
            if let averageWeightsGradient {
                let dWeights = averageWeightsGradient + group * n * n
                for i in 0..<n { column[i] = dWeights[i * n + j] }
            }
            weightsGradientT[j] = column * inverseHeads
        }
        for head in 0..<shape.heads {
            let offset = base + head * dh
            scratch.probabilities(query: query + offset, key: key + offset, shape: shape)
            for column in 0..<dh {
                var gathered = SIMD16<Float>()
                for i in 0..<n { gathered[i] = contextGradient[offset + i * d + column] }
                contextGradientT[column] = gathered
            }
            // dP^T[j] = sum_c dContext^T[c] V[j, c] + dW^T[j] / NH; dV[j, c] = sum_i P[i, j] dContext[i, c].
            var rowDot = SIMD16<Float>()
            for j in 0..<n {
                var gradient = weightsGradientT[j]
                for column in 0..<dh {
                    gradient += contextGradientT[column] * value[offset + j * d + column]
                    valueGradient[offset + j * d + column] += (probabilitiesT[j] * contextGradientT[column]).sum()
                }
                probabilityGradientT[j] = gradient
                rowDot += probabilitiesT[j] * gradient
            }
            for j in 0..<n {
                probabilityGradientT[j] = scale * probabilitiesT[j] * (probabilityGradientT[j] - rowDot)
            }
            for column in 0..<dh {
                var accumulator = SIMD16<Float>()
                for j in 0..<n {
                    accumulator += probabilityGradientT[j] * key[offset + j * d + column]
                    keyGradient[offset + j * d + column] += (probabilityGradientT[j] * queryT[column]).sum()
                }
                let dq = queryGradient + offset + column
                for i in 0..<n { dq[i * d] += accumulator[i] }
            }
        }
    }
}

/// One worker's scratch for `LeadAttentionKernel`: vectors with the queries in the lanes.
final class LeadAttentionScratch {
    let queryT: UnsafeMutablePointer<SIMD16<Float>>
    let probabilitiesT: UnsafeMutablePointer<SIMD16<Float>>
    let weightsT: UnsafeMutablePointer<SIMD16<Float>>
    let contextGradientT: UnsafeMutablePointer<SIMD16<Float>>
    let probabilityGradientT: UnsafeMutablePointer<SIMD16<Float>>

    init(shape: LeadAttentionShape) {
        queryT = .allocate(capacity: shape.headSize)
        contextGradientT = .allocate(capacity: shape.headSize)
        probabilitiesT = .allocate(capacity: 16)
        weightsT = .allocate(capacity: 16)
        probabilityGradientT = .allocate(capacity: 16)
    }

    deinit {
        queryT.deallocate()
        probabilitiesT.deallocate()
        weightsT.deallocate()
        contextGradientT.deallocate()
        probabilityGradientT.deallocate()
    }

    /// Loads one head's queries transposed (zero lanes past n) into `queryT` and its softmax
    /// probabilities, transposed (`probabilitiesT[j]` lane i = P[i, j]), into `probabilitiesT`.
    /// `query`/`key` point at the head's first column of the group; rows are `embed` apart.
    @inline(__always)
    func probabilities(query: UnsafePointer<Float>, key: UnsafePointer<Float>, shape: LeadAttentionShape) {
        let n = shape.tokens, d = shape.embed, dh = shape.headSize
        let scale = 1 / Float(dh).squareRoot()
        for column in 0..<dh {
            var gathered = SIMD16<Float>()
            for i in 0..<n { gathered[i] = query[i * d + column] }
            queryT[column] = gathered
        }
        var maximum = SIMD16<Float>(repeating: -.infinity)
        for j in 0..<n {
            var score = SIMD16<Float>()
            for column in 0..<dh { score += queryT[column] * key[j * d + column] }
            score *= scale
            probabilitiesT[j] = score
            maximum = kernelMaximum16(maximum, score)
        }
        var sum = SIMD16<Float>()
        for j in 0..<n {
            let exponential = VectorMath.exp(probabilitiesT[j] - maximum)
            probabilitiesT[j] = exponential
            sum += exponential
        }
        let inverse = 1 / sum
        for j in 0..<n { probabilitiesT[j] *= inverse }
    }
}

// MARK: - Naive reference twin

extension LeadAttentionKernel {
    /// The naive twin: per group and head the full `[n, n]` matrices, libm `exp`, arrays.
    public enum Reference {
        /// Forward: `context [G, n, d]`, `averageWeights [G, n, n]`.
        public static func forward(shape: LeadAttentionShape, query: [Float], key: [Float], value: [Float])
            -> (context: [Float], averageWeights: [Float]) {
            let attention = AttentionShape(batch: shape.groups, queryLength: shape.tokens, keyLength: shape.tokens,
                                           embed: shape.embed, heads: shape.heads)
            return AttentionKernel.Reference.forward(shape: attention, query: query, key: key, value: value)
        }

        /// Backward: `(dQ, dK, dV)`.
        public static func backward(shape: LeadAttentionShape, query: [Float], key: [Float], value: [Float],
                                    contextGradient: [Float], averageWeightsGradient: [Float]?)
            -> (query: [Float], key: [Float], value: [Float]) {
            let attention = AttentionShape(batch: shape.groups, queryLength: shape.tokens, keyLength: shape.tokens,
                                           embed: shape.embed, heads: shape.heads)
            return AttentionKernel.Reference.backward(shape: attention, query: query, key: key, value: value,
                                                      contextGradient: contextGradient,
                                                      averageWeightsGradient: averageWeightsGradient)
        }
    }
}

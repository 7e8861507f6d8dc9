// AttentionKernel and LeadAttentionKernel: fused vs naive twin on random shapes, and both
// against PyTorch nn.MultiheadAttention fixtures (projections done here with plain loops).
import Foundation
import Testing
@testable import TensorCore

/// Fused temporal attention forward + backward on arrays.
func runFusedAttention(shape: AttentionShape, query: [Float], key: [Float], value: [Float],
                       contextGradient: [Float], weightsGradient: [Float]?)
    -> (context: [Float], weights: [Float], dQuery: [Float], dKey: [Float], dValue: [Float]) {
    var context = [Float](repeating: 0, count: query.count)
    var weights = [Float](repeating: 0, count: shape.batch * shape.queryLength * shape.keyLength)
    var logSumExp = [Float](repeating: 0, count: shape.batch * shape.heads * shape.queryLength)
    var dQuery = [Float](repeating: 0, count: query.count)
    var dKey = [Float](repeating: 0, count: key.count)
    var dValue = [Float](repeating: 0, count: value.count)
    AttentionKernel.forward(shape: shape, query: query, key: key, value: value, context: &context,
                            averageWeights: &weights, logSumExp: &logSumExp)
    if let weightsGradient {
        AttentionKernel.backward(shape: shape, query: query, key: key, value: value, logSumExp: logSumExp,
                                 contextGradient: contextGradient, averageWeightsGradient: weightsGradient,
                                 queryGradient: &dQuery, keyGradient: &dKey, valueGradient: &dValue)
    } else {
        AttentionKernel.backward(shape: shape, query: query, key: key, value: value, logSumExp: logSumExp,
                                 contextGradient: contextGradient, averageWeightsGradient: nil,
                                 queryGradient: &dQuery, keyGradient: &dKey, valueGradient: &dValue)
    }
    return (context, weights, dQuery, dKey, dValue)
}

/// Fused lead attention forward + backward on arrays.
func runFusedLeadAttention(shape: LeadAttentionShape, query: [Float], key: [Float], value: [Float],
                           contextGradient: [Float], weightsGradient: [Float]?)
    -> (context: [Float], weights: [Float], dQuery: [Float], dKey: [Float], dValue: [Float]) {
    var context = [Float](repeating: 0, count: query.count)
    var weights = [Float](repeating: 0, count: shape.groups * shape.tokens * shape.tokens)
    var dQuery = [Float](repeating: 0, count: query.count)
    var dKey = [Float](repeating: 0, count: key.count)
    var dValue = [Float](repeating: 0, count: value.count)
    LeadAttentionKernel.forward(shape: shape, query: query, key: key, value: value, context: &context,
                                averageWeights: &weights)
    if let weightsGradient {
        LeadAttentionKernel.backward(shape: shape, query: query, key: key, value: value, contextGradient: contextGradient,
                                     averageWeightsGradient: weightsGradient, queryGradient: &dQuery,
                                     keyGradient: &dKey, valueGradient: &dValue)
    } else {
        LeadAttentionKernel.backward(shape: shape, query: query, key: key, value: value, contextGradient: contextGradient,
                                     averageWeightsGradient: nil, queryGradient: &dQuery,
                                     keyGradient: &dKey, valueGradient: &dValue)
    }
    return (context, weights, dQuery, dKey, dValue)
}

@Suite("AttentionKernel")
struct AttentionKernelTests {
    static let shapes = [
        AttentionShape(batch: 3, queryLength: 5, keyLength: 7, embed: 8, heads: 2),
        AttentionShape(batch: 2, queryLength: 19, keyLength: 19, embed: 16, heads: 8),
        AttentionShape(batch: 1, queryLength: 33, keyLength: 17, embed: 12, heads: 3),
        AttentionShape(batch: 4, queryLength: 1, keyLength: 1, embed: 4, heads: 1),
    ]

    @Test(arguments: 0..<4)
    func fusedMatchesNaiveTwin(case index: Int) {
        let shape = Self.shapes[index]
        var random = KernelTestRandom(seed: UInt64(200 + index))
        let q = random.array(shape.batch * shape.queryLength * shape.embed, scale: 2)
        let k = random.array(shape.batch * shape.keyLength * shape.embed, scale: 2)
        let v = random.array(shape.batch * shape.keyLength * shape.embed)
        let dContext = random.array(q.count)
        let dWeights = random.array(shape.batch * shape.queryLength * shape.keyLength)
        let naive = AttentionKernel.Reference.forward(shape: shape, query: q, key: k, value: v)
        for weightsGradient in [dWeights, nil] {
            let fused = runFusedAttention(shape: shape, query: q, key: k, value: v, contextGradient: dContext,
                                          weightsGradient: weightsGradient)
            expectClose(fused.context, naive.context, rtol: 1e-5, "context \(shape)")
            expectClose(fused.weights, naive.averageWeights, rtol: 1e-5, "weights \(shape)")
            let gradients = AttentionKernel.Reference.backward(shape: shape, query: q, key: k, value: v,
                                                               contextGradient: dContext,
                                                               averageWeightsGradient: weightsGradient)
            let label = "\(shape) with\(weightsGradient == nil ? "out" : "") dWeights"
            expectClose(fused.dQuery, gradients.query, "dQ \(label)")
            expectClose(fused.dKey, gradients.key, "dK \(label)")
            expectClose(fused.dValue, gradients.value, "dV \(label)")
        }
    }

    @Test(arguments: [LeadAttentionShape(groups: 7, tokens: 12, embed: 16, heads: 4),
                      LeadAttentionShape(groups: 3, tokens: 5, embed: 6, heads: 3),
                      LeadAttentionShape(groups: 2, tokens: 16, embed: 64, heads: 4)])
    func leadFusedMatchesNaiveTwin(shape: LeadAttentionShape) {
        var random = KernelTestRandom(seed: UInt64(300 + shape.tokens))
        let count = shape.groups * shape.tokens * shape.embed
        let q = random.array(count, scale: 2), k = random.array(count, scale: 2), v = random.array(count)
        let dContext = random.array(count)
        let dWeights = random.array(shape.groups * shape.tokens * shape.tokens)
        let naive = LeadAttentionKernel.Reference.forward(shape: shape, query: q, key: k, value: v)
        for weightsGradient in [dWeights, nil] {
            let fused = runFusedLeadAttention(shape: shape, query: q, key: k, value: v, contextGradient: dContext,
                                              weightsGradient: weightsGradient)
            expectClose(fused.context, naive.context, rtol: 1e-5, "lead context \(shape)")
            expectClose(fused.weights, naive.averageWeights, rtol: 1e-5, "lead weights \(shape)")
            let gradients = LeadAttentionKernel.Reference.backward(shape: shape, query: q, key: k, value: v,
                                                                   contextGradient: dContext,
                                                                   averageWeightsGradient: weightsGradient)
            expectClose(fused.dQuery, gradients.query, "lead dQ \(shape)")
            expectClose(fused.dKey, gradients.key, "lead dK \(shape)")
            expectClose(fused.dValue, gradients.value, "lead dV \(shape)")
        }
    }

    /// One attention implementation under test: forward+backward on projected Q, K, V.
    typealias Core = @Sendable (_ batch: Int, _ queryLength: Int, _ keyLength: Int, _ embed: Int, _ heads: Int,
                      _ q: [Float], _ k: [Float], _ v: [Float], _ dContext: [Float], _ dWeights: [Float])
        -> (context: [Float], weights: [Float], dQuery: [Float], dKey: [Float], dValue: [Float])

    static let cores: [String: Core] = [
        "fused": { b, tq, tk, e, nh, q, k, v, dc, dw in
            runFusedAttention(shape: AttentionShape(batch: b, queryLength: tq, keyLength: tk, embed: e, heads: nh),
                              query: q, key: k, value: v, contextGradient: dc, weightsGradient: dw)
        },
        "naive": { b, tq, tk, e, nh, q, k, v, dc, dw in
            let shape = AttentionShape(batch: b, queryLength: tq, keyLength: tk, embed: e, heads: nh)
            let forward = AttentionKernel.Reference.forward(shape: shape, query: q, key: k, value: v)
            let backward = AttentionKernel.Reference.backward(shape: shape, query: q, key: k, value: v,
                                                              contextGradient: dc, averageWeightsGradient: dw)
            return (forward.context, forward.averageWeights, backward.query, backward.key, backward.value)
        },
        "lead-fused": { b, tq, tk, e, nh, q, k, v, dc, dw in
            runFusedLeadAttention(shape: LeadAttentionShape(groups: b, tokens: tq, embed: e, heads: nh),
                                  query: q, key: k, value: v, contextGradient: dc, weightsGradient: dw)
        },
    ]

    /// The whole `nn.MultiheadAttention` (in-projection, core, out-projection) against PyTorch:
    /// output, averaged weights and the gradients of `sum(out * r_out) + sum(weights * r_weights)`.
    @Test(arguments: [("mha", "fused"), ("mha", "naive"), ("lead", "lead-fused"), ("lead", "naive")])
    func multiheadAttentionMatchesPyTorch(prefix: String, coreName: String) throws {
        let core = try #require(Self.cores[coreName])
        let qIn = try KernelFixture.load("\(prefix)_q"), kIn = try KernelFixture.load("\(prefix)_k")
        let vIn = try KernelFixture.load("\(prefix)_v")
        let inWeight = try KernelFixture.load("\(prefix)_in_proj_weight").floats
        let inBias = try KernelFixture.load("\(prefix)_in_proj_bias").floats
        let outWeight = try KernelFixture.load("\(prefix)_out_proj_weight").floats
        let outBias = try KernelFixture.load("\(prefix)_out_proj_bias").floats
        let batch = qIn.shape[0], tq = qIn.shape[1], tk = kIn.shape[1], e = qIn.shape[2]
        let heads = e == 8 ? 2 : 4
        let q = naiveLinear(qIn.floats, rows: batch * tq, inputs: e, weight: inWeight, bias: inBias, outputs: e)
        let k = naiveLinear(kIn.floats, rows: batch * tk, inputs: e, weight: inWeight, bias: inBias, outputs: e, rowOffset: e)
        let v = naiveLinear(vIn.floats, rows: batch * tk, inputs: e, weight: inWeight, bias: inBias, outputs: e,
                            rowOffset: 2 * e)
        let rOut = try KernelFixture.load("\(prefix)_r_out").floats
        let rWeights = try KernelFixture.load("\(prefix)_r_weights").floats
        // Out-projection backward needs the context, so run the forward once for it.
        let probe = core(batch, tq, tk, e, heads, q, k, v, [Float](repeating: 0, count: q.count), rWeights)
        let output = naiveLinear(probe.context, rows: batch * tq, inputs: e, weight: outWeight, bias: outBias, outputs: e)
        expectClose(output, try KernelFixture.load("\(prefix)_out").values, "\(prefix)/\(coreName) output vs PyTorch")
        expectClose(probe.weights, try KernelFixture.load("\(prefix)_weights").values,
                    "\(prefix)/\(coreName) weights vs PyTorch")
        let outBackward = naiveLinearBackward(probe.context, rOut, rows: batch * tq, inputs: e, weight: outWeight, outputs: e)
        let run = core(batch, tq, tk, e, heads, q, k, v, outBackward.dx, rWeights)
        let dq = naiveLinearBackward(qIn.floats, run.dQuery, rows: batch * tq, inputs: e, weight: inWeight, outputs: e)
        let dk = naiveLinearBackward(kIn.floats, run.dKey, rows: batch * tk, inputs: e, weight: inWeight, outputs: e,
                                     rowOffset: e)
        let dv = naiveLinearBackward(vIn.floats, run.dValue, rows: batch * tk, inputs: e, weight: inWeight, outputs: e,
                                     rowOffset: 2 * e)
        let label = "\(prefix)/\(coreName)"
        expectClose(dq.dx, try KernelFixture.load("\(prefix)_dq").values, "\(label) dq vs PyTorch")
        expectClose(dk.dx, try KernelFixture.load("\(prefix)_dk").values, "\(label) dk vs PyTorch")
        expectClose(dv.dx, try KernelFixture.load("\(prefix)_dv").values, "\(label) dv vs PyTorch")
        expectClose(dq.dWeight + dk.dWeight + dv.dWeight, try KernelFixture.load("\(prefix)_grad_in_proj_weight").values,
                    "\(label) in_proj_weight grad vs PyTorch")
        expectClose(dq.dBias + dk.dBias + dv.dBias, try KernelFixture.load("\(prefix)_grad_in_proj_bias").values,
                    "\(label) in_proj_bias grad vs PyTorch")
        expectClose(outBackward.dWeight, try KernelFixture.load("\(prefix)_grad_out_proj_weight").values,
                    "\(label) out_proj_weight grad vs PyTorch")
        expectClose(outBackward.dBias, try KernelFixture.load("\(prefix)_grad_out_proj_bias").values,
                    "\(label) out_proj_bias grad vs PyTorch")
    }
}

// The attention core's autodiff ops: fused AttentionKernel / LeadAttentionKernel forward and backward.
import TensorCore

/// The scaled-dot-product core between the projections, as two recorded ops over `[Q, K, V]`:
/// one yields the context, one the head-averaged weights. Each pullback runs the kernel backward
/// for its own output's gradient (the other's taken as zero), so an unused weights output costs
/// no backward work, and when both are used their gradients add up as they should.
enum AttentionOp {
    /// `Q: [B, Tq, E], K, V: [B, Tk, E]` (projected) -> `(context [B, Tq, E], weights [B, Tq, Tk])`.
    static func apply(query: Tensor, key: Tensor, value: Tensor, heads: Int) -> (context: Tensor, weights: Tensor) {
        let q = query.dense, k = key.dense, v = value.dense
        let batch = q.shape[0], tq = q.shape[1], tk = k.shape[1], e = q.shape[2]
        let context = Tensor.output([batch, tq, e])
        let weights = Tensor.output([batch, tq, tk])
        let backward: (_ contextGradient: Tensor?, _ weightsGradient: Tensor?) -> [Tensor?]
        if tq == tk && tq <= 16 {
            let shape = LeadAttentionShape(groups: batch, tokens: tq, embed: e, heads: heads)
            LeadAttentionKernel.forward(shape: shape, query: q.basePointer, key: k.basePointer, value: v.basePointer,
                                        context: context.basePointer, averageWeights: weights.basePointer)
            backward = { contextGradient, weightsGradient in
                let gradients = [q, k, v].map { Tensor.accumulator($0.shape) }
                let gradC = contextGradient?.dense ?? Tensor.accumulator(context.shape)
                let gradW = weightsGradient?.dense
                LeadAttentionKernel.backward(
                    shape: shape, query: q.basePointer, key: k.basePointer, value: v.basePointer,
                    contextGradient: gradC.basePointer, averageWeightsGradient: gradW.map { UnsafePointer($0.basePointer) },
                    queryGradient: gradients[0].basePointer, keyGradient: gradients[1].basePointer,
                    valueGradient: gradients[2].basePointer)
                return withExtendedLifetime((q, k, v, gradC, gradW)) { gradients }
            }
        } else {
            let shape = AttentionShape(batch: batch, queryLength: tq, keyLength: tk, embed: e, heads: heads)
            let logSumExp = Tensor.output([batch, heads, tq])
            AttentionKernel.forward(shape: shape, query: q.basePointer, key: k.basePointer, value: v.basePointer,
                                    context: context.basePointer, averageWeights: weights.basePointer,
                                    logSumExp: logSumExp.basePointer)
            backward = { contextGradient, weightsGradient in
                let gradients = [q, k, v].map { Tensor.accumulator($0.shape) }
                let gradC = contextGradient?.dense ?? Tensor.accumulator(context.shape)
                let gradW = weightsGradient?.dense
                AttentionKernel.backward(
                    shape: shape, query: q.basePointer, key: k.basePointer, value: v.basePointer,
                    logSumExp: logSumExp.basePointer, contextGradient: gradC.basePointer,
                    averageWeightsGradient: gradW.map { UnsafePointer($0.basePointer) },
                    queryGradient: gradients[0].basePointer, keyGradient: gradients[1].basePointer,
                    valueGradient: gradients[2].basePointer)
                return withExtendedLifetime((q, k, v, logSumExp, gradC, gradW)) { gradients }
            }
        }
        let inputs = [query, key, value]
        let recordedContext = Tensor.recordOp(name: "attention", output: context, inputs: inputs) { g in
            backward(g, nil)
        }
        let recordedWeights = Tensor.recordOp(name: "attention weights", output: weights, inputs: inputs) { g in
            backward(nil, g)
        }
        return (recordedContext, recordedWeights)
    }
}

// The attention core's autodiff ops: fused AttentionKernel / LeadAttentionKernel forward and backward.
import TensorCore

/// The scaled-dot-product core between the projections, as two recorded ops: the context over
/// `[Q, K, V]`, and the head-averaged weights over `[Q, K, V, context]`. Because the weights node
/// consumes the context node, backward reaches the weights' pullback first: it only deposits its
/// gradient (and sends a zero gradient to the context so that the context's pullback runs), and
/// the context's pullback then runs the kernel backward once with both gradients. An unused
/// weights output costs no backward work.
enum AttentionOp {
    /// `Q: [B, Tq, E], K, V: [B, Tk, E]` (projected) -> `(context [B, Tq, E], weights [B, Tq, Tk])`.
    static func apply(query: Tensor, key: Tensor, value: Tensor, heads: Int) -> (context: Tensor, weights: Tensor) {
        let q = query.dense, k = key.dense, v = value.dense
        let batch = q.shape[0], tq = q.shape[1], tk = k.shape[1], e = q.shape[2]
        let context = Tensor(uninitializedShape: [batch, tq, e])
        let weights = Tensor(uninitializedShape: [batch, tq, tk])
        let backward: (_ contextGradient: Tensor, _ weightsGradient: Tensor?) -> [Tensor?]
        if tq == tk && tq <= 16 {
            let shape = LeadAttentionShape(groups: batch, tokens: tq, embed: e, heads: heads)
            LeadAttentionKernel.forward(shape: shape, query: q.basePointer, key: k.basePointer, value: v.basePointer,
                                        context: context.basePointer, averageWeights: weights.basePointer)
            backward = { contextGradient, weightsGradient in
                kernelBackward(q, k, v, contextGradient: contextGradient, weightsGradient: weightsGradient) {
                    gradC, gradW, gradients in
                    LeadAttentionKernel.backward(
                        shape: shape, query: q.basePointer, key: k.basePointer, value: v.basePointer,
                        contextGradient: gradC, averageWeightsGradient: gradW,
                        queryGradient: gradients[0].basePointer, keyGradient: gradients[1].basePointer,
                        valueGradient: gradients[2].basePointer)
                }
            }
        } else {
            let shape = AttentionShape(batch: batch, queryLength: tq, keyLength: tk, embed: e, heads: heads)
            let logSumExp = Tensor(uninitializedShape: [batch, heads, tq])
            AttentionKernel.forward(shape: shape, query: q.basePointer, key: k.basePointer, value: v.basePointer,
                                    context: context.basePointer, averageWeights: weights.basePointer,
                                    logSumExp: logSumExp.basePointer)
            backward = { contextGradient, weightsGradient in
                withExtendedLifetime(logSumExp) {
                    kernelBackward(q, k, v, contextGradient: contextGradient, weightsGradient: weightsGradient) {
                        gradC, gradW, gradients in
                        AttentionKernel.backward(
                            shape: shape, query: q.basePointer, key: k.basePointer, value: v.basePointer,
                            logSumExp: logSumExp.basePointer, contextGradient: gradC, averageWeightsGradient: gradW,
                            queryGradient: gradients[0].basePointer, keyGradient: gradients[1].basePointer,
                            valueGradient: gradients[2].basePointer)
                    }
                }
            }
        }
        let deposit = WeightsGradientDeposit()
        let recordedContext = Tensor.recordOp(name: "attention", output: context, inputs: [query, key, value]) { g in
            backward(g, deposit.take())
        }
        let contextShape = context.shape
        let recordedWeights = Tensor.recordOp(name: "attention weights", output: weights,
                                              inputs: [query, key, value, recordedContext]) { g in
            deposit.store(g)
            return [nil, nil, nil, Tensor.zeros(contextShape)]
        }
        return (recordedContext, recordedWeights)
    }

    /// The part both fused backwards share: zeroed `[Q, K, V]` gradient accumulators and dense
    /// context/weights gradients, handed to `run(contextGradient, weightsGradient, gradients)` and
    /// kept alive (with `q`, `k`, `v`) through it. Returns the accumulated `[Q, K, V]` gradients.
    private static func kernelBackward(
        _ q: Tensor, _ k: Tensor, _ v: Tensor, contextGradient: Tensor, weightsGradient: Tensor?,
        _ run: (UnsafeMutablePointer<Float>, UnsafePointer<Float>?, [Tensor]) -> Void
    ) -> [Tensor?] {
        let gradients = [q, k, v].map { Tensor.zeros($0.shape) }
        let gradC = contextGradient.dense
        let gradW = weightsGradient?.dense
        run(gradC.basePointer, gradW.map { UnsafePointer($0.basePointer) }, gradients)
        return withExtendedLifetime((q, k, v, gradC, gradW)) { gradients }
    }
}

/// The weights' gradient handed from the weights' pullback to the context's pullback of one call.
final class WeightsGradientDeposit: @unchecked Sendable {
    private var gradient: Tensor?

    /// Backward calls a pullback once per pass with the total gradient of its output.
    func store(_ g: Tensor) { gradient = g }

    /// The deposited gradient, cleared so that a later backward over the same graph starts afresh.
    func take() -> Tensor? {
        defer { gradient = nil }
        return gradient
    }
}

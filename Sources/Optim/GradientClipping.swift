// Gradient-norm clipping like torch.nn.utils.clip_grad_norm_ (2-norm over all gradients).
import NN
import TensorCore

/// Scales every gradient by `min(1, maxNorm / (totalNorm + 1e-6))`, where `totalNorm` is the
/// 2-norm of all gradients together (`torch.nn.utils.clip_grad_norm_(params, max_norm,
/// norm_type=2)`: the norm of the per-tensor norms). Parameters without a gradient are ignored.
/// Returns the total norm before clipping (0 when no parameter has a gradient).
@discardableResult
public func clipGradientNorm(_ parameters: [Parameter], maxNorm: Double) -> Double {
    let gradients = parameters.compactMap(\.grad)
    guard !gradients.isEmpty else { return 0 }
    var sumOfSquares: Double = 0
    for gradient in gradients {
        // Each tensor's norm rounded to float32 (torch's per-tensor vector_norm), combined in Double.
        let norm = gradient.withUnsafeBufferPointer { g in
            var partial: Double = 0
            for value in g { partial += Double(value) * Double(value) }
            return Float(partial.squareRoot())
        }
        sumOfSquares += Double(norm) * Double(norm)
    }
    let totalNorm = Double(Float(sumOfSquares.squareRoot()))
    let coefficient = Float(min(maxNorm / (totalNorm + 1e-6), 1))
    scaleGradientsInPlace(gradients, by: coefficient)
    return totalNorm
}

/// Multiplies the leaves' stored gradients by `factor` in place.
///
/// TensorCore exposes a leaf's gradient read-only (`Tensor.grad`), so the scaling writes through
/// the gradient's storage, which the leaf's node shares. A leaf gradient is always dense (backward
/// stores `contiguousData()`), but two leaves may hold views of one storage (e.g. both inputs of an
/// `add`), so every storage element is scaled at most once.
func scaleGradientsInPlace(_ gradients: [Tensor], by factor: Float) {
    guard factor != 1 else { return }
    var sharing: [ObjectIdentifier: Int] = [:]
    for gradient in gradients { sharing[ObjectIdentifier(gradient.storage), default: 0] += 1 }
    var scaled: [ObjectIdentifier: [Bool]] = [:]
    for gradient in gradients {
        precondition(gradient.isContiguous, "leaf gradients are dense")
        let storage = gradient.storage
        let key = ObjectIdentifier(storage)
        let elements = gradient.offset..<(gradient.offset + gradient.count)
        let base = storage.pointer
        if sharing[key] == 1 {
            for index in elements { base[index] *= factor }
            continue
        }
        var done = scaled[key] ?? [Bool](repeating: false, count: storage.count)
        for index in elements where !done[index] {
            base[index] *= factor
            done[index] = true
        }
        scaled[key] = done
    }
}

// Finite-difference gradient check: analytic (backward) against central differences, per input.
import TensorCore

/// Outcome of `checkGradients`: the worst errors over all inputs.
public struct GradientCheckResult: CustomStringConvertible, Sendable {
    /// Worst `||analytic - numeric||_2 / max(||analytic||_2, ||numeric||_2, 1e-6)` over inputs.
    public var relativeError: Double
    /// Worst `max_i |analytic_i - numeric_i| / max(max_i |numeric_i|, 1e-3)` over inputs.
    public var elementError: Double
    /// Index of the input with the worst error.
    public var worstInput: Int
    /// The bound both errors must stay under.
    public var tolerance: Double

    /// True when both errors are below `tolerance`.
    public var passed: Bool { relativeError < tolerance && elementError < tolerance }
    /// Both errors, the worst input and the tolerance.
    public var description: String {
        "relative error \(relativeError), element error \(elementError) (input \(worstInput), tolerance \(tolerance))"
    }
}

/// Compares the gradients that `backward()` gives for every input of `function` with central
/// differences `(L(x + eps) - L(x - eps)) / (2 eps)` of the scalar `L = sum(function(x) * r)`,
/// where `r` is a fixed random projection (so every output element and sign matters).
///
/// The float32 function is evaluated once per perturbation and `L` is summed in Double. Use small
/// inputs of order 1, away from kinks (relu at 0, clamp bounds) by more than `epsilon`.
public func checkGradients(_ inputs: [Tensor], epsilon: Float = 1e-3, tolerance: Double = 1e-2, seed: UInt64 = 99,
                           _ function: ([Tensor]) throws -> Tensor) throws -> GradientCheckResult {
    let leaves = inputs.map { input -> Tensor in
        var leaf = input.contiguous().detached()
        leaf.requiresGrad = true
        return leaf
    }
    let output = try function(leaves)
    var generator = RandomStream(seed: seed, stream: "gradient check projection")
    let projection = Tensor.randn(output.shape, using: &generator)
    let weights = projection.scalars.map(Double.init)
    try output.backward(projection)

    func objective(_ values: [Tensor]) throws -> Double {
        let result = try withNoGrad { try function(values) }
        return zip(result.scalars, weights).reduce(0) { $0 + Double($1.0) * $1.1 }
    }

    var worst = GradientCheckResult(relativeError: 0, elementError: 0, worstInput: 0, tolerance: tolerance)
    for (index, leaf) in leaves.enumerated() {
        let analytic = (leaf.grad?.scalars ?? [Float](repeating: 0, count: leaf.count)).map(Double.init)
        var numeric = [Double](repeating: 0, count: leaf.count)
        let base = leaf.detached().scalars
        for element in 0..<leaf.count {
            var values = leaves.map { $0.detached() }
            var plus = base, minus = base
            plus[element] += epsilon
            minus[element] -= epsilon
            values[index] = try Tensor(shape: leaf.shape, scalars: plus)
            let upper = try objective(values)
            values[index] = try Tensor(shape: leaf.shape, scalars: minus)
            let lower = try objective(values)
            numeric[element] = (upper - lower) / Double(plus[element] - minus[element])
        }
        let difference = zip(analytic, numeric).map { $0 - $1 }
        let norm = { (v: [Double]) in v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        let relative = norm(difference) / max(norm(analytic), norm(numeric), 1e-6)
        let element = (difference.map(abs).max() ?? 0) / max(numeric.map(abs).max() ?? 0, 1e-3)
        if max(relative, element) > max(worst.relativeError, worst.elementError) {
            worst = GradientCheckResult(relativeError: relative, elementError: element, worstInput: index, tolerance: tolerance)
        }
    }
    return worst
}

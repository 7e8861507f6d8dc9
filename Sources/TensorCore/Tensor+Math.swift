// Element-wise math and activations (exp, log, sqrt, pow, abs, clamp, relu, prelu, sigmoid, tanh, dropout), each with its pullback.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Tensor {
    /// `e^x` element-wise. Gradient: `g * e^x`.
    public func exp() -> Tensor {
        let output = vectorKernelMap(self, VectorMath.exp)
        return Tensor.recordOp(name: "exp", output: output, inputs: [self]) { g in
            [try broadcastMap(g, output, op: "exp backward") { $0 * $1 }]
        }
    }

    /// Natural logarithm element-wise. Gradient: `g / x`.
    public func log() -> Tensor {
        let output = unaryMap(self) { logf($0) }
        return Tensor.recordOp(name: "log", output: output, inputs: [self]) { g in
            [try broadcastMap(g, self, op: "log backward") { $0 / $1 }]
        }
    }

    /// Square root element-wise. Gradient: `g / (2 sqrt(x))`.
    public func sqrt() -> Tensor {
        let output = unaryMap(self) { $0.squareRoot() }
        return Tensor.recordOp(name: "sqrt", output: output, inputs: [self]) { g in
            [try broadcastMap(g, output, op: "sqrt backward") { 0.5 * $0 / $1 }]
        }
    }

    /// `x^p` element-wise for a scalar exponent. Gradient: `g * p * x^(p-1)`.
    public func pow(_ p: Float) -> Tensor {
        let output: Tensor
        if p == 2 {
            output = unaryMap(self) { $0 * $0 }
        } else {
            output = unaryMap(self) { powf($0, p) }
        }
        return Tensor.recordOp(name: "pow", output: output, inputs: [self]) { g in
            if p == 2 { return [try broadcastMap(g, self, op: "pow backward") { 2 * $0 * $1 }] }
            return [try broadcastMap(g, self, op: "pow backward") { $0 * p * powf($1, p - 1) }]
        }
    }

    /// `|x|` element-wise. Gradient: `g * sign(x)` with sign(0) = 0 (as PyTorch).
    public func abs() -> Tensor {
        let output = vectorMap(self) { x in x.replacing(with: SIMD8<Float>() - x, where: x .< SIMD8<Float>()) }
        return Tensor.recordOp(name: "abs", output: output, inputs: [self]) { g in
            let gradient = try g.expanded(to: self.shape)
            return [vectorZip(gradient, self) { g, x in
                let zero = SIMD8<Float>()
                return g.replacing(with: zero - g, where: x .< zero).replacing(with: zero, where: x .== zero)
            }]
        }
    }

    /// `min(max(x, low), high)` element-wise (`torch.clamp`). Gradient: `g` where `low < x < high`,
    /// else 0: at a bound exactly the gradient is 0, as PyTorch 2.15 computes it (checked by the clamp
    /// fixture). Pass `-.infinity`/`.infinity` for one side.
    public func clamped(min low: Float, max high: Float) -> Tensor {
        // Branch-free selects: a data-dependent branch per element mispredicts half the time.
        let lower = SIMD8<Float>(repeating: low), upper = SIMD8<Float>(repeating: high)
        let output = vectorMap(self) { x in x.replacing(with: lower, where: x .< lower).replacing(with: upper, where: x .> upper) }
        return Tensor.recordOp(name: "clamp", output: output, inputs: [self]) { g in
            let gradient = try g.expanded(to: self.shape)
            return [vectorZip(gradient, self) { g, x in g.replacing(with: SIMD8<Float>(), where: .!((x .> lower) .& (x .< upper))) }]
        }
    }

    /// `max(x, 0)` element-wise. Gradient: `g` where `x > 0`, else 0 (PyTorch's threshold_backward).
    public func relu() -> Tensor {
        // Branch-free selects: a data-dependent branch per element mispredicts half the time.
        let output = vectorMap(self) { x in x.replacing(with: SIMD8<Float>(), where: x .< SIMD8<Float>()) }
        return Tensor.recordOp(name: "relu", output: output, inputs: [self]) { g in
            let gradient = try g.expanded(to: output.shape)
            return [vectorZip(gradient, output) { g, y in g.replacing(with: SIMD8<Float>(), where: .!(y .> SIMD8<Float>())) }]
        }
    }

    /// Logistic sigmoid `1 / (1 + e^-x)` (vectorised; e^-x saturates to inf or 0 cleanly). Gradient: `g y (1 - y)`.
    public func sigmoid() -> Tensor {
        let output = vectorKernelMap(self, VectorMath.sigmoid)
        return Tensor.recordOp(name: "sigmoid", output: output, inputs: [self]) { g in
            [try broadcastMap(g, output, op: "sigmoid backward") { $0 * $1 * (1 - $1) }]
        }
    }

    /// Hyperbolic tangent element-wise. Gradient: `g (1 - y^2)`.
    public func tanh() -> Tensor {
        let output = vectorKernelMap(self, VectorMath.tanh)
        return Tensor.recordOp(name: "tanh", output: output, inputs: [self]) { g in
            [try broadcastMap(g, output, op: "tanh backward") { $0 * (1 - $1 * $1) }]
        }
    }

    /// Parametric ReLU (`torch.nn.functional.prelu`): `x` where `x > 0`, else `w * x`.
    ///
    /// `x: [N, C, ...] (or [C]), weight: [1] or [C] -> same shape as x`. With C weights the channel
    /// axis is 1 (axis 0 for a 1-d input), as PyTorch. Gradients: `g` or `g w` for x; the sum of
    /// `g x` over the non-positive elements of each channel for the weight.
    public func prelu(weight: Tensor) throws -> Tensor {
        let channelAxis = rank >= 2 ? 1 : 0
        let channels = rank == 0 ? 1 : shape[channelAxis]
        guard weight.count == 1 || weight.count == channels else {
            throw TensorError.shapeMismatch(op: "prelu", expected: "weight of 1 or \(channels) elements (channel axis \(channelAxis) of \(describe(shape)))",
                                            actual: describe(weight.shape))
        }
        let input = contiguousData()
        let weights = weight.contiguousData()
        let perChannel = weight.count != 1
        let outer = perChannel ? shape[..<channelAxis].reduce(1, *) : 1
        let inner = perChannel ? shape[(channelAxis + 1)...].reduce(1, *) : count
        let groups = perChannel ? channels : 1
        let output = Tensor(uninitializedShape: shape)
        let x = input.basePointer, w = weights.basePointer, y = output.storage.pointer
        for o in 0..<outer {
            for c in 0..<groups {
                let base = (o * groups + c) * inner
                let slope = w[c]
                for i in base..<(base + inner) { y[i] = x[i] > 0 ? x[i] : slope * x[i] }
            }
        }
        return Tensor.recordOp(name: "prelu", output: output, inputs: [self, weight]) { g in
            let gradient = g.contiguousData()
            defer { withExtendedLifetime(gradient) {} }
            // Pointers from the captured tensors, so the buffers stay alive as long as the closure.
            let x = input.basePointer, w = weights.basePointer, gp = gradient.basePointer
            let gradX = Tensor(uninitializedShape: input.shape)
            let gx = gradX.storage.pointer
            var gradW = Tensor.zeros([weight.count])
            let gw = gradW.storage.pointer
            for o in 0..<outer {
                for c in 0..<groups {
                    let base = (o * groups + c) * inner
                    let slope = w[c]
                    var accumulated: Float = 0
                    for i in base..<(base + inner) {
                        if x[i] > 0 {
                            gx[i] = gp[i]
                        } else {
                            gx[i] = slope * gp[i]
                            accumulated += gp[i] * x[i]
                        }
                    }
                    gw[c] += accumulated
                }
            }
            gradW = try gradW.reshaped(to: weight.shape)
            return [gradX, gradW]
        }
    }

    /// Inverted dropout with a given keep mask: `x * mask / keepProbability`.
    ///
    /// `mask` holds 0 or 1 and broadcasts to `x`; it is data, not differentiated. Gradient: `g * mask / keep`.
    /// `dropout(probability:using:)` draws the mask; layers that must replay a mask pass it here.
    public func applyingDropoutMask(_ mask: Tensor, keepProbability: Float) throws -> Tensor {
        let scale = 1 / keepProbability
        let output = try broadcastMap(self, mask, op: "dropout") { $0 * $1 * scale }
        return Tensor.recordOp(name: "dropout", output: output, inputs: [self]) { g in
            [try broadcastMap(g, mask, op: "dropout backward") { $0 * $1 * scale }.sum(toShape: self.shape)]
        }
    }

    /// Inverted dropout (`torch.nn.functional.dropout` in training mode): zeroes each element with
    /// `probability` and scales the rest by `1 / (1 - probability)`. The mask comes from `generator`.
    public func dropout(probability: Float, using generator: inout RandomStream) throws -> Tensor {
        guard probability >= 0 && probability < 1 else {
            throw TensorError.invalidArgument(op: "dropout", message: "probability must be in [0, 1), got \(probability)")
        }
        if probability == 0 { return self }
        let mask = Tensor(uninitializedShape: shape)
        let m = mask.storage.pointer
        for i in 0..<count { m[i] = generator.nextFloat() < probability ? 0 : 1 }
        return try applyingDropoutMask(mask, keepProbability: 1 - probability)
    }
}

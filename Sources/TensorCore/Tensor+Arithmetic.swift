// Broadcasting binary arithmetic (+, -, *, /), scalar arithmetic and negation, each with its pullback.

/// Element-wise `f(a, b)` over the broadcast of both shapes into a new contiguous tensor.
@inline(__always)
func broadcastMap(_ a: Tensor, _ b: Tensor, op: String, _ f: (Float, Float) -> Float) throws -> Tensor {
    let shape = a.shape == b.shape ? a.shape : try Tensor.broadcastShape(a.shape, b.shape, op: op)
    let result = Tensor(uninitializedShape: shape)
    let out = result.storage.pointer
    let pa = a.basePointer, pb = b.basePointer
    if a.shape == b.shape && a.isContiguous && b.isContiguous {
        for i in 0..<result.count { out[i] = f(pa[i], pb[i]) }
        return result
    }
    forEachRow(shape: shape, strides0: Tensor.contiguousStrides(for: shape),
               strides1: a.broadcastStrides(to: shape), strides2: b.broadcastStrides(to: shape)) { po, p1, p2, n, _, s1, s2 in
        let o = out + po, x = pa + p1, y = pb + p2
        if s1 == 1 && s2 == 1 {
            for i in 0..<n { o[i] = f(x[i], y[i]) }
        } else if s1 == 1 && s2 == 0 {
            let scalar = y[0]
            for i in 0..<n { o[i] = f(x[i], scalar) }
        } else if s1 == 0 && s2 == 1 {
            let scalar = x[0]
            for i in 0..<n { o[i] = f(scalar, y[i]) }
        } else {
            for i in 0..<n { o[i] = f(x[i * s1], y[i * s2]) }
        }
    }
    return result
}

/// Element-wise `f(x)` into a new contiguous tensor.
@inline(__always)
func unaryMap(_ x: Tensor, _ f: (Float) -> Float) -> Tensor {
    let source = x.contiguousData()
    defer { withExtendedLifetime(source) {} }
    let result = Tensor(uninitializedShape: x.shape)
    let out = result.storage.pointer, input = source.basePointer
    for i in 0..<result.count { out[i] = f(input[i]) }
    return result
}

extension Tensor {
    /// Sums `self` down to `target` (the reverse of broadcasting `target` up to `self.shape`):
    /// the gradient of a broadcast input.
    public func sum(toShape target: [Int]) throws -> Tensor {
        if shape == target { return self }
        let lead = rank - target.count
        guard lead >= 0 else {
            throw TensorError.shapeMismatch(op: "sum(toShape:)", expected: "a shape that broadcasts to \(describe(shape))", actual: describe(target))
        }
        var axes: [Int] = Array(0..<lead)
        for axis in 0..<target.count where target[axis] != shape[axis + lead] {
            guard target[axis] == 1 else {
                throw TensorError.shapeMismatch(op: "sum(toShape:)", expected: "a shape that broadcasts to \(describe(shape))", actual: describe(target))
            }
            axes.append(axis + lead)
        }
        return try sum(alongAxes: axes, keepingDimensions: true).reshaped(to: target)
    }

    /// `a + b` with broadcasting. Gradients: `g` summed to each input's shape.
    public static func + (a: Tensor, b: Tensor) throws -> Tensor {
        let output = try broadcastMap(a, b, op: "add") { $0 + $1 }
        return recordOp(name: "add", output: output, inputs: [a, b]) { g in
            [a.node == nil ? nil : try g.sum(toShape: a.shape), b.node == nil ? nil : try g.sum(toShape: b.shape)]
        }
    }

    /// `a - b` with broadcasting. Gradients: `g` and `-g`, summed to each input's shape.
    public static func - (a: Tensor, b: Tensor) throws -> Tensor {
        let output = try broadcastMap(a, b, op: "sub") { $0 - $1 }
        return recordOp(name: "sub", output: output, inputs: [a, b]) { g in
            [a.node == nil ? nil : try g.sum(toShape: a.shape), b.node == nil ? nil : -(try g.sum(toShape: b.shape))]
        }
    }

    /// `a * b` element-wise with broadcasting. Gradients: `g * b`, `g * a`.
    public static func * (a: Tensor, b: Tensor) throws -> Tensor {
        let output = try broadcastMap(a, b, op: "mul") { $0 * $1 }
        return recordOp(name: "mul", output: output, inputs: [a, b]) { g in
            [a.node == nil ? nil : try (g * b).sum(toShape: a.shape), b.node == nil ? nil : try (g * a).sum(toShape: b.shape)]
        }
    }

    /// `a / b` element-wise with broadcasting. Gradients: `g / b`, `-g * a / b^2`.
    public static func / (a: Tensor, b: Tensor) throws -> Tensor {
        let output = try broadcastMap(a, b, op: "div") { $0 / $1 }
        return recordOp(name: "div", output: output, inputs: [a, b]) { g in
            let gradA = a.node == nil ? nil : try (g / b).sum(toShape: a.shape)
            let gradB = b.node == nil ? nil : try broadcastMap(try broadcastMap(g, output, op: "div") { $0 * $1 }, b, op: "div") { -$0 / $1 }
                .sum(toShape: b.shape)
            return [gradA, gradB]
        }
    }

    /// `-x`. Gradient: `-g`.
    public static prefix func - (x: Tensor) -> Tensor {
        let output = unaryMap(x) { -$0 }
        return recordOp(name: "neg", output: output, inputs: [x]) { g in [-g] }
    }

    /// `x + s`. Gradient: `g`.
    public static func + (x: Tensor, s: Float) -> Tensor {
        let output = unaryMap(x) { $0 + s }
        return recordOp(name: "add scalar", output: output, inputs: [x]) { g in [g] }
    }

    /// `s + x`. Gradient: `g`.
    public static func + (s: Float, x: Tensor) -> Tensor { x + s }

    /// `x - s`. Gradient: `g`.
    public static func - (x: Tensor, s: Float) -> Tensor { x + (-s) }

    /// `s - x`. Gradient: `-g`.
    public static func - (s: Float, x: Tensor) -> Tensor {
        let output = unaryMap(x) { s - $0 }
        return recordOp(name: "rsub scalar", output: output, inputs: [x]) { g in [-g] }
    }

    /// `x * s`. Gradient: `g * s`.
    public static func * (x: Tensor, s: Float) -> Tensor {
        let output = unaryMap(x) { $0 * s }
        return recordOp(name: "mul scalar", output: output, inputs: [x]) { g in [g * s] }
    }

    /// `s * x`. Gradient: `g * s`.
    public static func * (s: Float, x: Tensor) -> Tensor { x * s }

    /// `x / s`. Gradient: `g / s`.
    public static func / (x: Tensor, s: Float) -> Tensor { x * (1 / s) }

    /// `s / x`. Gradient: `-g * s / x^2`.
    public static func / (s: Float, x: Tensor) -> Tensor {
        let output = unaryMap(x) { s / $0 }
        return recordOp(name: "rdiv scalar", output: output, inputs: [x]) { g in
            [try broadcastMap(g, x, op: "rdiv scalar backward") { -$0 * s / ($1 * $1) }]
        }
    }

    /// `(a - b)^2` element-wise with broadcasting (fused). Gradients: `2 (a - b) g` and `-2 (a - b) g`.
    public static func squaredDifference(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        let output = try broadcastMap(a, b, op: "squaredDifference") { ($0 - $1) * ($0 - $1) }
        return recordOp(name: "squaredDifference", output: output, inputs: [a, b]) { g in
            let scaled = try broadcastMap(g, try broadcastMap(a, b, op: "squaredDifference") { $0 - $1 }, op: "squaredDifference") { 2 * $0 * $1 }
            return [a.node == nil ? nil : try scaled.sum(toShape: a.shape), b.node == nil ? nil : -(try scaled.sum(toShape: b.shape))]
        }
    }
}

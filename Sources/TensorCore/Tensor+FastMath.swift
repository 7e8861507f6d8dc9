// Vectorised exp/tanh/sigmoid over contiguous float buffers (SIMD8, SSE2-friendly bit tricks), used by the element-wise ops.

/// `e^x` on 8 lanes: Cephes' expf reduction (x = n ln2 + r, |r| <= ln2/2, ln2 split in two parts)
/// and degree-6 polynomial, with 2^n built in the exponent bits. Relative error about 2 ulp; NaN
/// stays NaN, x > 88.72 gives +inf and x < -87.33 gives 0 (no subnormal results).
@inline(__always)
func simdExp(_ x: SIMD8<Float>) -> SIMD8<Float> {
    // Every constant is an explicit splat: mixed vector-scalar operators and clamped() are not
    // inlined for SIMD8 and cost a call per operation.
    typealias V = SIMD8<Float>
    let upper = V(repeating: 88.72283), lower = V(repeating: -87.33654)
    var v = x
    v.replace(with: lower, where: x .< lower)
    v.replace(with: upper, where: x .> upper)
    // Round v / ln2 to nearest with the 1.5 * 2^23 trick (no SSE4.1 round instruction needed);
    // the integer lands in the low mantissa bits of `shifted`.
    let magic = V(repeating: 12_582_912)
    let shifted = v * V(repeating: 1.442_695_04) + magic
    let n = shifted - magic
    let r = v - n * V(repeating: 0.693_359_375) - n * V(repeating: -2.121_944_4e-4)
    var p = V(repeating: 1.987_569_15e-4)
    p = p * r + V(repeating: 1.398_199_95e-3)
    p = p * r + V(repeating: 8.333_451_91e-3)
    p = p * r + V(repeating: 4.166_579_59e-2)
    p = p * r + V(repeating: 1.666_666_55e-1)
    p = p * r + V(repeating: 5.000_000_12e-1)
    p = p * (r * r) + r + V(repeating: 1)
    let integer = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- SIMD8<Int32>(repeating: 0x4B40_0000)
    // 2^n as 2^(n/2) * 2^(n - n/2): n spans -126...128, each half stays a normal float.
    let half = integer &>> SIMD8<Int32>(repeating: 1)
    let bias = SIMD8<Int32>(repeating: 127), shift = SIMD8<Int32>(repeating: 23)
    let scaleLow = unsafeBitCast((half &+ bias) &<< shift, to: V.self)
    let scaleHigh = unsafeBitCast((integer &- half &+ bias) &<< shift, to: V.self)
    var result = p * scaleLow * scaleHigh
    result.replace(with: V(repeating: .infinity), where: x .> upper)
    result.replace(with: V(), where: x .< lower)
    result.replace(with: x, where: x .!= x)
    return result
}

/// `tanh(x)` on 8 lanes: an odd Taylor polynomial to x^9 for |x| < 0.2 (error below 1e-9), else
/// `sign(x) (1 - e) / (1 + e)` with `e = e^(-2|x|)`, which has no cancellation there.
@inline(__always)
func simdTanh(_ x: SIMD8<Float>) -> SIMD8<Float> {
    typealias V = SIMD8<Float>
    let zero = V(), one = V(repeating: 1)
    let negative = x .< zero
    let magnitude = x.replacing(with: zero - x, where: negative)
    let e = simdExp(V(repeating: -2) * magnitude)
    let large = (one - e) / (one + e)
    let signedLarge = large.replacing(with: zero - large, where: negative)
    let x2 = x * x
    var small = V(repeating: 62.0 / 2835.0)
    small = small * x2 - V(repeating: 17.0 / 315.0)
    small = small * x2 + V(repeating: 2.0 / 15.0)
    small = small * x2 - V(repeating: 1.0 / 3.0)
    small = small * x2 * x + x
    return small.replacing(with: signedLarge, where: magnitude .>= V(repeating: 0.2))
}

/// `1 / (1 + e^-x)` on 8 lanes.
@inline(__always)
func simdSigmoid(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let one = SIMD8<Float>(repeating: 1)
    return one / (one + simdExp(SIMD8<Float>() - x))
}

/// Applies an 8-lane function to `count` contiguous floats (source and destination may coincide).
@inline(__always)
func applyVectorized(_ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>, _ count: Int,
                     _ f: (SIMD8<Float>) -> SIMD8<Float>) {
    let input = UnsafeRawPointer(source), output = UnsafeMutableRawPointer(destination)
    var i = 0
    while i + 8 <= count {
        output.storeBytes(of: f(input.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)), toByteOffset: i * 4, as: SIMD8<Float>.self)
        i += 8
    }
    if i < count {
        var lanes = SIMD8<Float>(repeating: 0)
        for j in 0..<(count - i) { lanes[j] = source[i + j] }
        let result = f(lanes)
        for j in 0..<(count - i) { destination[i + j] = result[j] }
    }
}

/// Element-wise 8-lane function into a new contiguous tensor.
@inline(__always)
func vectorMap(_ x: Tensor, _ f: (SIMD8<Float>) -> SIMD8<Float>) -> Tensor {
    let source = x.contiguousData()
    defer { withExtendedLifetime(source) {} }
    let result = Tensor(uninitializedShape: x.shape)
    applyVectorized(source.basePointer, result.storage.pointer, result.count, f)
    return result
}

/// Element-wise 8-lane function of two same-shape tensors into a new contiguous tensor.
@inline(__always)
func vectorZip(_ a: Tensor, _ b: Tensor, _ f: (SIMD8<Float>, SIMD8<Float>) -> SIMD8<Float>) -> Tensor {
    let left = a.contiguousData(), right = b.contiguousData()
    defer { withExtendedLifetime((left, right)) {} }
    let result = Tensor(uninitializedShape: a.shape)
    let pa = UnsafeRawPointer(left.basePointer), pb = UnsafeRawPointer(right.basePointer)
    let out = UnsafeMutableRawPointer(result.storage.pointer)
    let count = result.count
    var i = 0
    while i + 8 <= count {
        let value = f(pa.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self), pb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self))
        out.storeBytes(of: value, toByteOffset: i * 4, as: SIMD8<Float>.self)
        i += 8
    }
    if i < count {
        var x = SIMD8<Float>(), y = SIMD8<Float>()
        for j in 0..<(count - i) {
            x[j] = left.basePointer[i + j]
            y[j] = right.basePointer[i + j]
        }
        let value = f(x, y)
        for j in 0..<(count - i) { result.storage.pointer[i + j] = value[j] }
    }
    return result
}

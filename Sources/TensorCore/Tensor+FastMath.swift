// Vectorised exp/tanh/sigmoid over contiguous float buffers (SIMD8, SSE2-friendly bit tricks), used by the element-wise ops.

/// `e^x` on 8 lanes: Cephes' expf reduction (x = n ln2 + r, |r| <= ln2/2, ln2 split in two parts)
/// and degree-6 polynomial, with 2^n built in the exponent bits. Relative error about 2 ulp; NaN
/// stays NaN, x > 88.72 gives +inf and x < -87.33 gives 0 (no subnormal results).
@inline(__always)
func simdExp(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let upper = SIMD8<Float>(repeating: 88.72283), lower = SIMD8<Float>(repeating: -87.33654)
    // Comparisons and selects instead of clamped(), which is not inlined for SIMD8 and costs a call.
    let v = x.replacing(with: lower, where: .!(x .>= lower)).replacing(with: upper, where: x .> upper)
    // Round v / ln2 to nearest with the 1.5 * 2^23 trick (no SSE4.1 round instruction needed);
    // the integer lands in the low mantissa bits of `shifted`.
    let magic = SIMD8<Float>(repeating: 12_582_912)
    let shifted = v * 1.442_695_04 + magic
    let n = shifted - magic
    var r = v - n * 0.693_359_375
    r = r - n * -2.121_944_4e-4
    var p = SIMD8<Float>(repeating: 1.987_569_15e-4)
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_91e-3
    p = p * r + 4.166_579_59e-2
    p = p * r + 1.666_666_55e-1
    p = p * r + 5.000_000_12e-1
    p = p * (r * r) + r + 1
    let integer = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self)
    // 2^n as 2^(n/2) * 2^(n - n/2): n spans -126...128, each half stays a normal float.
    let half = integer &>> 1
    let scaleLow = unsafeBitCast((half &+ 127) &<< 23, to: SIMD8<Float>.self)
    let scaleHigh = unsafeBitCast((integer &- half &+ 127) &<< 23, to: SIMD8<Float>.self)
    var result = p * scaleLow * scaleHigh
    result.replace(with: .infinity, where: x .> upper)
    result.replace(with: 0, where: x .< lower)
    result.replace(with: x, where: x .!= x)
    return result
}

/// `tanh(x)` on 8 lanes: an odd Taylor polynomial to x^9 for |x| < 0.2 (error below 1e-9), else
/// `sign(x) (1 - e) / (1 + e)` with `e = e^(-2|x|)`, which has no cancellation there.
@inline(__always)
func simdTanh(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let magnitude = x.replacing(with: -x, where: x .< 0)
    let e = simdExp(-2 * magnitude)
    var large = (1 - e) / (1 + e)
    large.replace(with: -large, where: x .< 0)
    let x2 = x * x
    var small = SIMD8<Float>(repeating: 62.0 / 2835.0)
    small = small * x2 - 17.0 / 315.0
    small = small * x2 + 2.0 / 15.0
    small = small * x2 - 1.0 / 3.0
    small = small * x2 * x + x
    return small.replacing(with: large, where: magnitude .>= 0.2)
}

/// `1 / (1 + e^-x)` on 8 lanes.
@inline(__always)
func simdSigmoid(_ x: SIMD8<Float>) -> SIMD8<Float> { 1 / (1 + simdExp(-x)) }

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
func vectorMap(_ x: Tensor, _ f: (SIMD8<Float>) -> SIMD8<Float>) -> Tensor {
    let source = x.contiguousData()
    defer { withExtendedLifetime(source) {} }
    let result = Tensor(uninitializedShape: x.shape)
    applyVectorized(source.basePointer, result.storage.pointer, result.count, f)
    return result
}

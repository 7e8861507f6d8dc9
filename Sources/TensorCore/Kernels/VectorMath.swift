// VectorMath: SIMD polynomial exp, sigmoid and tanh for the fused kernels' gate and softmax passes.
// Cephes-style range reduction and minimax polynomials; errors measured in VectorMathTests.

/// Vectorised float32 transcendental functions on `SIMD16<Float>` and on raw buffers.
///
/// Accuracy (measured against `Foundation.exp`/`tanh` in Double on about 140k points in
/// [-100, 100], see `VectorMathTests`, which require < 2e-7): max relative errors of `exp`,
/// `sigmoid` and `tanh` are 0.77e-7, 1.37e-7 and 1.22e-7 (about 1 ulp). `exp` covers
/// [-87.3365, 88.7228] and returns 0 below, +inf above; `sigmoid` saturates to exactly 0/1;
/// `tanh` is exactly ±1 for |x| > 9.1. No NaN for any finite input or ±inf.
/// References: Cephes `expf.c` and `tanhf.c` (S. Moshier) polynomial coefficients.
public enum VectorMath {
    // Constants are written as splatted literals inside the functions: static stored
    // properties and the generic clamped/pointwiseMin/Max defeat vectorisation here.

    /// `e^x` lane-wise.
    @inlinable @inline(__always)
    public static func exp(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let lower = SIMD16<Float>(repeating: -87.3365), upper = SIMD16<Float>(repeating: 88.7228)
        var clamped = x
        clamped.replace(with: lower, where: x .< lower)
        clamped.replace(with: upper, where: x .> upper)
        // Adding 1.5 * 2^23 rounds to the nearest integer and leaves it in the low mantissa bits.
        let magic = SIMD16<Float>(repeating: 12_582_912.0)
        let shifted = clamped * SIMD16<Float>(repeating: 1.44269504088896341) + magic
        let n = shifted - magic
        let r = clamped - n * SIMD16<Float>(repeating: 0.693359375) - n * SIMD16<Float>(repeating: -2.12194440e-4)
        var p = SIMD16<Float>(repeating: 1.9875691500e-4)
        p = p * r + SIMD16<Float>(repeating: 1.3981999507e-3)
        p = p * r + SIMD16<Float>(repeating: 8.3334519073e-3)
        p = p * r + SIMD16<Float>(repeating: 4.1665795894e-2)
        p = p * r + SIMD16<Float>(repeating: 1.6666665459e-1)
        p = p * r + SIMD16<Float>(repeating: 5.0000001201e-1)
        p = p * (r * r) + r + SIMD16<Float>(repeating: 1)
        // Scale by 2^n in two halves so that n = 128 and n = -126 stay representable.
        let exponent = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- SIMD16<Int32>(repeating: 0x4B40_0000)
        let half = exponent &>> SIMD16<Int32>(repeating: 1)
        let rest = exponent &- half
        let bias = SIMD16<Int32>(repeating: 127), shift = SIMD16<Int32>(repeating: 23)
        let scaleA = unsafeBitCast((half &+ bias) &<< shift, to: SIMD16<Float>.self)
        let scaleB = unsafeBitCast((rest &+ bias) &<< shift, to: SIMD16<Float>.self)
        var result = p * scaleA * scaleB
        result.replace(with: SIMD16<Float>(repeating: .infinity), where: x .> upper)
        result.replace(with: SIMD16<Float>(), where: x .< lower)
        return result
    }

    /// `1 / (1 + e^-x)` lane-wise.
    @inlinable @inline(__always)
    public static func sigmoid(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let one = SIMD16<Float>(repeating: 1)
        return one / (one + exp(SIMD16<Float>() - x))
    }

    /// `tanh(x)` lane-wise: an odd polynomial for |x| < 0.625 (where `1 - 2/(e^2x + 1)`
    /// would cancel), the exponential form elsewhere.
    @inlinable @inline(__always)
    public static func tanh(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let zero = SIMD16<Float>(), one = SIMD16<Float>(repeating: 1)
        let negative = x .< zero
        let magnitude = x.replacing(with: zero - x, where: negative)
        let z = x * x
        var small = SIMD16<Float>(repeating: -5.70498872745e-3)
        small = small * z + SIMD16<Float>(repeating: 2.06390887954e-2)
        small = small * z - SIMD16<Float>(repeating: 5.37397155531e-2)
        small = small * z + SIMD16<Float>(repeating: 1.33314422036e-1)
        small = small * z - SIMD16<Float>(repeating: 3.33332819422e-1)
        small = small * z * x + x
        let large = one - (one + one) / (exp(magnitude + magnitude) + one)
        var result = large.replacing(with: zero - large, where: negative)
        result.replace(with: small, where: magnitude .< SIMD16<Float>(repeating: 0.625))
        return result
    }

    /// `e^x` scalar, through the vector path (so scalar tails match the vector lanes exactly).
    @inlinable
    public static func exp(_ x: Float) -> Float { exp(SIMD16(repeating: x))[0] }

    /// Sigmoid scalar, through the vector path.
    @inlinable
    public static func sigmoid(_ x: Float) -> Float { sigmoid(SIMD16(repeating: x))[0] }

    /// Tanh scalar, through the vector path.
    @inlinable
    public static func tanh(_ x: Float) -> Float { tanh(SIMD16(repeating: x))[0] }

    /// Applies `function` to `count` floats from `source` into `destination` (which may equal
    /// `source`), 16 lanes at a time; the tail goes through a zero-padded vector.
    @inlinable @inline(__always)
    public static func apply(
        _ count: Int, _ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>,
        _ function: (SIMD16<Float>) -> SIMD16<Float>
    ) {
        var index = 0
        while index + 16 <= count {
            let value = UnsafeRawPointer(source + index).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(destination + index).storeBytes(of: function(value), as: SIMD16<Float>.self)
            index += 16
        }
        if index < count {
            var tail = SIMD16<Float>()
            for lane in 0..<(count - index) { tail[lane] = source[index + lane] }
            let result = function(tail)
            for lane in 0..<(count - index) { destination[index + lane] = result[lane] }
        }
    }

    /// `destination[i] = e^source[i]` for `count` elements.
    public static func exp(_ count: Int, _ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>) {
        apply(count, source, destination) { exp($0) }
    }

    /// `destination[i] = sigmoid(source[i])` for `count` elements.
    public static func sigmoid(_ count: Int, _ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>) {
        apply(count, source, destination) { sigmoid($0) }
    }

    /// `destination[i] = tanh(source[i])` for `count` elements.
    public static func tanh(_ count: Int, _ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>) {
        apply(count, source, destination) { tanh($0) }
    }
}

/// Loads and stores of 16 floats at unaligned addresses, shared by the kernels.
@usableFromInline @inline(__always)
func kernelLoad16(_ pointer: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD16<Float>.self)
}

@usableFromInline @inline(__always)
func kernelLoad16(_ pointer: UnsafeMutablePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD16<Float>.self)
}

@usableFromInline @inline(__always)
func kernelStore16(_ value: SIMD16<Float>, _ pointer: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD16<Float>.self)
}

/// Loads `count` (< 16) floats zero-padded to 16 lanes, for the tails of rows.
@usableFromInline @inline(__always)
func kernelLoadPartial16(_ pointer: UnsafePointer<Float>, _ count: Int) -> SIMD16<Float> {
    if count >= 16 { return kernelLoad16(pointer) }
    var value = SIMD16<Float>()
    for lane in 0..<count { value[lane] = pointer[lane] }
    return value
}

/// Stores the first `count` lanes of `value`.
@usableFromInline @inline(__always)
func kernelStorePartial16(_ value: SIMD16<Float>, _ pointer: UnsafeMutablePointer<Float>, _ count: Int) {
    if count >= 16 { kernelStore16(value, pointer); return }
    for lane in 0..<count { pointer[lane] = value[lane] }
}

/// Lane-wise maximum through a compare-and-select (the generic `pointwiseMax` is not vectorised).
@usableFromInline @inline(__always)
func kernelMaximum16(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
    a.replacing(with: b, where: b .> a)
}

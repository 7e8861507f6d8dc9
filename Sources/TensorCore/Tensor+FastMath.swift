// Element-wise SIMD helpers for the tensor ops: VectorMath kernels (exp, sigmoid, tanh) mapped over
// tensors, and 8-lane maps for the simple ops (relu, clamp, abs).

/// Applies one of `VectorMath`'s buffer kernels (exp, sigmoid, tanh) into a new contiguous tensor.
@inline(__always)
func vectorKernelMap(_ x: Tensor,
                     _ kernel: (Int, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> Tensor {
    let source = x.contiguousData()
    defer { withExtendedLifetime(source) {} }
    let result = Tensor(uninitializedShape: x.shape)
    kernel(result.count, source.basePointer, result.storage.pointer)
    return result
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

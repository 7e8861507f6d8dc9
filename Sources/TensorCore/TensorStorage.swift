// The reference-counted float32 buffer behind every Tensor; Tensor's copy-on-write hinges on it.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An owned, 64-byte aligned buffer of `count` floats.
///
/// Tensors share one storage between copies and views; a mutating Tensor method first checks
/// `isKnownUniquelyReferenced` and copies when the storage is shared (copy-on-write). The buffer
/// is therefore only ever written while exactly one Tensor value refers to it, which is what makes
/// the `@unchecked Sendable` conformance sound.
public final class TensorStorage: @unchecked Sendable {
    /// First element; valid for `count` floats (at least one float is always allocated).
    public let pointer: UnsafeMutablePointer<Float>
    /// Number of floats in the buffer.
    public let count: Int

    /// Allocates uninitialised storage for `count` floats.
    public init(uninitializedCount count: Int) {
        self.count = count
        var raw: UnsafeMutableRawPointer?
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        // posix_memalign only fails when out of memory; fall back to the system allocator's alignment then.
        if posix_memalign(&raw, 64, bytes) != 0 || raw == nil {
            raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        }
        pointer = raw.unsafelyUnwrapped.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    /// Allocates storage filled with `value`.
    public convenience init(count: Int, repeating value: Float) {
        self.init(uninitializedCount: count)
        if value == 0 {
            memset(pointer, 0, count * MemoryLayout<Float>.stride)
        } else {
            pointer.update(repeating: value, count: count)
        }
    }

    deinit { free(pointer) }
}

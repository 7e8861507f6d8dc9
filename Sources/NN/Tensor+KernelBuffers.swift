// Raw-buffer access for the fused kernels: dense tensors kept alive with their base addresses.
import TensorCore

extension Tensor {
    /// A C-order copy (or this tensor when already dense), whose elements start at `basePointer`.
    var dense: Tensor { contiguous().detached() }

    /// First element of a dense tensor (valid while the tensor's storage lives).
    var basePointer: UnsafeMutablePointer<Float> {
        precondition(isContiguous, "basePointer needs a dense tensor")
        return storage.pointer + offset
    }

    /// A fresh, uniquely owned tensor of `shape` filled with zeros: kernels accumulate into it.
    static func accumulator(_ shape: [Int]) -> Tensor { Tensor.zeros(shape) }

    /// A fresh tensor of `shape` whose every element a kernel will write.
    static func output(_ shape: [Int]) -> Tensor {
        Tensor(storage: TensorStorage(uninitializedCount: shape.reduce(1, *)), shape: shape)
    }
}

// Raw-buffer access for the fused kernels: dense tensors kept alive with their base addresses.
import TensorCore

extension Tensor {
    /// A C-order copy (or this tensor when already dense), whose elements start at `basePointer`.
    var dense: Tensor { contiguous().detached() }
}

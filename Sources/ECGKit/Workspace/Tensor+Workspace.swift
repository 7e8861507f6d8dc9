// Tensors in a workspace: one float32 dataset `data` with the tensor's real shape
// (chunked and shuffle+deflate compressed above 64 KiB by the HDF5 layer).
import Formats
import TensorCore

extension Tensor: WorkspaceCodable {
    public static let workspaceTypeName = "tensor"
    static let dataDataset = "data"

    /// `x: [d0, d1, ...]` → float32 dataset `data` of shape [d0, d1, ...] in C order
    /// (a rank-0 tensor is a scalar dataset). Gradients and graph are not stored.
    public func encode(into group: HDF5Group) throws {
        try group.writeDataset(Self.dataDataset, StoredArray(shape: shape, elements: .float32(scalars)))
    }

    /// Reads `data` with its shape. float32 is read bit for bit; other numeric types
    /// (e.g. NumPy's default float64 from h5py) are rounded to float32.
    public static func decode(from group: HDF5Group) throws -> Tensor {
        let array = try group.readDataset(dataDataset)
        do {
            return try Tensor(shape: array.shape, scalars: array.floats())
        } catch {
            throw WorkspaceError.malformed(group, "'\(dataDataset)' cannot be a tensor: \(error)")
        }
    }

    /// "float32 [256, 1024]", 4 bytes per element.
    public static func describe(_ group: HDF5Group) throws -> WorkspaceEntryDetails {
        let shape = try group.openDataset(dataDataset).shape()
        let summary = shape.isEmpty ? "float32 scalar" : "float32 [\(shape.map(String.init).joined(separator: ", "))]"
        return WorkspaceEntryDetails(shape: shape, summary: summary, bytes: shape.reduce(1, *) * 4)
    }
}

// HDF5Dataset: an open dataset: its shape, whether it holds strings, and reading it
// back into a StoredArray (checking type class and size) or into Swift strings.
import CHDF5

/// A dataset in an open HDF5 file.
public final class HDF5Dataset: HDF5Object {
    init(file: HDF5File, path: String, operation: String = "open dataset", open: (hid_t) -> hid_t) throws {
        try super.init(file: file, path: path, kind: .dataset, operation: operation, open: open)
    }

    /// Extent of each axis, outermost first; `[]` for a scalar dataset.
    public func shape() throws -> [Int] {
        try HDF5Library.withLock {
            let space = try HDF5Handle(H5Dget_space(handle.id), .dataspace, operation: "read dataspace",
                                       path: path, file: file.path)
            return try HDF5Types.extents(space.id, path: path, file: file.path)
        }
    }

    /// Whether the dataset holds strings (variable- or fixed-length).
    public func holdsStrings() throws -> Bool {
        try HDF5Library.withLock {
            let type = try HDF5Handle(H5Dget_type(handle.id), .datatype, operation: "read datatype",
                                      path: path, file: file.path)
            return H5Tget_class(type.id) == H5T_STRING
        }
    }

    /// Filters applied to the stored chunks, by HDF5 filter id (1 deflate, 2 shuffle).
    public func filters() throws -> [Int] {
        try HDF5Library.withLock {
            let creation = try HDF5Handle(H5Dget_create_plist(handle.id), .propertyList,
                                          operation: "read dataset properties", path: path, file: file.path)
            let count = try HDF5Library.check(H5Pget_nfilters(creation.id), "read filters", path: path, file: file.path)
            return (0..<count).map { index in
                var flags: UInt32 = 0
                var valueCount = 0
                var name = [CChar](repeating: 0, count: 64)
                var config: UInt32 = 0
                return Int(H5Pget_filter2(creation.id, UInt32(index), &flags, &valueCount, nil, name.count, &name, &config))
            }
        }
    }

    /// Reads the numeric dataset into a `StoredArray` of its stored type and shape.
    ///
    /// float16 widens to float32, uint16 to int32, uint32 to int64; a uint8 dataset
    /// carrying `ecgs_dtype = "bool"` comes back as `.bool`. Strings, enums, compounds
    /// and uint64 throw `.typeMismatch`.
    public func read() throws -> StoredArray {
        let array: StoredArray = try HDF5Library.withLock {
            let type = try HDF5Handle(H5Dget_type(handle.id), .datatype, operation: "read dataset",
                                      path: path, file: file.path)
            let elementType: HDF5ElementType
            switch HDF5ElementType.reading(type.id) {
            case .supported(let found): elementType = found
            case .unsupported(let reason): throw error(.typeMismatch, "read dataset", nil, reason)
            }
            let space = try HDF5Handle(H5Dget_space(handle.id), .dataspace, operation: "read dataset",
                                       path: path, file: file.path)
            let shape = try HDF5Types.extents(space.id, path: path, file: file.path)
            let count = shape.reduce(1, *)
            let elements = try StoredArray.Elements.reading(elementType, count: count) { buffer in
                guard count > 0 else { return }
                try HDF5Library.check(H5Dread(handle.id, elementType.memoryType, chdf5_space_all(), chdf5_space_all(),
                                              chdf5_default(), buffer),
                                      "read dataset", path: path, file: file.path)
            }
            return StoredArray(shape: shape, elements: elements)
        }
        if case .uint8(let bytes) = array.elements, try hasAttribute(HDF5Group.boolMarkerAttribute),
           try attribute(HDF5Group.boolMarkerAttribute) == .string("bool") {
            return StoredArray(shape: array.shape, elements: .bool(bytes.map { $0 != 0 }))
        }
        return array
    }

    /// Reads a string dataset (scalar → one element, 1-D → its elements in order).
    public func readStrings() throws -> [String] {
        try HDF5Library.withLock {
            let type = try HDF5Handle(H5Dget_type(handle.id), .datatype, operation: "read dataset",
                                      path: path, file: file.path)
            guard H5Tget_class(type.id) == H5T_STRING else {
                throw error(.typeMismatch, "read dataset", nil, "expected strings, found a numeric dataset")
            }
            let space = try HDF5Handle(H5Dget_space(handle.id), .dataspace, operation: "read dataset",
                                       path: path, file: file.path)
            let count = try HDF5Types.extents(space.id, path: path, file: file.path).reduce(1, *)
            guard count > 0 else { return [] }
            return try HDF5Types.readStrings(stored: type.id, space: space.id, count: count,
                                             path: path, file: file.path) { memory, buffer in
                H5Dread(handle.id, memory, chdf5_space_all(), chdf5_space_all(), chdf5_default(), buffer)
            }
        }
    }
}

// HDF5Group: groups (create with creation order tracked, open, list children in creation
// order, test existence) and the dataset writers for numeric arrays and UTF-8 strings.
import CHDF5
import Foundation

/// What a link inside a group points to.
public enum HDF5ObjectKind: Sendable, Equatable {
    case group, dataset, other
}

/// How a numeric dataset is laid out.
public enum HDF5Compression: Sendable, Equatable {
    /// Contiguous up to `HDF5Group.compressionThreshold` bytes; above it chunked
    /// (chunks of at most 1 MiB) with shuffle + deflate level 4.
    case automatic
    /// Always contiguous, uncompressed.
    case none
    /// Always chunked with shuffle + deflate at `level` (0-9), unless the array is scalar or empty.
    case deflate(level: Int)
}

/// A group in an open HDF5 file.
public final class HDF5Group: HDF5Object {
    /// Arrays larger than this many bytes are chunked and compressed under `.automatic`.
    public static let compressionThreshold = 64 * 1024
    /// Upper bound on one chunk's size in bytes (HDF5's default chunk cache is 1 MiB).
    static let maximumChunkBytes = 1 << 20
    /// The attribute that marks a uint8 dataset as holding Booleans (HDF5 has no standard bool).
    public static let boolMarkerAttribute = "ecgs_dtype"

    init(file: HDF5File, path: String, operation: String = "open group", open: (hid_t) -> hid_t) throws {
        try super.init(file: file, path: path, kind: .group, operation: operation, open: open)
    }

    /// Creates the child group `name` (intermediate groups of a path like "a/b" too),
    /// tracking link creation order so `childNames()` lists children as written.
    @discardableResult
    public func createGroup(_ name: String) throws -> HDF5Group {
        try validate(name, "create group")
        let target = childPath(name)
        return try HDF5Group(file: file, path: target, operation: "create group") { _ in
            guard let creation = try? Self.groupCreationProperties(target, file.path),
                  let links = try? Self.linkCreationProperties(target, file.path) else { return -1 }
            return H5Gcreate2(handle.id, name, links.id, creation.id, chdf5_default())
        }
    }

    /// Opens the existing child group `name` (a relative path is allowed).
    public func openGroup(_ name: String) throws -> HDF5Group {
        try requireKind(name, .group, "open group")
        return try HDF5Group(file: file, path: childPath(name)) { _ in
            H5Gopen2(handle.id, name, chdf5_default())
        }
    }

    /// Whether a link `name` (or every step of a relative path "a/b/c") exists.
    public func exists(_ name: String) throws -> Bool {
        try HDF5Library.withLock {
            var prefix = ""
            for component in name.split(separator: "/", omittingEmptySubsequences: true) {
                prefix += prefix.isEmpty ? String(component) : "/" + component
                let found = try HDF5Library.check(H5Lexists(handle.id, prefix, chdf5_default()),
                                                  "look up '\(prefix)'", path: path, file: file.path)
                if found <= 0 { return false }
            }
            return !prefix.isEmpty
        }
    }

    /// What `name` is, or nil when it does not exist.
    public func kind(of name: String) throws -> HDF5ObjectKind? {
        guard try exists(name) else { return nil }
        return try HDF5Library.withLock {
            var info = H5O_info_t()
            try HDF5Library.check(H5Oget_info_by_name2(handle.id, name, &info, chdf5_object_info_basic(), chdf5_default()),
                                  "inspect object", path: childPath(name), file: file.path)
            switch info.type {
            case H5O_TYPE_GROUP: return .group
            case H5O_TYPE_DATASET: return .dataset
            default: return .other
            }
        }
    }

    /// Names of the direct children, in creation order when the group tracks it
    /// (groups written here, h5py's `track_order=True`), otherwise in name order.
    public func childNames() throws -> [String] {
        try HDF5Library.withLock {
            final class Names { var list: [String] = [] }
            func iterate(_ index: H5_index_t) -> (herr_t, [String]) {
                let names = Names()
                var position: hsize_t = 0
                let status = H5Literate(handle.id, index, H5_ITER_INC, &position, { _, name, _, data in
                    guard let name, let data else { return -1 }
                    Unmanaged<Names>.fromOpaque(data).takeUnretainedValue().list.append(String(cString: name))
                    return 0
                }, Unmanaged.passUnretained(names).toOpaque())
                return (status, names.list)
            }
            let (ordered, byCreation) = iterate(H5_INDEX_CRT_ORDER)
            if ordered >= 0 { return byCreation }
            _ = HDF5Library.drainErrorStack()
            let (status, byName) = iterate(H5_INDEX_NAME)
            try HDF5Library.check(status, "list children", path: path, file: file.path)
            return byName
        }
    }

    // MARK: Datasets

    /// Writes `array` as the dataset `name` with its real shape (scalar for `[]`).
    ///
    /// float32/float64/int8/16/32/64/uint8 are stored as the little-endian standard type;
    /// bool is stored as uint8 (0/1) with the attribute `ecgs_dtype = "bool"`, which
    /// `readDataset` turns back into `.bool` (h5py sees uint8). Above
    /// `compressionThreshold` bytes (under `.automatic`) the dataset is chunked with
    /// shuffle + deflate(4).
    @discardableResult
    public func writeDataset(_ name: String, _ array: StoredArray,
                             compression: HDF5Compression = .automatic) throws -> HDF5Dataset {
        try validate(name, "write dataset")
        let target = childPath(name)
        guard array.elements.elementCount == array.count, array.shape.allSatisfy({ $0 >= 0 }) else {
            throw error(.invalidArgument, "write dataset", name,
                        "shape \(array.shape) needs \(array.count) elements, got \(array.elements.elementCount)")
        }
        let type = array.elements.hdf5Type
        let dataset = try HDF5Library.withLock {
            let space = try HDF5Types.dataspace(array.shape, path: target, file: file.path)
            let creation = try Self.datasetCreationProperties(shape: array.shape, elementSize: type.byteSize,
                                                              compression: compression, target, file.path)
            let links = try Self.linkCreationProperties(target, file.path)
            let id = H5Dcreate2(handle.id, name, type.fileType, space.id, links.id, creation.id, chdf5_default())
            let dataset = try HDF5Dataset(file: file, path: target, operation: "create dataset") { _ in id }
            if array.count > 0 {
                _ = try array.elements.withRawBytes { bytes in
                    try HDF5Library.check(H5Dwrite(dataset.handle.id, type.memoryType, chdf5_space_all(),
                                                   chdf5_space_all(), chdf5_default(), bytes),
                                          "write dataset", path: target, file: file.path)
                }
            }
            return dataset
        }
        if case .bool = array.elements {
            try dataset.setAttribute(Self.boolMarkerAttribute, .string("bool"))
        }
        return dataset
    }

    /// Writes a scalar variable-length UTF-8 string dataset (the place for long text:
    /// scripts, JSON configurations).
    @discardableResult
    public func writeString(_ name: String, _ text: String) throws -> HDF5Dataset {
        try writeStrings(name, [text], shape: [])
    }

    /// Writes a 1-D variable-length UTF-8 string dataset.
    @discardableResult
    public func writeStrings(_ name: String, _ texts: [String]) throws -> HDF5Dataset {
        try writeStrings(name, texts, shape: [texts.count])
    }

    private func writeStrings(_ name: String, _ texts: [String], shape: [Int]) throws -> HDF5Dataset {
        try validate(name, "write dataset")
        let target = childPath(name)
        return try HDF5Library.withLock {
            let type = try HDF5Types.variableString(path: target, file: file.path)
            let space = try HDF5Types.dataspace(shape, path: target, file: file.path)
            let creation = try Self.datasetCreationProperties(shape: shape, elementSize: 0, compression: .none,
                                                              target, file.path)
            let links = try Self.linkCreationProperties(target, file.path)
            let id = H5Dcreate2(handle.id, name, type.id, space.id, links.id, creation.id, chdf5_default())
            let dataset = try HDF5Dataset(file: file, path: target, operation: "create dataset") { _ in id }
            if !texts.isEmpty {
                _ = try HDF5Types.withCStrings(texts) { pointers in
                    try HDF5Library.check(H5Dwrite(dataset.handle.id, type.id, chdf5_space_all(), chdf5_space_all(),
                                                   chdf5_default(), pointers),
                                          "write dataset", path: target, file: file.path)
                }
            }
            return dataset
        }
    }

    /// Opens the dataset `name` (a relative path is allowed).
    public func openDataset(_ name: String) throws -> HDF5Dataset {
        try requireKind(name, .dataset, "open dataset")
        return try HDF5Dataset(file: file, path: childPath(name)) { _ in
            H5Dopen2(handle.id, name, chdf5_default())
        }
    }

    /// Reads the numeric dataset `name` into a `StoredArray` with its stored type and shape.
    public func readDataset(_ name: String) throws -> StoredArray {
        try openDataset(name).read()
    }

    /// Reads the string dataset `name` (scalar → one element).
    public func readStrings(_ name: String) throws -> [String] {
        try openDataset(name).readStrings()
    }

    /// Reads the scalar (or single-element) string dataset `name`.
    public func readString(_ name: String) throws -> String {
        let texts = try readStrings(name)
        guard texts.count == 1, let text = texts.first else {
            throw error(.typeMismatch, "read dataset", name, "expected one string, found \(texts.count)")
        }
        return text
    }

    // MARK: Helpers

    /// Refuses empty, absolute or dangling names and names already taken, before libhdf5
    /// would answer with a long traversal error stack.
    private func validate(_ name: String, _ operation: String) throws {
        if name.isEmpty || name.hasPrefix("/") || name.hasSuffix("/") || name == "." {
            throw error(.invalidArgument, operation, nil, "invalid object name '\(name)'")
        }
        if try exists(name) {
            throw error(.invalidArgument, operation, name, "an object with this name already exists")
        }
    }

    private func requireKind(_ name: String, _ expected: HDF5ObjectKind, _ operation: String) throws {
        switch try kind(of: name) {
        case nil:
            throw error(.objectNotFound, operation, name, "no such object")
        case let found? where found != expected:
            throw error(.typeMismatch, operation, name, "expected a \(expected), found a \(found)")
        default:
            return
        }
    }

    private static func groupCreationProperties(_ path: String, _ file: String) throws -> HDF5Handle {
        let creation = try HDF5Handle(H5Pcreate(chdf5_group_create_class()), .propertyList,
                                      operation: "create group properties", path: path, file: file)
        let order = chdf5_crt_order_tracked() | chdf5_crt_order_indexed()
        try HDF5Library.check(H5Pset_link_creation_order(creation.id, order), "track creation order",
                              path: path, file: file)
        try HDF5Library.check(H5Pset_obj_track_times(creation.id, false), "disable timestamps", path: path, file: file)
        return creation
    }

    private static func linkCreationProperties(_ path: String, _ file: String) throws -> HDF5Handle {
        let links = try HDF5Handle(H5Pcreate(chdf5_link_create_class()), .propertyList,
                                   operation: "create link properties", path: path, file: file)
        try HDF5Library.check(H5Pset_create_intermediate_group(links.id, 1), "create intermediate groups",
                              path: path, file: file)
        try HDF5Library.check(H5Pset_char_encoding(links.id, H5T_CSET_UTF8), "set UTF-8 link names",
                              path: path, file: file)
        return links
    }

    /// Dataset creation: no timestamps; chunked + shuffle + deflate when asked or large.
    private static func datasetCreationProperties(shape: [Int], elementSize: Int, compression: HDF5Compression,
                                                  _ path: String, _ file: String) throws -> HDF5Handle {
        let creation = try HDF5Handle(H5Pcreate(chdf5_dataset_create_class()), .propertyList,
                                      operation: "create dataset properties", path: path, file: file)
        try HDF5Library.check(H5Pset_obj_track_times(creation.id, false), "disable timestamps", path: path, file: file)
        let count = shape.reduce(1, *)
        let level: Int? = switch compression {
        case .none: nil
        case .automatic: count * elementSize > compressionThreshold ? 4 : nil
        case .deflate(let level): level
        }
        guard let level, !shape.isEmpty, count > 0, elementSize > 0 else { return creation }
        let chunk = chunkShape(shape, elementSize: elementSize).map { hsize_t($0) }
        try HDF5Library.check(H5Pset_chunk(creation.id, Int32(chunk.count), chunk), "set chunking", path: path, file: file)
        try HDF5Library.check(H5Pset_shuffle(creation.id), "set shuffle filter", path: path, file: file)
        try HDF5Library.check(H5Pset_deflate(creation.id, UInt32(max(0, min(9, level)))), "set deflate filter",
                              path: path, file: file)
        return creation
    }

    /// The full shape with outer axes halved (outermost first) until a chunk holds at most
    /// `maximumChunkBytes`, so reading one row never decompresses the whole array.
    static func chunkShape(_ shape: [Int], elementSize: Int) -> [Int] {
        var chunk = shape.map { max(1, $0) }
        var axis = 0
        while chunk.reduce(elementSize, *) > maximumChunkBytes, axis < chunk.count {
            if chunk[axis] > 1 {
                chunk[axis] = (chunk[axis] + 1) / 2
            } else {
                axis += 1
            }
        }
        return chunk
    }
}

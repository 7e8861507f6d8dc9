// HDF5Object: what groups and datasets share (the owning file, the path, the open id)
// and their attributes: scalar/array strings, Double and Int64, stored with standard types.
import CHDF5
import Foundation

/// A value stored as an HDF5 attribute.
///
/// Strings are variable-length UTF-8 (h5py reads them as `str`), numbers are
/// little-endian float64 / int64, arrays are 1-D. Attributes are small by nature: libhdf5
/// refuses one over about 64 KiB ("object header message is too large"), so keep long
/// text (scripts, large JSON) in a string dataset instead.
public enum HDF5AttributeValue: Sendable, Equatable {
    case string(String)
    case strings([String])
    case double(Double)
    case doubles([Double])
    case int64(Int64)
    case int64s([Int64])
}

/// A group or dataset inside an open file.
public class HDF5Object {
    /// The file holding the object (kept open while the object lives).
    public let file: HDF5File
    /// The absolute path inside the file, e.g. "/variables/x".
    public let path: String
    let handle: HDF5Handle

    init(file: HDF5File, path: String, kind: HDF5HandleKind, operation: String, open: (hid_t) -> hid_t) throws {
        self.file = file
        self.path = path
        self.handle = try HDF5Library.withLock {
            try HDF5Handle(open(file.handle.id), kind, operation: operation, path: path, file: file.path)
        }
    }

    /// The absolute path of a child called `name`.
    func childPath(_ name: String) -> String {
        path == "/" ? "/" + name : path + "/" + name
    }

    func error(_ kind: HDF5Error.Kind, _ operation: String, _ name: String? = nil, _ message: String) -> HDF5Error {
        HDF5Error(kind: kind, operation: operation, objectPath: name.map(childPath) ?? path,
                  fileName: file.path, messages: [message])
    }

    // MARK: Attributes

    /// Names of the object's attributes, in creation order where tracked, else by name.
    public func attributeNames() throws -> [String] {
        try HDF5Library.withLock {
            final class Names { var list: [String] = [] }
            let names = Names()
            let context = Unmanaged.passUnretained(names).toOpaque()
            var index: hsize_t = 0
            let status = H5Aiterate2(handle.id, H5_INDEX_NAME, H5_ITER_INC, &index, { _, name, _, data in
                guard let name, let data else { return -1 }
                Unmanaged<Names>.fromOpaque(data).takeUnretainedValue().list.append(String(cString: name))
                return 0
            }, context)
            try HDF5Library.check(status, "list attributes", path: path, file: file.path)
            return names.list
        }
    }

    /// Whether the object has an attribute called `name`.
    public func hasAttribute(_ name: String) throws -> Bool {
        try HDF5Library.withLock {
            try HDF5Library.check(H5Aexists(handle.id, name), "look up attribute '\(name)'",
                                  path: path, file: file.path) > 0
        }
    }

    /// Writes (or replaces) the attribute `name`.
    public func setAttribute(_ name: String, _ value: HDF5AttributeValue) throws {
        let operation = "write attribute '\(name)'"
        try HDF5Library.withLock {
            if try HDF5Library.check(H5Aexists(handle.id, name), operation, path: path, file: file.path) > 0 {
                try HDF5Library.check(H5Adelete(handle.id, name), operation, path: path, file: file.path)
            }
            func write(shape: [Int], fileType: hid_t, memoryType: hid_t, _ bytes: UnsafeRawPointer?) throws {
                let space = try HDF5Types.dataspace(shape, path: path, file: file.path)
                let attribute = try HDF5Handle(
                    H5Acreate2(handle.id, name, fileType, space.id, chdf5_default(), chdf5_default()),
                    .attribute, operation: operation, path: path, file: file.path)
                try HDF5Library.check(H5Awrite(attribute.id, memoryType, bytes), operation, path: path, file: file.path)
            }
            switch value {
            case .string(let text):
                let type = try HDF5Types.variableString(path: path, file: file.path)
                try HDF5Types.withCStrings([text]) { try write(shape: [], fileType: type.id, memoryType: type.id, $0) }
            case .strings(let texts):
                let type = try HDF5Types.variableString(path: path, file: file.path)
                try HDF5Types.withCStrings(texts) {
                    try write(shape: [texts.count], fileType: type.id, memoryType: type.id, $0)
                }
            case .double(let number):
                try withUnsafeBytes(of: number) {
                    try write(shape: [], fileType: chdf5_ieee_f64le(), memoryType: chdf5_native_double(), $0.baseAddress)
                }
            case .doubles(let numbers):
                try numbers.withUnsafeBytes {
                    try write(shape: [numbers.count], fileType: chdf5_ieee_f64le(),
                              memoryType: chdf5_native_double(), $0.baseAddress)
                }
            case .int64(let number):
                try withUnsafeBytes(of: number) {
                    try write(shape: [], fileType: chdf5_std_i64le(), memoryType: chdf5_native_int64(), $0.baseAddress)
                }
            case .int64s(let numbers):
                try numbers.withUnsafeBytes {
                    try write(shape: [numbers.count], fileType: chdf5_std_i64le(),
                              memoryType: chdf5_native_int64(), $0.baseAddress)
                }
            }
        }
    }

    /// Reads the attribute `name`: strings as `.string`/`.strings`, floats as
    /// `.double`/`.doubles`, integers as `.int64`/`.int64s` (scalar vs 1-D by its dataspace).
    public func attribute(_ name: String) throws -> HDF5AttributeValue {
        let operation = "read attribute '\(name)'"
        return try HDF5Library.withLock {
            guard try HDF5Library.check(H5Aexists(handle.id, name), operation, path: path, file: file.path) > 0 else {
                throw error(.objectNotFound, operation, nil, "no attribute '\(name)'")
            }
            let attribute = try HDF5Handle(H5Aopen(handle.id, name, chdf5_default()), .attribute,
                                           operation: operation, path: path, file: file.path)
            let space = try HDF5Handle(H5Aget_space(attribute.id), .dataspace, operation: operation,
                                       path: path, file: file.path)
            let type = try HDF5Handle(H5Aget_type(attribute.id), .datatype, operation: operation,
                                      path: path, file: file.path)
            let shape = try HDF5Types.extents(space.id, path: path, file: file.path)
            guard shape.count <= 1 else {
                throw error(.typeMismatch, operation, nil, "attribute has \(shape.count) dimensions; expected 0 or 1")
            }
            let count = shape.first ?? 1
            switch H5Tget_class(type.id) {
            case H5T_STRING:
                let texts = try HDF5Types.readStrings(stored: type.id, space: space.id, count: count,
                                                      path: path, file: file.path) { H5Aread(attribute.id, $0, $1) }
                return shape.isEmpty ? .string(texts.first ?? "") : .strings(texts)
            case H5T_FLOAT:
                var numbers = [Double](repeating: 0, count: count)
                try numbers.withUnsafeMutableBytes {
                    try HDF5Library.check(H5Aread(attribute.id, chdf5_native_double(), $0.baseAddress),
                                          operation, path: path, file: file.path)
                }
                return shape.isEmpty ? .double(numbers.first ?? 0) : .doubles(numbers)
            case H5T_INTEGER:
                var numbers = [Int64](repeating: 0, count: count)
                try numbers.withUnsafeMutableBytes {
                    try HDF5Library.check(H5Aread(attribute.id, chdf5_native_int64(), $0.baseAddress),
                                          operation, path: path, file: file.path)
                }
                return shape.isEmpty ? .int64(numbers.first ?? 0) : .int64s(numbers)
            default:
                throw error(.typeMismatch, operation, nil, "attribute is neither string, float nor integer")
            }
        }
    }

    /// The string attribute `name`, throwing `.typeMismatch` if it holds something else.
    public func stringAttribute(_ name: String) throws -> String {
        guard case .string(let text) = try attribute(name) else {
            throw error(.typeMismatch, "read attribute '\(name)'", nil, "expected a scalar string")
        }
        return text
    }
}

// HDF5Datatype: the mapping between StoredArray element types and HDF5 types
// (little-endian IEEE floats and two's-complement integers in the file, native types
// in memory), the vlen UTF-8 string type, and dataspace construction.
import CHDF5
import Foundation

/// An element type this layer reads into a `StoredArray`.
enum HDF5ElementType: Equatable {
    case float32, float64, int8, int16, int32, int64, uint8

    /// The predefined file type written for it (libhdf5-owned; never closed).
    var fileType: hid_t {
        switch self {
        case .float32: chdf5_ieee_f32le()
        case .float64: chdf5_ieee_f64le()
        case .int8: chdf5_std_i8le()
        case .int16: chdf5_std_i16le()
        case .int32: chdf5_std_i32le()
        case .int64: chdf5_std_i64le()
        case .uint8: chdf5_std_u8le()
        }
    }

    /// The predefined native memory type (libhdf5-owned; never closed).
    var memoryType: hid_t {
        switch self {
        case .float32: chdf5_native_float()
        case .float64: chdf5_native_double()
        case .int8: chdf5_native_int8()
        case .int16: chdf5_native_int16()
        case .int32: chdf5_native_int32()
        case .int64: chdf5_native_int64()
        case .uint8: chdf5_native_uint8()
        }
    }

    var byteSize: Int {
        switch self {
        case .float32, .int32: 4
        case .float64, .int64: 8
        case .int8, .uint8: 1
        case .int16: 2
        }
    }

    /// The type to read a stored numeric type into, or a reason why it cannot be read.
    /// Half floats widen to float32, uint16 to int32 and uint32 to int64 (exact); uint64
    /// and non-numeric classes are refused.
    static func reading(_ type: hid_t) -> HDF5TypeReading {
        let size = H5Tget_size(type)
        switch H5Tget_class(type) {
        case H5T_FLOAT:
            switch size {
            case 2, 4: return .supported(.float32)
            case 8: return .supported(.float64)
            default: return .unsupported("\(size * 8)-bit floats are not supported")
            }
        case H5T_INTEGER:
            let signed = H5Tget_sign(type) == H5T_SGN_2
            switch (size, signed) {
            case (1, true): return .supported(.int8)
            case (2, true): return .supported(.int16)
            case (4, true): return .supported(.int32)
            case (8, true): return .supported(.int64)
            case (1, false): return .supported(.uint8)
            case (2, false): return .supported(.int32)
            case (4, false): return .supported(.int64)
            default: return .unsupported("unsigned \(size * 8)-bit integers are not supported")
            }
        case H5T_STRING: return .unsupported("found strings (read them with readStrings)")
        case H5T_ENUM: return .unsupported("found an enum type (h5py stores NumPy bool this way; not supported)")
        case H5T_COMPOUND: return .unsupported("found a compound type (not supported)")
        default: return .unsupported("found an unsupported type class")
        }
    }
}

/// The outcome of mapping a stored HDF5 type to an element type.
enum HDF5TypeReading {
    case supported(HDF5ElementType)
    case unsupported(String)
}

extension StoredArray.Elements {
    /// The HDF5 element type written for these elements (bool is written as uint8).
    var hdf5Type: HDF5ElementType {
        switch self {
        case .float32: .float32
        case .float64: .float64
        case .int64: .int64
        case .int32: .int32
        case .int16: .int16
        case .int8: .int8
        case .uint8, .bool: .uint8
        }
    }

    var elementCount: Int {
        switch self {
        case .float32(let v): v.count
        case .float64(let v): v.count
        case .int64(let v): v.count
        case .int32(let v): v.count
        case .int16(let v): v.count
        case .int8(let v): v.count
        case .uint8(let v): v.count
        case .bool(let v): v.count
        }
    }

    /// Calls `body` with the raw bytes of the elements in memory-type layout.
    func withRawBytes<T>(_ body: (UnsafeRawPointer?) throws -> T) rethrows -> T {
        switch self {
        case .float32(let v): try v.withUnsafeBytes { try body($0.baseAddress) }
        case .float64(let v): try v.withUnsafeBytes { try body($0.baseAddress) }
        case .int64(let v): try v.withUnsafeBytes { try body($0.baseAddress) }
        case .int32(let v): try v.withUnsafeBytes { try body($0.baseAddress) }
        case .int16(let v): try v.withUnsafeBytes { try body($0.baseAddress) }
        case .int8(let v): try v.withUnsafeBytes { try body($0.baseAddress) }
        case .uint8(let v): try v.withUnsafeBytes { try body($0.baseAddress) }
        case .bool(let v): try v.map { $0 ? UInt8(1) : 0 }.withUnsafeBytes { try body($0.baseAddress) }
        }
    }

    /// Elements of `type` filled by `fill`, which receives a buffer of `count` elements.
    static func reading(_ type: HDF5ElementType, count: Int,
                        _ fill: (UnsafeMutableRawPointer?) throws -> Void) rethrows -> Self {
        func make<E: Numeric>(_: E.Type, _ fill: (UnsafeMutableRawPointer?) throws -> Void) rethrows -> [E] {
            var values = [E](repeating: 0, count: count)
            try values.withUnsafeMutableBytes { try fill($0.baseAddress) }
            return values
        }
        switch type {
        case .float32: return .float32(try make(Float.self, fill))
        case .float64: return .float64(try make(Double.self, fill))
        case .int8: return .int8(try make(Int8.self, fill))
        case .int16: return .int16(try make(Int16.self, fill))
        case .int32: return .int32(try make(Int32.self, fill))
        case .int64: return .int64(try make(Int64.self, fill))
        case .uint8: return .uint8(try make(UInt8.self, fill))
        }
    }
}

enum HDF5Types {
    /// A new variable-length UTF-8 string type (h5py's type for Python `str`).
    static func variableString(path: String, file: String) throws -> HDF5Handle {
        let type = try HDF5Handle(H5Tcopy(chdf5_c_s1()), .datatype, operation: "create string type",
                                  path: path, file: file)
        try HDF5Library.check(H5Tset_size(type.id, chdf5_variable()), "create string type", path: path, file: file)
        try HDF5Library.check(H5Tset_cset(type.id, H5T_CSET_UTF8), "create string type", path: path, file: file)
        return type
    }

    /// A scalar dataspace for `shape == []`, else a simple one with these extents.
    static func dataspace(_ shape: [Int], path: String, file: String) throws -> HDF5Handle {
        if shape.isEmpty {
            return try HDF5Handle(H5Screate(H5S_SCALAR), .dataspace, operation: "create dataspace",
                                  path: path, file: file)
        }
        let extents = shape.map { hsize_t($0) }
        return try HDF5Handle(H5Screate_simple(Int32(extents.count), extents, nil), .dataspace,
                              operation: "create dataspace", path: path, file: file)
    }

    /// The extents of a dataspace (`[]` for scalar).
    static func extents(_ space: hid_t, path: String, file: String) throws -> [Int] {
        let rank = try HDF5Library.check(H5Sget_simple_extent_ndims(space), "read dataspace", path: path, file: file)
        var extents = [hsize_t](repeating: 0, count: Int(rank))
        if rank > 0 {
            try HDF5Library.check(H5Sget_simple_extent_dims(space, &extents, nil), "read dataspace",
                                  path: path, file: file)
        }
        return extents.map { Int($0) }
    }

    /// Strings of `count` elements of the string type `stored` read by `read(memoryType, buffer)`,
    /// for variable-length strings (freed with `H5Dvlen_reclaim`) and fixed-length ones
    /// (NUL padding trimmed).
    static func readStrings(stored: hid_t, space: hid_t, count: Int, path: String, file: String,
                            _ read: (hid_t, UnsafeMutableRawPointer?) -> herr_t) throws -> [String] {
        let memory = try HDF5Handle(H5Tcopy(stored), .datatype, operation: "read strings", path: path, file: file)
        if H5Tis_variable_str(stored) > 0 {
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            _ = try pointers.withUnsafeMutableBytes { buffer in
                try HDF5Library.check(read(memory.id, buffer.baseAddress), "read strings", path: path, file: file)
            }
            let strings = pointers.map { $0.map { String(cString: $0) } ?? "" }
            _ = pointers.withUnsafeMutableBytes { buffer in
                H5Dvlen_reclaim(memory.id, space, chdf5_default(), buffer.baseAddress)
            }
            return strings
        }
        let width = H5Tget_size(stored)
        var bytes = [UInt8](repeating: 0, count: max(1, width * count))
        _ = try bytes.withUnsafeMutableBytes { buffer in
            try HDF5Library.check(read(memory.id, buffer.baseAddress), "read strings", path: path, file: file)
        }
        return (0..<count).map { index in
            let slice = bytes[(index * width)..<((index + 1) * width)]
            let end = slice.firstIndex(of: 0) ?? slice.endIndex
            return String(decoding: slice[slice.startIndex..<end], as: UTF8.self)
        }
    }

    /// Calls `body` with C string pointers for `strings` (valid only during the call).
    static func withCStrings<T>(_ strings: [String], _ body: (UnsafeRawPointer?) throws -> T) rethrows -> T {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        return try copies.withUnsafeBytes { try body($0.baseAddress) }
    }
}

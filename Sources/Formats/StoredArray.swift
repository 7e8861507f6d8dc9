// StoredArray: an n-d array exactly as a file holds it (shape + typed elements),
// the common currency of the NPY, WFDB, PyTorch and HDF5 readers and writers.

/// An n-dimensional array in C (row-major) order with the element type it was stored with.
///
/// Readers return it without converting precision; callers convert with
/// `doubles()` / `floats()` when they need arithmetic.
public struct StoredArray: Sendable, Equatable {
    /// The element type and values, row-major.
    public enum Elements: Sendable, Equatable {
        case float32([Float])
        case float64([Double])
        case int64([Int64])
        case int32([Int32])
        case int16([Int16])
        case int8([Int8])
        case uint8([UInt8])
        case bool([Bool])
    }

    /// Extent of each axis, outermost first; `[]` is a scalar.
    public var shape: [Int]
    public var elements: Elements

    public init(shape: [Int], elements: Elements) {
        self.shape = shape
        self.elements = elements
    }

    /// Number of elements implied by `shape` (1 for a scalar).
    public var count: Int { shape.reduce(1, *) }

    /// A short dtype name in NumPy's spelling: "float32", "int16", "bool", ...
    public var dtypeName: String {
        switch elements {
        case .float32: "float32"
        case .float64: "float64"
        case .int64: "int64"
        case .int32: "int32"
        case .int16: "int16"
        case .int8: "int8"
        case .uint8: "uint8"
        case .bool: "bool"
        }
    }

    /// The elements converted to Double (exact for every stored type except int64 beyond 2^53).
    public func doubles() -> [Double] {
        switch elements {
        case .float32(let v): v.map(Double.init)
        case .float64(let v): v
        case .int64(let v): v.map(Double.init)
        case .int32(let v): v.map(Double.init)
        case .int16(let v): v.map(Double.init)
        case .int8(let v): v.map(Double.init)
        case .uint8(let v): v.map(Double.init)
        case .bool(let v): v.map { $0 ? 1 : 0 }
        }
    }

    /// The elements converted to Float (rounded to nearest for float64 and large integers).
    public func floats() -> [Float] {
        switch elements {
        case .float32(let v): v
        case .float64(let v): v.map(Float.init)
        case .int64(let v): v.map(Float.init)
        case .int32(let v): v.map(Float.init)
        case .int16(let v): v.map(Float.init)
        case .int8(let v): v.map(Float.init)
        case .uint8(let v): v.map(Float.init)
        case .bool(let v): v.map { $0 ? 1 : 0 }
        }
    }
}

extension StoredArray.Elements {
    /// Appends the elements to `output` as little-endian bytes (bool as 0/1 bytes), the layout both
    /// `.npy` data and torch storages use.
    func appendLittleEndian(to output: inout [UInt8]) {
        func append<T: FixedWidthInteger>(_ values: [T]) {
            output.reserveCapacity(output.count + values.count * MemoryLayout<T>.size)
            for value in values {
                withUnsafeBytes(of: value.littleEndian) { output.append(contentsOf: $0) }
            }
        }
        switch self {
        case .float32(let v): append(v.map(\.bitPattern))
        case .float64(let v): append(v.map(\.bitPattern))
        case .int64(let v): append(v)
        case .int32(let v): append(v)
        case .int16(let v): append(v)
        case .int8(let v): output += v.map { UInt8(bitPattern: $0) }
        case .uint8(let v): output += v
        case .bool(let v): output += v.map { $0 ? 1 : 0 }
        }
    }

    /// The elements as little-endian bytes (bool as 0/1 bytes); see `appendLittleEndian(to:)`.
    var littleEndianBytes: [UInt8] {
        var bytes = [UInt8]()
        appendLittleEndian(to: &bytes)
        return bytes
    }
}

// TorchStorageType: the legacy typed-storage classes (`torch.FloatStorage`, ...) that name a
// tensor's dtype in a .pth pickle, their element sizes, and the decoding of raw little-endian
// storage bytes into StoredArray elements with a strided gather.

/// A storage element type as named by the `torch.<Name>Storage` global in the pickle.
public enum TorchStorageType: String, Sendable, CaseIterable {
    case float32 = "FloatStorage"
    case float64 = "DoubleStorage"
    case float16 = "HalfStorage"
    case bfloat16 = "BFloat16Storage"
    case int64 = "LongStorage"
    case int32 = "IntStorage"
    case int16 = "ShortStorage"
    case int8 = "CharStorage"
    case uint8 = "ByteStorage"
    case bool = "BoolStorage"

    /// Bytes per element.
    public var elementSize: Int {
        switch self {
        case .float64, .int64: 8
        case .float32, .int32: 4
        case .float16, .bfloat16, .int16: 2
        case .int8, .uint8, .bool: 1
        }
    }

    /// The storage type written for StoredArray elements.
    static func of(_ elements: StoredArray.Elements) -> TorchStorageType {
        switch elements {
        case .float32: .float32
        case .float64: .float64
        case .int64: .int64
        case .int32: .int32
        case .int16: .int16
        case .int8: .int8
        case .uint8: .uint8
        case .bool: .bool
        }
    }

    /// Gathers the tensor `(offset, size, stride)` (all in elements, row-major output) from
    /// little-endian storage `bytes`. float16 and bfloat16 widen exactly to float32.
    /// The caller has checked that every addressed element lies inside `bytes`.
    func gather(_ bytes: [UInt8], offset: Int, size: [Int], stride: [Int]) -> StoredArray.Elements {
        let indices = Self.storageIndices(offset: offset, size: size, stride: stride)
        return bytes.withUnsafeBytes { raw in
            func load<T>(_: T.Type) -> [T] {
                indices.map { raw.loadUnaligned(fromByteOffset: $0 * elementSize, as: T.self) }
            }
            switch self {
            case .float32: return .float32(load(UInt32.self).map { Float(bitPattern: UInt32(littleEndian: $0)) })
            case .float64: return .float64(load(UInt64.self).map { Double(bitPattern: UInt64(littleEndian: $0)) })
            case .float16: return .float32(load(UInt16.self).map { Self.halfToFloat(UInt16(littleEndian: $0)) })
            case .bfloat16:
                return .float32(load(UInt16.self).map { Float(bitPattern: UInt32(UInt16(littleEndian: $0)) << 16) })
            case .int64: return .int64(load(Int64.self).map { Int64(littleEndian: $0) })
            case .int32: return .int32(load(Int32.self).map { Int32(littleEndian: $0) })
            case .int16: return .int16(load(Int16.self).map { Int16(littleEndian: $0) })
            case .int8: return .int8(load(Int8.self))
            case .uint8: return .uint8(load(UInt8.self))
            case .bool: return .bool(load(UInt8.self).map { $0 != 0 })
            }
        }
    }

    /// Storage element index of every output element in row-major order:
    /// `offset + Σ index[i] * stride[i]`.
    static func storageIndices(offset: Int, size: [Int], stride: [Int]) -> [Int] {
        let count = size.reduce(1, *)
        guard count > 0 else { return [] }
        var indices = [Int]()
        indices.reserveCapacity(count)
        var position = [Int](repeating: 0, count: size.count)
        var current = offset
        for _ in 0..<count {
            indices.append(current)
            var axis = size.count - 1
            while axis >= 0 {
                position[axis] += 1
                current += stride[axis]
                if position[axis] < size[axis] { break }
                current -= stride[axis] * size[axis]
                position[axis] = 0
                axis -= 1
            }
        }
        return indices
    }

    /// IEEE 754 binary16 → binary32 (exact, including subnormals, infinities and NaN).
    static func halfToFloat(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = Int((bits >> 10) & 0x1F)
        let mantissa = UInt32(bits & 0x3FF)
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        if exponent == 0 {
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign == 0 ? magnitude : -magnitude
        }
        return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
    }
}

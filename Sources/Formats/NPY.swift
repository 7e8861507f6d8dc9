// NPY: reading and writing NumPy `.npy` files (versions 1.0, 2.0, 3.0) as `StoredArray`, and the
// [T, L] / [L, T] orientation helper for ECG arrays.
//
// Layout: bytes 0-5 magic `\x93NUMPY`; byte 6 major version, byte 7 minor; then HEADER_LEN as
// little-endian UInt16 (v1.0) or UInt32 (v2.0, v3.0); then the header, a Python dict literal
// `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }` padded with spaces and ended by
// `\n` so the data starts at a multiple of 64 bytes (latin-1 in v1/v2, UTF-8 in v3); then the raw
// elements, C order unless `fortran_order` is True.
// Supported dtypes: f4 f8 i1 i2 i4 i8 u1 b1, little- or big-endian. Non-goals (refused with a
// clear error): object `|O` (pickles), structured (list descr), strings `U`/`S`, complex, f2,
// u2/u4/u8, `.npz` archives. Reference: numpy `numpy/lib/_format_impl.py`.
import Foundation

/// A malformed or unsupported `.npy` file, naming the file and byte offset.
///
/// `description` reads like `x.npy byte 0: bad magic: expected \x93NUMPY, got 89 50 4e 47 0d 0a`.
public struct NPYError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file (path) concerned.
    public var file: String
    /// Byte offset of the problem in the file, when known.
    public var byteOffset: Int?
    /// What was expected and what was found.
    public var message: String

    /// Creates an error.
    public init(file: String, byteOffset: Int? = nil, _ message: String) {
        self.file = file
        self.byteOffset = byteOffset
        self.message = message
    }

    /// `name.npy byte N: message`.
    public var description: String {
        var text = (file as NSString).lastPathComponent
        if let byteOffset { text += " byte \(byteOffset)" }
        return text + ": " + message
    }
}

/// NumPy `.npy` reader and writer (byte-identical to `numpy.save` for the supported dtypes).
public enum NPY {
    /// `\x93NUMPY`, the first six bytes of every `.npy` file.
    public static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
    /// Data starts at a multiple of this many bytes (numpy `ARRAY_ALIGN`).
    static let alignment = 64
    /// numpy pads headers so the first axis can grow to this many digits in place.
    static let growthAxisMaxDigits = 21

    // MARK: Reading

    /// Reads a `.npy` file. Fortran-ordered data is converted to C order.
    public static func read(contentsOf path: String) throws -> StoredArray {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NPYError(file: path, "file not found")
        }
        return try decode([UInt8](data), file: path)
    }

    /// Decodes `.npy` bytes; `file` names the source in errors.
    public static func decode(_ bytes: [UInt8], file: String = "<memory>") throws -> StoredArray {
        guard bytes.count >= 10 else {
            throw NPYError(file: file, byteOffset: bytes.count, "file too short for an .npy header (\(bytes.count) bytes, need at least 10)")
        }
        guard Array(bytes[0..<6]) == magic else {
            let got = bytes[0..<6].map { String(format: "%02x", $0) }.joined(separator: " ")
            throw NPYError(file: file, byteOffset: 0, "bad magic: expected \\x93NUMPY, got \(got)")
        }
        let major = Int(bytes[6]), minor = Int(bytes[7])
        guard [1, 2, 3].contains(major), minor == 0 else {
            throw NPYError(file: file, byteOffset: 6, "unsupported .npy version \(major).\(minor) (supported: 1.0, 2.0, 3.0)")
        }
        let lengthSize = major == 1 ? 2 : 4
        guard bytes.count >= 8 + lengthSize else {
            throw NPYError(file: file, byteOffset: bytes.count, "file ends inside the header length field")
        }
        var headerLength = 0
        for i in 0..<lengthSize { headerLength |= Int(bytes[8 + i]) << (8 * i) }
        let headerStart = 8 + lengthSize, dataStart = headerStart + headerLength
        guard bytes.count >= dataStart else {
            throw NPYError(file: file, byteOffset: bytes.count,
                           "file ends inside the header: header declares \(headerLength) bytes, file has \(bytes.count - headerStart) after the length field")
        }
        let headerBytes = Array(bytes[headerStart..<dataStart])
        guard let headerText = major == 3 ? String(bytes: headerBytes, encoding: .utf8)
                                          : String(bytes: headerBytes, encoding: .isoLatin1) else {
            throw NPYError(file: file, byteOffset: headerStart, "header is not valid \(major == 3 ? "UTF-8" : "latin-1") text")
        }
        var parser = NPYHeaderParser(text: headerText, file: file, offset: headerStart)
        let header = try parser.parse()
        let dtype = try NPYDataType(descr: header.descr, file: file, offset: headerStart)
        var count = 1
        for dimension in header.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= bytes.count else {
                throw NPYError(file: file, byteOffset: bytes.count,
                               "truncated data: shape \(header.shape) of \(header.descr) needs more bytes than the file's \(bytes.count)")
            }
            count = product
        }
        let needed = count * dtype.itemSize
        guard bytes.count - dataStart >= needed else {
            throw NPYError(file: file, byteOffset: bytes.count,
                           "truncated data: shape \(header.shape) of \(header.descr) needs \(needed) bytes from offset \(dataStart), file has \(bytes.count - dataStart)")
        }
        var elements = bytes.withUnsafeBytes { raw in
            dtype.elements(from: UnsafeRawBufferPointer(rebasing: raw[dataStart..<dataStart + needed]), count: count)
        }
        if header.fortranOrder && header.shape.count > 1 {
            elements = transposeFortran(elements, shape: header.shape)
        }
        return StoredArray(shape: header.shape, elements: elements)
    }

    /// Reorders column-major elements of `shape` into row-major order.
    static func transposeFortran(_ elements: StoredArray.Elements, shape: [Int]) -> StoredArray.Elements {
        // C-order index -> Fortran-order index: a row-major walk over column-major strides.
        var fortranStrides = [Int](repeating: 1, count: shape.count)
        for axis in 1..<shape.count { fortranStrides[axis] = fortranStrides[axis - 1] * shape[axis - 1] }
        let sourceIndex = TorchStorageType.storageIndices(offset: 0, size: shape, stride: fortranStrides)
        func reorder<T>(_ values: [T]) -> [T] { sourceIndex.map { values[$0] } }
        switch elements {
        case .float32(let v): return .float32(reorder(v))
        case .float64(let v): return .float64(reorder(v))
        case .int64(let v): return .int64(reorder(v))
        case .int32(let v): return .int32(reorder(v))
        case .int16(let v): return .int16(reorder(v))
        case .int8(let v): return .int8(reorder(v))
        case .uint8(let v): return .uint8(reorder(v))
        case .bool(let v): return .bool(reorder(v))
        }
    }

    // MARK: Writing

    /// Encodes an array as `numpy.save` would (little-endian, C order): version 1.0, or 2.0 when
    /// the header exceeds 65535 bytes.
    public static func encode(_ array: StoredArray) -> [UInt8] {
        let descr: String
        switch array.elements {
        case .float32: descr = "<f4"
        case .float64: descr = "<f8"
        case .int64: descr = "<i8"
        case .int32: descr = "<i4"
        case .int16: descr = "<i2"
        case .int8: descr = "|i1"
        case .uint8: descr = "|u1"
        case .bool: descr = "|b1"
        }
        let shapeText: String
        switch array.shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(array.shape[0]),)"
        default: shapeText = "(" + array.shape.map(String.init).joined(separator: ", ") + ")"
        }
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        if let first = array.shape.first {
            header += String(repeating: " ", count: max(0, growthAxisMaxDigits - String(first).count))
        }
        var headerBytes = Array(header.utf8)
        // numpy `_wrap_header`: pad so magic + version + length field + header + "\n" is 64-aligned;
        // fall back to version 2.0 (UInt32 length) when the padded header exceeds 65535 bytes.
        func padding(lengthSize: Int) -> Int {
            alignment - (magic.count + 2 + lengthSize + headerBytes.count + 1) % alignment
        }
        var major: UInt8 = 1
        var lengthSize = 2
        if headerBytes.count + 1 + padding(lengthSize: 2) > 0xFFFF {
            major = 2
            lengthSize = 4
        }
        headerBytes += [UInt8](repeating: 0x20, count: padding(lengthSize: lengthSize)) + [0x0A]
        var output = magic + [major, 0]
        for i in 0..<lengthSize { output.append(UInt8((headerBytes.count >> (8 * i)) & 0xFF)) }
        output += headerBytes
        array.elements.appendLittleEndian(to: &output)
        return output
    }

    /// Writes `array` to `path` in `.npy` format (see `encode`).
    public static func write(_ array: StoredArray, to path: String) throws {
        let bytes = encode(array)
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw NPYError(file: path, "cannot create file")
        }
    }

    // MARK: ECG orientation

    /// How a 2-D ECG array is laid out.
    public enum Orientation: String, Sendable {
        /// Rows are time steps, columns are leads: `[T, L]` (numpy/wfdb-python `p_signal` layout).
        case timeByLeads
        /// Rows are leads, columns are time steps: `[L, T]`.
        case leadsByTime
    }

    /// Decides the layout of a 2-D ECG array `shape = [rows, cols]`: the axis of length
    /// `leadCount` (12) holds the leads; when both or neither axes have that length, `[T, L]`
    /// is chosen if rows > cols, else `[L, T]`.
    public static func orientation(ofShape shape: [Int], leadCount: Int = 12) -> Orientation {
        precondition(shape.count == 2, "orientation needs a 2-D shape")
        let rowsAreLeads = shape[0] == leadCount, colsAreLeads = shape[1] == leadCount
        if colsAreLeads && !rowsAreLeads { return .timeByLeads }
        if rowsAreLeads && !colsAreLeads { return .leadsByTime }
        return shape[0] > shape[1] ? .timeByLeads : .leadsByTime
    }

    /// An ECG array as `[L][T]` (leads, then samples) with the orientation that was detected.
    /// Throws when the array is not 2-D.
    public static func leadsByTime(_ array: StoredArray, file: String = "<array>", leadCount: Int = 12) throws
        -> (leads: [[Double]], orientation: Orientation) {
        guard array.shape.count == 2 else {
            throw NPYError(file: file, "expected a 2-D ECG array, got shape \(array.shape)")
        }
        let rows = array.shape[0], cols = array.shape[1]
        let values = array.doubles()
        let orientation = orientation(ofShape: array.shape, leadCount: leadCount)
        switch orientation {
        case .leadsByTime:
            return ((0..<rows).map { Array(values[$0 * cols..<($0 + 1) * cols]) }, orientation)
        case .timeByLeads:
            return ((0..<cols).map { lead in (0..<rows).map { values[$0 * cols + lead] } }, orientation)
        }
    }
}

/// The three keys of an `.npy` header.
struct NPYHeader {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]
}

/// A supported element type: kind, size and byte order.
struct NPYDataType {
    enum Kind { case float, signed, unsigned, bool }
    var kind: Kind
    var itemSize: Int
    var bigEndian: Bool

    init(descr: String, file: String, offset: Int) throws {
        guard let order = descr.first, descr.count >= 2 else {
            throw NPYError(file: file, byteOffset: offset, "unsupported dtype '\(descr)'")
        }
        let body = descr.dropFirst()
        if body.first == "O" {
            throw NPYError(file: file, byteOffset: offset, "object arrays ('\(descr)', pickled Python objects) are not supported")
        }
        guard "<>|=".contains(order) else {
            throw NPYError(file: file, byteOffset: offset, "unsupported dtype '\(descr)': expected a byte-order mark < > | =")
        }
        bigEndian = order == ">"
        let kindCharacter = body.first ?? " "
        guard let size = Int(body.dropFirst()) else {
            throw NPYError(file: file, byteOffset: offset, "unsupported dtype '\(descr)'")
        }
        itemSize = size
        switch (kindCharacter, size) {
        case ("f", 4), ("f", 8): kind = .float
        case ("i", 1), ("i", 2), ("i", 4), ("i", 8): kind = .signed
        case ("u", 1): kind = .unsigned
        case ("b", 1): kind = .bool
        case ("O", _):
            throw NPYError(file: file, byteOffset: offset, "object arrays ('\(descr)', pickled Python objects) are not supported")
        case ("U", _), ("S", _):
            throw NPYError(file: file, byteOffset: offset, "string arrays ('\(descr)') are not supported; numeric dtypes only")
        default:
            throw NPYError(file: file, byteOffset: offset, "unsupported dtype '\(descr)' (supported: f4 f8 i1 i2 i4 i8 u1 b1)")
        }
    }

    func elements(from raw: UnsafeRawBufferPointer, count: Int) -> StoredArray.Elements {
        func integers<T: FixedWidthInteger>(_: T.Type) -> [T] {
            (0..<count).map { i in
                let value = raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self)
                return bigEndian ? T(bigEndian: value) : T(littleEndian: value)
            }
        }
        switch (kind, itemSize) {
        case (.float, 4): return .float32(integers(UInt32.self).map(Float.init(bitPattern:)))
        case (.float, _): return .float64(integers(UInt64.self).map(Double.init(bitPattern:)))
        case (.signed, 1): return .int8(integers(Int8.self))
        case (.signed, 2): return .int16(integers(Int16.self))
        case (.signed, 4): return .int32(integers(Int32.self))
        case (.signed, _): return .int64(integers(Int64.self))
        case (.unsigned, _): return .uint8(integers(UInt8.self))
        case (.bool, _): return .bool(integers(UInt8.self).map { $0 != 0 })
        }
    }
}

/// Parses the Python dict literal of an `.npy` header (only the forms numpy writes).
struct NPYHeaderParser {
    let characters: [Character]
    let file: String
    let offset: Int
    var position = 0

    init(text: String, file: String, offset: Int) {
        characters = Array(text)
        self.file = file
        self.offset = offset
    }

    func fail(_ message: String) -> NPYError {
        NPYError(file: file, byteOffset: offset + position, "bad header: \(message) in \(String(characters).trimmingCharacters(in: .whitespacesAndNewlines))")
    }

    mutating func skipSpace() {
        while position < characters.count, characters[position].isWhitespace { position += 1 }
    }

    mutating func expect(_ character: Character) throws {
        skipSpace()
        guard position < characters.count, characters[position] == character else {
            throw fail("expected '\(character)'")
        }
        position += 1
    }

    mutating func peek() -> Character? {
        skipSpace()
        return position < characters.count ? characters[position] : nil
    }

    mutating func string() throws -> String {
        skipSpace()
        guard position < characters.count, characters[position] == "'" || characters[position] == "\"" else {
            throw fail("expected a quoted string")
        }
        let quote = characters[position]
        position += 1
        let start = position
        while position < characters.count, characters[position] != quote { position += 1 }
        guard position < characters.count else { throw fail("unterminated string") }
        defer { position += 1 }
        return String(characters[start..<position])
    }

    mutating func word() -> String {
        skipSpace()
        let start = position
        while position < characters.count, characters[position].isLetter || characters[position].isNumber { position += 1 }
        return String(characters[start..<position])
    }

    mutating func parse() throws -> NPYHeader {
        try expect("{")
        var descr: String?, fortranOrder: Bool?, shape: [Int]?
        while peek() != "}" {
            let key = try string()
            try expect(":")
            switch key {
            case "descr":
                if peek() == "[" { throw NPYError(file: file, byteOffset: offset + position, "structured dtypes (a list descr) are not supported") }
                descr = try string()
            case "fortran_order":
                switch word() {
                case "True": fortranOrder = true
                case "False": fortranOrder = false
                default: throw fail("expected True or False for 'fortran_order'")
                }
            case "shape":
                try expect("(")
                var dimensions: [Int] = []
                while peek() != ")" {
                    guard let value = Int(word()), value >= 0 else { throw fail("expected a non-negative integer in 'shape'") }
                    dimensions.append(value)
                    if peek() == "," { position += 1 } else { break }
                }
                try expect(")")
                shape = dimensions
            default:
                throw fail("unexpected key '\(key)'")
            }
            if peek() == "," { position += 1 } else { break }
        }
        try expect("}")
        guard let descr, let fortranOrder, let shape else {
            throw fail("missing one of 'descr', 'fortran_order', 'shape'")
        }
        return NPYHeader(descr: descr, fortranOrder: fortranOrder, shape: shape)
    }
}

// A tiny .npy reader for test fixtures: float32/float64/int64, little-endian, C order, format 1.0-3.0.
import Foundation

/// A fixture array read from a `.npy` file: its shape and elements as Float (C order).
public struct NPYFixture: Sendable {
    /// Sizes per dimension (`[]` for a scalar).
    public var shape: [Int]
    /// Elements in C order, converted to Float.
    public var values: [Float]

    /// Errors name the file and what was wrong.
    public struct ReadError: Error, CustomStringConvertible {
        /// The file that failed.
        public var path: String
        /// What was wrong and where (byte offset).
        public var message: String
        /// `path: message`.
        public var description: String { "\(path): \(message)" }
    }

    /// Reads `url`. Supports descr `<f4`, `<f8`, `<i8` with `fortran_order: False` only.
    public init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url)
        let bytes = [UInt8](data)
        func fail(_ message: String) -> ReadError { ReadError(path: url.path, message: message) }
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1...5]) == Array("NUMPY".utf8) else {
            throw fail("byte 0: missing the \\x93NUMPY magic")
        }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        if major == 1 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        } else {
            guard bytes.count >= 12 else { throw fail("byte 8: truncated header length") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        }
        guard headerStart + headerLength <= bytes.count,
              let header = String(bytes: bytes[headerStart..<(headerStart + headerLength)], encoding: .ascii) else {
            throw fail("byte \(headerStart): header of \(headerLength) bytes is truncated or not ASCII")
        }
        guard !header.contains("'fortran_order': True") else { throw fail("Fortran order is not supported") }
        guard let descrRange = header.range(of: "'descr': '"),
              let descrEnd = header[descrRange.upperBound...].firstIndex(of: "'") else {
            throw fail("header has no descr: \(header)")
        }
        let descr = String(header[descrRange.upperBound..<descrEnd])
        guard let shapeStart = header.range(of: "'shape': ("), let shapeEnd = header[shapeStart.upperBound...].firstIndex(of: ")") else {
            throw fail("header has no shape: \(header)")
        }
        shape = header[shapeStart.upperBound..<shapeEnd].split(separator: ",")
            .compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let count = shape.reduce(1, *)
        let payload = headerStart + headerLength
        let width: Int
        switch descr {
        case "<f4": width = 4
        case "<f8", "<i8": width = 8
        default: throw fail("unsupported dtype \(descr) (expected <f4, <f8 or <i8)")
        }
        guard bytes.count - payload >= count * width else {
            throw fail("byte \(payload): expected \(count * width) bytes of data, found \(bytes.count - payload)")
        }
        var result = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            for i in 0..<count {
                let position = payload + i * width
                switch descr {
                case "<f4": result[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
                case "<f8": result[i] = Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: UInt64.self))))
                default: result[i] = Float(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: Int64.self)))
                }
            }
        }
        values = result
    }
}

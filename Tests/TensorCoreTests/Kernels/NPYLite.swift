// NPYLite: a minimal .npy reader for the kernel fixtures (float32/float64, little-endian, C order).
// The project's full NPY reader lives in Formats; the kernel tests must not depend on it.
import Foundation

/// Errors of the minimal fixture reader.
struct NPYLiteError: Error, CustomStringConvertible {
    var file: String
    var message: String
    var description: String { "\(file): \(message)" }
}

/// A fixture array: its shape and its elements widened to Double.
struct NPYLiteArray {
    var shape: [Int]
    var values: [Double]
    var floats: [Float] { values.map { Float($0) } }

    /// Reads `url`: magic `\x93NUMPY`, version 1.x/2.x header length, a dict header with
    /// `descr` `<f4` or `<f8`, `fortran_order` False and `shape`, then raw elements.
    init(contentsOf url: URL) throws {
        let name = url.lastPathComponent
        let data = try Data(contentsOf: url)
        let bytes = [UInt8](data)
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1...5]) == Array("NUMPY".utf8) else {
            throw NPYLiteError(file: name, message: "byte 0: expected the NPY magic \\x93NUMPY")
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        if major == 1 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        } else {
            guard bytes.count >= 12 else { throw NPYLiteError(file: name, message: "byte 8: truncated header length") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        }
        guard headerStart + headerLength <= bytes.count,
              let header = String(bytes: bytes[headerStart..<(headerStart + headerLength)], encoding: .ascii) else {
            throw NPYLiteError(file: name, message: "byte \(headerStart): header of \(headerLength) bytes unreadable")
        }
        let elementSize: Int
        if header.contains("'descr': '<f4'") {
            elementSize = 4
        } else if header.contains("'descr': '<f8'") {
            elementSize = 8
        } else {
            throw NPYLiteError(file: name, message: "header: expected descr '<f4' or '<f8', got \(header)")
        }
        guard header.contains("'fortran_order': False") else {
            throw NPYLiteError(file: name, message: "header: expected C order")
        }
        guard let open = header.range(of: "'shape': ("),
              let close = header[open.upperBound...].firstIndex(of: ")") else {
            throw NPYLiteError(file: name, message: "header: no shape tuple")
        }
        shape = header[open.upperBound..<close].split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        let count = shape.reduce(1, *)
        let start = headerStart + headerLength
        guard bytes.count - start == count * elementSize else {
            throw NPYLiteError(file: name, message: "byte \(start): expected \(count * elementSize) data bytes, found \(bytes.count - start)")
        }
        values = data.withUnsafeBytes { raw in
            (0..<count).map { index in
                let offset = start + index * elementSize
                if elementSize == 4 {
                    return Double(Float(bitPattern: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian))
                }
                return Double(bitPattern: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian)
            }
        }
    }
}

// Loading the SciPy reference fixtures (JSON and little-endian float64/int16 .npy files) for Signal tests.
import Foundation
import Testing
import TestSupport

enum SignalFixtures {
    /// A decoded JSON fixture, e.g. `json("design.json")`.
    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: TestPaths.fixtures().appendingPathComponent(name))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Values and shape of a C-order `<f8` or `<i2` .npy fixture, as Doubles.
    static func npy(_ name: String) throws -> (values: [Double], shape: [Int]) {
        let data = try Data(contentsOf: TestPaths.fixtures().appendingPathComponent(name))
        let bytes = [UInt8](data)
        try #require(bytes.count > 10 && bytes[0] == 0x93 && String(decoding: bytes[1..<6], as: UTF8.self) == "NUMPY")
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        try #require(header.contains("'fortran_order': False"))
        let shapeText = try #require(header.split(separator: "(").last?.split(separator: ")").first)
        let shape = shapeText.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let body = Array(bytes[(10 + headerLength)...])
        if header.contains("'<f8'") {
            return (stride(from: 0, to: body.count, by: 8).map { offset in
                var bits: UInt64 = 0
                for k in 0..<8 { bits |= UInt64(body[offset + k]) << (8 * UInt64(k)) }
                return Double(bitPattern: bits)
            }, shape)
        }
        try #require(header.contains("'<i2'"))
        return (stride(from: 0, to: body.count, by: 2).map { offset in
            Double(Int16(bitPattern: UInt16(body[offset]) | UInt16(body[offset + 1]) << 8))
        }, shape)
    }
}

extension Dictionary where Key == String, Value == Any {
    func doubles(_ key: String) throws -> [Double] {
        let values = try #require(self[key] as? [Any], "missing array \(key)")
        return try values.map { try #require(($0 as? NSNumber)?.doubleValue, "non-number in \(key)") }
    }

    func rows(_ key: String) throws -> [[Double]] {
        let values = try #require(self[key] as? [[Any]], "missing rows \(key)")
        return try values.map { row in try row.map { try #require(($0 as? NSNumber)?.doubleValue) } }
    }

    func integers(_ key: String) throws -> [Int] { try doubles(key).map { Int($0) } }

    func number(_ key: String) throws -> Double { try #require((self[key] as? NSNumber)?.doubleValue, "missing number \(key)") }

    func object(_ key: String) throws -> [String: Any] { try #require(self[key] as? [String: Any], "missing object \(key)") }

    func objects(_ key: String) throws -> [[String: Any]] { try #require(self[key] as? [[String: Any]], "missing list \(key)") }
}

/// Expects `actual` within `atol + rtol * |expected|` of `expected`, element by element, naming the case.
func expectClose(_ actual: [Double], _ expected: [Double], rtol: Double = 1e-9, atol: Double = 1e-12,
                 _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let mismatch = firstMismatch(actual, expected, rtol: rtol, atol: atol)
    #expect(mismatch == nil, "\(label): \(mismatch.map(\.description) ?? "") (max |diff| \(maxAbsDifference(actual, expected)))",
            sourceLocation: sourceLocation)
}

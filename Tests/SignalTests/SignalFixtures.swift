// Loading the SciPy reference fixtures (JSON and little-endian float64/int16 .npy files) for Signal tests.
import Foundation
import Testing
import TestSupport

enum SignalFixtures {
    /// A decoded JSON fixture, e.g. `json("design.json")`.
    /// Numbers are decoded with `JSONDecoder` (exact round trip of Python's float repr) rather than
    /// `JSONSerialization`, whose number parsing on Linux can be off in the last bits.
    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: TestPaths.fixtures().appendingPathComponent(name))
        return try #require(try JSONDecoder().decode(JSONValue.self, from: data).plain as? [String: Any])
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

/// A JSON document decoded with exact doubles; `plain` turns it into Foundation-style values.
enum JSONValue: Decodable {
    case number(Double), string(String), bool(Bool), null, array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    var plain: Any {
        switch self {
        case .number(let value): return value
        case .string(let value): return value
        case .bool(let value): return value
        case .null: return NSNull()
        case .array(let values): return values.map(\.plain)
        case .object(let values): return values.mapValues(\.plain)
        }
    }
}

extension Dictionary where Key == String, Value == Any {
    func doubles(_ key: String) throws -> [Double] {
        let values = try #require(self[key] as? [Any], "missing array \(key)")
        return try values.map { try #require($0 as? Double, "non-number in \(key)") }
    }

    func rows(_ key: String) throws -> [[Double]] {
        let values = try #require(self[key] as? [[Any]], "missing rows \(key)")
        return try values.map { row in try row.map { try #require($0 as? Double) } }
    }

    func integers(_ key: String) throws -> [Int] { try doubles(key).map { Int($0) } }

    func number(_ key: String) throws -> Double { try #require(self[key] as? Double, "missing number \(key)") }

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

/// Where SciPy's result is limited by its own rounding (an ill-conditioned solve), expects ours to be no
/// farther from SciPy's than SciPy is from the correctly rounded reference `exact` (plus 1e-12 of scale).
func expectWithinSciPysOwnError(_ actual: [Double], scipy: [Double], exact: [Double], _ label: String,
                                sourceLocation: SourceLocation = #_sourceLocation) {
    let scale = exact.map(abs).max() ?? 0
    let scipyError = maxAbsDifference(scipy, exact)
    let gap = maxAbsDifference(actual, scipy)
    #expect(gap <= 1.01 * scipyError + 1e-12 * scale,
            "\(label): |ours - SciPy| = \(gap) exceeds |SciPy - exact| = \(scipyError)", sourceLocation: sourceLocation)
}

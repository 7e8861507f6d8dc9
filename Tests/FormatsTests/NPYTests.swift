// NPY reader and writer against files written by numpy 2.4.6 (scripts/reference/wfdb_npy.py):
// values, dtypes, byte order, Fortran order, versions 1-3, refusals, and byte-identical output.
import Foundation
import Testing
import TestSupport
@testable import Formats

@Suite("NPY against numpy")
struct NPYTests {
    static let folder = TestPaths.fixtures().appendingPathComponent("npy")

    static func expectedValues() throws -> [String: [String: Any]] {
        let data = try Data(contentsOf: folder.appendingPathComponent("values.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
    }

    static let savedNames = ["f4_3x4", "f8_5", "f8_nan_inf", "i1_4", "i2_2x3x2", "i4_scalar", "i8_3", "u1_6",
                             "b1_2x2", "f8_empty_0x12", "f8_50x12"]

    func path(_ name: String) -> String { Self.folder.appendingPathComponent(name + ".npy").path }

    @Test("numpy.save files read to the values numpy wrote", arguments: savedNames)
    func readsValues(_ name: String) throws {
        let expected = try #require(try Self.expectedValues()[name])
        let array = try NPY.read(contentsOf: path(name))
        #expect(array.shape == expected["shape"] as? [Int])
        #expect(array.dtypeName == expected["dtype"] as? String)
        let values = try #require(expected["values"] as? [Any])
        let numbers: [Double] = values.map { value in
            if let flag = value as? Bool, array.dtypeName == "bool" { return flag ? 1 : 0 }
            if let text = value as? String { return text == "inf" ? .infinity : text == "-inf" ? -.infinity : .nan }
            return (value as? NSNumber)?.doubleValue ?? .nan
        }
        if case .int64(let integers) = array.elements {
            // int64 values beyond 2^53 are compared exactly.
            #expect(integers == values.compactMap { ($0 as? NSNumber)?.int64Value })
        } else {
            // Foundation's JSON number parsing is not always correctly rounded (1 ulp), hence rtol.
            #expect(firstMismatch(array.doubles(), numbers, rtol: 1e-15, atol: 0) == nil)
        }
        if name == "f8_50x12" {
            #expect(array.doubles() == (0..<600).map { Double($0) / 7 })
        }
    }

    @Test("encoding what was read reproduces numpy.save byte for byte", arguments: savedNames)
    func writesIdenticalBytes(_ name: String) throws {
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path(name))))
        let array = try NPY.decode(original, file: name)
        #expect(NPY.encode(array) == original)
    }

    @Test("Fortran order, big-endian and versions 2.0/3.0 read to the C-order values")
    func variants() throws {
        let reference = try NPY.read(contentsOf: path("f4_3x4"))
        #expect(try NPY.read(contentsOf: path("f4_3x4_fortran")) == reference)
        #expect(try NPY.read(contentsOf: path("f4_3x4_v2")) == reference)
        #expect(try NPY.read(contentsOf: path("f4_3x4_v3")) == reference)
        let big = try NPY.read(contentsOf: path("f8_big_endian_2x3"))
        #expect(big == StoredArray(shape: [2, 3], elements: .float64([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5])))
        let bigInt = try NPY.read(contentsOf: path("i4_big_endian_3"))
        #expect(bigInt == StoredArray(shape: [3], elements: .int32([-2, 70000, 3])))
    }

    @Test("wfdb-python reference arrays (float64 and int32) read with their shapes")
    func sharedReferenceFiles() throws {
        let physical = try NPY.read(contentsOf: TestPaths.shared("wfdb/expected/100.physical.npy").path)
        #expect(physical.shape == [1000, 2])
        #expect(physical.dtypeName == "float64")
        let digital = try NPY.read(contentsOf: TestPaths.shared("wfdb/expected/100.digital.npy").path)
        #expect(digital.dtypeName == "int32")
        // MIT-BIH 100 MLII: physical = (digital - 1024) / 200.
        #expect(zip(physical.doubles(), digital.doubles()).allSatisfy { $0 == ($1 - 1024) / 200 })
    }

    @Test("object, unicode and structured arrays are refused by name", arguments: [
        ("object", "object arrays"), ("unicode", "string arrays"), ("structured", "structured dtypes"),
    ])
    func refusals(_ name: String, _ phrase: String) throws {
        let error = #expect(throws: NPYError.self) { try NPY.read(contentsOf: path(name)) }
        #expect(error?.description.contains(phrase) == true, "\(error.map(String.init(describing:)) ?? "")")
        #expect(error?.description.hasPrefix("\(name).npy byte ") == true)
    }

    @Test("malformed files: bad magic, bad header, bad dtype, truncated data")
    func malformed() throws {
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path("f4_3x4"))))
        var badMagic = original
        badMagic[1] = 0x50
        var error = #expect(throws: NPYError.self) { try NPY.decode(badMagic, file: "m.npy") }
        #expect(error?.description == "m.npy byte 0: bad magic: expected \\x93NUMPY, got 93 50 55 4d 50 59")

        var badHeader = original
        badHeader.replaceSubrange(10..<11, with: Array("(".utf8))
        error = #expect(throws: NPYError.self) { try NPY.decode(badHeader, file: "h.npy") }
        #expect(error?.description.hasPrefix("h.npy byte 10: bad header: expected '{'") == true)

        let badDtype = original.npyReplacingBytes(of: "'<f4'", with: "'<c8'")
        error = #expect(throws: NPYError.self) { try NPY.decode(badDtype, file: "d.npy") }
        #expect(error?.description.contains("unsupported dtype '<c8'") == true)

        let truncated = Array(original.prefix(original.count - 5))
        error = #expect(throws: NPYError.self) { try NPY.decode(truncated, file: "t.npy") }
        #expect(error?.description == "t.npy byte 171: truncated data: shape [3, 4] of <f4 needs 48 bytes from offset 128, file has 43")

        let overflowing = original.npyReplacingBytes(of: "'shape': (3, 4), }", with: "'shape': (4611686018427387904, 4), }")
        error = #expect(throws: NPYError.self) { try NPY.decode(overflowing, file: "o.npy") }
        #expect(error?.description.hasPrefix("o.npy byte ") == true && error?.description.contains("truncated data") == true)

        error = #expect(throws: NPYError.self) { try NPY.decode(Array(original.prefix(60)), file: "s.npy") }
        #expect(error?.description.contains("file ends inside the header") == true)
    }

    @Test("ECG orientation: the axis of length 12 is leads; ties go to [T, L] when rows > cols")
    func orientation() throws {
        #expect(NPY.orientation(ofShape: [5000, 12]) == .timeByLeads)
        #expect(NPY.orientation(ofShape: [12, 5000]) == .leadsByTime)
        #expect(NPY.orientation(ofShape: [12, 12]) == .leadsByTime)
        #expect(NPY.orientation(ofShape: [300, 200]) == .timeByLeads)
        let seed = try NPY.read(contentsOf: TestPaths.shared("seed/A3794.npy").path)
        let (leads, chosen) = try NPY.leadsByTime(seed)
        #expect(chosen == .timeByLeads)
        #expect(leads.count == 12 && leads[0].count == 5000)
        let values = seed.doubles()
        #expect(leads[3][17] == values[17 * 12 + 3])
        // The dashboard example is min-max scaled per lead: minimum exactly 0, maximum 1 - O(1e-11).
        #expect(leads.allSatisfy { $0.min() == 0 && abs(($0.max() ?? 0) - 1) < 1e-10 })
    }
}

extension Array where Element == UInt8 {
    /// The bytes with the first occurrence of `old` (ASCII) replaced by `new` of the same length.
    func npyReplacingBytes(of old: String, with new: String) -> [UInt8] {
        let needle = Array(old.utf8), replacement = Array(new.utf8)
        guard let start = indices.first(where: { Array(self[$0..<Swift.min($0 + needle.count, count)]) == needle }) else { return self }
        var copy = self
        copy.replaceSubrange(start..<start + needle.count, with: replacement)
        return copy
    }
}

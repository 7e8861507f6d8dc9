// Round trips through the HDF5 layer: every element type and shape, strings, attributes,
// groups in creation order, chunking/compression, and save→load→save byte identity.
import Foundation
import Testing
import TestSupport
@testable import Formats

@Suite("HDF5 round trips")
struct HDF5RoundTripTests {
    static let arrays: [(String, StoredArray)] = [
        ("f32", StoredArray(shape: [2, 3], elements: .float32([1.5, -2, 0, .infinity, 3.25e-8, -0.0]))),
        ("f64", StoredArray(shape: [3], elements: .float64([.pi, -1e300, Double.leastNonzeroMagnitude]))),
        ("i8", StoredArray(shape: [2, 2], elements: .int8([-128, 127, 0, -1]))),
        ("i16", StoredArray(shape: [4], elements: .int16([-32768, 32767, 1, -2]))),
        ("i32", StoredArray(shape: [1, 2, 2], elements: .int32([Int32.min, Int32.max, 7, -7]))),
        ("i64", StoredArray(shape: [2], elements: .int64([Int64.min, Int64.max]))),
        ("u8", StoredArray(shape: [3], elements: .uint8([0, 128, 255]))),
        ("bool", StoredArray(shape: [2, 2], elements: .bool([true, false, false, true]))),
        ("scalar", StoredArray(shape: [], elements: .float64([42.5]))),
        ("scalar_i64", StoredArray(shape: [], elements: .int64([9_007_199_254_740_993]))),
        ("empty", StoredArray(shape: [0, 3], elements: .float32([]))),
    ]

    @Test("every dtype and shape reads back with its type, shape and exact values")
    func everyDtypeRoundTrips() throws {
        let url = try ScratchFolder.folder("h5types").appendingPathComponent("types.h5")
        let file = try HDF5File.create(at: url)
        let root = try file.root()
        for (name, array) in Self.arrays { try root.writeDataset(name, array) }
        try file.close()

        let reopened = try HDF5File.open(at: url)
        let readRoot = try reopened.root()
        #expect(try readRoot.childNames() == Self.arrays.map(\.0))
        for (name, array) in Self.arrays {
            let read = try readRoot.readDataset(name)
            #expect(read == array, "dataset \(name)")
            #expect(try readRoot.openDataset(name).shape() == array.shape)
        }
    }

    @Test("large arrays are chunked with shuffle+deflate; small ones and .none are contiguous")
    func compressionChoice() throws {
        let url = try ScratchFolder.folder("h5chunks").appendingPathComponent("chunks.h5")
        let file = try HDF5File.create(at: url)
        let root = try file.root()
        let big = StoredArray(shape: [300, 100], elements: .float32((0..<30000).map { Float($0).squareRoot() }))
        let small = StoredArray(shape: [100], elements: .float32((0..<100).map(Float.init)))
        #expect(try root.writeDataset("big", big).filters() == [2, 1])
        #expect(try root.writeDataset("big_plain", big, compression: .none).filters() == [])
        #expect(try root.writeDataset("small", small).filters() == [])
        #expect(try root.writeDataset("small_forced", small, compression: .deflate(level: 9)).filters() == [2, 1])
        try file.close()
        let readRoot = try HDF5File.open(at: url).root()
        #expect(try readRoot.readDataset("big") == big)
        #expect(try readRoot.readDataset("small_forced") == small)
        #expect(HDF5Group.chunkShape([256, 1_048_576], elementSize: 4) == [1, 262_144])
        #expect(HDF5Group.chunkShape([5000, 12], elementSize: 4) == [5000, 12])
    }

    @Test("strings: scalar and 1-D vlen UTF-8 datasets, including non-ASCII and empty strings")
    func stringDatasets() throws {
        let url = try ScratchFolder.folder("h5strings").appendingPathComponent("strings.h5")
        let file = try HDF5File.create(at: url)
        let root = try file.root()
        let script = String(repeating: "bandpass(x, 0.5, 40) -- Ü€😀\n", count: 5000)
        try root.writeString("script", script)
        try root.writeStrings("leads", ["I", "II", "aVR", "", "V6 ü"])
        try root.writeStrings("none", [])
        try file.close()
        let readRoot = try HDF5File.open(at: url).root()
        #expect(try readRoot.readString("script") == script)
        #expect(try readRoot.readStrings("leads") == ["I", "II", "aVR", "", "V6 ü"])
        #expect(try readRoot.readStrings("none") == [])
        #expect(try readRoot.openDataset("leads").holdsStrings())
        let mismatch = #expect(throws: HDF5Error.self) { try readRoot.readDataset("leads") }
        #expect(mismatch?.kind == .typeMismatch)
        #expect(mismatch?.description == "HDF5: \(url.path): /leads: cannot read dataset: found strings (read them with readStrings)")
    }

    @Test("attributes of every kind on groups and datasets, replaced in place")
    func attributes() throws {
        let url = try ScratchFolder.folder("h5attrs").appendingPathComponent("attrs.h5")
        let file = try HDF5File.create(at: url)
        let root = try file.root()
        let values: [(String, HDF5AttributeValue)] = [
            ("format", .string("ecgs-workspace")), ("leads", .strings(["I", "II", "Ü"])),
            ("fs", .double(500)), ("bounds", .doubles([-1.5, 2.5e10])),
            ("seed", .int64(-42)), ("sizes", .int64s([1, Int64.max])),
        ]
        let group = try root.createGroup("variables/x")
        let dataset = try group.writeDataset("data", StoredArray(shape: [1], elements: .int8([1])))
        for (name, value) in values {
            try root.setAttribute(name, value)
            try group.setAttribute(name, value)
            try dataset.setAttribute(name, value)
        }
        try root.setAttribute("seed", .int64(7))
        try file.close()

        let readRoot = try HDF5File.open(at: url).root()
        let readGroup = try readRoot.openGroup("variables/x")
        let readDataset = try readGroup.openDataset("data")
        for (name, value) in values {
            #expect(try readGroup.attribute(name) == value)
            #expect(try readDataset.attribute(name) == value)
            if name != "seed" { #expect(try readRoot.attribute(name) == value) }
        }
        #expect(try readRoot.attribute("seed") == .int64(7))
        #expect(try readRoot.stringAttribute("format") == "ecgs-workspace")
        #expect(Set(try readRoot.attributeNames()) == Set(values.map(\.0)))
        let missing = #expect(throws: HDF5Error.self) { try readRoot.attribute("nope") }
        #expect(missing?.kind == .objectNotFound)
    }

    @Test("groups keep creation order; exists and kind(of:) see nested paths")
    func groups() throws {
        let url = try ScratchFolder.folder("h5groups").appendingPathComponent("groups.h5")
        let file = try HDF5File.create(at: url)
        let root = try file.root()
        for name in ["zeta", "alpha", "mid"] { try root.createGroup("variables/\(name)") }
        try root.openGroup("variables/alpha").writeDataset("w", StoredArray(shape: [], elements: .int32([1])))
        try file.close()
        let readRoot = try HDF5File.open(at: url).root()
        #expect(try readRoot.openGroup("variables").childNames() == ["zeta", "alpha", "mid"])
        #expect(try readRoot.exists("variables/alpha/w"))
        #expect(try !readRoot.exists("variables/beta/w"))
        #expect(try readRoot.kind(of: "variables/alpha") == .group)
        #expect(try readRoot.kind(of: "variables/alpha/w") == .dataset)
        #expect(try readRoot.kind(of: "nothing") == nil)
        let wrongKind = #expect(throws: HDF5Error.self) { try readRoot.openGroup("variables/alpha/w") }
        #expect(wrongKind?.kind == .typeMismatch)
        let absent = #expect(throws: HDF5Error.self) { try readRoot.openDataset("variables/beta") }
        #expect(absent?.kind == .objectNotFound)
    }

    @Test("save, load, save gives a byte-identical file")
    func saveLoadSaveIsByteIdentical() throws {
        let folder = try ScratchFolder.folder("h5identity")
        let first = folder.appendingPathComponent("first.h5")
        let second = folder.appendingPathComponent("second.h5")
        try HDF5File.saveAtomically(to: first) { root in
            try root.setAttribute("format", .string("ecgs-workspace"))
            let group = try root.createGroup("variables/m")
            try group.setAttribute("type", .string("model"))
            for (name, array) in Self.arrays { try group.writeDataset(name, array) }
            try group.writeDataset("big", StoredArray(shape: [200, 200], elements: .float64((0..<40000).map { sin(Double($0)) })))
            try root.createGroup("session").writeString("script", "x = 1\n")
        }
        // Load everything back and write it again through the same API.
        let source = try HDF5File.open(at: first)
        let sourceRoot = try source.root()
        let sourceGroup = try sourceRoot.openGroup("variables/m")
        try HDF5File.saveAtomically(to: second) { root in
            try root.setAttribute("format", sourceRoot.attribute("format"))
            let group = try root.createGroup("variables/m")
            try group.setAttribute("type", sourceGroup.attribute("type"))
            for name in try sourceGroup.childNames() {
                try group.writeDataset(name, try sourceGroup.readDataset(name))
            }
            try root.createGroup("session").writeString("script", try sourceRoot.readString("session/script"))
        }
        try source.close()
        let firstBytes = try Data(contentsOf: first)
        let secondBytes = try Data(contentsOf: second)
        #expect(firstBytes.count > 320_000 / 4)
        #expect(firstBytes == secondBytes)
    }
}

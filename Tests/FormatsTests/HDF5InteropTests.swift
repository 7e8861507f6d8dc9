// Interoperability of the HDF5 layer with independent readers and writers: h5py reads
// our files (names, shapes, dtypes, values, str attributes), we read a file h5py wrote
// (committed fixture from scripts/reference/h5_layout.py), and h5dump lists our file.
import Foundation
import Testing
import TestSupport
@testable import Formats

@Suite("HDF5 interoperability")
struct HDF5InteropTests {
    static func writeSample(_ url: URL) throws {
        try HDF5File.saveAtomically(to: url) { root in
            try root.setAttribute("format", .string("ecgs-workspace"))
            try root.setAttribute("format_version", .string("1.0"))
            try root.setAttribute("seed", .int64(1234))
            try root.setAttribute("fs", .double(500))
            try root.setAttribute("lead_names", .strings(["I", "II", "aVR"]))
            let weights = try root.createGroup("models/cae/weights")
            try weights.writeDataset("encoder.0.weight",
                                     StoredArray(shape: [2, 3, 2], elements: .float32((0..<12).map { Float($0) / 4 - 1 })))
            try weights.writeDataset("encoder.0.bias", StoredArray(shape: [2], elements: .float64([0.125, -3])))
            try root.writeDataset("labels", StoredArray(shape: [4], elements: .int64([0, 1, 1, 0])))
            try root.writeDataset("flags", StoredArray(shape: [3], elements: .bool([true, false, true])))
            try root.writeDataset("big", StoredArray(shape: [100, 200], elements: .float32((0..<20000).map { Float($0 % 97) })))
            try root.writeDataset("step", StoredArray(shape: [], elements: .int16([-5])))
            try root.createGroup("session").writeString("script", "x = load(\"a.hea\")\nprint(x) -- ü")
            try root.writeStrings("leads", ["V1", "V2 é"])
        }
    }

    @Test("interop: h5py reads the names, shapes, dtypes, values and str attributes we wrote",
          .enabled(if: ReferenceClients.hasH5py, "python3 with h5py is not available (pip install failed); skipped"))
    func h5pyReadsOurFile() throws {
        let url = try ScratchFolder.folder("h5py-read").appendingPathComponent("ours.h5")
        try Self.writeSample(url)
        let script = TestPaths.packageRoot.appendingPathComponent("scripts/reference/h5_layout.py").path
        let result = try ReferenceClients.run("python3", [script, "dump", url.path])
        try #require(result.status == 0, "\(result.error)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let groups = try #require(json["groups"] as? [String: [String: Any]])
        let datasets = try #require(json["datasets"] as? [String: [String: Any]])

        #expect(groups["/"]?["children"] as? [String] == ["models", "labels", "flags", "big", "step", "session", "leads"])
        let rootAttributes = try #require(groups["/"]?["attrs"] as? [String: [String: Any]])
        #expect(rootAttributes["format"]?["type"] as? String == "str")
        #expect(rootAttributes["format"]?["value"] as? String == "ecgs-workspace")
        #expect(rootAttributes["seed"]?["value"] as? Int == 1234)
        #expect(rootAttributes["fs"]?["value"] as? Double == 500)
        #expect(rootAttributes["lead_names"]?["value"] as? [String] == ["I", "II", "aVR"])
        #expect(groups["models/cae/weights"]?["children"] as? [String] == ["encoder.0.weight", "encoder.0.bias"])

        let weight = try #require(datasets["models/cae/weights/encoder.0.weight"])
        #expect(weight["shape"] as? [Int] == [2, 3, 2])
        #expect(weight["dtype"] as? String == "float32")
        let nested = try #require(weight["values"] as? [[[Double]]])
        let flat: [Double] = nested.flatMap { $0.flatMap { $0 } }
        let expected: [Double] = (0..<12).map { Double($0) / 4 - 1 }
        #expect(flat == expected)
        #expect(datasets["models/cae/weights/encoder.0.bias"]?["dtype"] as? String == "float64")
        #expect(datasets["models/cae/weights/encoder.0.bias"]?["values"] as? [Double] == [0.125, -3])
        #expect(datasets["labels"]?["dtype"] as? String == "int64")
        #expect(datasets["labels"]?["values"] as? [Int] == [0, 1, 1, 0])
        #expect(datasets["flags"]?["dtype"] as? String == "uint8")
        #expect(datasets["flags"]?["values"] as? [Int] == [1, 0, 1])
        #expect(datasets["step"]?["shape"] as? [Int] == [])
        #expect(datasets["step"]?["dtype"] as? String == "int16")
        #expect(datasets["step"]?["values"] as? Int == -5)
        let big = try #require(datasets["big"])
        #expect(big["compression"] as? String == "gzip")
        #expect(big["chunks"] as? [Int] == [100, 200])
        let bigValues: [Double] = (big["values"] as? [[Double]] ?? []).flatMap { $0 }
        let bigExpected: [Double] = (0..<20000).map { Double($0 % 97) }
        #expect(bigValues == bigExpected)
        #expect(datasets["session/script"]?["dtype"] as? String == "str")
        #expect(datasets["session/script"]?["values"] as? String == "x = load(\"a.hea\")\nprint(x) -- ü")
        #expect(datasets["leads"]?["values"] as? [String] == ["V1", "V2 é"])
    }

    @Test("we read the file h5py wrote: groups in order, dtypes, values, strings and attributes")
    func weReadH5pyFile() throws {
        let url = TestPaths.fixtures().appendingPathComponent("hdf5/h5py_layout.h5")
        let file = try HDF5File.open(at: url)
        let root = try file.root()
        #expect(try root.childNames() == ["model", "counts", "small", "wide", "step", "big", "script", "names", "fixed"])
        #expect(try root.attribute("format") == .string("made-by-h5py"))
        #expect(try root.attribute("version") == .int64(7))
        #expect(try root.attribute("scale") == .double(0.25))
        #expect(try root.attribute("leads") == .strings(["I", "II", "V1"]))
        #expect(try root.openGroup("model/weights").childNames() == ["z.weight", "a.bias"])
        #expect(try root.readDataset("model/weights/z.weight")
            == StoredArray(shape: [2, 3, 4], elements: .float32((0..<24).map { Float($0) / 8 })))
        #expect(try root.readDataset("model/weights/a.bias") == StoredArray(shape: [2], elements: .float64([-1.5, 2.25])))
        #expect(try root.readDataset("counts") == StoredArray(shape: [2, 2], elements: .int32([1, -2, 3, 40000])))
        #expect(try root.readDataset("small") == StoredArray(shape: [3], elements: .uint8([1, 2, 250])))
        #expect(try root.readDataset("wide") == StoredArray(shape: [2], elements: .int32([1, 65535])))
        #expect(try root.readDataset("step") == StoredArray(shape: [], elements: .int64([123_456_789_012])))
        #expect(try root.readDataset("big") == StoredArray(shape: [100_000], elements: .float32((0..<100_000).map(Float.init))))
        #expect(try root.readString("script") == "load \"x\"\nprint(ü)")
        #expect(try root.readStrings("names") == ["alpha", "βeta", ""])
        #expect(try root.readStrings("fixed") == ["ab", "cde"])
    }

    @Test("interop: h5dump -H lists our file's groups, datasets and types; superblock is 1.8-readable",
          .enabled(if: ReferenceClients.hasH5dump, "h5dump (hdf5-tools) is not installed; skipped"))
    func h5dumpListsOurFile() throws {
        let url = try ScratchFolder.folder("h5dump").appendingPathComponent("ours.h5")
        try Self.writeSample(url)
        let result = try ReferenceClients.run("h5dump", ["-H", url.path])
        #expect(result.status == 0, "\(result.error)")
        for expected in ["GROUP \"models\"", "DATASET \"encoder.0.weight\"", "H5T_IEEE_F32LE",
                         "DATASPACE  SIMPLE { ( 2, 3, 2 ) / ( 2, 3, 2 ) }", "H5T_STD_I64LE", "CSET H5T_CSET_UTF8",
                         "ATTRIBUTE \"format\"", "DATASPACE  SCALAR"] {
            #expect(result.output.contains(expected), "missing \(expected)")
        }
        // Library-version bounds capped at 1.8: superblock version 0 (1.10-only files use 3).
        let superblock = try ReferenceClients.run("h5dump", ["-B", "-H", url.path])
        #expect(superblock.output.contains("SUPERBLOCK_VERSION 0"))
    }
}

// Workspace interoperability with clients nobody here wrote: h5py reads our workspace bit for bit,
// ecgs loads one h5py wrote from the docs, a real record matches wfdb-python's reading of its
// source, h5dump lists the layout. Each skips with a message when its client is missing.
import ECGKit
import Foundation
import Testing
import Formats
import TensorCore
import TestSupport

@Suite("Workspace interoperability")
struct WorkspaceInteropTests {
    static let script = TestPaths.packageRoot.appendingPathComponent("scripts/reference/workspace_h5py.py").path

    static func hexBits(_ values: [Float]) -> [String] {
        values.map { hex(UInt64($0.bitPattern), width: 8) }
    }

    static func hexBits(_ values: [Double]) -> [String] {
        values.map { hex($0.bitPattern, width: 16) }
    }

    static func hex(_ value: UInt64, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: width - digits.count) + digits
    }

    @Test("interop: h5py reads every documented attribute, dataset and value of an ecgs workspace",
          .enabled(if: ReferenceClients.hasH5py, "python3 with h5py is not available (pip install failed); skipped"))
    func h5pyReadsOurWorkspace() throws {
        let folder = try ScratchFolder.folder("h5py-dump")
        let url = folder.appendingPathComponent("ours.h5")
        let variables = try WorkspaceSamples.variables()
        try Workspace.save(variables, session: WorkspaceSamples.session, to: url)
        let result = try ReferenceClients.run("python3", [Self.script, "dump", url.path])
        try #require(result.status == 0, "\(result.error)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])

        let root = try #require(json["root"] as? [String: Any])
        #expect(root["format"] as? String == "ecgs-workspace")
        #expect(root["format_version"] as? String == "1.1")
        #expect(root["ecgs_version"] as? String == "0.1.0")
        #expect(root["created_utc"] as? String == "2026-11-25T17:00:00Z")
        #expect(root["seed"] as? Int == 42)
        #expect(json["root_children"] as? [String] == ["session", "variables"])
        let session = try #require(json["session"] as? [String: String])
        #expect(session == ["script": WorkspaceSamples.session.script, "ecgs_build": "ecgs 0.1.0 (test build)"])
        #expect(json["variable_order"] as? [String] == variables.map(\.name))

        let stored = try #require(json["variables"] as? [String: [String: Any]])
        #expect(stored["x"]?["value"] as? Double == 3.5)
        #expect((stored["x"]?["value_layout"] as? [String: Any])?["dtype"] as? String == "float64")
        #expect(stored["not_a_number"]?["value"] as? String == "nan")
        #expect(stored["huge"]?["value"] as? Double == -1.7976931348623157e308)
        #expect(stored["greeting"]?["value"] as? String == "Grüße, ECG ❤️\nsecond line")
        #expect(stored["empty_text"]?["value"] as? String == "")
        #expect(stored["flag"]?["value"] as? Bool == true)
        #expect(stored["off"]?["value"] as? Bool == false)
        let flagLayout = try #require(stored["flag"]?["value_layout"] as? [String: Any])
        #expect(flagLayout["dtype"] as? String == "uint8")
        #expect(flagLayout["attrs"] as? [String: String] == ["ecgs_dtype": "bool"])
        #expect(stored["nothing"]?["type"] as? String == "none")
        #expect(stored["nothing"]?["children"] as? [String] == [])

        let items = try #require(stored["items"]?["items"] as? [[String: Any]])
        #expect(items.map { $0["type"] as? String } == ["number", "string", "list", "tensor"])
        #expect(items[1]["value"] as? String == "two")
        let nested = try #require(items[2]["items"] as? [[String: Any]])
        #expect(nested.map { $0["type"] as? String } == ["bool", "none", "list"])
        #expect((nested[2]["items"] as? [Any])?.isEmpty == true)
        #expect((items[3]["data"] as? [String: Any])?["shape"] as? [Int] == [2, 3])
        #expect(items[3]["bits"] as? [String] == Self.hexBits(try WorkspaceSamples.tensor([2, 3], seed: 9).scalars))

        let windows = try #require(stored["windows"])
        let windowsLayout = try #require(windows["data"] as? [String: Any])
        #expect(windowsLayout["shape"] as? [Int] == [40, 3, 250])
        #expect(windowsLayout["dtype"] as? String == "float32")
        #expect(windowsLayout["compression"] as? String == "gzip")
        #expect(windowsLayout["shuffle"] as? Bool == true)
        #expect(windows["bits"] as? [String] == Self.hexBits(try WorkspaceSamples.tensor([40, 3, 250], seed: 2).scalars))
        #expect((stored["scalar_tensor"]?["data"] as? [String: Any])?["shape"] as? [Int] == [])
        #expect((stored["empty_tensor"]?["data"] as? [String: Any])?["shape"] as? [Int] == [0, 3])

        let record = try #require(stored["record"])
        let attributes = try #require(record["attrs"] as? [String: Any])
        #expect(attributes["type"] as? String == "record")
        #expect(attributes["record_name"] as? String == "A0001")
        #expect(attributes["sampling_rate"] as? Double == 257.5)
        #expect(attributes["source"] as? String == "/data/wfdb/A0001.hea")
        #expect(attributes["source_format"] as? String == "wfdb/16")
        let signal = try #require(record["signal"] as? [String: Any])
        #expect(signal["shape"] as? [Int] == [3, 700])
        #expect(signal["dtype"] as? String == "float64")
        #expect(signal["attrs"] as? [String: String] == ["dims": "lead,time"])
        #expect(record["bits"] as? [String] == Self.hexBits(WorkspaceSamples.record.samples))
        #expect(record["lead_names"] as? [String] == ["I", "aVR", "V6 ü"])
        #expect(record["units"] as? [String] == ["mV", "mV", "uV"])
        #expect(record["comments"] as? [String] == WorkspaceSamples.record.comments)
        let provenance = try #require(record["provenance"] as? [[String: Any]])
        #expect(provenance.map { $0["name"] as? String } == ["bandpass", "notch", "zscore"])
        let parameters = try #require(provenance.first?["parameters"] as? [[String: String]])
        #expect(parameters == [["name": "low", "value": "0.5"], ["name": "high", "value": "40"],
                               ["name": "order", "value": "4"]])
        try? FileManager.default.removeItem(at: folder)
    }

    @Test("interop: a workspace h5py wrote by the documented layout loads in ecgs with every value",
          .enabled(if: ReferenceClients.hasH5py, "python3 with h5py is not available (pip install failed); skipped"))
    func ecgsLoadsH5pyWorkspace() throws {
        let folder = try ScratchFolder.folder("h5py-write")
        let url = folder.appendingPathComponent("theirs.h5")
        let result = try ReferenceClients.run("python3", [Self.script, "write", url.path])
        try #require(result.status == 0, "\(result.error)")

        let loaded = try Workspace.load(from: url)
        #expect(loaded.session.script == "x = 2.5\nprint(x) -- written by h5py")
        #expect(loaded.session.ecgsBuild.hasPrefix("h5py 3."))
        #expect(loaded.session.ecgsVersion == "h5py-writer")
        #expect(loaded.session.seed == 7)
        #expect(loaded.session.createdUTC == "2026-11-25T18:00:00Z")
        #expect(loaded.variables.map(\.name) == ["n", "count", "s", "b", "z", "l", "many", "t", "t64", "big", "r",
                                                 "th", "m", "d", "e", "sr"])
        let values = Dictionary(uniqueKeysWithValues: loaded.variables.map { ($0.name, $0.value) })
        #expect(values["n"].map { bitwiseEqual($0, .number(2.5)) } == true)
        #expect(values["count"].map { bitwiseEqual($0, .number(7)) } == true)
        #expect(values["s"].map { bitwiseEqual($0, .string("héllo ✓")) } == true)
        #expect(values["b"].map { bitwiseEqual($0, .bool(true)) } == true)
        #expect(values["z"].map { bitwiseEqual($0, .none) } == true)
        #expect(values["l"].map { bitwiseEqual($0, .list([.number(1), .string("a"), .list([.bool(false)])])) } == true)

        // Elements come back by index even where the group lists its children by name.
        let many = WorkspaceValue.list((0..<12).map { .number(Double($0)) })
        #expect(values["many"].map { bitwiseEqual($0, many) } == true)

        let t = try Tensor(shape: [2, 3, 4], scalars: (0..<24).map { Float($0) / 8 - 1 })
        #expect(values["t"].map { bitwiseEqual($0, .tensor(t)) } == true)
        // NumPy's default float64 is rounded to float32 on load.
        let t64 = Tensor([Float(0.1), Float(1.0 / 3.0), -2.5])
        #expect(values["t64"].map { bitwiseEqual($0, .tensor(t64)) } == true)
        let big = try Tensor(shape: [64, 1000], scalars: (0..<64000).map { Float($0 % 97) / 4 })
        #expect(values["big"].map { bitwiseEqual($0, .tensor(big)) } == true)

        guard case .record(let record)? = values["r"] else {
            Issue.record("r is not a record")
            return
        }
        #expect(record.name == "100")
        #expect(record.samplingRate == 360)
        #expect(record.leadNames == ["MLII", "V5"])
        #expect(record.units == ["mV", "mV"])
        #expect(record.sampleCount == 500)
        let expectedSamples: [Double] = (0..<1000).map { (index: Int) -> Double in Double(index % 50 - 25) / 16 }
        #expect(record.samples == expectedSamples)
        #expect(record.source == "mitdb/100.hea")
        #expect(record.sourceFormat == "wfdb/212")
        #expect(record.comments == ["69 M 1085 1629 x1"])
        // A step without "parameters" and a numeric value, as a Python writer may spell them.
        #expect(record.provenance == [ProcessingStep("bandpass", [.init("low", "0.5"), .init("high", "40"),
                                                                  .init("order", "4")]),
                                      ProcessingStep("zscore")])

        let listing = try Workspace.contents(of: url)
        #expect(listing.entries.map(\.typeName) == ["number", "number", "string", "bool", "none", "list", "list", "tensor",
                                                    "tensor", "tensor", "record", "threshold", "model", "dataset",
                                                    "metric_table", "score_result"])
        #expect(listing.entries[10].summary == "100: 2 leads x 500 samples, 360 Hz")
        try? FileManager.default.removeItem(at: folder)
    }

    @Test("interop: a real record saved by ecgs reads in h5py as wfdb-python reads the source WFDB record",
          .enabled(if: ReferenceClients.hasWFDB, "python3 with h5py and wfdb is not available; skipped"),
          .enabled(if: FileManager.default.fileExists(atPath: TestPaths.shared("ecg12/cpsc2018/A0002.hea").path),
                   "shared data (ecg12/cpsc2018/A0002) is not available; skipped"))
    func realRecordMatchesWFDBPython() throws {
        let source = TestPaths.shared("ecg12/cpsc2018/A0002").path
        let wfdb = try WFDBRecord.read(source)
        let record = Record(name: wfdb.recordName, samplingRate: wfdb.samplingFrequency, leadNames: wfdb.signalNames,
                            units: wfdb.units, samples: wfdb.physical.flatMap { $0 }, sampleCount: wfdb.sampleCount,
                            source: source, sourceFormat: "wfdb/16", comments: wfdb.comments)
        let folder = try ScratchFolder.folder("wfdb-python")
        let url = folder.appendingPathComponent("ours.h5")
        try Workspace.save([("a0002", .record(record))], session: WorkspaceSamples.session, to: url)
        let result = try ReferenceClients.run("python3", [Self.script, "wfdb", url.path, "a0002", source])
        try #require(result.status == 0, "\(result.error)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(json["shape"] as? [Int] == [12, record.sampleCount])
        #expect(json["shape"] as? [Int] == (json["wfdb_shape"] as? [Int]))
        // wfdb-python computes (digital - baseline) / gain in float64, as the Swift reader does,
        // and the workspace keeps float64: the arrays are identical.
        let difference = try #require(json["max_abs_difference"] as? Double)
        #expect(json["identical"] as? Bool == true, "max |h5py signal - wfdb p_signal| = \(difference)")
        #expect(json["sampling_rate"] as? Double == json["wfdb_fs"] as? Double)
        #expect(json["lead_names"] as? [String] == json["wfdb_sig_name"] as? [String])
        #expect(json["units"] as? [String] == json["wfdb_units"] as? [String])
        #expect(json["comments"] as? [String] == json["wfdb_comments"] as? [String])
        try? FileManager.default.removeItem(at: folder)
    }

    @Test("interop: h5dump -H lists the workspace's groups, attributes, types and shapes",
          .enabled(if: ReferenceClients.hasH5dump, "h5dump is not installed (apt install hdf5-tools); skipped"))
    func h5dumpListsWorkspace() throws {
        let folder = try ScratchFolder.folder("h5dump")
        let url = folder.appendingPathComponent("ours.h5")
        try Workspace.save(try WorkspaceSamples.variables(), session: WorkspaceSamples.session, to: url)
        let result = try ReferenceClients.run("h5dump", ["-H", url.path])
        try #require(result.status == 0, "\(result.error)")
        let text = result.output
        for phrase in ["ATTRIBUTE \"format\"", "ATTRIBUTE \"format_version\"", "ATTRIBUTE \"seed\"",
                       "GROUP \"session\"", "DATASET \"script\"", "GROUP \"variables\"", "GROUP \"windows\"",
                       "DATASPACE  SIMPLE { ( 40, 3, 250 ) / ( 40, 3, 250 ) }", "H5T_IEEE_F32LE",
                       "GROUP \"record\"", "DATASET \"signal\"", "DATASPACE  SIMPLE { ( 3, 700 ) / ( 3, 700 ) }",
                       "H5T_IEEE_F64LE", "CSET H5T_CSET_UTF8", "STRSIZE H5T_VARIABLE", "ATTRIBUTE \"dims\""] {
            #expect(text.contains(phrase), "h5dump -H lacks \(phrase)")
        }
        let version = try ReferenceClients.run("h5dump", ["-a", "format_version", url.path])
        #expect(version.output.contains("(0): \"1.1\""), "\(version.output)")
        try? FileManager.default.removeItem(at: folder)
    }
}

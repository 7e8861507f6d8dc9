// Workspace round trips: every value kind comes back bit for bit, save → load → save gives a
// byte-identical file, partial loads, listing without loading, compression of large tensors,
// and a value kind plugged in through the registry.
import ECGKit
import Foundation
import Testing
import TensorCore
import TestSupport
@testable import Formats

@Suite("Workspace round trips")
struct WorkspaceRoundTripTests {
    @Test("every kind survives save → load bit for bit, and saving the loaded values gives the same bytes")
    func saveLoadSaveIsBitExact() throws {
        let folder = try ScratchFolder.folder("roundtrip")
        let first = folder.appendingPathComponent("first.h5")
        let second = folder.appendingPathComponent("second.h5")
        let variables = try WorkspaceSamples.variables()
        try Workspace.save(variables, session: WorkspaceSamples.session, to: first)

        let loaded = try Workspace.load(from: first)
        #expect(loaded.session == WorkspaceSamples.session)
        #expect(loaded.formatVersion == WorkspaceFormatVersion(major: 1, minor: 1))
        #expect(loaded.variables.map(\.name) == variables.map(\.name))
        for (original, back) in zip(variables, loaded.variables) {
            #expect(bitwiseEqual(original.value, back.value), "\(original.name) changed in the round trip")
        }
        guard case .record(let record) = loaded.variables.first(where: { $0.name == "record" })?.value else {
            Issue.record("record did not come back as a record")
            return
        }
        #expect(record.samples[0].sign == .minus && record.samples[0] == 0)
        #expect(record.samples[1] == .leastNonzeroMagnitude)
        #expect(record.provenance.map(\.description) == ["bandpass(low=0.5, high=40, order=4)", "notch(f0=50, q=30)",
                                                          "zscore()"])

        try Workspace.save(loaded.variables, session: loaded.session, to: second)
        let firstBytes = try Data(contentsOf: first)
        let secondBytes = try Data(contentsOf: second)
        #expect(firstBytes.count > 100_000)
        #expect(firstBytes == secondBytes, "save → load → save changed the file (\(firstBytes.count) vs \(secondBytes.count) bytes)")
        try? FileManager.default.removeItem(at: folder)
    }

    @Test("a real 12-lead record (CPSC 2018 A0001, read by the WFDB reader) survives save → load bit for bit",
          .enabled(if: FileManager.default.fileExists(atPath: TestPaths.shared("ecg12/cpsc2018/A0001.hea").path),
                   "shared data (ecg12/cpsc2018/A0001) is not available; skipped"))
    func realRecordRoundTrip() throws {
        let wfdb = try WFDBRecord.read(TestPaths.shared("ecg12/cpsc2018/A0001").path)
        let record = Record(name: wfdb.recordName, samplingRate: wfdb.samplingFrequency, leadNames: wfdb.signalNames,
                            units: wfdb.units, samples: wfdb.physical.flatMap { $0 }, sampleCount: wfdb.sampleCount,
                            source: "ecg12/cpsc2018/A0001.hea", sourceFormat: "wfdb/16", comments: wfdb.comments)
        #expect(record.leadCount == 12 && record.sampleCount == 7500 && record.samplingRate == 500)
        let folder = try ScratchFolder.folder("real")
        let url = folder.appendingPathComponent("w.h5")
        try Workspace.save([("a0001", .record(record))], session: WorkspaceSamples.session, to: url)
        let loaded = try Workspace.load(from: url)
        #expect(loaded.variables.count == 1 && bitwiseEqual(loaded.variables[0].value, .record(record)))
        guard case .record(let back) = loaded.variables[0].value else { return }
        #expect(back.comment("Dx") == record.comment("Dx"))
        #expect(back.leadNames == ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"])
        let listing = try Workspace.contents(of: url)
        #expect(listing.entries.first?.summary == "A0001: 12 leads x 7500 samples, 500 Hz")
        #expect(listing.entries.first?.bytes == 12 * 7500 * 8)
        try? FileManager.default.removeItem(at: folder)
    }

    @Test("the same values and session give the same bytes; only the session attributes differ otherwise")
    func savingIsDeterministic() throws {
        let folder = try ScratchFolder.folder("deterministic")
        let variables = try WorkspaceSamples.variables()
        let a = folder.appendingPathComponent("a.h5")
        let b = folder.appendingPathComponent("b.h5")
        let c = folder.appendingPathComponent("c.h5")
        try Workspace.save(variables, session: WorkspaceSamples.session, to: a)
        try Workspace.save(variables, session: WorkspaceSamples.session, to: b)
        var later = WorkspaceSamples.session
        later.createdUTC = "2026-11-26T09:30:00Z"
        try Workspace.save(variables, session: later, to: c)
        #expect(try Data(contentsOf: a) == Data(contentsOf: b))
        #expect(try Data(contentsOf: a) != Data(contentsOf: c))
        #expect(try Workspace.load(from: c).session.createdUTC == "2026-11-26T09:30:00Z")
        try? FileManager.default.removeItem(at: folder)
    }

    @Test("the stored layout: root attributes, session datasets, types, shapes, dims, compression")
    func storedLayout() throws {
        let folder = try ScratchFolder.folder("layout")
        let url = folder.appendingPathComponent("w.h5")
        try Workspace.save(try WorkspaceSamples.variables(), session: WorkspaceSamples.session, to: url)
        let file = try HDF5File.open(at: url)
        defer { try? file.close() }
        let root = try file.root()
        #expect(try root.attribute("format") == .string("ecgs-workspace"))
        #expect(try root.attribute("format_version") == .string("1.1"))
        #expect(try root.attribute("ecgs_version") == .string("0.1.0"))
        #expect(try root.attribute("created_utc") == .string("2026-11-25T17:00:00Z"))
        #expect(try root.attribute("seed") == .int64(42))
        #expect(try root.childNames() == ["session", "variables"])
        #expect(try root.readString("session/script") == WorkspaceSamples.session.script)
        #expect(try root.readString("session/ecgs_build") == "ecgs 0.1.0 (test build)")

        let variables = try root.openGroup("variables")
        #expect(try variables.childNames() == WorkspaceSamples.variables().map(\.name))
        #expect(try variables.openGroup("x").stringAttribute("type") == "number")
        #expect(try variables.readDataset("x/value") == StoredArray(shape: [], elements: .float64([3.5])))
        #expect(try variables.readString("greeting/value") == "Grüße, ECG ❤️\nsecond line")
        #expect(try variables.readDataset("flag/value") == StoredArray(shape: [], elements: .bool([true])))
        #expect(try variables.openGroup("nothing").stringAttribute("type") == "none")
        #expect(try variables.openGroup("nothing").childNames().isEmpty)
        let items = try variables.openGroup("items")
        #expect(try items.stringAttribute("type") == "list")
        #expect(try items.attribute("length") == .int64(4))
        #expect(try items.childNames() == ["0", "1", "2", "3"])
        #expect(try items.openGroup("2/2").attribute("length") == .int64(0))
        #expect(try items.openGroup("3").stringAttribute("type") == "tensor")

        let windows = try variables.openDataset("windows/data")
        #expect(try windows.shape() == [40, 3, 250])
        #expect(try windows.filters() == [2, 1], "120 KB tensors are shuffled + deflated")
        #expect(try variables.openDataset("vector/data").filters().isEmpty)
        #expect(try variables.openDataset("scalar_tensor/data").shape() == [])
        #expect(try variables.openDataset("empty_tensor/data").shape() == [0, 3])

        let record = try variables.openGroup("record")
        #expect(try record.stringAttribute("type") == "record")
        #expect(try record.attribute("sampling_rate") == .double(257.5))
        #expect(try record.attribute("record_name") == .string("A0001"))
        #expect(try record.attribute("source") == .string("/data/wfdb/A0001.hea"))
        #expect(try record.attribute("source_format") == .string("wfdb/16"))
        let signal = try record.openDataset("signal")
        #expect(try signal.shape() == [3, 700])
        #expect(try signal.attribute("dims") == .string("lead,time"))
        if case .float64(let samples) = try signal.read().elements {
            #expect(samples.map(\.bitPattern) == WorkspaceSamples.record.samples.map(\.bitPattern))
        } else {
            Issue.record("the signal is not float64")
        }
        #expect(try record.readStrings("lead_names") == ["I", "aVR", "V6 ü"])
        #expect(try record.readStrings("units") == ["mV", "mV", "uV"])
        #expect(try record.readStrings("comments") == ["Age: 74", "Sex: Male", "Dx: 59118001,164884008"])
        #expect(try record.readString("provenance") == #"[{"name":"bandpass","parameters":[{"name":"low","value":"0.5"},"#
            + #"{"name":"high","value":"40"},{"name":"order","value":"4"}]},{"name":"notch","parameters":"#
            + #"[{"name":"f0","value":"50"},{"name":"q","value":"30"}]},{"name":"zscore","parameters":[]}]"#)
        try? FileManager.default.removeItem(at: folder)
    }

    @Test("loading named variables returns them in the order asked; unknown names are refused with the file's names")
    func loadNamedVariables() throws {
        let folder = try ScratchFolder.folder("named")
        let url = folder.appendingPathComponent("w.h5")
        try Workspace.save([("a", .number(1)), ("b", .string("two")), ("c", .bool(true))],
                           session: WorkspaceSamples.session, to: url)
        let loaded = try Workspace.load(from: url, names: ["c", "a", "c"])
        #expect(loaded.variables.map(\.name) == ["c", "a"])
        #expect(bitwiseEqual(loaded.variables[0].value, .bool(true)))
        #expect(bitwiseEqual(loaded.variables[1].value, .number(1)))
        #expect(try Workspace.load(from: url, names: []).variables.isEmpty)

        let error = try #require(throws: WorkspaceError.self) { try Workspace.load(from: url, names: ["a", "zz", "q"]) }
        #expect(error.kind == .unknownVariable)
        #expect(error.description == "\(url.path): no variables 'zz', 'q' in this workspace; it holds a, b, c")
        try? FileManager.default.removeItem(at: folder)
    }

    @Test("contents lists name, type, shape, summary and size without loading data")
    func contentsListing() throws {
        let folder = try ScratchFolder.folder("contents")
        let url = folder.appendingPathComponent("w.h5")
        try Workspace.save(try WorkspaceSamples.variables(), session: WorkspaceSamples.session, to: url)
        let listing = try Workspace.contents(of: url)
        #expect(listing.session == WorkspaceSamples.session)
        let byName = Dictionary(uniqueKeysWithValues: listing.entries.map { ($0.name, $0) })
        #expect(try listing.entries.map(\.name) == WorkspaceSamples.variables().map(\.name))
        #expect(byName["x"] == WorkspaceEntry(name: "x", typeName: "number", shape: nil, summary: "3.5", bytes: 8))
        #expect(byName["negative_zero"]?.summary == "-0")
        #expect(byName["not_a_number"]?.summary == "nan")
        #expect(byName["flag"]?.summary == "true")
        #expect(byName["nothing"]?.typeName == "none")
        #expect(byName["greeting"]?.summary == #""Grüße, ECG ❤️\nsecond line""#)
        #expect(byName["windows"] == WorkspaceEntry(name: "windows", typeName: "tensor", shape: [40, 3, 250],
                                                    summary: "float32 [40, 3, 250]", bytes: 120_000))
        #expect(byName["scalar_tensor"]?.summary == "float32 scalar")
        #expect(byName["record"] == WorkspaceEntry(name: "record", typeName: "record", shape: [3, 700],
                                                   summary: "A0001: 3 leads x 700 samples, 257.5 Hz", bytes: 16_800))
        #expect(byName["items"]?.summary == "list of 4")
        #expect(byName["items"]?.bytes == 8 + 3 + 1 + 24)
        #expect(byName["records"]?.bytes == 16_800 + 5_600)
        try? FileManager.default.removeItem(at: folder)
    }

    /// A kind defined outside the standard registry, as later authors add them (one file each).
    struct Threshold: WorkspaceCodable, Equatable {
        static let workspaceTypeName = "annotation"
        var value: Double
        var method: String

        func encode(into group: HDF5Group) throws {
            try group.setAttribute("method", .string(method))
            try group.writeDataset("value", StoredArray(shape: [], elements: .float64([value])))
        }

        static func decode(from group: HDF5Group) throws -> Threshold {
            Threshold(value: try group.readDataset("value").doubles()[0], method: try group.stringAttribute("method"))
        }
    }

    @Test("a registered kind round-trips as .object; without it, load refuses and contents says so")
    func registeredKind() throws {
        let folder = try ScratchFolder.folder("registry")
        let url = folder.appendingPathComponent("w.h5")
        let threshold = Threshold(value: 0.0421, method: "percentile(95)")
        try Workspace.save([("t", .object(threshold)), ("n", .list([.object(threshold)]))],
                           session: WorkspaceSamples.session, to: url)
        let registry = WorkspaceRegistry.standard.registering(Threshold.self)
        #expect(registry.typeNames == ["annotation", "bool", "dataset", "dataset_scores", "list", "metric_table", "model", "none",
                                       "number", "record", "score_result", "string", "tensor", "threshold"])
        let loaded = try Workspace.load(from: url, registry: registry)
        guard case .object(let value) = loaded.variables[0].value, let back = value as? Threshold,
              case .list(let elements) = loaded.variables[1].value, case .object(let nested)? = elements.first else {
            Issue.record("the threshold did not come back as an object")
            return
        }
        #expect(back == threshold)
        #expect(nested as? Threshold == threshold)

        let error = try #require(throws: WorkspaceError.self) { try Workspace.load(from: url) }
        #expect(error.kind == .unknownType)
        #expect(error.description == "\(url.path): /variables/t: 't' has type 'annotation', which this ecgs cannot read "
                + "(it reads bool, dataset, dataset_scores, list, metric_table, model, none, number, record, score_result, string, tensor, threshold); "
                + "it may come from a newer ecgs")
        let listing = try Workspace.contents(of: url)
        #expect(listing.entries.first == WorkspaceEntry(name: "t", typeName: "annotation", shape: nil,
                                                        summary: "type 'annotation' unknown to this ecgs", bytes: 0))
        #expect(listing.entries.last == WorkspaceEntry(
            name: "n", typeName: "list", shape: nil,
            summary: "holds a value of a type unknown to this ecgs at /variables/n/0", bytes: 0))
        #expect(try Workspace.contents(of: url, registry: registry).entries.first?.summary == "annotation")
        try? FileManager.default.removeItem(at: folder)
    }
}

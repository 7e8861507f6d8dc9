// Workspace refusals: damaged, foreign, newer and malformed files each give their clear error
// (libhdf5 printing nothing); invalid saves write nothing; a save killed by SIGKILL leaves
// the previous workspace intact.
import ECGKit
import Foundation
import Testing
import TestSupport
import TensorCore
@testable import Formats

@Suite("Workspace safety", .serialized)
struct WorkspaceSafetyTests {
    /// Writes an HDF5 file shaped like a workspace, then lets `adjust` break it.
    static func writeCrafted(_ url: URL, format: String? = "ecgs-workspace", formatVersion: String = "1.0",
                             variablesGroup: String = "variables", _ adjust: (HDF5Group) throws -> Void) throws {
        try HDF5File.saveAtomically(to: url) { root in
            if let format { try root.setAttribute("format", .string(format)) }
            try root.setAttribute("format_version", .string(formatVersion))
            let variables = try root.createGroup(variablesGroup)
            let x = try variables.createGroup("x")
            try x.setAttribute("type", .string("number"))
            try x.writeDataset("value", StoredArray(shape: [], elements: .float64([2])))
            try adjust(root)
        }
    }

    @Test("damaged, foreign, newer and malformed files are refused with their own message")
    func corruptCorpus() throws {
        let folder = try ScratchFolder.folder("corpus")
        let good = folder.appendingPathComponent("good.h5")
        try Workspace.save(try WorkspaceSamples.variables(), session: WorkspaceSamples.session, to: good)
        let goodBytes = try Data(contentsOf: good)
        var generator = SystemRandomNumberGenerator()

        func bytes(_ name: String, _ data: Data) throws -> URL {
            let url = folder.appendingPathComponent(name)
            try data.write(to: url)
            return url
        }
        func crafted(_ name: String, format: String? = "ecgs-workspace", version: String = "1.0",
                     variablesGroup: String = "variables", _ adjust: (HDF5Group) throws -> Void) throws -> URL {
            let url = folder.appendingPathComponent(name)
            try Self.writeCrafted(url, format: format, formatVersion: version, variablesGroup: variablesGroup, adjust)
            return url
        }
        let cases: [(URL, WorkspaceError.Kind, String)] = [
            (folder.appendingPathComponent("missing.h5"), .storage, "no readable file at this path"),
            (try bytes("empty.h5", Data()), .storage, "cannot open file: not an HDF5 file (the file is empty, 0 bytes)"),
            (try bytes("random.h5", Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) })),
             .storage, "not an HDF5 file (no HDF5 signature found; 4096 bytes)"),
            (try bytes("truncated.h5", goodBytes.prefix(goodBytes.count / 2)), .storage, "truncated"),
            (try bytes("header-only.h5", goodBytes.prefix(700)), .storage, "damaged or truncated"),
            (try crafted("foreign.h5", format: nil) { _ in }, .notWorkspace,
             "not an ecgs workspace: the file has no 'format' attribute (written by another program?)"),
            (try crafted("netcdf.h5", format: "netcdf4") { _ in }, .notWorkspace,
             "not an ecgs workspace: its 'format' attribute is 'netcdf4', expected 'ecgs-workspace'"),
            (try crafted("newer.h5", version: "2.0") { _ in }, .newerFormat,
             "written by a newer ecgs (format 2.0); this ecgs reads 1.x"),
            (try crafted("badversion.h5", version: "1") { _ in }, .malformed,
             "'format_version' is '1', expected major.minor such as '1.1'"),
            (try crafted("oldversion.h5", version: "0.9") { _ in }, .malformed,
             "format 0.9 is not a released workspace format; this ecgs reads 1.x"),
            (try crafted("novariables.h5", variablesGroup: "vars") { _ in }, .malformed, "the workspace has no '/variables' group"),
            (try crafted("unknowntype.h5") { root in
                let model = try root.openGroup("variables").createGroup("m")
                try model.setAttribute("type", .string("hologram"))
            }, .unknownType, "/variables/m: 'm' has type 'hologram', which this ecgs cannot read "
                + "(it reads bool, dataset, dataset_scores, list, metric_table, model, none, number, record, score_result, string, tensor, threshold); "
                + "it may come from a newer ecgs"),
            (try crafted("notype.h5") { root in _ = try root.openGroup("variables").createGroup("y") },
             .malformed, "/variables/y: the value group has no 'type' attribute"),
            (try crafted("nolength.h5") { root in
                try root.openGroup("variables").createGroup("l").setAttribute("type", .string("list"))
            }, .malformed, "/variables/l: a list needs a non-negative int64 attribute 'length'"),
            (try crafted("novalue.h5") { root in
                try root.openGroup("variables").createGroup("n").setAttribute("type", .string("number"))
            }, .malformed, "/variables/n/value: cannot open dataset: no such object"),
            (try crafted("textnumber.h5") { root in
                let n = try root.openGroup("variables").createGroup("n")
                try n.setAttribute("type", .string("number"))
                try n.writeString("value", "three")
            }, .malformed, "/variables/n/value: cannot read dataset: found strings (read them with readStrings)"),
            (try crafted("leadmismatch.h5") { root in
                let record = try root.openGroup("variables").createGroup("r")
                try record.setAttribute("type", .string("record"))
                try record.setAttribute("sampling_rate", .double(500))
                try record.writeDataset("signal", StoredArray(shape: [2, 3], elements: .float64([1, 2, 3, 4, 5, 6])))
                try record.writeStrings("lead_names", ["I", "II", "III"])
                try record.writeStrings("units", ["mV", "mV"])
            }, .malformed, "/variables/r: 'signal' has 2 leads but 'lead_names' has 3 and 'units' 2"),
            (try crafted("badprovenance.h5") { root in
                let record = try root.openGroup("variables").createGroup("r")
                try record.setAttribute("type", .string("record"))
                try record.setAttribute("sampling_rate", .double(500))
                try record.writeDataset("signal", StoredArray(shape: [1, 2], elements: .float32([1, 2])))
                try record.writeStrings("lead_names", ["I"])
                try record.writeStrings("units", ["mV"])
                try record.writeString("provenance", "bandpass(low=0.5)")
            }, .malformed, "/variables/r: 'provenance' is not a JSON list of"),
        ]
        var errors: [WorkspaceError] = []
        let printed = try StandardErrorCapture.capture {
            for (url, _, _) in cases {
                do {
                    _ = try Workspace.load(from: url)
                } catch let error as WorkspaceError {
                    errors.append(error)
                }
            }
        }
        // stderr is process-wide and Swift Testing reports other tests' progress there while
        // this one runs, so look for what libhdf5 itself would print rather than for silence.
        #expect(!printed.contains("HDF5-DIAG") && !printed.contains("#000"), "libhdf5 printed to stderr: \(printed)")
        try #require(errors.count == cases.count, "some damaged files loaded without error")
        for ((url, kind, phrase), error) in zip(cases, errors) {
            #expect(error.kind == kind, "\(url.lastPathComponent): \(error)")
            #expect(error.description.hasPrefix(url.path), "\(error)")
            #expect(error.description.contains(phrase), "\(url.lastPathComponent): \(error)")
        }
        // Listing checks the same header; loading only the good variable of a file whose
        // other variable is unknown works.
        for (url, kind, _) in cases.prefix(10) {
            let error = try #require(throws: WorkspaceError.self) { try Workspace.contents(of: url) }
            #expect(error.kind == kind, "\(url.lastPathComponent): \(error)")
        }
        // A damaged variable is listed as such, beside the intact one.
        let notype = try Workspace.contents(of: folder.appendingPathComponent("notype.h5")).entries
        #expect(notype.map(\.summary) == ["2", "damaged: the value group has no 'type' attribute"])
        #expect(notype.map(\.typeName) == ["number", "?"])
        let mismatch = try Workspace.contents(of: folder.appendingPathComponent("novalue.h5")).entries
        #expect(mismatch.last?.summary == "damaged: /variables/n/value: cannot open dataset: no such object")
        let partial = try Workspace.load(from: folder.appendingPathComponent("unknowntype.h5"), names: ["x"])
        #expect(partial.variables.count == 1 && bitwiseEqual(partial.variables[0].value, .number(2)))
        try? FileManager.default.removeItem(at: folder)
    }

    @Test("a newer minor version with extra attributes and datasets loads, ignoring what it adds")
    func newerMinorVersionLoads() throws {
        let folder = try ScratchFolder.folder("minor")
        let url = folder.appendingPathComponent("w.h5")
        try Self.writeCrafted(url, formatVersion: "1.7") { root in
            try root.setAttribute("workspace_uuid", .string("0b8f"))
            try root.openGroup("variables/x").writeString("note", "added in 1.7")
        }
        let loaded = try Workspace.load(from: url)
        #expect(loaded.formatVersion == WorkspaceFormatVersion(major: 1, minor: 7))
        #expect(loaded.session == SessionInfo(script: "", ecgsVersion: "", ecgsBuild: "", seed: nil, createdUTC: ""))
        #expect(loaded.variables.count == 1 && bitwiseEqual(loaded.variables[0].value, .number(2)))
        try? FileManager.default.removeItem(at: folder)
    }

    @Test("invalid names, duplicates and NUL strings are refused; the old file stays and no temporary is left")
    func invalidSavesWriteNothing() throws {
        let folder = try ScratchFolder.folder("invalid")
        let url = folder.appendingPathComponent("w.h5")
        try Workspace.save([("keep", .number(7))], session: WorkspaceSamples.session, to: url)
        let before = try Data(contentsOf: url)
        let attempts: [([(name: String, value: WorkspaceValue)], String)] = [
            ([("a/b", .number(1))], "cannot save a variable named 'a/b'"),
            ([("", .number(1))], "cannot save a variable named ''"),
            ([(".", .number(1))], "cannot save a variable named '.'"),
            ([("a", .number(1)), ("a", .none)], "the variable 'a' is given twice"),
            ([("fine", .number(1)), ("bad", .list([.string("nul\u{0}inside")]))],
             "/variables/bad/0: the string contains a NUL character"),
        ]
        for (variables, phrase) in attempts {
            let error = try #require(throws: WorkspaceError.self) {
                try Workspace.save(variables, session: WorkspaceSamples.session, to: url)
            }
            #expect(error.kind == .invalidVariable)
            #expect(error.description.hasPrefix(url.path), "\(error)")
            #expect(error.description.contains(phrase), "\(error)")
            #expect(try Data(contentsOf: url) == before)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["w.h5"])
        }
        try? FileManager.default.removeItem(at: folder)
    }

    @Test("SIGKILL in the middle of a large workspace save leaves the previous workspace intact and loadable")
    func killedSaveKeepsPreviousWorkspace() throws {
        let folder = try ScratchFolder.folder("kill")
        let url = folder.appendingPathComponent("w.h5")
        let variables = try WorkspaceSamples.variables()
        try Workspace.save(variables, session: WorkspaceSamples.session, to: url)
        let before = try Data(contentsOf: url)
        // 64 tensors of 4 MiB (one shared buffer), smooth values so deflate still writes ~half.
        let block = try Tensor(shape: [1024, 1024], scalars: (0..<(1 << 20)).map { Float(sin(Double($0) * 0.001)) })
        let large: [(name: String, value: WorkspaceValue)] = (0..<64).map { ("t\($0)", .tensor(block)) }

        let child = HDF5Library.forkHoldingLock()
        try #require(child >= 0)
        if child == 0 {
            try? Workspace.save(large, session: WorkspaceSamples.session, to: url)
            _exit(0)
        }
        let temporary = folder.appendingPathComponent(".w.h5.tmp-\(child)")
        var sawPartialWrite = false
        for _ in 0..<1200 {
            let size = (try? FileManager.default.attributesOfItem(atPath: temporary.path)[.size] as? Int) ?? 0
            if size > 8 << 20 {
                sawPartialWrite = true
                break
            }
            usleep(25_000)
        }
        kill(child, SIGKILL)
        var status: Int32 = 0
        waitpid(child, &status, 0)
        #expect(sawPartialWrite, "the child never wrote 8 MB of its temporary file")
        #expect(status & 0x7f == SIGKILL, "the child was not killed (status \(status)); it finished the save first")
        #expect(try Data(contentsOf: url) == before)
        let loaded = try Workspace.load(from: url)
        #expect(loaded.variables.count == variables.count)
        for (original, back) in zip(variables, loaded.variables) {
            #expect(bitwiseEqual(original.value, back.value), "\(original.name)")
        }
        // The dead child's temporary file is left aside, never in place of the workspace.
        #expect(FileManager.default.fileExists(atPath: temporary.path))
        try? FileManager.default.removeItem(at: folder)
    }
}

// Workspace commands run through an interpreter: the same script run twice from fresh sessions
// saves bit-identical workspaces (with a trained model and a score), save → load → save is
// byte-identical for every value type, replay rebuilds a saved session, and a corrupt file given
// to `load` leaves the session's variables untouched with a clear message.
@testable import Commands
import ECGKit
import Foundation
import Script
import Testing
import TestSupport

/// A fresh session with every command, output captured.
private func session() -> (Interpreter, CapturedOutput) {
    let output = CapturedOutput()
    return (Interpreter(registry: makeCommandRegistry(), output: output), output)
}

private func run(_ interpreter: Interpreter, _ text: String) throws {
    try interpreter.run(Source(name: "test", text: text))
}

/// Runs a fixed script through the language: data, a record, a tensor, a list, a tiny VAE made and
/// trained with `model` and `fit` from the session's random streams, its threshold, scores and metrics.
private func buildSession() throws -> Interpreter {
    let (interpreter, _) = session()
    try run(interpreter, """
        seed 21
        d = synth(4, anomalies="pvc", duration=2, seed=3)
        r = d[1] |> bandpass(0.5, 40)
        t = randn(3, 5) * 2
        notes = ["pvc", 2, true, none, [1.5]]
        m = model("vae", hidden=[8, 8], latent=4)
        m = fit(m, d, epochs=2, batch=8, lr=5e-3, val=0.25)
        th = threshold(m, d, method="p90")
        s = score(m, d[1], window=200, stride=100)
        all = score(m, d, window=200, stride=100)
        e = evaluate(all, name="tiny vae")
        """)
    return interpreter
}

@Suite("Workspace commands", .serialized)
struct WorkspaceCommandTests {
    static let names = ["d", "r", "t", "notes", "m", "th", "s", "all", "e"]

    @Test("the same script run twice from fresh sessions saves bit-identical workspaces (model, score included)")
    func sameScriptGivesIdenticalWorkspaces() throws {
        let folder = try ScratchFolder.folder("ws-twice")
        defer { try? FileManager.default.removeItem(at: folder) }
        var urls: [URL] = []
        for run in 0..<2 {
            let interpreter = try buildSession()
            let url = folder.appendingPathComponent("run\(run).h5")
            try interpreter.run(Source(name: "save", text: "save \"\(url.path)\""))
            urls.append(url)
        }
        let first = try Workspace.load(from: urls[0]), second = try Workspace.load(from: urls[1])
        #expect(first.variables.map(\.name) == Self.names)
        #expect(first.session.script == second.session.script && first.session.seed == 21)
        #expect(first.session.script.hasPrefix("seed 21\nd = synth(4, anomalies=\"pvc\", duration=2, seed=3)\n"))
        // Wall-clock training times are the only stored values allowed to differ.
        let differences = try Workspace.differences(between: urls[0], and: urls[1], names: Self.names,
                                                    ignoring: ["training_state/history/seconds"])
        #expect(differences.count == Self.names.count && differences.values.allSatisfy { $0.isEmpty }, "\(differences)")
    }

    @Test("save → load → save through the commands is byte-identical for every value type")
    func saveLoadSaveIsByteIdentical() throws {
        let folder = try ScratchFolder.folder("ws-commands-roundtrip")
        defer { try? FileManager.default.removeItem(at: folder) }
        let interpreter = try buildSession()
        let first = folder.appendingPathComponent("first.h5").path, second = folder.appendingPathComponent("second.h5").path
        try run(interpreter, "save \"\(first)\" \(Self.names.joined(separator: ", "))")
        let (fresh, output) = session()
        try run(fresh, "load \"\(first)\"")
        #expect(output.text.contains("loaded 9 variables from \(first): d, r, t, notes, m, th, s, all, e"))
        for name in Self.names {
            #expect(fresh.variables[name]?.typeName == interpreter.variables[name]?.typeName, "\(name)")
        }
        #expect(fresh.variables["d"]?.summary == interpreter.variables["d"]?.summary)
        #expect(fresh.variables["r"]?.summary == interpreter.variables["r"]?.summary)
        #expect(fresh.variables["m"]?.summary == interpreter.variables["m"]?.summary)
        try run(fresh, "equal_d = d == synth(4, anomalies=\"pvc\", duration=2, seed=3)\nequal_m = m == m")
        #expect(fresh.variables["equal_d"].map { if case .bool(true) = $0 { true } else { false } } == true)
        // Save the loaded values again with the loaded session: identical bytes.
        let loaded = try Workspace.load(from: URL(fileURLWithPath: first), registry: WorkspaceConversion.registry)
        let values = try Self.names.map { (name: $0, value: try WorkspaceConversion.workspaceValue(fresh.variables[$0] ?? .none, name: $0)) }
        try Workspace.save(values, session: loaded.session, to: URL(fileURLWithPath: second))
        #expect(try Data(contentsOf: URL(fileURLWithPath: first)) == Data(contentsOf: URL(fileURLWithPath: second)))
    }

    @Test("replay re-runs the stored script and finds every variable bit-identical; a changed value differs")
    func replayRebuildsTheSession() throws {
        let folder = try ScratchFolder.folder("ws-replay")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (interpreter, output) = session()
        let url = folder.appendingPathComponent("w.h5").path
        try run(interpreter, """
            seed 8
            d = synth(3, anomalies="st-elevation", duration=2) |> split(val=0.34)
            r = d[2] |> notch(50) |> zscore
            t = randn(4) + 1
            m = fit(model("vae", hidden=[8, 8], latent=4), d, epochs=1, batch=8)
            s = score(m, r, window=200, stride=100)
            save "\(url)"
            """)
        try run(interpreter, "ok = replay(\"\(url)\")")
        #expect(output.text.contains("d  identical\nr  identical\nt  identical\nm  identical\ns  identical\n"
                                     + "replay: 5 of 5 variables bit-identical"))
        #expect(interpreter.variables["ok"].map { if case .bool(true) = $0 { true } else { false } } == true)
        // A variable changed behind the script's back (here: rewritten by another session) differs.
        let (other, _) = session()
        try run(other, "seed 8\nd = synth(3, anomalies=\"st-elevation\", duration=2) |> split(val=0.34)\nr = d[2]\nt = randn(4)")
        let values = try ["d", "r", "t"].map { (name: $0, value: try WorkspaceConversion.workspaceValue(other.variables[$0] ?? .none, name: $0)) }
        let stored = try Workspace.load(from: URL(fileURLWithPath: url), registry: WorkspaceConversion.registry)
        let altered = folder.appendingPathComponent("altered.h5").path
        try Workspace.save(values, session: stored.session, to: URL(fileURLWithPath: altered))
        try run(interpreter, "ok = replay(\"\(altered)\")")
        #expect(output.text.contains("d  identical\nr  differs: "))
        #expect(output.text.contains("t  differs: data\nreplay: 1 of 3 variables bit-identical"))
        #expect(interpreter.variables["ok"].map { if case .bool(false) = $0 { true } else { false } } == true)
    }

    @Test("load of a corrupt, truncated, foreign or missing workspace fails clearly and keeps the session")
    func corruptFilesLeaveTheSessionUntouched() throws {
        let folder = try ScratchFolder.folder("ws-corrupt")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (interpreter, _) = session()
        let good = folder.appendingPathComponent("good.h5")
        try run(interpreter, "x = 1\nt = randn(300, 300)\nsave \"\(good.path)\"\nx = 2")
        let bytes = try Data(contentsOf: good)
        let corpus: [(String, Data?, String)] = [
            ("empty.h5", Data(), "not an HDF5 file (the file is empty, 0 bytes)"),
            ("text.h5", Data("x = 3\n".utf8), "not an HDF5 file (no HDF5 signature found; 6 bytes)"),
            ("truncated.h5", bytes.prefix(bytes.count / 2), "the HDF5 file is damaged or truncated"),
            ("missing.h5", nil, "cannot open file: no readable file at this path"),
        ]
        for (name, content, message) in corpus {
            let url = folder.appendingPathComponent(name)
            if let content { try content.write(to: url) }
            let before = interpreter.variables["x"]?.summary
            #expect(throws: ScriptFailure.self, "\(name)") {
                try run(interpreter, "load \"\(url.path)\"")
            }
            do {
                try run(interpreter, "load \"\(url.path)\"")
            } catch let failure as ScriptFailure {
                let text = failure.description
                #expect(text.contains(url.path) && text.contains(message), "\(name): \(text)")
            }
            #expect(interpreter.variables["x"]?.summary == before && before == "2", "\(name) changed x")
        }
        // An unknown name among known ones loads nothing.
        try run(interpreter, "clear t")
        #expect(throws: ScriptFailure.self) { try run(interpreter, "load \"\(good.path)\" x, nope") }
        #expect(interpreter.variables["x"]?.summary == "2" && interpreter.variables["t"] == nil)
    }
}

/// A language value of a kind that has no workspace form.
private struct Sketch: ScriptObject {
    var typeName: String { "sketch" }
    var summary: String { "sketch" }
}

@Suite("Workspace commands: values without a workspace form")
struct WorkspaceUnstorableTests {
    @Test("save of everything skips a value without a workspace form with a note; naming it is an error")
    func unstorableValues() throws {
        let folder = try ScratchFolder.folder("ws-unstorable")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (interpreter, output) = session()
        let url = folder.appendingPathComponent("w.h5").path
        try run(interpreter, "x = 1")
        interpreter.variables["s"] = .object(Sketch())
        interpreter.variables["l"] = .list([.number(2), .object(Sketch())])
        try run(interpreter, "save \"\(url)\"")
        #expect(output.text.contains("saved 1 variable to \(url); skipped, having no workspace form: s (sketch), l (sketch)"))
        #expect(try Workspace.load(from: URL(fileURLWithPath: url)).variables.map(\.name) == ["x"])
        do {
            try run(interpreter, "save \"\(url)\" x, l")
            Issue.record("saving a named sketch succeeded")
        } catch let failure as ScriptFailure {
            #expect(failure.description.contains("cannot save 'l[1]': a sketch has no workspace form"), "\(failure)")
        }
    }
}

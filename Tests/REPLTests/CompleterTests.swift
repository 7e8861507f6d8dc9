// Completer: candidates for commands, variables, fields, named arguments and file paths.
import Commands
import Foundation
import REPL
import Script
import Testing

private struct Record: ScriptObject {
    var typeName: String { "record" }
    var summary: String { "record" }
    var fieldNames: [String] { ["signal", "samplingRate", "leads"] }
    func field(named name: String) throws -> Value {
        name == "leads" ? .object(Leads()) : .number(500)
    }
}

private struct Leads: ScriptObject {
    var typeName: String { "leads" }
    var summary: String { "leads" }
    var fieldNames: [String] { ["names", "count"] }
}

private func makeCompleter() -> Completer {
    let interpreter = Interpreter(registry: makeCommandRegistry(), output: CapturedOutput())
    interpreter.variables["zq_uni"] = .number(1)
    interpreter.variables["zq_other"] = .number(2)
    interpreter.variables["rec"] = .object(Record())
    return Completer(interpreter: interpreter)
}

private func candidates(_ line: String, cursor: Int? = nil) -> [String] {
    makeCompleter().complete(line: line, cursor: cursor ?? line.utf8.count).candidates
}

@Test func completesVariablesAndCommands() {
    #expect(candidates("zq_u") == ["zq_uni"])
    #expect(candidates("x = zq_") == ["zq_other", "zq_uni"])
    #expect(candidates("who") == ["whos"])
    #expect(candidates("se") == ["seed"])
    #expect(candidates("x = sq") == ["sqrt"])
    #expect(makeCompleter().complete(line: "x = zq_", cursor: 7).commonPrefix == "zq_")
}

@Test func completesAtTheCursorNotTheLineEnd() {
    let completion = makeCompleter().complete(line: "print(zq_u) + 1", cursor: 10)
    #expect(completion.start == 6)
    #expect(completion.prefix == "zq_u")
    #expect(completion.candidates == ["zq_uni"])
}

@Test func completesFieldsAfterADot() {
    #expect(candidates("rec.") == ["leads", "samplingRate", "signal"])
    #expect(candidates("x = rec.sa") == ["samplingRate"])
    #expect(candidates("rec.leads.c") == ["count"])
    #expect(candidates("nothing.") == [])
}

@Test func completesNamedArgumentsInsideACall() {
    let names = candidates("range(1, st")
    #expect(names.contains("stop="))
    #expect(names.contains("step="))
    #expect(names.contains("str"))
    #expect(!candidates("range(1, stop=s").contains("step="))
}

@Test func helpCompletesCommandsAndTopics() {
    #expect(candidates("help lan") == ["language"])
    #expect(candidates("help wh") == ["whos"])
    #expect(candidates("clear zq_o") == ["zq_other"])
}

@Test func completesPathsInsideStringsFilteredByExtension() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-complete-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    for name in ["prep.ecgs", "notes.txt", ".hidden.ecgs"] {
        _ = FileManager.default.createFile(atPath: folder.appendingPathComponent(name).path, contents: Data())
    }
    let base = folder.path + "/"
    #expect(candidates("source \"\(base)") == [base + "prep.ecgs", base + "sub/"])
    #expect(candidates("source(\"\(base)p") == [base + "prep.ecgs"])
    #expect(candidates("print(\"\(base)") == [base + "notes.txt", base + "prep.ecgs", base + "sub/"])
    #expect(candidates("source \"\(base).h") == [base + ".hidden.ecgs"])
    let completion = makeCompleter().complete(line: "source \"\(base)pr", cursor: ("source \"\(base)pr").utf8.count)
    #expect(completion.start == 8)
    #expect(completion.commonPrefix == base + "prep.ecgs")
}

// HistoryFile: location rules, escaping of multi-line entries, append-only storage.
import Foundation
import REPL
import Testing

@Test func historyPathFollowsEnvironment() {
    #expect(HistoryFile.defaultPath(environment: ["ECGS_HISTORY": "/x/h", "XDG_STATE_HOME": "/s", "HOME": "/home/u"]) == "/x/h")
    #expect(HistoryFile.defaultPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/home/u"]) == "/s/ecgs/history")
    #expect(HistoryFile.defaultPath(environment: ["HOME": "/home/u"]) == "/home/u/.local/state/ecgs/history")
}

@Test func escapingRoundTrips() {
    for entry in ["x = 1", "f(1,\n  2)", "print(\"a\\\\nb\")", "trailing\\", "\\n literal"] {
        let escaped = HistoryFile.escape(entry)
        #expect(!escaped.contains("\n"))
        #expect(HistoryFile.unescape(escaped) == entry)
    }
}

@Test func appendsAndLoadsEntries() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-history-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = HistoryFile(path: folder.appendingPathComponent("state/history").path)
    #expect(file.load().isEmpty)
    file.append("a = 1")
    file.append("b = [1,\n2]")
    // A second writer (another session) appends to the same file without clobbering it.
    HistoryFile(path: file.path).append("c = 3")
    #expect(file.load() == ["a = 1", "b = [1,\n2]", "c = 3"])
    #expect(file.load(limit: 2) == ["b = [1,\n2]", "c = 3"])
    let text = try String(contentsOfFile: file.path, encoding: .utf8)
    #expect(text == "a = 1\nb = [1,\\n2]\nc = 3\n")
}

// Runs every golden script under Scripts/ and checks that each command has one and that
// docs/commands.md matches the registry.
import Commands
import Foundation
import Script
import Testing
import TestSupport

private let scriptsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts")

private func goldenScripts() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: scriptsFolder.path)) ?? []
    return names.filter { $0.hasSuffix(".ecgs") }.sorted()
}

@Test("golden script", arguments: goldenScripts())
func goldenScript(_ name: String) throws {
    let failures = try GoldenScript.check(scriptsFolder.appendingPathComponent(name), registry: makeCommandRegistry())
    #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
}

@Test func goldenScriptsExist() {
    #expect(goldenScripts().count >= 20)
}

@Test func everyCommandIsUsedInAGoldenScript() throws {
    var words = Set<String>()
    for name in goldenScripts() {
        let text = try String(contentsOf: scriptsFolder.appendingPathComponent(name), encoding: .utf8)
        for token in Lexer.tokenize(Source(name: name, text: text)).tokens {
            if case .identifier(let word) = token.kind { words.insert(word) }
        }
    }
    let missing = makeCommandRegistry().commands.map(\.name).filter { !words.contains($0) }
    #expect(missing.isEmpty, "commands without a golden script: \(missing)")
}

@Test func registryHasNoDuplicateNames() {
    #expect(makeCommandRegistry().duplicates.isEmpty)
}

@Test func everyCommandHasSummaryAndExample() {
    for command in makeCommandRegistry().commands {
        #expect(!command.summary.isEmpty, "\(command.name) has no summary")
        #expect(!command.example.isEmpty, "\(command.name) has no example")
    }
}

@Test func commandsMarkdownIsCurrent() throws {
    let url = TestPaths.packageRoot.appendingPathComponent("docs/commands.md")
    let committed = try String(contentsOf: url, encoding: .utf8)
    #expect(committed == makeCommandRegistry().markdown(),
            "docs/commands.md is stale: run 'swift run ecgs --commands-markdown > docs/commands.md'")
}

@Test func globMatchingInExpectations() {
    #expect(GoldenScript.globMatches("time: *", "time: 12.3 ms"))
    #expect(GoldenScript.globMatches("a*c", "abbbc"))
    #expect(!GoldenScript.globMatches("a*c", "abbb"))
    #expect(GoldenScript.globMatches("", ""))
    #expect(!GoldenScript.globMatches("x", ""))
}

// The golden-script harness: runs an .ecgs file statement by statement and checks the
// `# expect: <output line>` and `# expect error: <message fragment>` comments.
import Foundation
import Script

/// Checks golden `.ecgs` scripts, the executable specification of the language.
///
/// Rules:
/// - Each `# expect:` / `# expect error:` comment belongs to the last statement that starts
///   on or before its line (so it may trail the statement or follow it on its own lines).
/// - A statement's output lines must equal its `# expect:` lines in order; `*` in an
///   expectation matches any run of characters (for timings). Output nobody expects fails.
/// - A failing statement must have a `# expect error:` whose text is contained in the
///   error message; the script then goes on with the next statement.
/// - A script that does not parse must list each parse error, in order, as `# expect error:`.
/// - `quit` ends the script; later statements must expect nothing.
/// - The variable `tmpdir` holds a fresh temporary folder for files the script writes, and
///   `datadir` the shared reference data folder (`TestPaths.sharedData`).
public enum GoldenScript {
    private struct Expectation {
        var line: Int
        var isError: Bool
        var text: String
    }

    /// The failures of one script, as `file:line: message` lines; empty when it passes.
    public static func check(_ url: URL, registry: CommandRegistry) throws -> [String] {
        let name = url.lastPathComponent
        let text = try String(contentsOf: url, encoding: .utf8)
        let source = Source(name: name, text: text, path: url.path)
        let expectations = parseExpectations(text)
        let output = CapturedOutput()
        let interpreter = Interpreter(registry: registry, output: output)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-golden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        interpreter.variables["tmpdir"] = .string(folder.path)
        interpreter.variables["datadir"] = .string(TestPaths.sharedData.path)

        let parsed = interpreter.parse(source)
        if !parsed.diagnostics.isEmpty {
            return checkParseErrors(parsed.diagnostics, expectations, name: name)
        }
        var failures: [String] = []
        let starts = parsed.statements.map { source.location(of: $0.range.start).line }
        for expectation in expectations where expectation.line < (starts.first ?? Int.max) {
            failures.append("\(name):\(expectation.line): expectation before any statement")
        }
        var quitted = false
        for (index, statement) in parsed.statements.enumerated() {
            let nextStart = index + 1 < starts.count ? starts[index + 1] : Int.max
            let expected = expectations.filter { $0.line >= starts[index] && $0.line < nextStart }
            var actual: [(isError: Bool, text: String)] = []
            if !quitted {
                do {
                    try interpreter.execute(statement, in: source)
                } catch let failure as ScriptFailure {
                    actual.append((true, failure.diagnostics.first?.message ?? "error"))
                } catch is QuitRequest {
                    quitted = true
                } catch {
                    actual.append((true, String(describing: error)))
                }
                let printed = output.take()
                let lines = printed.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                actual.insert(contentsOf: (printed.isEmpty ? [] : lines.dropLast()).map { (false, $0) }, at: 0)
            }
            failures += compare(actual, expected, name: name, statementLine: starts[index])
        }
        return failures
    }

    private static func compare(_ actual: [(isError: Bool, text: String)], _ expected: [Expectation],
                                name: String, statementLine: Int) -> [String] {
        var failures: [String] = []
        for position in 0..<max(actual.count, expected.count) {
            let got = position < actual.count ? actual[position] : nil
            let want = position < expected.count ? expected[position] : nil
            let line = want?.line ?? statementLine
            switch (got, want) {
            case let (got?, want?) where got.isError && want.isError:
                if !got.text.contains(want.text) {
                    failures.append("\(name):\(line): expected an error containing '\(want.text)', got '\(got.text)'")
                }
            case let (got?, want?) where !got.isError && !want.isError:
                if !globMatches(want.text, got.text) {
                    failures.append("\(name):\(line): expected output '\(want.text)', got '\(got.text)'")
                }
            case let (got?, want?):
                failures.append("\(name):\(line): expected \(want.isError ? "error" : "output") '\(want.text)', "
                                + "got \(got.isError ? "error" : "output") '\(got.text)'")
            case let (got?, nil):
                failures.append("\(name):\(line): unexpected \(got.isError ? "error" : "output") '\(got.text)'")
            case let (nil, want?):
                failures.append("\(name):\(line): missing \(want.isError ? "error" : "output") '\(want.text)'")
            case (nil, nil):
                break
            }
        }
        return failures
    }

    private static func checkParseErrors(_ diagnostics: [Diagnostic], _ expectations: [Expectation],
                                         name: String) -> [String] {
        var failures: [String] = []
        let errors = expectations.filter(\.isError)
        if expectations.contains(where: { !$0.isError }) {
            failures.append("\(name): the script does not parse, but expects output")
        }
        for position in 0..<max(diagnostics.count, errors.count) {
            let got = position < diagnostics.count ? diagnostics[position] : nil
            let want = position < errors.count ? errors[position] : nil
            let where_ = got?.location ?? name
            switch (got, want) {
            case let (got?, want?):
                if !got.message.contains(want.text) {
                    failures.append("\(where_): expected a parse error containing '\(want.text)', got '\(got.message)'")
                }
            case let (got?, nil): failures.append("\(where_): unexpected parse error '\(got.message)'")
            case let (nil, want?): failures.append("\(name):\(want.line): missing parse error '\(want.text)'")
            case (nil, nil): break
            }
        }
        return failures
    }

    /// `# expect: text` and `# expect error: text` comments with their line numbers.
    private static func parseExpectations(_ text: String) -> [Expectation] {
        var result: [Expectation] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            for (marker, isError) in [("# expect error:", true), ("# expect:", false)] {
                guard let range = line.range(of: marker) else { continue }
                var rest = line[range.upperBound...]
                if rest.hasPrefix(" ") { rest = rest.dropFirst() }
                result.append(Expectation(line: index + 1, isError: isError, text: String(rest)))
                break
            }
        }
        return result
    }

    /// Whole-string match where `*` in the pattern matches any run of characters.
    public static func globMatches(_ pattern: String, _ text: String) -> Bool {
        let pattern = Array(pattern), text = Array(text)
        var matches = [Bool](repeating: false, count: text.count + 1)
        matches[0] = true
        for character in pattern {
            var next = [Bool](repeating: false, count: text.count + 1)
            if character == "*" {
                var any = false
                for position in 0...text.count {
                    any = any || matches[position]
                    next[position] = any
                }
            } else {
                for position in 0..<text.count where matches[position] && text[position] == character {
                    next[position + 1] = true
                }
            }
            matches = next
        }
        return matches[text.count]
    }
}

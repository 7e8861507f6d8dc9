// The ecgs executable end to end: piped input, scripts, -c, options and exit statuses.
import Foundation
import Testing

private func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-exec-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

@Test func pipedInputPrintsPlainResults() throws {
    let result = try runECGS([], input: "x = 1 + 2\nx * 4\n")
    #expect(result.status == 0)
    #expect(result.standardOutput == "12\n")
    #expect(result.standardError == "")
    #expect(!result.standardOutput.contains("\u{1B}"), "no escape codes when stdin is not a terminal")
}

@Test func scriptErrorShowsFileLineColumnAndCaret() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try "a = 1\nb = 2\nc = b +* 2\nprint(\"not reached\")\n".write(to: folder.appendingPathComponent("NAME.ecgs"), atomically: true, encoding: .utf8)
    for arguments in [["NAME.ecgs"], ["run", "NAME.ecgs"]] {
        let result = try runECGS(arguments, in: folder)
        #expect(result.status == 65)
        #expect(result.standardOutput == "")
        #expect(result.standardError == """
            NAME.ecgs:3:8: error: expected an expression, found '*'
            c = b +* 2
                   ^

            """)
    }
}

@Test func runtimeErrorStopsTheScriptAtTheFirstError() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try "print(\"one\")\nzq_uni = 1\nx = zq_unii * 2\nprint(\"two\")\n"
        .write(to: folder.appendingPathComponent("run.ecgs"), atomically: true, encoding: .utf8)
    let result = try runECGS(["run", "run.ecgs"], in: folder)
    #expect(result.status == 65)
    #expect(result.standardOutput == "one\n")
    #expect(result.standardError.hasPrefix("run.ecgs:3:5: error: undefined name 'zq_unii'; did you mean 'zq_uni'?\n"))
}

@Test func seedOptionSetsTheSessionSeed() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try "seed\n".write(to: folder.appendingPathComponent("s.ecgs"), atomically: true, encoding: .utf8)
    #expect(try runECGS(["run", "s.ecgs", "--seed", "9"], in: folder).standardOutput == "9\n")
    #expect(try runECGS(["s.ecgs", "--seed", "11"], in: folder).standardOutput == "11\n")
    #expect(try runECGS(["s.ecgs"], in: folder).standardOutput == "42\n")
    #expect(try runECGS(["--seed", "5", "-c", "seed"]).standardOutput == "5\n")
}

@Test func commandLineSnippets() throws {
    let ok = try runECGS(["-c", "a = [1, 2, 3]; sum(a) |> sqrt"])
    #expect(ok.status == 0)
    #expect(ok.standardOutput == "2.44949\n")
    let bad = try runECGS(["-c", "zq_uni = 1; zq_unii"])
    #expect(bad.status == 65)
    #expect(bad.standardError.contains("-c:1:13: error: undefined name 'zq_unii'; did you mean 'zq_uni'?"))
    #expect(try runECGS(["-c", "quit 3"]).status == 3)
}

@Test func pipedInputStopsAtTheFirstError() throws {
    let result = try runECGS([], input: "a = 1\nb = zz\nprint(\"not reached\")\n")
    #expect(result.status == 65)
    #expect(result.standardOutput == "")
    #expect(result.standardError.hasPrefix("<stdin>:2:5: error: undefined name 'zz'"))
    let unfinished = try runECGS([], input: "x = [1,\n")
    #expect(unfinished.status == 65)
    #expect(unfinished.standardError.contains("expected an expression, found end of input"))
}

@Test func usageErrorsAndVersion() throws {
    let version = try runECGS(["--version"])
    #expect(version.status == 0)
    #expect(version.standardOutput == "ecgs 0.1.0\n")
    #expect(try runECGS(["--no-such-option"]).status == 64)
    let missing = try runECGS(["no-such-script.ecgs"])
    #expect(missing.status == 64)
    #expect(missing.standardError.contains("cannot read 'no-such-script.ecgs'"))
    let help = try runECGS(["--help"])
    #expect(help.status == 0)
    #expect(help.standardOutput.contains("USAGE: ecgs"))
}

@Test func ctrlCStopsAScriptWithStatus130() throws {
    guard let binary = ecgsBinary() else { throw MissingBinary() }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = ["-c", "print(\"started\"); sleep 60; print(\"not reached\")"]
    let outputPipe = Pipe(), errorPipe = Pipe()
    process.standardOutput = outputPipe
    process.standardError = errorPipe
    try process.run()
    // Wait for the first statement, then press Ctrl-C (SIGINT) during the sleep.
    let started = outputPipe.fileHandleForReading.availableData
    #expect(String(decoding: started, as: UTF8.self) == "started\n")
    Thread.sleep(forTimeInterval: 0.2)
    process.interrupt()
    process.waitUntilExit()
    #expect(process.terminationStatus == 130)
    #expect(String(decoding: errorPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "ecgs: interrupted\n")
    #expect(outputPipe.fileHandleForReading.readDataToEndOfFile().isEmpty)
}

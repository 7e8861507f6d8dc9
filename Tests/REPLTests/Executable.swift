// Finding and running the built `ecgs` binary from tests.
import Foundation
import TestSupport

/// The built `ecgs`: `$ECGS_BINARY`, else beside the test bundle, else `.build/debug/ecgs`.
func ecgsBinary() -> String? {
    var candidates: [String] = []
    if let explicit = ProcessInfo.processInfo.environment["ECGS_BINARY"] { candidates.append(explicit) }
    let bundleFolder = Bundle.main.bundleURL.deletingLastPathComponent()
    candidates.append(bundleFolder.appendingPathComponent("ecgs").path)
    candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ecgs").path)
    candidates.append(TestPaths.packageRoot.appendingPathComponent(".build/debug/ecgs").path)
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// What a finished process left behind.
struct ProcessResult {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

/// Runs `ecgs` with arguments and piped standard input; waits for it to finish.
func runECGS(_ arguments: [String], input: String = "", environment extra: [String: String] = [:],
             in directory: URL? = nil) throws -> ProcessResult {
    guard let binary = ecgsBinary() else { throw MissingBinary() }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["ECGS_HISTORY"] = "/dev/null"
    for (key, value) in extra { environment[key] = value }
    process.environment = environment
    if let directory { process.currentDirectoryURL = directory }
    let inputPipe = Pipe(), outputPipe = Pipe(), errorPipe = Pipe()
    process.standardInput = inputPipe
    process.standardOutput = outputPipe
    process.standardError = errorPipe
    try process.run()
    inputPipe.fileHandleForWriting.write(Data(input.utf8))
    try inputPipe.fileHandleForWriting.close()
    // Read both pipes before waiting so a full pipe cannot block the child.
    let group = DispatchGroup()
    nonisolated(unsafe) var errorData = Data()
    group.enter()
    DispatchQueue.global().async {
        errorData = errorPipe.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outputData = outputPipe.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus,
                         standardOutput: String(decoding: outputData, as: UTF8.self),
                         standardError: String(decoding: errorData, as: UTF8.self))
}

struct MissingBinary: Error, CustomStringConvertible {
    var description: String { "the ecgs binary is not built: run 'swift build' first (or set ECGS_BINARY)" }
}

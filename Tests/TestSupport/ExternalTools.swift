// Test helpers for work outside the process: per-process scratch folders, running the
// external reference clients (python3 with h5py/torch/wfdb, h5dump), and capturing stderr.
import Foundation

/// Scratch space under `<tmp>/ecgs-tests/<pid>`; folders of earlier test processes that are
/// gone are removed the first time it is used.
public enum ScratchFolder {
    public static let processFolder: URL = {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-tests")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? [] {
            if let pid = Int32(name), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH {
                try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))
            }
        }
        return parent.appendingPathComponent(String(getpid()))
    }()

    /// A fresh empty folder in this process's scratch space.
    public static func folder(_ label: String) throws -> URL {
        let url = processFolder.appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Real clients that check our files from outside: python3 (h5py, torch, wfdb) and h5dump.
public enum ReferenceClients {
    /// Runs `executable` with `arguments` through /usr/bin/env; returns exit status, stdout and stderr.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String]) throws
        -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus,
                String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }

    /// Whether `python3 -c 'import <module>'` works, installing it with pip once if not.
    public static func pythonHas(_ module: String) -> Bool {
        if (try? run("python3", ["-c", "import \(module)"]).status) == 0 { return true }
        _ = try? run("python3", ["-m", "pip", "install", "--quiet", module])
        return (try? run("python3", ["-c", "import \(module)"]).status) == 0
    }

    public static let hasH5py = pythonHas("h5py")
    public static let hasWFDB = hasH5py && pythonHas("wfdb")
    /// torch is large: it is used when present, never installed by the tests.
    public static let hasTorch = (try? run("python3", ["-c", "import torch"]).status) == 0
    public static let hasH5dump = (try? run("h5dump", ["--version"]).status) == 0
}

/// Captures what is written to file descriptor 2. stderr is process-wide: Swift Testing's own
/// progress lines from tests running in parallel may land there too, so callers should look
/// for specific text rather than expect silence.
public enum StandardErrorCapture {
    /// Runs `body` with file descriptor 2 redirected to a file; returns what was written.
    public static func capture(_ body: () throws -> Void) throws -> String {
        let url = try ScratchFolder.folder("stderr").appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let saved = dup(2)
        let sink = open(url.path, O_WRONLY)
        dup2(sink, 2)
        defer {
            dup2(saved, 2)
            close(saved)
            close(sink)
        }
        try body()
        fsync(2)
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }
}

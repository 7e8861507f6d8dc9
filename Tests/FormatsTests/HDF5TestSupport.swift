// Helpers shared by the HDF5 and PyTorch tests: scratch folders, running external
// reference clients (python3 with h5py/torch, h5dump), and capturing stderr.
import Foundation
import Testing

enum ScratchFolder {
    /// `<tmp>/ecgs-formats-tests/<pid>`: this process's scratch space. Folders left by earlier
    /// test processes that no longer run are removed the first time it is used.
    static let processFolder: URL = {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-formats-tests")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? [] {
            if let pid = Int32(name), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH {
                try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))
            }
        }
        return parent.appendingPathComponent(String(getpid()))
    }()

    /// A fresh empty folder in this process's scratch space.
    static func folder(_ label: String) throws -> URL {
        let url = processFolder.appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

enum ReferenceClients {
    /// Runs `executable` with `arguments`; returns exit status, stdout and stderr.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
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
    static func pythonHas(_ module: String) -> Bool {
        if (try? run("python3", ["-c", "import \(module)"]).status) == 0 { return true }
        _ = try? run("python3", ["-m", "pip", "install", "--quiet", module])
        return (try? run("python3", ["-c", "import \(module)"]).status) == 0
    }

    static let hasH5py = pythonHas("h5py")
    static let hasTorch = (try? run("python3", ["-c", "import torch"]).status) == 0
    static let hasH5dump = (try? run("h5dump", ["--version"]).status) == 0
}

enum StandardErrorCapture {
    /// Runs `body` with file descriptor 2 redirected to a file; returns what was written.
    static func capture(_ body: () throws -> Void) throws -> String {
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

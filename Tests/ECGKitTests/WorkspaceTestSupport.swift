// Helpers for the workspace tests: scratch folders, sample values of every kind, bitwise
// comparison of values, and running the external reference clients (python3/h5py, h5dump).
import ECGKit
import Foundation
import TensorCore

enum WorkspaceScratch {
    /// `<tmp>/ecgs-workspace-tests/<pid>`; folders of earlier test processes that are gone are removed.
    static let processFolder: URL = {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-workspace-tests")
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

enum WorkspaceSamples {
    static let session = SessionInfo(script: "seed 42\nx = 3.5\nr = synth(seed=1) -- ü\n", ecgsVersion: "0.1.0",
                                     ecgsBuild: "ecgs 0.1.0 (test build)", seed: 42,
                                     createdUTC: "2026-11-25T17:00:00Z")

    /// A 3-lead record whose samples include signed zero, a subnormal, huge and irrational values.
    static let record: Record = {
        let sampleCount = 700
        var samples = (0..<(3 * sampleCount)).map { (index: Int) -> Double in
            let wave: Double = sin(Double(index) * 0.037) * 1.7
            return wave + Double(index % 5) / 3
        }
        samples[0] = -0.0
        samples[1] = .leastNonzeroMagnitude
        samples[2] = 1.0e308
        samples[3] = -.pi
        return Record(name: "A0001", samplingRate: 257.5, leadNames: ["I", "aVR", "V6 ü"],
                      units: ["mV", "mV", "uV"], samples: samples, sampleCount: sampleCount,
                      source: "/data/wfdb/A0001.hea", sourceFormat: "wfdb/16",
                      comments: ["Age: 74", "Sex: Male", "Dx: 59118001,164884008"],
                      provenance: [ProcessingStep("bandpass", [.init("low", "0.5"), .init("high", "40"),
                                                                .init("order", "4")]),
                                   ProcessingStep("notch", [.init("f0", "50"), .init("q", "30")]),
                                   ProcessingStep("zscore")])
    }()

    /// Deterministic float32 values that are not all representable in fewer bits.
    static func tensor(_ shape: [Int], seed: Int) throws -> Tensor {
        let count = shape.reduce(1, *)
        return try Tensor(shape: shape, scalars: (0..<count).map { Float(sin(Double($0 * 7 + seed)) * 3) + 1e-7 * Float($0 % 13) })
    }

    /// One variable of every implemented kind, including nesting, empties and edge numbers.
    static func variables() throws -> [(name: String, value: WorkspaceValue)] {
        [
            ("x", .number(3.5)),
            ("negative_zero", .number(-0.0)),
            ("not_a_number", .number(.nan)),
            ("huge", .number(-1.7976931348623157e308)),
            ("greeting", .string("Grüße, ECG ❤️\nsecond line")),
            ("empty_text", .string("")),
            ("flag", .bool(true)),
            ("off", .bool(false)),
            ("nothing", .none),
            ("items", .list([.number(1), .string("two"), .list([.bool(false), .none, .list([])]),
                             .tensor(try tensor([2, 3], seed: 9))])),
            ("empty_list", .list([])),
            ("scalar_tensor", .tensor(Tensor(Float(2.25)))),
            ("vector", .tensor(try tensor([5], seed: 1))),
            ("windows", .tensor(try tensor([40, 3, 250], seed: 2))),
            ("empty_tensor", .tensor(try Tensor(shape: [0, 3], scalars: []))),
            ("record", .record(record)),
            ("records", .list([.record(record), .record(record.selectingLeads([2]))])),
        ]
    }
}

/// Whether two values are equal bit for bit (NaN equals NaN with the same payload).
func bitwiseEqual(_ a: WorkspaceValue, _ b: WorkspaceValue) -> Bool {
    switch (a, b) {
    case (.number(let x), .number(let y)): x.bitPattern == y.bitPattern
    case (.string(let x), .string(let y)): x == y
    case (.bool(let x), .bool(let y)): x == y
    case (.none, .none): true
    case (.list(let x), .list(let y)): x.count == y.count && zip(x, y).allSatisfy { bitwiseEqual($0, $1) }
    case (.tensor(let x), .tensor(let y)):
        x.shape == y.shape && x.scalars.map(\.bitPattern) == y.scalars.map(\.bitPattern)
    case (.record(let x), .record(let y)):
        x.samples.map(\.bitPattern) == y.samples.map(\.bitPattern) && x.sampleCount == y.sampleCount
            && x.name == y.name && x.samplingRate.bitPattern == y.samplingRate.bitPattern && x.leadNames == y.leadNames
            && x.units == y.units && x.source == y.source && x.sourceFormat == y.sourceFormat
            && x.comments == y.comments && x.provenance == y.provenance
    default: false
    }
}

enum WorkspaceClients {
    /// Runs `executable` with `arguments` through /usr/bin/env; returns exit status, stdout and stderr.
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

    /// Whether `python3 -c 'import h5py'` works, installing it with pip once if not.
    static let hasH5py: Bool = {
        if (try? run("python3", ["-c", "import h5py, numpy"]).status) == 0 { return true }
        _ = try? run("python3", ["-m", "pip", "install", "--quiet", "h5py"])
        return (try? run("python3", ["-c", "import h5py, numpy"]).status) == 0
    }()

    /// Whether python3 also has wfdb (wfdb-python), installing it with pip once if not.
    static let hasWFDB: Bool = {
        guard hasH5py else { return false }
        if (try? run("python3", ["-c", "import wfdb"]).status) == 0 { return true }
        _ = try? run("python3", ["-m", "pip", "install", "--quiet", "wfdb"])
        return (try? run("python3", ["-c", "import wfdb"]).status) == 0
    }()

    static let hasH5dump = (try? run("h5dump", ["--version"]).status) == 0
}

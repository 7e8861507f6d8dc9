// Compares reads with the text written by the original C WFDB tools (`rdsamp`, WFDB 10.5) in
// shared/data/wfdb/target-output (digital exact; physical within 1e-8, the files' 8-decimal rounding).
import Foundation
import Testing
import TestSupport
@testable import Formats

/// One rdsamp target file and the read that reproduces it.
struct WFDBTargetCase: Sendable, CustomStringConvertible {
    var file: String
    var record: String
    var from: Int
    /// nil = to the end (minus the largest skew, which rdsamp omits).
    var to: Int?
    var channels: [Int]?
    var physical: Bool
    /// rdsamp -H: one row per sample of the fastest signal in the frame.
    var highResolution = false
    /// The invalid value the target file uses in place of WFDB's -32768, if it was replaced.
    var invalidReplacement: Int32?
    var description: String { file }
}

/// The rdsamp commands are those listed in shared/data/README.md (from wfdb-python's test docstrings).
let wfdbTargetCases: [WFDBTargetCase] = [
    WFDBTargetCase(file: "record-1a", record: "test01_00s", from: 0, to: nil, channels: nil, physical: false),
    WFDBTargetCase(file: "record-1b", record: "a103l", from: 12500, to: 40000, channels: [2, 0], physical: true),
    WFDBTargetCase(file: "record-1c", record: "a103l", from: 20000, to: nil, channels: [0, 1], physical: false),
    WFDBTargetCase(file: "record-1d", record: "3000003_0003", from: 125, to: 1000, channels: [1], physical: true),
    WFDBTargetCase(file: "record-1f.gz", record: "binformats", from: 0, to: nil, channels: nil, physical: false),
    WFDBTargetCase(file: "record-flac.gz", record: "flacformats", from: 0, to: nil, channels: nil, physical: false),
    WFDBTargetCase(file: "record-2b", record: "100", from: 1, to: 10800, channels: [1], physical: false),
    WFDBTargetCase(file: "record-2c", record: "100_3chan", from: 0, to: nil, channels: nil, physical: true),
    WFDBTargetCase(file: "record-2d", record: "310derive", from: 2, to: nil, channels: nil, physical: false),
    WFDBTargetCase(file: "record-2e", record: "311derive", from: 1, to: 978, channels: nil, physical: true),
    WFDBTargetCase(file: "record-3b", record: "s0010_re", from: 5000, to: 38000, channels: [13, 0, 4, 8, 3], physical: true),
    WFDBTargetCase(file: "record-4a", record: "test01_00s_skewframe", from: 0, to: nil, channels: nil, physical: false),
    WFDBTargetCase(file: "record-4b", record: "03700181", from: 0, to: nil, channels: nil, physical: false),
    WFDBTargetCase(file: "record-4c", record: "03700181", from: 1000, to: 16000, channels: [0, 2], physical: true),
    WFDBTargetCase(file: "record-4d", record: "test01_00s_skewframe", from: 0, to: nil, channels: nil, physical: true,
               highResolution: true),
    WFDBTargetCase(file: "record-multi-fixed-c", record: "multi-segment/fixed1/v102s", from: 70000, to: 80000,
               channels: [1, 0, 3], physical: true),
    WFDBTargetCase(file: "record-multi-fixed-d.gz", record: "multi-segment/041s/041s", from: 0, to: nil,
               channels: [3, 2, 1], physical: false, highResolution: true, invalidReplacement: -2048),
    WFDBTargetCase(file: "record-multi-variable-d", record: "multi-segment/p000878/p000878-2137-10-26-16-57",
               from: 3550, to: 7500, channels: [0, 1], physical: false, invalidReplacement: -128),
]

/// The rows of a target file as Doubles (`-` marks an invalid sample in physical output).
func wfdbTargetRows(_ file: String) throws -> [[Double]] {
    let url = TestPaths.shared("wfdb/target-output/" + file)
    let text: String
    if file.hasSuffix(".gz") {
        // Foundation on Linux has no gzip decoder; the system gzip is used (no Python, no network).
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
        process.arguments = ["-dc", url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        text = String(decoding: data, as: UTF8.self)
    } else {
        text = try String(contentsOf: url, encoding: .utf8)
    }
    return text.split(separator: "\n").map { line in
        line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { Double($0) ?? .nan }
    }
}

@Suite("WFDB records against C WFDB rdsamp output")
struct WFDBTargetOutputTests {
    @Test(arguments: wfdbTargetCases)
    func matchesRdsamp(_ target: WFDBTargetCase) throws {
        let path = TestPaths.shared("wfdb/sample-data/" + target.record).path
        var to = target.to
        if to == nil {
            // rdsamp stops before the frames that skew pushes past the end of the record.
            let header = try WFDBRecord.read(path, from: 0, to: 0)
            let skew = header.header.isMultiSegment ? 0 : (header.header.signals.map(\.skew).max() ?? 0)
            to = header.totalSampleCount - skew
        }
        let record = try WFDBRecord.read(path, from: target.from, to: to, channels: target.channels,
                                         expanded: target.highResolution)
        var actual: [[Double]]
        if target.highResolution {
            let samplesPerFrame = record.signals.map(\.samplesPerFrame)
            let rowsPerFrame = samplesPerFrame.max() ?? 1
            let values: [[Double]] = target.physical
                ? try #require(record.expandedPhysical)
                : try #require(record.expandedDigital).map { $0.map(Double.init) }
            actual = []
            for frame in 0..<record.sampleCount {
                for row in 0..<rowsPerFrame {
                    actual.append(values.indices.map { c in
                        values[c][frame * samplesPerFrame[c] + row * samplesPerFrame[c] / rowsPerFrame]
                    })
                }
            }
        } else {
            let channels: [[Double]] = target.physical ? record.physical : record.digital.map { $0.map(Double.init) }
            actual = (0..<record.sampleCount).map { t in channels.map { $0[t] } }
        }
        if let replacement = target.invalidReplacement {
            let invalid = record.signals.map { Double(WFDBSignalFormat.invalidSample(format: $0.format) ?? Int32(Int16.min)) }
            actual = actual.map { row in row.indices.map { row[$0] == invalid[$0] || row[$0] == -32768 ? Double(replacement) : row[$0] } }
        }
        let expected = try wfdbTargetRows(target.file)
        #expect(actual.count == expected.count)
        let tolerance = target.physical ? 1e-8 : 0
        let mismatch = firstMismatch(actual.joined(), expected.joined(), rtol: 0, atol: tolerance)
        #expect(mismatch == nil, "\(target.file): \(mismatch.map(String.init(describing:)) ?? "")")
    }
}

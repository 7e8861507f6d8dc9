// WFDBRecord.readRows (the direct [C, T] decode behind record loading) against WFDBRecord.read on
// every format, skew, multi-rate and multi-segment sample record, and against wfdb-python's arrays.
import Foundation
import Testing
import TestSupport
@testable import Formats

@Suite("WFDB rows read")
struct WFDBSignalRowsTests {
    /// Same bits, NaN where NaN.
    func identical(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
    }

    @Test("rows equal read().physical bit for bit, in any channel order", arguments: [
        "s0010_re", "100", "100_3chan", "binformats", "3000003_0003", "310derive", "311derive", "test01_00s",
        "test01_00s_skewframe", "03700181", "p10143", "a103l", "flacformats", "multi-segment/fixed1/v102s",
        "multi-segment/041s/041s",
    ])
    func matchesRead(_ name: String) throws {
        let path = TestPaths.shared("wfdb/sample-data/" + name).path
        let header = try WFDBHeader.read(contentsOf: path + ".hea")
        let full = try WFDBRecord.read(path)
        let rows = try WFDBRecord.readRows(header: header, headerPath: path + ".hea")
        #expect(rows.sampleCount == full.sampleCount)
        #expect(rows.signals == full.signals)
        #expect(rows.warnings == full.warnings)
        #expect(identical(rows.values, full.physical.flatMap { $0 }), "\(name)")
        let reversed = Array(full.signals.indices.reversed())
        let reordered = try WFDBRecord.readRows(header: header, headerPath: path + ".hea", channels: reversed + [reversed[0]])
        #expect(identical(reordered.values, (reversed + [reversed[0]]).flatMap { full.physical[$0] }), "\(name) reversed")
    }

    /// The manifest's arrays hold the first frames (`shape[0]`) of the first signals (`shape[1]`) of a full read.
    @Test("rows match wfdb-python's p_signal")
    func matchesWFDBPython() throws {
        let expected = WFDBExpectedRecord.all().filter { $0.sampleFrom == nil && $0.sampleTo == nil && $0.expanded.isEmpty }
        #expect(expected.count >= 10)
        for entry in expected {
            let path = TestPaths.shared(entry.record).path
            guard FileManager.default.fileExists(atPath: path + ".hea") else { continue }
            let header = try WFDBHeader.read(contentsOf: path + ".hea")
            let rows = try WFDBRecord.readRows(header: header, headerPath: path + ".hea")
            let frames = entry.shape[0]
            let channels = (0..<entry.shape[1]).map { Array(rows.values[($0 * rows.sampleCount)..<($0 * rows.sampleCount + frames)]) }
            let reference = try NPY.read(contentsOf: TestPaths.shared(entry.physical).path)
            let mismatch = firstMismatch(wfdbTimeMajor(channels), reference.doubles(), rtol: 0, atol: 1e-6)
            #expect(mismatch == nil, "\(entry.record): \(mismatch.map(String.init(describing:)) ?? "")")
        }
    }

    @Test("checksum mismatches and missing files are reported as read reports them")
    func warningsAndErrors() throws {
        let folder = try wfdbTemporaryFolder("rows")
        let source = TestPaths.shared("ecg12/cpsc2018/A0001")
        let text = try String(contentsOf: source.appendingPathExtension("hea"), encoding: .utf8)
        try text.replacingOccurrences(of: "16+24 1000/mV 16 0 7 2029 0 II", with: "16+24 1000/mV 16 0 7 2030 0 II")
            .write(toFile: folder + "/A0001.hea", atomically: true, encoding: .utf8)
        let header = try WFDBHeader.read(contentsOf: folder + "/A0001.hea")
        let error = #expect(throws: WFDBError.self) { try WFDBRecord.readRows(header: header, headerPath: folder + "/A0001.hea") }
        #expect(error?.description == "\(folder)/A0001.mat: signal file not found")
        try FileManager.default.copyItem(atPath: source.path + ".mat", toPath: folder + "/A0001.mat")
        let rows = try WFDBRecord.readRows(header: header, headerPath: folder + "/A0001.hea", channels: [1, 0])
        #expect(rows.warnings == [WFDBWarning(signalName: "II", message: "checksum mismatch in A0001.mat: header says 2030, samples sum to 2029")])
        #expect(rows.values.count == 2 * 7500)
    }

    @Test("the lane conversion equals physicalValue per sample, invalid sentinels as NaN, any tail length")
    func laneConversion() {
        let invalid = WFDBSignalFormat.invalidSample(format: 16)
        let digital: [Int32] = (0..<33).map { (index: Int) -> Int32 in
            let value = Int32(index * 977 % 4001) - 2000
            return index % 7 == 3 ? -32768 : value
        }
        for (stride, count) in [(3, 10), (3, 8), (1, 31), (3, 3)] {
            var target = [Double](repeating: 0, count: count)
            let sum = digital.withUnsafeBufferPointer { digital in
                target.withUnsafeMutableBufferPointer { target in
                    WFDBSingleSegmentReader.convert(digital.baseAddress! + 1, stride: stride, count: count, into: target.baseAddress!,
                                                    baseline: -12, gain: 204.8, invalid: invalid)
                }
            }
            let samples = (0..<count).map { digital[1 + $0 * stride] }
            #expect(sum == samples.reduce(0) { $0 + Int64($1) })
            for (value, sample) in zip(target, samples) {
                let expected = WFDBRecord.physicalValue(sample, baseline: -12, gain: 204.8, invalid: invalid)
                #expect(value.bitPattern == expected.bitPattern || (value.isNaN && expected.isNaN && sample == -32768))
            }
            #expect(target.filter(\.isNaN).count == samples.filter { $0 == -32768 }.count)
        }
    }
}

// Checks the format-16 writer against files written by wfdb-python's `wrsamp` (byte-identical
// header and signal file) and that a written record reads back to the same digital values.
import Foundation
import Testing
import TestSupport
@testable import Formats

/// A fresh temporary folder for one test.
func wfdbTemporaryFolder(_ label: String) throws -> String {
    let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("ecgs-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Suite("WFDB writer against wfdb-python wrsamp")
struct WFDBWriterTests {
    struct Input {
        var physical: [[Double]]
        var names: [String]
        var units: [String]
        var gains: [Double]
        var baselines: [Int]
        var comments: [String]
    }

    func input() throws -> Input {
        let data = try Data(contentsOf: TestPaths.fixtures().appendingPathComponent("wfdb/wrsamp.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rows = try #require(root["p_signal"] as? [[Any]])
        let names = try #require(root["sig_name"] as? [String])
        let fixed = try #require(root["fixed"] as? [String: Any])
        let physical = names.indices.map { c in rows.map { ($0[c] as? Double) ?? .nan } }
        return Input(physical: physical, names: names, units: try #require(root["units"] as? [String]),
                     gains: try #require(fixed["adc_gain"] as? [Double]), baselines: try #require(fixed["baseline"] as? [Int]),
                     comments: try #require(fixed["comments"] as? [String]))
    }

    func expectSameFiles(_ name: String, in folder: String) throws {
        let fixtures = TestPaths.fixtures().appendingPathComponent("wfdb")
        for ext in ["hea", "dat"] {
            let ours = try Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent("\(name).\(ext)"))
            let theirs = try Data(contentsOf: fixtures.appendingPathComponent("\(name).\(ext)"))
            #expect(ours == theirs, "\(name).\(ext) differs:\n\(String(decoding: ours, as: UTF8.self))")
        }
    }

    @Test("gains and baselines chosen like wrsamp: identical .hea and .dat")
    func automaticCalibration() throws {
        let input = try input()
        let folder = try wfdbTemporaryFolder("wrsamp-auto")
        try WFDBWriter.write(recordName: "wrsamp_auto", directory: folder, physical: input.physical,
                             samplingFrequency: 500, signalNames: input.names, units: input.units)
        try expectSameFiles("wrsamp_auto", in: folder)
    }

    @Test("given gains, baselines and comments: identical .hea and .dat")
    func givenCalibration() throws {
        let input = try input()
        let folder = try wfdbTemporaryFolder("wrsamp-fixed")
        try WFDBWriter.write(recordName: "wrsamp_fixed", directory: folder, physical: input.physical,
                             samplingFrequency: 500, signalNames: input.names, units: input.units,
                             gains: input.gains, baselines: input.baselines, comments: input.comments)
        try expectSameFiles("wrsamp_fixed", in: folder)
    }

    @Test("write then read back: identical digital values, verified checksums, NaN kept")
    func roundTrip() throws {
        let source = try WFDBRecord.read(TestPaths.shared("ecg12/cpsc2018/A0002").path)
        let folder = try wfdbTemporaryFolder("roundtrip")
        try WFDBWriter.writeDigital(recordName: "copy", directory: folder, digital: source.digital,
                                    samplingFrequency: source.samplingFrequency, signalNames: source.signalNames,
                                    units: source.units, gains: source.gains, baselines: source.baselines,
                                    comments: source.comments)
        let copy = try WFDBRecord.read((folder as NSString).appendingPathComponent("copy"))
        #expect(copy.digital == source.digital)
        #expect(copy.comments == source.comments)
        #expect(copy.signalNames == source.signalNames)
        #expect(copy.warnings.isEmpty)
        #expect(copy.header.signals.map(\.checksum) == source.header.signals.map { $0.checksum.map { ($0 % 65536 + 65536) % 65536 } })

        let input = try input()
        try WFDBWriter.write(recordName: "nan", directory: folder, physical: input.physical, samplingFrequency: 500,
                             signalNames: input.names, gains: input.gains, baselines: input.baselines)
        let back = try WFDBRecord.read((folder as NSString).appendingPathComponent("nan"))
        #expect(back.physical[1][10].isNaN)
        #expect(back.warnings.isEmpty)
        let mismatch = firstMismatch(back.physical.joined(), input.physical.joined(), rtol: 0, atol: 0.5 / 1000 + 1e-12)
        #expect(mismatch == nil)
    }

    @Test("a value that does not fit format 16 is refused with the signal and sample")
    func outOfRange() throws {
        let folder = try wfdbTemporaryFolder("range")
        let error = #expect(throws: WFDBError.self) {
            try WFDBWriter.write(recordName: "bad", directory: folder, physical: [[0, 40.0]], samplingFrequency: 500,
                                 signalNames: ["I"], gains: [1000], baselines: [0])
        }
        #expect(error?.description.contains("signal 'I' sample 1") == true)
    }
}

// Reads every record of shared/data/wfdb/expected/manifest.json and compares it with the
// wfdb-python 4.3.1 reference arrays (physical within 1e-6, NaN positions equal; digital exact).
import Foundation
import Testing
import TestSupport
@testable import Formats

/// One record of the wfdb-python manifest.
struct WFDBExpectedRecord: Sendable, CustomStringConvertible {
    var record: String
    var physical: String
    var digital: String?
    var expanded: [String]
    var sampleFrom: Int?
    var sampleTo: Int?
    var shape: [Int]
    var signalNames: [String]
    var samplingFrequency: Double
    var sampleLength: Int
    /// Header fields as wfdb-python parsed them (single-segment records only): fmt, adc_gain,
    /// baseline, adc_res, samps_per_frame, skew, byte_offset, file_name, units.
    var fields: [String: [String]]
    var description: String { record }

    static func all() -> [WFDBExpectedRecord] {
        let url = TestPaths.shared("wfdb/expected/manifest.json")
        guard let data = try? Data(contentsOf: url),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let records = root["records"] as? [[String: Any]] else { return [] }
        return records.compactMap { entry in
            guard let record = entry["record"] as? String, let physical = entry["physical"] as? String else { return nil }
            let kwargs = entry["read_kwargs"] as? [String: Any] ?? [:]
            return WFDBExpectedRecord(record: record, physical: physical, digital: entry["digital"] as? String,
                                  expanded: entry["expanded_physical_per_channel"] as? [String] ?? [],
                                  sampleFrom: kwargs["sampfrom"] as? Int, sampleTo: kwargs["sampto"] as? Int,
                                  shape: entry["shape"] as? [Int] ?? [], signalNames: entry["sig_name"] as? [String] ?? [],
                                  samplingFrequency: entry["fs"] as? Double ?? 0, sampleLength: entry["sig_len"] as? Int ?? 0,
                                  fields: wfdbManifestFields(entry))
        }
    }
}

/// The per-signal header fields of a manifest entry as text (`None` becomes "0", wfdb-python's default).
func wfdbManifestFields(_ entry: [String: Any]) -> [String: [String]] {
    guard entry["fmt"] != nil else { return [:] }
    var fields: [String: [String]] = [:]
    for key in ["fmt", "adc_gain", "baseline", "adc_res", "samps_per_frame", "skew", "byte_offset", "file_name", "units"] {
        guard let values = entry[key] as? [Any] else { continue }
        fields[key] = values.map { value in
            if value is NSNull { return key == "samps_per_frame" ? "1" : "0" }
            if let number = value as? NSNumber, key != "file_name", key != "fmt" { return String(number.doubleValue) }
            return "\(value)"
        }
    }
    return fields
}

/// Flattens `[C][T]` into row-major `[T, C]` like the reference arrays.
func wfdbTimeMajor<T>(_ channels: [[T]]) -> [T] {
    guard let length = channels.first?.count else { return [] }
    var output: [T] = []
    output.reserveCapacity(length * channels.count)
    for t in 0..<length { for channel in channels { output.append(channel[t]) } }
    return output
}

@Suite("WFDB records against wfdb-python")
struct WFDBExpectedTests {
    @Test("the manifest lists the expected records")
    func manifestIsThere() {
        #expect(WFDBExpectedRecord.all().count >= 25)
    }

    @Test("full reads verify every stored checksum (no warnings)", arguments: [
        "s0010_re", "100", "100_3chan", "binformats", "3000003_0003", "310derive", "311derive", "test01_00s",
        "test01_00s_skewframe", "03700181", "p10143", "a103l", "flacformats", "multi-segment/fixed1/v102s",
        "multi-segment/041s/041s", "multi-segment/s25047/s25047-2704-05-04-10-44",
    ])
    func checksums(_ name: String) throws {
        let record = try WFDBRecord.read(TestPaths.shared("wfdb/sample-data/" + name).path)
        #expect(record.sampleCount == record.totalSampleCount)
        #expect(record.warnings.isEmpty, "\(record.warnings)")
    }

    @Test(arguments: WFDBExpectedRecord.all())
    func matchesReference(_ expected: WFDBExpectedRecord) throws {
        let path = TestPaths.shared(expected.record).path
        // The Georgia records are held out of shared/data for independent evaluation.
        guard FileManager.default.fileExists(atPath: path + ".hea") else { return }
        let from = expected.sampleFrom ?? 0
        let to = expected.sampleTo ?? from + expected.shape[0]
        let record = try WFDBRecord.read(path, from: from, to: to, expanded: !expected.expanded.isEmpty)
        #expect(record.signalNames == expected.signalNames)
        #expect(record.samplingFrequency == expected.samplingFrequency)
        if expected.sampleTo == nil { #expect(record.totalSampleCount == expected.sampleLength) }
        #expect(record.physical.count == expected.shape[1])
        if !expected.fields.isEmpty {
            let signals = record.signals
            let ours: [String: [String]] = [
                "fmt": signals.map { String($0.format) }, "adc_gain": signals.map { String($0.gain) },
                "baseline": signals.map { String(Double($0.baseline)) }, "adc_res": signals.map { String(Double($0.adcResolution)) },
                "samps_per_frame": signals.map { String(Double($0.samplesPerFrame)) }, "skew": signals.map { String(Double($0.skew)) },
                "byte_offset": signals.map { String(Double($0.byteOffset)) }, "file_name": signals.map(\.fileName),
                "units": signals.map(\.units),
            ]
            #expect(expected.fields.count == 9)
            for (key, values) in expected.fields {
                let normalised = key == "samps_per_frame" ? values.map { $0 == "1" ? "1.0" : $0 } : values
                let comparable = ["skew", "byte_offset"].contains(key) ? normalised.map { $0 == "0" ? "0.0" : $0 } : normalised
                #expect(ours[key] == comparable, "\(expected.record) field \(key)")
            }
        }
        let reference = try NPY.read(contentsOf: TestPaths.shared(expected.physical).path)
        #expect(reference.shape == expected.shape)
        let actual = wfdbTimeMajor(record.physical)
        let mismatch = firstMismatch(actual, reference.doubles(), rtol: 0, atol: 1e-6)
        #expect(mismatch == nil, "\(expected.record): \(mismatch.map(String.init(describing:)) ?? "")")
        if let digitalPath = expected.digital {
            let digital = try NPY.read(contentsOf: TestPaths.shared(digitalPath).path)
            guard case .int32(let values) = digital.elements else {
                Issue.record("digital reference is \(digital.dtypeName), expected int32")
                return
            }
            #expect(wfdbTimeMajor(record.digital) == values)
        }
        for (channel, file) in expected.expanded.enumerated() {
            let reference = try NPY.read(contentsOf: TestPaths.shared(file).path)
            let actual = try #require(record.expandedPhysical?[channel])
            let mismatch = firstMismatch(actual, reference.doubles(), rtol: 0, atol: 1e-6)
            #expect(mismatch == nil, "\(expected.record) expanded channel \(channel): \(mismatch.map(String.init(describing:)) ?? "")")
        }
    }
}

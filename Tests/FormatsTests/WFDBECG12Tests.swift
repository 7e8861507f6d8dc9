// Every 12-lead record under shared/data/ecg12 (Challenge .hea/.mat and native PTB-XL .hea/.dat)
// parses and loads completely: 12 standard leads, checksums verified, fs and duration as labels.csv says.
import Foundation
import Testing
import TestSupport
@testable import Formats

/// A row of shared/data/labels.csv: record path, fs, lead count, duration in seconds.
struct WFDBLabelRow: Sendable, CustomStringConvertible {
    var record: String
    var samplingFrequency: Double
    var leadCount: Int
    var duration: Double
    var description: String { record }

    static func ecg12() -> [WFDBLabelRow] {
        guard let text = try? String(contentsOf: TestPaths.shared("labels.csv"), encoding: .utf8) else { return [] }
        return text.split(whereSeparator: \.isNewline).dropFirst().compactMap { line in
            let fields = line.split(separator: ",", maxSplits: 5, omittingEmptySubsequences: false)
            guard fields.count >= 5, fields[0].hasPrefix("ecg12/"), let fs = Double(fields[2]),
                  let leads = Int(fields[3]), let duration = Double(fields[4]) else { return nil }
            return WFDBLabelRow(record: String(fields[0]), samplingFrequency: fs, leadCount: leads, duration: duration)
        }
    }
}

@Suite("12-lead records of shared/data/ecg12")
struct WFDBECG12Tests {
    static let standardLeads = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]

    @Test("labels.csv lists the 192 ecg12 records")
    func labelCount() {
        #expect(WFDBLabelRow.ecg12().count == 192)
    }

    @Test("headerPaths finds every record of the folder tree")
    func headerDiscovery() throws {
        let root = TestPaths.shared("ecg12").path
        let all = try WFDBRecord.headerPaths(in: root, recursive: true)
        #expect(all.count == 192)
        let cpsc = try WFDBRecord.headerPaths(in: (root as NSString).appendingPathComponent("cpsc2018"))
        #expect(cpsc.count == 120)
        #expect(cpsc.first?.hasSuffix("cpsc2018/A0001.hea") == true)
        #expect(throws: WFDBError.self) { try WFDBRecord.headerPaths(in: root + "/nowhere") }
    }

    @Test("channels chosen by name, case-insensitively, in the order asked")
    func channelNames() throws {
        let path = TestPaths.shared("ecg12/ptbxl/records100/00000/00001_lr").path
        let all = try WFDBRecord.read(path)
        let chosen = try WFDBRecord.read(path, from: 100, to: 200, channelNames: ["aVR", "v1", "I"])
        #expect(chosen.signalNames == ["AVR", "V1", "I"])
        #expect(chosen.physical[0] == Array(all.physical[3][100..<200]))
        #expect(chosen.physical[2] == Array(all.physical[0][100..<200]))
        let error = #expect(throws: WFDBError.self) { try WFDBRecord.read(path, channelNames: ["V7"]) }
        #expect(error?.description.hasPrefix("00001_lr: no signal named 'V7'") == true)
    }

    @Test(arguments: WFDBLabelRow.ecg12())
    func loads(_ row: WFDBLabelRow) throws {
        let record = try WFDBRecord.read(TestPaths.shared(row.record).path)
        #expect(record.samplingFrequency == row.samplingFrequency)
        #expect(record.signals.count == row.leadCount)
        #expect(abs(Double(record.totalSampleCount) / record.samplingFrequency - row.duration) < 1e-9)
        #expect(record.signalNames.map { $0.lowercased() } == Self.standardLeads.map { $0.lowercased() })
        #expect(try record.channelIndices(named: ["avf", "V6"]) == [5, 11])
        #expect(record.physical.allSatisfy { $0.count == record.totalSampleCount })
        #expect(record.units.allSatisfy { $0.lowercased() == "mv" })
        // A full read verifies every lead's checksum against the header.
        #expect(record.warnings.isEmpty, "\(record.warnings)")
        #expect(record.comments.contains { $0.hasPrefix("Dx:") } || row.record.contains("records100"))
        // 1 adu = 1 uV in all these sets.
        #expect(record.gains.allSatisfy { $0 == 1000 })
        #expect(record.physical[0][0] == Double(record.digital[0][0]) / 1000)
    }
}

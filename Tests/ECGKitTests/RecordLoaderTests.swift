// RecordLoader on the real records of shared/data: every labelled record, every way of naming a
// WFDB record, NumPy orientation, lead ordering, comments, warnings and bad input.
import Foundation
import Formats
import Testing
import TestSupport
@testable import ECGKit

/// Rows of shared/data/labels.csv: record path, fs, number of leads, duration in seconds.
func labelRows() throws -> [(record: String, fs: Double, leads: Int, duration: Double, label: Int)] {
    let text = try String(contentsOf: TestPaths.shared("labels.csv"), encoding: .utf8)
    return text.split(whereSeparator: \.isNewline).dropFirst().map { line in
        let fields = line.split(separator: ",", maxSplits: 6, omittingEmptySubsequences: false).map(String.init)
        return (fields[0], Double(fields[2]) ?? .nan, Int(fields[3]) ?? -1, Double(fields[4]) ?? .nan, Int(fields[5]) ?? -1)
    }
}

func temporaryFolder(_ tag: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-\(tag)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Test func everyLabelledRecordLoadsWithTheListedLeadsRateAndDuration() throws {
    let rows = try labelRows()
    #expect(rows.count == 193)
    for row in rows {
        let record = try RecordLoader.load(TestPaths.shared(row.record).path)
        #expect(record.samplingRate == row.fs, "\(row.record)")
        #expect(record.leadCount == row.leads, "\(row.record)")
        #expect(abs(record.duration - row.duration) < 1e-9, "\(row.record): \(record.duration) s")
        #expect(Array(record.leadNames.prefix(12)) == canonicalLeadNames, "\(row.record): \(record.leadNames)")
        #expect(record.units.allSatisfy { $0.lowercased() == "mv" }, "\(row.record)")
        let finite = record.samples.allSatisfy { $0.isFinite }
        #expect(finite, "\(row.record)")
        #expect(record.warnings.isEmpty, "\(row.record): \(record.warnings)")
    }
}

@Test func loadedValuesEqualWfdbPython() throws {
    // wfdb/expected holds wfdb-python 4.3.1 rdrecord output [T, C], the first 1000 samples.
    let records = ["A0001": "ecg12/cpsc2018/A0001", "HR00001": "ecg12/ptbxl/HR00001",
                   "00001_lr": "ecg12/ptbxl/records100/00000/00001_lr", "S0001": "ecg12/ptb/S0001"]
    for (name, path) in records {
        let expected = try NPY.read(contentsOf: TestPaths.shared("wfdb/expected/ecg12_\(name).physical.npy").path)
        let record = try RecordLoader.load(TestPaths.shared(path).path)
        let rows = expected.shape[0], columns = expected.shape[1]
        #expect(columns == 12 && rows == min(1000, record.sampleCount))
        let values = expected.doubles()
        for lead in 0..<columns {
            let column = (0..<rows).map { values[$0 * columns + lead] }
            #expect(Array(record.lead(lead).prefix(rows)) == column, "\(name) lead \(lead)")
        }
    }
}

@Test func aWfdbRecordLoadsTheSameByHeaderSignalFileOrName() throws {
    let base = TestPaths.shared("ecg12/cpsc2018/A0001").path
    let byHeader = try RecordLoader.load(base + ".hea")
    #expect(try RecordLoader.load(base + ".mat") == byHeader)
    #expect(try RecordLoader.load(base) == byHeader)
    let native = TestPaths.shared("ecg12/ptbxl/records100/00000/00001_lr").path
    #expect(try RecordLoader.load(native + ".dat") == (try RecordLoader.load(native)))
    #expect(byHeader.name == "A0001")
    #expect(byHeader.sourceFormat == "wfdb/16")
    #expect(byHeader.sampleCount == 7500)
    #expect(byHeader.comment("Dx") == "RBBB")
    #expect(byHeader.comments.contains("Age: 74"))
}

@Test func upperCaseLeadNamesBecomeCanonical() throws {
    // The native PTB-XL file writes AVR, AVL, AVF.
    let record = try RecordLoader.load(TestPaths.shared("ecg12/ptbxl/records100/00000/00001_lr").path)
    #expect(record.leadNames == canonicalLeadNames)
    #expect(record.samplingRate == 100)
    #expect(record.sampleCount == 1000)
}

@Test func extraLeadsFollowTheStandardTwelveAndOtherRecordsKeepTheirLeads() throws {
    let ptb = try RecordLoader.load(TestPaths.shared("wfdb/sample-data/s0010_re").path)
    #expect(ptb.leadNames == canonicalLeadNames + ["vx", "vy", "vz"])
    #expect(try ptb.requiringStandardLeads().leadNames == canonicalLeadNames)
    // The same recording as ecg12/ptb/S0001 (re-quantised there to 1 uV): equal within 0.5 uV.
    let challenge = try RecordLoader.load(TestPaths.shared("ecg12/ptb/S0001").path)
    let twelve = try ptb.requiringStandardLeads()
    #expect(maxAbsDifference(twelve.samples, challenge.samples) <= 0.0005 + 1e-12)

    let mitbih = try RecordLoader.load(TestPaths.shared("wfdb/sample-data/100").path)
    #expect(mitbih.leadNames == ["MLII", "V5"])
    #expect(mitbih.samplingRate == 360)
    #expect(throws: LeadOrderError.self) { try mitbih.requiringStandardLeads() }
    do {
        _ = try mitbih.requiringStandardLeads()
    } catch {
        #expect("\(error)" == "100: fewer than 12 standard leads: missing I, II, III, aVR, aVL, aVF, V1, V2, V3, V4, V6 (found MLII, V5)")
    }
}

@Test func numpyArraysAreOrientedAndNamed() throws {
    let path = TestPaths.shared("seed/A3794.npy").path
    let record = try RecordLoader.load(path)
    #expect(record.leadCount == 12 && record.sampleCount == 5000)
    #expect(record.leadNames == canonicalLeadNames)
    #expect(record.samplingRate == 500)
    #expect(record.sourceFormat == "npy float64 [5000, 12] time x leads, 500 Hz given")
    let array = try NPY.read(contentsOf: path)
    let values = array.doubles()
    let firstValues: [Double] = (0..<4).map { values[$0 * 12 + 3] }
    #expect(Array(record.lead(3).prefix(4)) == firstValues)

    // The same array stored [12, 5000] loads to the same samples; a given rate is kept.
    let folder = try temporaryFolder("npy")
    defer { try? FileManager.default.removeItem(at: folder) }
    let transposedPath = folder.appendingPathComponent("leads-first.npy").path
    try NPY.write(StoredArray(shape: [12, 5000], elements: .float64(record.samples)), to: transposedPath)
    let transposed = try RecordLoader.load(transposedPath, samplingRate: 250)
    #expect(transposed.samples == record.samples)
    #expect(transposed.samplingRate == 250)
    #expect(transposed.sourceFormat == "npy float64 [12, 5000] leads x time, 250 Hz given")

    // Two leads: generic names; a file without extension is recognised by its magic.
    let twoLeads = folder.appendingPathComponent("two").path
    try NPY.write(StoredArray(shape: [3, 2], elements: .float32([1, 2, 3, 4, 5, 6])), to: twoLeads + ".npy")
    try FileManager.default.moveItem(atPath: twoLeads + ".npy", toPath: twoLeads + ".bin")
    let small = try RecordLoader.load(twoLeads + ".bin")
    #expect(small.leadNames == ["lead1", "lead2"])
    #expect(small.samples == [1, 3, 5, 2, 4, 6])
}

@Test func checksumMismatchesBecomeWarnings() throws {
    let folder = try temporaryFolder("checksum")
    defer { try? FileManager.default.removeItem(at: folder) }
    let source = TestPaths.shared("ecg12/cpsc2018/A0001")
    try FileManager.default.copyItem(at: source.appendingPathExtension("mat"), to: folder.appendingPathComponent("A0001.mat"))
    var header = try String(contentsOf: source.appendingPathExtension("hea"), encoding: .utf8)
    // Line 2 is `A0001.mat 16+24 1000/mV 16 0 28 -1716 0 I`: field 7 is the checksum.
    header = header.replacingOccurrences(of: "16 0 28 -1716 0 I", with: "16 0 28 -1717 0 I")
    try header.write(to: folder.appendingPathComponent("A0001.hea"), atomically: true, encoding: .utf8)
    let record = try RecordLoader.load(folder.appendingPathComponent("A0001").path)
    #expect(record.warnings.count == 1)
    #expect(record.warnings.first?.hasPrefix("signal 'I'") == true)
}

@Test func badPathsNameTheFileAndWhatWasExpected() throws {
    let folder = try temporaryFolder("bad")
    defer { try? FileManager.default.removeItem(at: folder) }
    let missing = folder.appendingPathComponent("nothing").path
    #expect { try RecordLoader.load(missing) } throws: {
        "\($0)" == "\(missing): no such file or record (looked for \(missing), \(missing).hea and \(missing).npy)"
    }
    #expect { try RecordLoader.load(missing + ".npy") } throws: { "\($0)".hasSuffix("nothing.npy: no such file (expected a NumPy .npy array)") }
    let lonelyMat = folder.appendingPathComponent("x.mat").path
    try Data([1, 2, 3]).write(to: URL(fileURLWithPath: lonelyMat))
    #expect { try RecordLoader.load(lonelyMat) } throws: { "\($0)".contains("x.mat: no WFDB header") && "\($0)".contains("x.hea") }
    let text = folder.appendingPathComponent("notes.txt").path
    try "hello".write(toFile: text, atomically: true, encoding: .utf8)
    #expect { try RecordLoader.load(text) } throws: { "\($0)".contains("not a recognised ECG file") }
    #expect { try RecordLoader.load(folder.path) } throws: { "\($0)".contains("is a folder, not a record") }
    let threeD = folder.appendingPathComponent("cube.npy").path
    try NPY.write(StoredArray(shape: [2, 2, 2], elements: .float64(Array(repeating: 0, count: 8))), to: threeD)
    #expect { try RecordLoader.load(threeD) } throws: { "\($0)".contains("expected a 2-D ECG array") }
    // A truncated signal file: the WFDB reader's error names the file and the byte counts.
    try FileManager.default.copyItem(at: TestPaths.shared("ecg12/cpsc2018/A0002.hea"), to: folder.appendingPathComponent("A0002.hea"))
    try Data(count: 100).write(to: folder.appendingPathComponent("A0002.mat"))
    #expect(throws: WFDBError.self) { try RecordLoader.load(folder.appendingPathComponent("A0002.hea").path) }
}

/// The loader decodes WFDB signals straight into canonical lead order; it must equal reading the record
/// (`WFDBRecord.read`) and reordering afterwards (`standardLeadsFirst`), bit for bit, on every labelled
/// WFDB record (Challenge .mat, PTB-XL .dat, MIT-BIH 212, multi-segment, extra Frank leads).
@Test func directLoadingEqualsReadingThenReordering() throws {
    let rows = try labelRows()
    var compared = 0
    for row in rows {
        let path = TestPaths.shared(row.record).path
        guard FileManager.default.fileExists(atPath: path + ".hea") else { continue }
        let read = try WFDBRecord.read(path)
        let reference = Record(
            name: read.recordName, samplingRate: read.samplingFrequency, leadNames: read.signalNames, units: read.units,
            samples: read.physical.flatMap { $0 }, sampleCount: read.sampleCount, source: path + ".hea",
            sourceFormat: RecordLoader.wfdbSourceFormat(read.signals), comments: read.comments,
            warnings: read.warnings.map(\.description)).standardLeadsFirst()
        let loaded = try RecordLoader.load(path + ".hea")
        #expect(loaded.leadNames == reference.leadNames && loaded.units == reference.units, "\(row.record)")
        #expect(loaded.sourceFormat == reference.sourceFormat && loaded.warnings == reference.warnings, "\(row.record)")
        let same = zip(loaded.samples, reference.samples).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
        #expect(loaded.samples.count == reference.samples.count && same, "\(row.record)")
        compared += 1
    }
    #expect(compared >= 150)
}

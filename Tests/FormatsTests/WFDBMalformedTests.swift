// The malformed-input corpus: each case damages a copy of a real record (ecg12/cpsc2018/A0001,
// a Challenge .hea + MAT v4 .mat) in a temporary folder and checks the error names file and place.
import Foundation
import Testing
import TestSupport
@testable import Formats

@Suite("WFDB malformed input")
struct WFDBMalformedTests {
    /// A copy of A0001 in a fresh folder, with the header text and .mat bytes edited by the caller.
    func damagedCopy(header edit: (String) -> String = { $0 }, mat: (([UInt8]) -> [UInt8]?)? = { $0 }) throws -> String {
        let folder = try wfdbTemporaryFolder("malformed")
        let source = TestPaths.shared("ecg12/cpsc2018/A0001")
        let text = try String(contentsOf: source.appendingPathExtension("hea"), encoding: .utf8)
        try edit(text).write(toFile: folder + "/A0001.hea", atomically: true, encoding: .utf8)
        let bytes = try [UInt8](Data(contentsOf: source.appendingPathExtension("mat")))
        if let mat, let damaged = mat(bytes) {
            try Data(damaged).write(to: URL(fileURLWithPath: folder + "/A0001.mat"))
        }
        return folder + "/A0001"
    }

    func readError(_ path: String, from: Int = 0, to: Int? = nil) -> WFDBError? {
        #expect(throws: WFDBError.self) { try WFDBRecord.read(path, from: from, to: to) }
    }

    @Test("the undamaged copy reads (control)")
    func control() throws {
        let record = try WFDBRecord.read(try damagedCopy())
        #expect(record.totalSampleCount == 7500 && record.warnings.isEmpty)
    }

    @Test("missing signal file names the path looked for")
    func missingSignalFile() throws {
        let path = try damagedCopy(mat: nil)
        let error = readError(path)
        #expect(error?.kind == .missingFile)
        #expect(error?.description == "\(path).mat: signal file not found")
        let missingHeader = readError(path + "-nothing")
        #expect(missingHeader?.description == "\(path)-nothing.hea: header file not found")
    }

    @Test("truncated signal file: expected and actual size")
    func truncated() throws {
        let error = readError(try damagedCopy(mat: { Array($0.prefix(1000)) }))
        #expect(error?.kind == .truncatedSignalFile)
        #expect(error?.description == "A0001.mat byte 1000: signal file too short: the header declares 7500 samples of 12 value(s) per frame in format 16, which need 180024 bytes (offset 24 included), but the file has 1000 bytes")
    }

    @Test("header declares more samples than the file holds")
    func sizeMismatch() throws {
        let path = try damagedCopy(header: { $0.replacingOccurrences(of: "A0001 12 500 7500", with: "A0001 12 500 9000") })
        let error = readError(path)
        #expect(error?.description.hasPrefix("A0001.mat byte 180024: signal file too short: the header declares 9000 samples") == true)
    }

    @Test("MAT v4 header that disagrees with the WFDB header, and a file that is not MATLAB at all")
    func matHeader() throws {
        var error = readError(try damagedCopy(mat: { var b = $0; b[4] = 11; return b }))
        #expect(error?.kind == .matFile)
        #expect(error?.description == "A0001.mat byte 4: MATLAB v4 matrix has 11 rows but the WFDB header puts 12 signals in this file")
        error = readError(try damagedCopy(mat: { var b = $0; b.replaceSubrange(0..<4, with: [0x89, 0x50, 0x4E, 0x47]); return b }))
        #expect(error?.description.hasPrefix("A0001.mat byte 0: not a MATLAB v4 or v5 file") == true)
        error = readError(try damagedCopy(mat: { var b = $0; b[0] = 20; return b }))
        #expect(error?.description == "A0001.mat byte 0: MATLAB v4 precision 2 does not match WFDB format 16 (expected precision 3)")
    }

    @Test("unknown formats are refused by number; damaged FLAC streams name the file")
    func unsupportedFormats() throws {
        let path = try damagedCopy(header: { $0.replacingOccurrences(of: "16+24", with: "99+24") })
        let error = readError(path)
        #expect(error?.kind == .unsupportedFormat)
        #expect(error?.description == "A0001.mat: unsupported format 99 (supported: 8, 16, 24, 32, 61, 80, 160, 212, 310, 311, 508, 516, 524)")

        let folder = try wfdbTemporaryFolder("flac")
        let source = TestPaths.shared("wfdb/sample-data/flacformats").path
        for ext in ["hea", "d0", "d2"] {
            try FileManager.default.copyItem(atPath: source + "." + ext, toPath: folder + "/flacformats." + ext)
        }
        let stream = try Data(contentsOf: URL(fileURLWithPath: source + ".d1"))
        try stream.prefix(400).write(to: URL(fileURLWithPath: folder + "/flacformats.d1"))
        let truncated = readError(folder + "/flacformats")
        #expect(truncated?.kind == .truncatedSignalFile)
        #expect(truncated?.description.hasPrefix("flacformats.d1 byte 400: FLAC stream ends inside a frame") == true)
        var notFLAC = [UInt8](stream)
        notFLAC[0] = 0x66 + 1
        try Data(notFLAC).write(to: URL(fileURLWithPath: folder + "/flacformats.d1"))
        #expect(readError(folder + "/flacformats")?.description == "flacformats.d1 byte 0: not a FLAC file (expected 'fLaC' magic)")
    }

    @Test("header errors in a real header: non-numeric gain, too few fields, wrong field count")
    func headerErrors() throws {
        var error = readError(try damagedCopy(header: { $0.replacingOccurrences(of: "16+24 1000/mV 16 0 7 2029", with: "16+24 1O00/mV 16 0 7 2029") }))
        #expect(error?.description == "A0001.hea line 3: expected 'gain(baseline)/units', got '1O00/mV'")
        error = readError(try damagedCopy(header: { $0.replacingOccurrences(of: "A0001.mat 16+24 1000/mV 16 0 -290 390 0 V1", with: "A0001.mat") }))
        #expect(error?.description.hasPrefix("A0001.hea line 8: expected signal line 'file format") == true)
        error = readError(try damagedCopy(header: { $0.replacingOccurrences(of: "A0001 12 500 7500", with: "A0001") }))
        #expect(error?.description == "A0001.hea line 1: expected an integer number of signals, got '05-Feb-2020'")
        error = readError(try damagedCopy(header: { $0.replacingOccurrences(of: "A0001 12 500 7500", with: "A0001 13 500 7500") }))
        // The comment lines after the signal lines end the header; the error points at the last one.
        #expect(error?.description == "A0001.hea line 19: record line declares 13 signals but the header has 12 signal lines")
    }

    @Test("a binary file given as header, and an absurd sample count, fail cleanly")
    func binaryHeaderAndHugeCounts() throws {
        let path = try damagedCopy()
        try FileManager.default.copyItem(atPath: path + ".mat", toPath: path + "-bin.hea")
        let error = readError(path + "-bin")
        #expect(error?.description == "A0001-bin.hea byte 1: not a text header (NUL byte)")
        let huge = try damagedCopy(header: { $0.replacingOccurrences(of: "A0001 12 500 7500", with: "A0001 12 500 999999999999999999") })
        #expect(readError(huge)?.description.contains("more than any file can hold") == true)
    }

    @Test("a checksum mismatch is a warning naming the signal, not an error")
    func checksumWarning() throws {
        let path = try damagedCopy(header: { $0.replacingOccurrences(of: "16+24 1000/mV 16 0 7 2029 0 II", with: "16+24 1000/mV 16 0 7 2030 0 II") })
        let record = try WFDBRecord.read(path)
        #expect(record.warnings == [WFDBWarning(signalName: "II", message: "checksum mismatch in A0001.mat: header says 2030, samples sum to 2029")])
        // Partial reads cannot verify checksums and report nothing.
        #expect(try WFDBRecord.read(path, to: 100).warnings.isEmpty)
    }

    @Test("a multi-segment read reaching a segment whose files are absent names the segment header")
    func missingSegment() throws {
        let path = TestPaths.shared("wfdb/sample-data/multi-segment/p000878/p000878-2137-10-26-16-57").path
        let partial = try WFDBRecord.read(path, from: 0, to: 7500)
        let gap = partial.physical[0][..<3750].allSatisfy { $0.isNaN }
        #expect(gap)
        #expect(!partial.physical[0][7000].isNaN && partial.physical[2][7000].isNaN)
        let error = readError(path, from: 7000, to: 8000)
        #expect(error?.kind == .missingFile)
        #expect(error?.file.hasSuffix("p000878/3269321_0003.hea") == true)
    }

    @Test("requests outside the record are refused")
    func badRequests() throws {
        let path = TestPaths.shared("ecg12/cpsc2018/A0001").path
        #expect(readError(path, to: 7501)?.description == "A0001.hea: sample range 0..<7501 is outside the record (0..<7500)")
        #expect(readError(path, from: 10, to: 5)?.kind == .request)
        #expect(throws: WFDBError.self) { try WFDBRecord.read(path, channels: [12]) }
        let record = try WFDBRecord.read(path, to: 10)
        #expect(throws: WFDBError.self) { try record.channelIndices(named: ["V7"]) }
    }
}

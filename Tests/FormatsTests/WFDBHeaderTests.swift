// WFDB header grammar: record line variants, signal line fields and defaults, segments,
// comments, CRLF, and errors that name the file and line.
import Foundation
import Testing
import TestSupport
@testable import Formats

@Suite("WFDB header parser")
struct WFDBHeaderTests {
    func header(_ record: String) throws -> WFDBHeader {
        try WFDBHeader.read(contentsOf: TestPaths.shared(record + ".hea").path)
    }

    @Test("counter frequency, baseline syntax and units (12726)")
    func counterFrequency() throws {
        let h = try header("wfdb/sample-data/12726")
        #expect(h.samplingFrequency == 250 && h.counterFrequency == 24000 && h.baseCounter == nil)
        #expect(h.sampleCount == 825000)
        #expect(h.baseTime == WFDBTime(hours: 15, minutes: 8, seconds: 24))
        #expect(h.signals[0].gain == 64.02 && h.signals[0].baseline == 4 && h.signals[0].units == "mmHg")
        #expect(h.signals[2].baseline == 11204 && h.signals[2].units == "degrees")
        #expect(h.signalNames == ["ABP", "ECG", "Angle"])
        #expect(h.comments.first == "<age>: 28  <sex>: M  <Height>: 170  <Weight>: 64")
    }

    @Test("base time with milliseconds, date, skew, samples per frame, byte offset, exponent gains")
    func signalFields() throws {
        #expect(try header("wfdb/sample-data/3000003_0003").baseTime == WFDBTime(hours: 19, minutes: 46, seconds: 25.757))
        let h = try header("wfdb/sample-data/03700181")
        #expect(h.baseDate == WFDBDate(day: 15, month: 8, year: 1994))
        #expect(h.signals.map(\.samplesPerFrame) == [4, 1, 1] && h.signals.map(\.skew) == [0, 0, 4])
        #expect(h.signals[1].baseline == -1605 && h.signals[1].gain == 12.84)
        // `2000` without units: mV; baseline defaults to adc_zero.
        #expect(h.signals[2].units == "mV" && h.signals[2].baseline == 0 && h.signals[2].checksum == 6310)
        #expect(h.signalNames == ["MCL1", "ABP", "RESP"])
        let a = try header("wfdb/sample-data/a103l")
        #expect(a.signals.map(\.byteOffset) == [24, 24, 24] && a.signals[1].gain == 10520 && a.signals[2].units == "NU")
        #expect(a.comments == ["Asystole", "False alarm"])
    }

    @Test("blank line between signal lines, comment before the record line, CRLF (100)")
    func blankLinesAndComments() throws {
        let h = try header("wfdb/sample-data/100")
        #expect(h.recordName == "100" && h.signalCount == 2 && h.signals.count == 2)
        #expect(h.signals[0].format == 212 && h.signals[0].adcResolution == 11 && h.signals[0].adcZero == 1024)
        #expect(h.signals[0].initialValue == 995 && h.signals[0].checksum == -22131 && h.signals[1].description == "V5")
        #expect(h.signals[0].isCalibrated && h.signals[0].gain == 200)
        #expect(h.comments == ["unnecessary comment", "69 M 1085 1629 x1", "Aldomet, Inderal"])
    }

    @Test("descriptions with spaces, Challenge date order and `#Dx`/`# Dx` comments")
    func challengeHeaders() throws {
        #expect(try header("wfdb/sample-data/binformats").signalNames.first == "sig 0, fmt 8")
        let a = try header("ecg12/cpsc2018/A0001")
        #expect(a.baseDate == WFDBDate(day: 5, month: 2, year: 2020))
        #expect(a.baseTime == WFDBTime(hours: 11, minutes: 39, seconds: 16))
        #expect(a.comments.contains("Dx: RBBB"))
        let text = "E07500 12 500 5000\n" + (1...12).map { "E07500.mat 16x1+24 1000.0(0)/mV 16 0 -68 1250 0 L\($0)" }.joined(separator: "\n")
            + "\n# Dx: 426783006\n"
        let e = try WFDBHeader.parse(text, file: "E07500.hea")
        #expect(e.baseDate == nil && e.baseTime == nil && e.sampleCount == 5000)
        #expect(e.signals[0].samplesPerFrame == 1 && e.signals[0].byteOffset == 24 && e.signals[0].gain == 1000)
        #expect(e.comments == ["Dx: 426783006"])
    }

    @Test("a Latin-1 comment (not UTF-8) is decoded as Latin-1")
    func latin1() throws {
        let folder = try wfdbTemporaryFolder("latin1")
        var bytes = Array("r 1 500 10\nr.dat 16\n# Patient: Jos".utf8)
        bytes += [0xE9, 0x0A]
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/r.hea"))
        #expect(try WFDBHeader.read(contentsOf: folder + "/r.hea").comments == ["Patient: José"])
    }

    @Test("missing fields take the spec defaults")
    func defaults() throws {
        let h = try WFDBHeader.parse("r 3\nr.dat 16\nr.dat 16 0\nr.dat 311 50/uV\n", file: "r.hea")
        #expect(h.samplingFrequency == 250 && h.sampleCount == nil)
        #expect(h.signals[0].gain == 200 && !h.signals[0].isCalibrated && h.signals[0].units == "mV")
        #expect(h.signals[0].adcResolution == 12 && h.signals[0].baseline == 0 && h.signals[0].checksum == nil)
        #expect(h.signals[1].gain == 200 && !h.signals[1].isCalibrated)
        #expect(h.signals[2].adcResolution == 10 && h.signals[2].units == "uV" && h.signals[2].description == "")
    }

    @Test("multi-segment headers: segments, null segments, fractional base time")
    func multiSegment() throws {
        let h = try header("wfdb/sample-data/multi-segment/p000878/p000878-2137-10-26-16-57")
        #expect(h.segmentCount == 36 && h.segments.count == 36 && h.isMultiSegment)
        #expect(h.segments[0] == WFDBSegmentSpec(name: "3269321_layout", sampleCount: 0))
        #expect(h.segments[1].isNull && h.segments[1].sampleCount == 3750)
        #expect(h.sampleCount == 52725000 && h.baseDate == WFDBDate(day: 26, month: 10, year: 2137))
        let layout = try header("wfdb/sample-data/multi-segment/p000878/3269321_layout")
        #expect(layout.signals.map(\.fileName) == ["~", "~", "~", "~"] && layout.signals[3].gain == 1.28)
    }

    @Test("errors name the file and line", arguments: [
        ("A0001", "A0001.hea line 1: expected record line 'name[/segments] n_signals [fs [n_samples [time [date]]]]', got 'A0001'"),
        ("r 1 500 10\nr.dat 16 abc/mV 16 0 0 0 0 I", "r.hea line 2: expected 'gain(baseline)/units', got 'abc/mV'"),
        ("r 1 500 10\n\n# c\nr.dat 16 200(x)/mV", "r.hea line 4: expected 'gain(baseline)/units', got '200(x)/mV'"),
        ("r 1 500 10\nr.dat", "r.hea line 2: expected signal line 'file format [gain [adc_res [adc_zero [init_value [checksum [block_size [description]]]]]]]', got 'r.dat'"),
        ("r 2 500 10\nr.dat 16\n", "r.hea line 2: record line declares 2 signals but the header has 1 signal lines"),
        ("r 1 500 10\nr.dat 16q", "r.hea line 2: expected 'format[xspf][:skew][+byte_offset]', got '16q'"),
        ("r 1 500 10\nr.dat 16 200 12 zero", "r.hea line 2: expected integer adc_zero, got 'zero'"),
        ("r 1 fast 10", "r.hea line 1: expected 'fs[/counter_freq[(base_counter)]]', got 'fast'"),
        ("r 1 500 10 25:99:00", "r.hea line 1: expected base time 'HH:MM:SS[.ffffff]', got '25:99:00'"),
        ("r 1 500 10 10:00:00 32/13/2020", "r.hea line 1: expected base date 'DD/MM/YYYY', got '32/13/2020'"),
        ("r/2 1 500 10\nseg1 5\n", "r.hea line 2: record line declares 2 segments but the header has 1 segment lines"),
        ("r 1 500 10\nr.dat 16\nextra line", "r.hea line 3: unexpected line after 1 signal lines: 'extra line'"),
    ])
    func errors(_ text: String, _ message: String) {
        let error = #expect(throws: WFDBError.self) { try WFDBHeader.parse(text, file: "/tmp/x/" + (text.hasPrefix("A0001") ? "A0001.hea" : "r.hea")) }
        #expect(error?.description == message)
        #expect(error?.kind == .header)
    }
}

// The braille preview of `show r`, checked against dot patterns derived by hand from the
// Unicode braille block, and the peak-preserving decimation behind it.
@testable import Commands
import ECGKit
import Testing

/// A record of `leads` named `names`, 500 Hz, in mV.
private func record(_ leads: [[Double]], names: [String]) -> RecordValue {
    RecordValue(Record(name: "T1", samplingRate: 500, leadNames: names, units: names.map { _ in "mV" },
                       samples: leads.flatMap { $0 }, sampleCount: leads[0].count, source: "test", sourceFormat: "test"))
}

@Test func constantLeadDrawsOneMiddleRow() {
    // high == low puts every sample at fraction 0.5: dot row round(0.5 * 7) = 4 from the bottom, i.e.
    // row 3 from the top = the bottom dot row of the upper cell (bits 0x40 | 0x80 = U+28C0 "⣀").
    let value = record([[Double](repeating: 1, count: 500)], names: ["I"])
    let lines = value.previewLines(leads: [0])
    #expect(lines == [
        "I    " + String(repeating: "⣀", count: 60) + "  1.00..1.00 mV",
        "     " + String(repeating: "\u{2800}", count: 60),
    ])
}

@Test func singleSamplePeakSurvivesDecimation() {
    // 6000 zeros and one 1 at sample 3000: 120 dot columns of 50 samples; column 60 holds the peak.
    // Zeros sit on the bottom dot row (lower cells "⣀"). Column 60 rises from row 7 to row 0 (rows 0-6
    // set), column 61 falls back (rows 1-7 set), both in cell 30:
    // upper cell: left rows 0-3 (0x01|0x02|0x04|0x40) + right rows 1-3 (0x10|0x20|0x80) = 0xF7 "⣷";
    // lower cell: left rows 4-6 (0x01|0x02|0x04) + right rows 4-7 (0x08|0x10|0x20|0x80) = 0xBF "⢿".
    var lead = [Double](repeating: 0, count: 6000)
    lead[3000] = 1
    let lines = record([lead], names: ["II"]).previewLines(leads: [0])
    let blank = "\u{2800}", floor = "⣀"
    let upper = String(repeating: blank, count: 30) + "⣷" + String(repeating: blank, count: 29)
    let lower = String(repeating: floor, count: 30) + "⢿" + String(repeating: floor, count: 29)
    #expect(lines == ["II   " + upper + "  0.00..1.00 mV", "     " + lower])
}

@Test func decimationKeepsTheSampleFarthestFromTheMean() {
    let values: [Double] = [0, 0, 5, 0, -1, 0, 0, -3, 0, 1, 0, 0]
    // Mean 2/12; stretches of 3: [0, 0, 5], [0, -1, 0], [0, -3, 0], [1, 0, 0].
    #expect(peakPreservingDecimation(values, count: 4) == [5, -1, -3, 1])
    #expect(peakPreservingDecimation(values, count: 20) == values)
    #expect(peakPreservingDecimation([.nan, .nan, 2, 4], count: 2).first?.isNaN == true)
}

@Test func showPrefersLeadsIIIV1V5AndFallsBackToTheFirstFour() {
    let twelve = record((0..<12).map { lead in (0..<100).map { Double(($0 + lead) % 7) } }, names: canonicalLeadNames)
    #expect(twelve.defaultPreviewLeads() == [0, 1, 6, 10])
    let other = record((0..<5).map { _ in [Double](repeating: 0, count: 10) }, names: ["a", "b", "c", "d", "e"])
    #expect(other.defaultPreviewLeads() == [0, 1, 2, 3])
    let shown = twelve.show().split(separator: "\n").map(String.init)
    #expect(shown[0] == "record T1  12 leads x 100 samples @ 500 Hz (0.2 s)  units: mV")
    #expect(shown[1] == "source: test  (test)")
    #expect(shown.filter { $0.hasPrefix("V5   ") }.count == 1)
    #expect(shown.count == 2 + 4 * RecordValue.previewHeight)
}

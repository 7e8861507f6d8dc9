// Highlight runs of the score figure: runs closer than a pixel are merged, farther ones kept apart.

import Testing
@testable import Render

struct ScoreFigureRunsTests {
    @Test func runsLessThanAPixelApartMerge() {
        let figure = ScoreFigure(ScoreFigureInput(recordName: "r", modelName: "m", isAnomalous: false, heartRate: nil,
                                                  samplingRate: 1, leads: []))
        // Gaps of 3 (< 4 samples per pixel) close; the gap of 14 and the exact-pixel gap of 4 stay.
        #expect(figure.mergedRuns([0..<2, 5..<6, 20..<25, 29..<30], samplesPerPixel: 4) == [0..<6, 20..<25, 29..<30])
        #expect(figure.mergedRuns([], samplesPerPixel: 4).isEmpty)
        #expect(figure.mergedRuns([3..<4, 5..<9], samplesPerPixel: 0.5) == [3..<4, 5..<9])
    }
}

// Window extraction in both layouts, the inner transpose and overlap-averaging back to [L, T].
import Testing
@testable import Signal

@Suite struct WindowingTests {
    @Test func scoringWindowsOfATenSecondRecord() throws {
        #expect(Windowing.windowStarts(samples: 5000, window: 500, stride: 250).count == 19)
        #expect(Windowing.windowStarts(samples: 5000, window: 500, stride: 125).count == 37)
        #expect(Windowing.windowStarts(samples: 499, window: 500, stride: 250).isEmpty)
    }

    @Test func extractBothLayoutsAndTranspose() throws {
        // [L=2, T=7], value = 10 * lead + t.
        let record = (0..<2).flatMap { lead in (0..<7).map { Double(10 * lead + $0) } }
        let (leadsByTime, count) = try Windowing.extract(record, leads: 2, window: 3, stride: 2)
        #expect(count == 3)
        #expect(leadsByTime == [0, 1, 2, 10, 11, 12, 2, 3, 4, 12, 13, 14, 4, 5, 6, 14, 15, 16])
        let (timeByLeads, _) = try Windowing.extract(record, leads: 2, window: 3, stride: 2, layout: .timeByLeads)
        #expect(timeByLeads == [0, 10, 1, 11, 2, 12, 2, 12, 3, 13, 4, 14, 4, 14, 5, 15, 6, 16])
        #expect(try Windowing.transposeInner(leadsByTime, count: 3, rows: 2, columns: 3) == timeByLeads)
        #expect(try Windowing.transposeInner(timeByLeads, count: 3, rows: 3, columns: 2) == leadsByTime)
    }

    @Test func overlapAverageInvertsExtraction() throws {
        let record = (0..<(12 * 5000)).map { Double(($0 * 7919) % 1000) / 1000 }
        for layout in [WindowLayout.leadsByTime, .timeByLeads] {
            let (windows, count) = try Windowing.extract(record, leads: 12, window: 500, stride: 250, layout: layout)
            #expect(count == 19)
            let back = try Windowing.overlapAverage(windows, leads: 12, window: 500, stride: 250, samples: 5000, layout: layout)
            #expect(back == record)
        }
    }

    @Test func overlapAverageOfPerWindowValues() throws {
        // Windows [0,4) and [2,6) of 7 samples: the overlap averages, the uncovered tail is 0.
        let strip = try Windowing.overlapAverage(windowValues: [1, 3], window: 4, stride: 2, samples: 7)
        #expect(strip == [1, 1, 2, 2, 3, 3, 0])
        #expect(throws: SignalError.self) { try Windowing.overlapAverage(windowValues: [1], window: 4, stride: 2, samples: 7) }
    }
}

// The trace data the report's slider script redraws highlights from: per-column maxima that compare
// with the lead's threshold exactly as the samples do, so reset redraws what the SVG showed at load.

import Foundation
import Testing
@testable import Render

@Suite struct BrowserSliderDataTests {
    @Test func columnMaximaKeepTheirSideOfTheThreshold() throws {
        // 1000 samples over 708 columns; values just above and below 1 that 4 significant digits would round onto 1.
        var trace = Array(repeating: 0.2, count: 1000)
        let nearThreshold: [(index: Int, value: Double)] = [(100, 1.00004), (300, 0.99996), (500, 1.000049), (700, 0.9999951), (900, 1.5)]
        for (index, value) in nearThreshold { trace[index] = value }
        var figure = syntheticFigureInput(leads: ["II"])
        figure.leads[0].anomalyTrace = trace
        let html = try HTMLReport(ReportInput(title: "t", threshold: 0.5, records: [ReportRecord(score: 1, figure: figure)])).render()
        let script = try #require(try parseXML(html).first { $0.attributes["id"] == "report-data" })
        let json = try #require(try JSONSerialization.jsonObject(with: Data(script.text.utf8)) as? [String: Any])
        let lead = try #require(((json["records"] as? [[String: Any]])?.first?["leads"] as? [[String: Any]])?.first)
        let columns = try #require(lead["cols"] as? [Double])
        #expect(columns.count == 708)
        // A column is above the threshold in the data iff one of its samples is (what the SVG highlights at load).
        let above = columns.indices.filter { columns[$0] > 1 }
        let expected = (0..<708).filter { column in
            (column * 1000 / 708..<(column + 1) * 1000 / 708).contains { trace[$0] > 1 }
        }
        #expect(above == expected)
        #expect(above.count == 3)
        // Columns far from the threshold stay at 4 significant digits.
        #expect(script.text.contains("\"cols\":[0.2,0.2,"))
        #expect(script.text.contains(",1.5,"))
    }
}

// The score-result figure and the HTML report: well-formed markup, panels per lead, highlights, data.

import Foundation
import Testing
@testable import Render

/// A synthetic two-lead record at 100 Hz, 10 s: the trace exceeds 1 on [100, 150), [400, 401)
/// and [990, 1000) only.
func syntheticFigureInput(leads names: [String] = ["I", "II"], samples: Int = 1000) -> ScoreFigureInput {
    let leads = names.enumerated().map { offset, name in
        let original = (0..<samples).map { sin(Double($0) * 0.05 + Double(offset)) }
        let reconstruction = original.map { 0.9 * $0 }
        var trace = Array(repeating: 0.2, count: samples)
        for i in 100..<150 { trace[i] = 2 }
        trace[400] = 5
        for i in (samples - 10)..<samples { trace[i] = 3 }
        let error = zip(original, reconstruction).map { ($0 - $1) * ($0 - $1) }
        return LeadFigureInput(name: name, original: original, reconstruction: reconstruction, anomalyTrace: trace,
                               traceThreshold: 1, explanation: offset == 0 ? original.map(abs) : nil,
                               explanationLabel: "attention", squaredError: error)
    }
    return ScoreFigureInput(recordName: "A0001", modelName: "VAE-BiLSTM-MHA", isAnomalous: true, heartRate: 72.3,
                            samplingRate: 100, leads: leads)
}

@Suite struct ScoreFigureTests {
    @Test func figureHasOnePanelPerLeadWithExpectedParts() throws {
        let svg = try ScoreFigure(syntheticFigureInput()).svg()
        let elements = try parseXML(svg)
        #expect(elements.contains { $0.classes.contains("figure-title")
            && $0.text == "A0001 — VAE-BiLSTM-MHA — This ECG shows anomalies — HR 72 bpm" })
        let panels = elements.filter { $0.name == "g" && $0.classes.contains("lead-panel") }
        #expect(panels.compactMap { $0.attributes["data-lead"] } == ["I", "II"])
        #expect(elements.filter { $0.classes.contains("original") }.count == 2)
        #expect(elements.filter { $0.classes.contains("reconstruction") }.count == 2)
        #expect(elements.filter { $0.classes.contains("anomaly-trace") }.count == 2)
        // Lead I has an attention strip and an error strip; lead II only the error strip.
        #expect(elements.filter { $0.classes.contains("heat-strip") }.compactMap { $0.attributes["data-label"] }
                == ["attention", "squared error", "squared error"])
        #expect(elements.filter { $0.classes.contains("color-bar") }.count == 3)
        #expect(svg.contains("stroke=\"#000\"") && svg.contains("stroke=\"#d62728\"") && svg.contains("stroke=\"#ff7f0e\""))
    }

    @Test func highlightsAreTheRunsAboveThreshold() throws {
        let elements = try parseXML(try ScoreFigure(syntheticFigureInput(leads: ["V1"])).svg())
        let runs = elements.filter { $0.classes.contains("highlight") }.compactMap { element -> [Int]? in
            guard let start = element.attributes["data-start"].flatMap(Int.init),
                  let end = element.attributes["data-end"].flatMap(Int.init) else { return nil }
            return [start, end]
        }
        #expect(runs == [[100, 150], [400, 401], [990, 1000]])
        // The highlight rect spans the run's time: 50 samples = 0.5 s of a 10 s axis 708 px wide.
        let first = try #require(elements.first { $0.classes.contains("highlight") })
        #expect(first.attributes["width"] == "35.4")
    }

    @Test func timeAxisTicksAreWholeSeconds() throws {
        let elements = try parseXML(try ScoreFigure(syntheticFigureInput(leads: ["II"])).svg())
        let ticks = elements.filter { $0.classes.contains("x-tick") }.compactMap { $0.attributes["data-value"].flatMap(Double.init) }
        #expect(ticks == (0...10).map(Double.init))
        #expect(elements.filter { $0.classes.contains("x-tick") }.map(\.text).last == "10")
    }

    @Test func longSeriesAreDecimatedSoFilesStaySmall() throws {
        let twelve = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]
        let svg = try ScoreFigure(syntheticFigureInput(leads: twelve, samples: 5000)).svg()
        let elements = try parseXML(svg)
        #expect(elements.filter { $0.classes.contains("lead-panel") }.count == 12)
        let lines = elements.filter { $0.name == "path" }
        #expect(lines.count == 36)
        for line in lines {
            // One point per comma: at most the minimum and maximum of each of the 708 pixel columns.
            let points = (line.attributes["d"] ?? "").filter { $0 == "," }.count
            #expect(points > 708 && points <= 2 * 708)
        }
        #expect(svg.utf8.count < 700_000, "figure is \(svg.utf8.count) bytes")
    }

    @Test func relativePathRoundTripsToAbsolutePoints() throws {
        let path = try #require(SVG.relativePath([(58, 100.34), (59.04, 97.86), (59.04, 102), (60.1, 100)], stroke: "#000"))
        #expect(path.attributes.first { $0.0 == "d" }?.1 == "M58,100.3l1,-2.4 0,4.1 1.1,-2")
    }

    @Test func mismatchedSeriesThrow() {
        var input = syntheticFigureInput(leads: ["II"])
        input.leads[0].reconstruction.removeLast()
        #expect(throws: RenderError.seriesLengthMismatch(lead: "II", series: "reconstruction", count: 999, expected: 1000)) {
            try ScoreFigure(input).svg()
        }
    }
}

@Suite struct HTMLReportTests {
    func report() -> ReportInput {
        var normal = syntheticFigureInput(leads: ["II", "V1"])
        normal.recordName = "A0002 <b>&amp;"
        normal.heartRate = nil
        let card = ModelCard(kind: "VAE-BiLSTM-MHA", size: "small: latent 16, hidden 32", parameterCount: 123_456,
                             trainingData: "synthetic normals", historySummary: "3 epochs, best val 0.4",
                             thresholdMethod: "p95 of 200 validation scores",
                             trainingLosses: [PlotSeries(name: "train", x: [1, 2, 3], y: [1, 0.6, 0.5])],
                             notes: [ModelCardNote(label: "seed", value: "7")])
        return ReportInput(title: "ECG report", threshold: 0.5, records: [
            ReportRecord(score: 0.8, figure: syntheticFigureInput(leads: ["I", "II"])),
            ReportRecord(score: 0.3, figure: normal),
        ], modelCard: card)
    }

    @Test func reportIsWellFormedAndSelfContained() throws {
        let html = try HTMLReport(report()).render()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        let elements = try parseXML(html)
        #expect(!elements.contains { $0.name == "link" || ($0.name == "script" && $0.attributes["src"] != nil) })
        #expect(!elements.contains { ($0.attributes["src"] ?? $0.attributes["href"] ?? "").contains("//") })
        let slider = try #require(elements.first { $0.attributes["id"] == "threshold-slider" })
        #expect(slider.attributes["type"] == "range" && slider.attributes["value"] == "0.5")
        #expect(elements.filter { $0.classes.contains("lead-toggle") }.compactMap { $0.attributes["value"] } == ["I", "II", "V1"])
        #expect(elements.filter { $0.classes.contains("lead-box") }.compactMap { $0.attributes["data-lead"] } == ["I", "II", "II", "V1"])
        #expect(elements.filter { $0.name == "g" && $0.classes.contains("lead-panel") }.count == 4)
        #expect(elements.filter { $0.name == "script" }.count == 2)
    }

    @Test func tableAndVerdictsFollowScoreAgainstThreshold() throws {
        let elements = try parseXML(try HTMLReport(report()).render())
        let verdicts = elements.filter { $0.name == "td" && $0.classes.contains("verdict") }.map(\.text)
        #expect(verdicts == ["anomalous", "normal"])
        let titles = elements.filter { $0.name == "span" && $0.classes.contains("verdict") }.map(\.text)
        #expect(titles == ["This ECG shows anomalies", "This ECG appears normal"])
        #expect(elements.contains { $0.name == "a" && $0.text == "A0002 <b>&amp;" })
        let card = try #require(elements.first { $0.attributes["id"] == "model-card" })
        _ = card
        #expect(elements.contains { $0.name == "td" && $0.text == "p95 of 200 validation scores" })
        #expect(elements.contains { $0.name == "td" && $0.text == "123456" })
    }

    @Test func embeddedTraceDataDrivesTheSlider() throws {
        let elements = try parseXML(try HTMLReport(report()).render())
        let script = try #require(elements.first { $0.attributes["id"] == "report-data" })
        let json = try #require(try JSONSerialization.jsonObject(with: Data(script.text.utf8)) as? [String: Any])
        #expect(json["threshold"] as? Double == 0.5)
        let records = try #require(json["records"] as? [[String: Any]])
        #expect(records.map { $0["score"] as? Double } == [0.8, 0.3])
        let lead = try #require((records[0]["leads"] as? [[String: Any]])?.first)
        #expect(lead["lead"] as? String == "I")
        #expect(lead["thr"] as? Double == 1)
        let columns = try #require(lead["cols"] as? [Double])
        // 1000 samples over 708 pixel columns: each column keeps the maximum of its samples.
        #expect(columns.count == 708)
        let above = columns.indices.filter { columns[$0] > 1 }
        let expected = (0..<708).filter { column in
            let start = column * 1000 / 708, end = (column + 1) * 1000 / 708
            return (start..<end).contains { (100..<150).contains($0) || $0 == 400 || $0 >= 990 }
        }
        #expect(above == expected)
        let behaviour = try #require(elements.last { $0.name == "script" })
        #expect(behaviour.text.contains("threshold-slider") && behaviour.text.contains("highlight-layer"))
    }
}

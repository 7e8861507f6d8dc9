// `plot` of score results, models and metric tables, and `show s`, run through an interpreter on real
// records scored by the published CAE: SVG structure parsed with FoundationXML, values checked against
// the score result, analytic ROC/PR areas, and the preview's markers against the trace.
import Commands
@testable import ECGKit
import Evaluation
import Foundation
import Models
#if canImport(FoundationXML)
import FoundationXML
#endif
import Script
import Testing
import TestSupport

/// The elements below `node` (or the whole document) whose `class` is exactly `value`.
func svgElements(_ node: XMLNode, class value: String) throws -> [XMLElement] {
    try node.nodes(forXPath: ".//*[@class='\(value)']").compactMap { $0 as? XMLElement }
}

/// Attribute `name` of `element`, looked up by name (FoundationXML on Linux does not find attributes
/// of elements in the SVG default namespace with `attribute(forName:)`).
func svgAttribute(_ element: XMLElement, _ name: String) -> String? {
    element.attributes?.first { $0.name == name || $0.localName == name }?.stringValue
}

@Suite(.serialized) struct ScoreFigureCommandTests {
    @Test func scoreFigureOfRealRecordShowsLeads2_5_9WithTheirTracesAndStrips() throws {
        let result = try ScoredRecords.results.get()[0]
        let tau = try #require(result.threshold).value
        let folder = try ScratchFolder.folder("score-figure")
        let path = folder.appendingPathComponent("a.svg").path
        let output = CapturedOutput()
        let interpreter = ScoredRecords.session(["s": .object(ScoreValue(.record(result)))], output: output)
        try ScoredRecords.run(interpreter, "plot(s, \"\(path)\", leads=[2, 5, 9])")
        #expect(output.text == "wrote \(path) (3 lead panels)\n")

        let document = try XMLDocument(contentsOf: URL(fileURLWithPath: path))
        let panels = try svgElements(document, class: "lead-panel")
        #expect(panels.map { svgAttribute($0, "data-lead") } == ["III", "aVF", "V4"])
        let title = try #require(try svgElements(document, class: "figure-title").first?.stringValue)
        let verdict = result.score > tau ? "This ECG shows anomalies" : "This ECG appears normal"
        #expect(title == "A0001 — CAE — \(verdict) — HR \(Int(result.heartRate.rounded())) bpm")
        #expect(result.heartRate > 30 && result.heartRate < 200, "heart rate \(result.heartRate)")

        // The CAE's trace is its squared error and its score the whole-record MSE: the trace threshold is tau.
        let steps = try #require(result.input?.shape[1])
        #expect(steps == 5000)
        for (panel, lead) in zip(panels, [2, 5, 9]) {
            for part in ["original", "reconstruction", "anomaly-trace", "threshold-line"] {
                #expect(try svgElements(panel, class: part).count == 1, "lead \(lead): one \(part)")
            }
            let strips = try svgElements(panel, class: "heat-strip").compactMap { svgAttribute($0, "data-label") }
            #expect(strips == ["saliency", "squared error"])
            #expect(try svgElements(panel, class: "color-bar").count == 2)
            let line = try #require(try svgElements(panel, class: "threshold-line").first)
            let traceThreshold = try #require(svgAttribute(line, "data-threshold").flatMap(Double.init))
            #expect(abs(traceThreshold - tau) <= 1e-5 * tau, "lead \(lead): trace threshold \(traceThreshold) vs tau \(tau)")
            let trace = ScoredRecords.row(result.anomalyTrace, lead, count: steps)
            let squared = ScoredRecords.row(result.squaredError, lead, count: steps)
            #expect(trace == squared)
            let drawn = try svgElements(panel, class: "highlight").map { rect -> Range<Int> in
                (Int(svgAttribute(rect, "data-start") ?? "") ?? -1)..<(Int(svgAttribute(rect, "data-end") ?? "") ?? -1)
            }
            // Runs closer than one pixel (5000 samples over the 708-pixel plot) are drawn as one.
            #expect(drawn == ScoredRecords.runsAbove(trace, traceThreshold, mergingGapsBelow: 5000.0 / 708),
                    "lead \(lead): highlighted runs")
            let ticks = try svgElements(panel, class: "tick x-tick").compactMap { svgAttribute($0, "data-value") }
            #expect(ticks.first == "0.0" && ticks.last == "10.0", "lead \(lead): time axis \(ticks)")
        }
    }

    @Test(.enabled(if: BrowserTools.available, Comment(rawValue: BrowserTools.skipMessage)))
    func scoreFigureOpensInChromiumWithThreeDrawnLeadPanels() throws {
        let result = try ScoredRecords.results.get()[0]
        let folder = try BrowserTools.temporaryFolder("score-figure-shot")
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("a.svg")
        let interpreter = ScoredRecords.session(["s": .object(ScoreValue(.record(result)))])
        try ScoredRecords.run(interpreter, "plot(s, \"\(page.path)\", leads=[2, 5, 9])")
        let document = try XMLDocument(contentsOf: page)
        let root = try #require(document.rootElement())
        let width = try #require(svgAttribute(root, "width").flatMap(Double.init))
        let height = try #require(svgAttribute(root, "height").flatMap(Double.init))
        // Each panel sits in a group translated to its top; the next panel's top (or the end) bounds it.
        let tops = try svgElements(document, class: "lead-panel").map { panel -> Double in
            let transform = (panel.parent as? XMLElement).flatMap { svgAttribute($0, "transform") } ?? ""
            return Double(transform.replacingOccurrences(of: "translate(0 ", with: "").dropLast()) ?? -1
        }
        #expect(tops.count == 3 && tops.allSatisfy { $0 > 0 }, "panel tops \(tops)")
        let shot = try BrowserTools.screenshot(of: page, width: Int(width), height: Int(height), in: folder)
        let statistics = try BrowserTools.meanAndDeviation(of: shot, in: folder)
        #expect(statistics.mean > 0.8 && statistics.mean < 0.99, "figure mean \(statistics.mean): blank or mostly dark")
        #expect(statistics.deviation > 0.08, "figure standard deviation \(statistics.deviation)")
        for (index, top) in tops.enumerated() {
            let bottom = index + 1 < tops.count ? tops[index + 1] : height
            let panel = try BrowserTools.pixels(of: shot, x: 0, y: Int(top), width: Int(width), height: Int(bottom - top), in: folder)
            #expect(panel.count(where: PixelColor.isDark) > 400, "panel \(index): black signal and labels")
            #expect(panel.count(where: PixelColor.isRed) > 300, "panel \(index): red reconstruction")
            #expect(panel.count(where: PixelColor.isOrange) > 200, "panel \(index): orange trace")
        }
    }

    @Test func vaeMHAFigureHasAttentionStripsAndTheTraceThresholdInTraceUnits() throws {
        // A small VAE-BiLSTM-MHA (seeded, untrained) on the first 2 s of A0002: its trace and score live on
        // different scales, so the trace threshold is tau x mean trace / score.
        let model = try ModelFactory.make(.vaeMHA, preset: .small, seed: 7)
        let record = try RecordLoader.load(TestPaths.shared("ecg12/cpsc2018/A0002.hea").path).preprocessed()
            .croppedOrPadded(to: 1000)
        var result = try Scorer.score(model, record: record, options: ScoringOptions(leadStrips: true))
        let tau = result.score * 0.9
        result.threshold = Threshold(method: .f1, value: tau, sampleCount: 10)
        let trace = result.anomalyTrace.scalars.map(Double.init)
        let mean = trace.reduce(0, +) / Double(trace.count)
        #expect(result.score > 0 && mean > 0, "score \(result.score), mean trace \(mean)")
        let expectedThreshold = tau * mean / result.score
        let folder = try ScratchFolder.folder("vae-figure")
        let path = folder.appendingPathComponent("v.svg").path
        let interpreter = ScoredRecords.session(["s": .object(ScoreValue(.record(result)))])
        try ScoredRecords.run(interpreter, "plot(s, \"\(path)\", leads=[\"II\", \"V2\"])")
        let document = try XMLDocument(contentsOf: URL(fileURLWithPath: path))
        let title = try svgElements(document, class: "figure-title").first?.stringValue ?? ""
        #expect(title.hasPrefix("A0002 — VAE-BiLSTM-MHA — This ECG shows anomalies"))
        let panels = try svgElements(document, class: "lead-panel")
        #expect(panels.map { svgAttribute($0, "data-lead") } == ["II", "V2"])
        for (panel, lead) in zip(panels, [1, 7]) {
            let strips = try svgElements(panel, class: "heat-strip").compactMap { svgAttribute($0, "data-label") }
            #expect(strips == ["attention", "squared error"])
            let line = try #require(try svgElements(panel, class: "threshold-line").first)
            let drawnThreshold = try #require(svgAttribute(line, "data-threshold").flatMap(Double.init))
            #expect(abs(drawnThreshold - expectedThreshold) <= 1e-12 * abs(expectedThreshold))
            let drawn = try svgElements(panel, class: "highlight").map { rect -> Range<Int> in
                (Int(svgAttribute(rect, "data-start") ?? "") ?? -1)..<(Int(svgAttribute(rect, "data-end") ?? "") ?? -1)
            }
            let leadTrace = ScoredRecords.row(result.anomalyTrace, lead, count: 1000)
            #expect(drawn == ScoredRecords.runsAbove(leadTrace, expectedThreshold, mergingGapsBelow: 1000.0 / 708))
        }
    }

    @Test func scoreFigureThresholdArgumentMovesVerdictAndHighlights() throws {
        let result = try ScoredRecords.results.get()[1]
        let folder = try ScratchFolder.folder("score-threshold")
        let low = folder.appendingPathComponent("low.svg").path, high = folder.appendingPathComponent("high.svg").path
        let interpreter = ScoredRecords.session(["s": .object(ScoreValue(.record(result)))])
        try ScoredRecords.run(interpreter, """
            plot(s, "\(low)", leads="II", threshold=\(result.score / 2))
            plot(s, "\(high)", leads=["II"], threshold=\(result.score * 2), title="lead II")
            """)
        let lowDocument = try XMLDocument(contentsOf: URL(fileURLWithPath: low))
        let highDocument = try XMLDocument(contentsOf: URL(fileURLWithPath: high))
        #expect(try svgElements(lowDocument, class: "figure-title").first?.stringValue?.contains("This ECG shows anomalies") == true)
        let highTitle = try svgElements(highDocument, class: "figure-title").first?.stringValue ?? ""
        #expect(highTitle.hasPrefix("lead II — CAE — This ECG appears normal"))
        let lowRuns = try svgElements(lowDocument, class: "highlight").count
        let highRuns = try svgElements(highDocument, class: "highlight").count
        let trace = ScoredRecords.row(result.anomalyTrace, 1, count: 5000)
        #expect(lowRuns == ScoredRecords.runsAbove(trace, result.score / 2, mergingGapsBelow: 5000.0 / 708).count)
        #expect(highRuns == ScoredRecords.runsAbove(trace, result.score * 2, mergingGapsBelow: 5000.0 / 708).count)
        #expect(lowRuns > 0)
    }

    @Test func scoreFigureErrorsNameTheArgument() throws {
        var result = try ScoredRecords.results.get()[2]
        result.threshold = nil
        let folder = try ScratchFolder.folder("score-errors")
        let path = folder.appendingPathComponent("e.svg").path
        let interpreter = ScoredRecords.session(["s": .object(ScoreValue(.record(result)))])
        for (text, message) in [
            ("plot(s, \"\(path)\")", "has no threshold"),
            ("plot(s, \"\(path)\", leads=[\"V9\"], threshold=1)", "no lead 'V9' in the result"),
            ("plot(s, \"\(path)\", leads=[12], threshold=1)", "lead 12 out of range for a result of 12 leads"),
            ("plot(s, \"\(path)\", threshold=\"high\")", "threshold must be a number or a threshold, got string"),
            ("plot(ones(3), \"\(path)\", threshold=1)", "threshold= applies to score figures"),
        ] {
            #expect { try ScoredRecords.run(interpreter, text) } throws: { error in
                "\(error)".contains(message)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func datasetScoreFigureHasOneDotPerRecordByLabelAndTheThreshold() throws {
        let threshold = Threshold(method: .percentile, value: 0.5, sampleCount: 6)
        var scores = DatasetScores(names: ["a", "b", "c", "d", "e", "f"], labels: [0, 0, 1, 1, 1, nil],
                                   scores: [0.1, 0.7, 0.2, 0.6, 0.9, 0.4], windowScores: Array(repeating: [], count: 6),
                                   heartRates: Array(repeating: .nan, count: 6), details: nil)
        scores.modelKind = .cae
        scores.threshold = threshold
        let folder = try ScratchFolder.folder("dataset-scores")
        let path = folder.appendingPathComponent("d.svg").path
        let output = CapturedOutput()
        let interpreter = ScoredRecords.session(["d": .object(ScoreValue(.dataset(scores)))], output: output)
        try ScoredRecords.run(interpreter, "plot(d, \"\(path)\")")
        #expect(output.text == "wrote \(path) (scores of 6 records in 3 groups)\n")
        let document = try XMLDocument(contentsOf: URL(fileURLWithPath: path))
        let groups = try svgElements(document, class: "score-group")
        #expect(groups.map { svgAttribute($0, "data-group") } == ["normal", "anomalous", "unlabelled"])
        let dots = try groups.map { try svgElements($0, class: "score-dot").compactMap { svgAttribute($0, "data-record") }.sorted() }
        #expect(dots == [["a", "b"], ["c", "d", "e"], ["f"]])
        let counts = try groups.map { try svgElements($0, class: "group-count").first?.stringValue }
        #expect(counts == ["1 of 2 above", "2 of 3 above", "0 of 1 above"])
        let line = try #require(try svgElements(document, class: "threshold-line").first)
        #expect(svgAttribute(line, "data-threshold") == "0.5")
        // Dots sit left of the threshold line exactly when their score is below it.
        let lineX = try #require(svgAttribute(line, "x1").flatMap(Double.init))
        for dot in try svgElements(document, class: "score-dot") {
            let x = try #require(svgAttribute(dot, "cx").flatMap(Double.init))
            let score = try #require(svgAttribute(dot, "data-score").flatMap(Double.init))
            #expect((x > lineX) == (score > 0.5))
        }
    }

    @Test func metricsFigureDrawsROCAndPRCurvesWithAnalyticAreas() throws {
        // scikit-learn's documented example: roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.75,
        // average_precision_score = 0.8333 (0.5 * 1 + 0.5 * 2/3).
        let first = try EvaluationRow(name: "cae", scores: [0.1, 0.4, 0.35, 0.8], labels: [false, false, true, true],
                                      threshold: Threshold(method: .percentile, value: 0.5, sampleCount: 4))
        let second = try EvaluationRow(name: "perfect", scores: [0.1, 0.2, 0.8, 0.9], labels: [false, false, true, true],
                                       threshold: Threshold(method: .percentile, value: 0.5, sampleCount: 4))
        let folder = try ScratchFolder.folder("metrics-figure")
        let path = folder.appendingPathComponent("roc.svg").path
        let output = CapturedOutput()
        let interpreter = ScoredRecords.session(["e": .object(MetricsValue(MetricTable(rows: [first, second])))], output: output)
        try ScoredRecords.run(interpreter, "plot(e, \"\(path)\")")
        #expect(output.text == "wrote \(path) (ROC and PR curves of 2 rows)\n")
        let document = try XMLDocument(contentsOf: URL(fileURLWithPath: path))
        let panels = try svgElements(document, class: "figure-panel")
        #expect(panels.map { svgAttribute($0, "data-panel") } == ["roc", "pr"])
        let rocSeries = try svgElements(panels[0], class: "series").compactMap { svgAttribute($0, "data-series") }
        #expect(rocSeries == ["cae (AUC 0.750)", "perfect (AUC 1.000)", "chance"])
        let prSeries = try svgElements(panels[1], class: "series").compactMap { svgAttribute($0, "data-series") }
        #expect(prSeries == ["cae (AP 0.833)", "perfect (AP 1.000)"])
        // The ROC of the first row has scikit-learn's 5 points (0,0) (0,.5) (.5,.5) (.5,1) (1,1).
        let polyline = try #require(try svgElements(panels[0], class: "series").first)
        #expect(svgAttribute(polyline, "points")?.split(separator: " ").count == 5)
    }

    @Test func modelFigureDrawsTheTrainingHistoryPanels() throws {
        let model = try ModelFactory.make(.vaeMHA, preset: .small)
        var state = TrainingState()
        let losses = [900.0, 700.0, 650.0]
        state.history = losses.enumerated().map { index, loss in
            TrainingEpoch(epoch: index + 1, trainingLoss: loss, trainingReconstruction: loss - 50, trainingKL: 50,
                          validationLoss: loss + 20, validationReconstruction: loss - 40, validationKL: 60,
                          klToReconstructionRatio: 0.1, collapsedDimensions: 0, learningRate: 5e-4, nextLearningRate: 5e-4,
                          beta: Double(index) / 2, gradientNorm: 1, seconds: 1, isBest: true)
        }
        state.epoch = 3
        let trained = TrainedModel(model, sizeName: "small", origin: "test", trainingState: state)
        let folder = try ScratchFolder.folder("history-figure")
        let path = folder.appendingPathComponent("h.svg").path
        let output = CapturedOutput()
        let interpreter = ScoredRecords.session(["m": .object(ModelValue(trained))], output: output)
        try ScoredRecords.run(interpreter, "plot(m, \"\(path)\")")
        #expect(output.text == "wrote \(path) (training history of 3 epochs)\n")
        let document = try XMLDocument(contentsOf: URL(fileURLWithPath: path))
        let panels = try svgElements(document, class: "figure-panel")
        #expect(panels.map { svgAttribute($0, "data-panel") } == ["loss", "reconstruction", "kl", "beta", "learning rate"])
        let loss = try svgElements(panels[0], class: "series")
        #expect(loss.compactMap { svgAttribute($0, "data-series") } == ["training loss", "validation loss"])
        // Three epochs, three points; the training loss falls, so its y pixel grows (y points down).
        let points = try #require(svgAttribute(loss[0], "points")).split(separator: " ").map { pair in
            pair.split(separator: ",").compactMap { Double($0) }
        }
        #expect(points.count == 3)
        #expect(points[0][1] < points[1][1] && points[1][1] < points[2][1])

        let untrained = ScoredRecords.session(["m": .object(ModelValue(TrainedModel(model, sizeName: "small", origin: "test")))])
        #expect { try ScoredRecords.run(untrained, "plot(m, \"\(path)\")") } throws: { error in
            "\(error)".contains("no training history to plot")
        }
    }

    @Test func showScoreHasHeaderLeadPreviewsAndMarkersAtTheTraceAboveThreshold() throws {
        let result = try ScoredRecords.results.get()[0]
        let tau = try #require(result.threshold).value
        let output = CapturedOutput()
        let interpreter = ScoredRecords.session(["s": .object(ScoreValue(.record(result)))], output: output)
        try ScoredRecords.run(interpreter, "show s")
        let lines = output.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "score A0001 by cae (mse): \(Script.formatNumber(result.score))")
        let verdict = result.score > tau ? "This ECG shows anomalies" : "This ECG appears normal"
        #expect(lines[1] == "threshold p50 = \(Script.formatNumber(tau)): \(verdict)")
        #expect(lines[2] == "heart rate: \(Int(result.heartRate.rounded())) bpm  label: 1 (abnormal)")
        #expect(!output.text.contains("\u{1B}"), "colour codes off a terminal")
        // Per lead I, II, V1, V5: two braille rows, a trace line, and markers where the stretch maximum > tau.
        for (name, lead) in [("I", 0), ("II", 1), ("V1", 6), ("V5", 10)] {
            let start = try #require(lines.firstIndex { $0.hasPrefix(name.padding(toLength: 6, withPad: " ", startingAt: 0)) })
            #expect(lines[start].unicodeScalars.contains { (0x2800...0x28FF).contains($0.value) })
            #expect(lines[start + 2].hasPrefix("trace "))
            let trace = ScoredRecords.row(result.anomalyTrace, lead, count: 5000)
            let expected = (0..<60).map { column -> Character in
                let stretch = trace[(column * 5000 / 60)..<((column + 1) * 5000 / 60)]
                return (stretch.max() ?? 0) > tau ? "^" : " "
            }
            var expectedLine = "      " + String(expected)
            while expectedLine.hasSuffix(" ") { expectedLine.removeLast() }
            if expected.contains("^") {
                #expect(lines[start + 3] == expectedLine, "lead \(name) markers")
            } else {
                #expect(!lines[start + 3].hasPrefix("      ^") && !lines[start + 3].contains("^"), "lead \(name): no markers")
            }
        }
        let coloured = ScoreValue(.record(result)).show(ansiColour: true)
        #expect(coloured.contains("\u{1B}[31m") && coloured.contains("\u{1B}[32m"))
    }

    @Test func showDatasetScoresListsRecordsWithVerdicts() throws {
        let threshold = Threshold(method: .percentile, value: 0.5, parameters: ["p": 95], sampleCount: 3)
        var scores = DatasetScores(names: ["a", "b", "c"], labels: [0, 1, nil], scores: [0.25, 0.75, 0.5],
                                   windowScores: [[], [], []], heartRates: [60, .nan, 72.4], details: nil)
        scores.modelKind = .cae
        scores.threshold = threshold
        let text = ScoreValue(.dataset(scores)).show()
        #expect(text == """
            scores of 3 records by cae
            threshold p95 = 0.5: 1 of 3 records above
            record  label     score  verdict    HR (bpm)
            ------  --------  -----  ---------  --------
            a       normal     0.25  normal           60
            b       abnormal   0.75  anomalous         -
            c       -           0.5  normal           72
            """)
    }
}

// `report` on 20 real records scored by the published CAE: the file's size and structure parsed as XML,
// the model card, and in headless Chromium its load time, the threshold slider and a screenshot.
import Commands
import ECGKit
import Evaluation
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Script
import Testing
import TestSupport

/// What the probe script appended to a copy of the report writes into `<pre id="test-result">`.
struct ReportProbe: Codable {
    struct State: Codable {
        /// Per record, the summed width (px) of its highlight rectangles.
        var highlights: [Double]
        var verdicts: [String]
        var sections: [Bool]
    }
    var exception: String?
    var errors: [String]
    var loadMilliseconds: Double?
    var initial: State?
    var lowest: State?
    var highest: State?
    var reset: State?
    var hiddenV1: [String]?
    var figure: [Double]?
}

enum ReportFixture {
    static let title = "CPSC 2018 A0001-A0020"

    /// The report of the 20 scored records, written once by the `report` command.
    static let report: Result<(path: URL, html: String, output: String), any Error> = Result {
        let results = try ScoredRecords.results.get()
        let folder = try ScratchFolder.folder("report")
        let path = folder.appendingPathComponent("report.html")
        let output = CapturedOutput()
        let interpreter = ScoredRecords.session(["results": .list(results.map { .object(ScoreValue(.record($0))) })],
                                                output: output)
        try ScoredRecords.run(interpreter, "report(results, \"\(path.path)\", title=\"\(title)\")")
        return (path, try String(contentsOf: path, encoding: .utf8), output.text)
    }

    static let windowWidth = 1280, windowHeight = 1600

    /// Collects script errors before the report's own script runs.
    static let headScript = """
    <script>window.testErrors = []; window.addEventListener('error', function (event) { window.testErrors.push(String(event.message)); });</script>
    """

    /// On load: the load time from navigation start, highlighted widths and verdicts at the report's
    /// threshold, at the slider's minimum and maximum and after reset, lead V1 toggled off, and the first
    /// figure's box (left, top, width, height).
    static let probeScript = """
    <script>
    window.addEventListener('load', function () {
      var result = {};
      try {
        var navigation = performance.getEntriesByType('navigation')[0];
        result.loadMilliseconds = navigation && navigation.loadEventStart > 0 ? navigation.loadEventStart : performance.now();
        var slider = document.getElementById('threshold-slider');
        var all = function (selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); };
        var state = function () {
          return {
            highlights: all('section.record').map(function (s) {
              return all('rect.highlight', s).reduce(function (sum, r) { return sum + parseFloat(r.getAttribute('width')); }, 0);
            }),
            verdicts: all('#records-table tbody tr').map(function (r) { return r.querySelector('.verdict').textContent; }),
            sections: all('section.record').map(function (s) { return s.classList.contains('anomalous'); })
          };
        };
        var setTau = function (value) {
          slider.value = String(value);
          slider.dispatchEvent(new Event('input', { bubbles: true }));
          return state();
        };
        var box = document.querySelector('#record-0 .lead-box svg').getBoundingClientRect();
        result.figure = [box.left + window.scrollX, box.top + window.scrollY, box.width, box.height];
        result.initial = state();
        result.lowest = setTau(slider.min);
        result.highest = setTau(slider.max);
        document.getElementById('threshold-reset').click();
        result.reset = state();
        var toggle = document.querySelector('.lead-toggle[value="V1"]');
        toggle.click();
        result.hiddenV1 = all('.lead-box[data-lead="V1"]').map(function (d) { return getComputedStyle(d).display; });
        toggle.click();
      } catch (error) {
        result.exception = String(error && error.stack || error);
      }
      result.errors = window.testErrors;
      var pre = document.createElement('pre');
      pre.id = 'test-result';
      pre.textContent = JSON.stringify(result);
      document.body.appendChild(pre);
    });
    </script>
    """

    /// Loads a probed copy of the report in Chromium on the real clock and decodes the probe's result.
    static func probe() throws -> ReportProbe {
        let html = try report.get().html
        let probed = html.replacingOccurrences(of: "<head>", with: "<head>" + headScript)
            .replacingOccurrences(of: "</body>", with: probeScript + "</body>")
        let folder = try BrowserTools.temporaryFolder("report-probe")
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("report-probe.html")
        try probed.write(to: page, atomically: true, encoding: .utf8)
        let dom = try BrowserTools.dumpDOM(of: page, width: windowWidth, height: windowHeight, in: folder, virtualTimeBudget: nil)
        guard let open = dom.range(of: "<pre id=\"test-result\">"),
              let close = dom.range(of: "</pre>", range: open.upperBound..<dom.endIndex) else {
            throw BrowserToolError(description: "the dumped DOM has no #test-result; \(dom.count) characters")
        }
        let json = String(dom[open.upperBound..<close.lowerBound])
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        return try JSONDecoder().decode(ReportProbe.self, from: Data(json.utf8))
    }
}

@Suite(.serialized) struct ReportCommandTests {
    @Test func reportOfTwentyRecordsIsSmallWellFormedAndComplete() throws {
        let report = try ReportFixture.report.get()
        let results = try ScoredRecords.results.get()
        let tau = try #require(results[0].threshold).value
        let bytes = report.html.utf8.count
        #expect(bytes < 5_000_000, "report is \(bytes) bytes")
        #expect(report.output == "wrote \(report.path.path) (20 records, \(bytes / 1024) KB)\n")
        let document = try XMLDocument(xmlString: report.html)
        let rows = try document.nodes(forXPath: "//*[@id='records-table']//*[local-name()='tbody']/*[local-name()='tr']")
            .compactMap { $0 as? XMLElement }
        #expect(rows.count == 20)
        for (row, result) in zip(rows, results) {
            let cells = (row.children ?? []).compactMap(\.stringValue)
            #expect(cells == [result.recordName, String(format: "%.4g", result.score), String(format: "%.4g", tau),
                              result.score > tau ? "anomalous" : "normal"])
        }
        let sections = try document.nodes(forXPath: "//*[contains(concat(' ', @class, ' '), ' record ')]").compactMap { $0 as? XMLElement }
        #expect(sections.map { svgAttribute($0, "data-record") } == ScoredRecords.names)
        for section in sections {
            let boxes = try svgElements(section, class: "lead-box").compactMap { svgAttribute($0, "data-lead") }
            #expect(boxes == ["I", "II", "V1", "V5"])
            #expect(try svgElements(section, class: "lead-panel").count == 4)
            #expect(try svgElements(section, class: "original").count == 4)
        }
        // Self-contained: every link stays in the page (anchors) or is inline data (the heat strips' PNGs).
        let references = try document.nodes(forXPath: "//@src | //@href").compactMap(\.stringValue)
        let outside = references.filter { !$0.hasPrefix("#") && !$0.hasPrefix("data:image/png;base64,") }
        #expect(outside.isEmpty, "external references \(outside.prefix(3))")
        #expect(references.filter { $0.hasPrefix("data:") }.count == 160, "one strip image per lead and strip")
        let card = try document.nodes(forXPath: "//*[@id='model-card']//*[local-name()='tr']").map { row in
            ((row as? XMLElement)?.children ?? []).compactMap(\.stringValue)
        }
        #expect(card.first == ["Kind", "CAE"])
        #expect(card.contains(["Threshold method", "p50 = \(String(format: "%.4g", tau)) (from 20 scores)"]))
        #expect(card.contains(["Score method", "mse"]))
    }

    @Test func reportModelCardComesFromTheModel() throws {
        let results = try ScoredRecords.results.get()
        let trained = TrainedModel(try ScoredRecords.publishedModel(), sizeName: "reference", origin: "import_torch(\"best_cae_model.pth\")",
                                   trainingData: "the thesis' training set", threshold: results[0].threshold)
        let folder = try ScratchFolder.folder("report-model")
        let path = folder.appendingPathComponent("one.html").path
        let interpreter = ScoredRecords.session(["s": .object(ScoreValue(.record(results[3]))), "m": .object(ModelValue(trained))])
        try ScoredRecords.run(interpreter, "report(s, \"\(path)\", model=m, leads=[\"II\"], threshold=\(results[3].score * 2))")
        let document = try XMLDocument(contentsOf: URL(fileURLWithPath: path))
        let card = try document.nodes(forXPath: "//*[@id='model-card']//*[local-name()='tr']").map { row in
            ((row as? XMLElement)?.children ?? []).compactMap(\.stringValue)
        }
        #expect(card.contains(["Kind", "CAE"]))
        #expect(card.contains(["Parameters", "75340"]))
        #expect(card.contains(["Training data", "the thesis' training set"]))
        #expect(card.contains(["History", "not trained here"]))
        #expect(card.contains(["Origin", "import_torch(\"best_cae_model.pth\")"]))
        let verdicts = try document.nodes(forXPath: "//*[@id='records-table']//*[@class='verdict']").compactMap(\.stringValue)
        #expect(verdicts == ["normal"])
        let slider = try #require(try document.nodes(forXPath: "//*[@id='threshold-slider']").first as? XMLElement)
        #expect(Double(svgAttribute(slider, "value") ?? "") == results[3].score * 2)
        let boxes = try document.nodes(forXPath: "//*[@class='lead-box']").compactMap { $0 as? XMLElement }
        #expect(boxes.compactMap { svgAttribute($0, "data-lead") } == ["II"])

        let bad = ScoredRecords.session(["s": .object(ScoreValue(.record(results[3])))])
        #expect { try ScoredRecords.run(bad, "report(s, \"\(folder.path)/x.txt\")") } throws: { error in
            "\(error)".contains("name the file with .html")
        }
        #expect { try ScoredRecords.run(bad, "report([s, 3], \"\(path)\")") } throws: { error in
            "\(error)".contains("results must be scores, got number")
        }
    }

    @Test func reportOfADatasetScoreUsesItsDetails() throws {
        let model = try ScoredRecords.publishedModel()
        let records = try ["A0001", "A0002", "A0003"].map { name in
            try RecordLoader.load(TestPaths.shared("ecg12/cpsc2018/\(name).hea").path).preprocessed()
        }
        let dataset = Dataset(source: "cpsc2018", records: records, labels: [1, 1, 0])
        var detailed = try Scorer.score(model, dataset: dataset, keepDetails: true)
        detailed.threshold = Threshold(method: .f1, value: 0.5, sampleCount: 3)
        var bare = try Scorer.score(model, dataset: dataset)
        bare.threshold = detailed.threshold
        let folder = try ScratchFolder.folder("report-dataset")
        let path = folder.appendingPathComponent("d.html").path
        let output = CapturedOutput()
        let interpreter = ScoredRecords.session(["d": .object(ScoreValue(.dataset(detailed))),
                                                 "b": .object(ScoreValue(.dataset(bare)))], output: output)
        try ScoredRecords.run(interpreter, "report(d, \"\(path)\", threshold=0.5)")
        #expect(output.text.hasPrefix("wrote \(path) (3 records, "))
        let document = try XMLDocument(contentsOf: URL(fileURLWithPath: path))
        let verdicts = try document.nodes(forXPath: "//*[@id='records-table']//*[@class='verdict']").compactMap(\.stringValue)
        #expect(verdicts == detailed.scores.map { $0 > 0.5 ? "anomalous" : "normal" })
        #expect { try ScoredRecords.run(interpreter, "report(b, \"\(path)\")") } throws: { error in
            "\(error)".contains("the dataset's scores hold no per-record results")
        }
    }

    @Test(.enabled(if: BrowserTools.available, Comment(rawValue: BrowserTools.skipMessage)))
    func reportLoadsInChromiumUnderTwoSecondsAndTheSliderMovesHighlights() throws {
        let probe = try ReportFixture.probe()
        #expect(probe.exception == nil, "probe threw: \(probe.exception ?? "")")
        #expect(probe.errors.isEmpty, "script errors: \(probe.errors)")
        let load = try #require(probe.loadMilliseconds)
        #expect(load > 0 && load < 2000, "load event after \(load) ms")
        let results = try ScoredRecords.results.get()
        let tau = try #require(results[0].threshold).value
        let initial = try #require(probe.initial), lowest = try #require(probe.lowest)
        let highest = try #require(probe.highest), reset = try #require(probe.reset)
        #expect(initial.verdicts == results.map { $0.score > tau ? "anomalous" : "normal" })
        #expect(initial.sections == results.map { $0.score > tau })
        #expect(lowest.verdicts == Array(repeating: "anomalous", count: 20))
        #expect(highest.verdicts == Array(repeating: "normal", count: 20))
        // A lower threshold highlights more of every trace, a higher one less; reset restores the start
        // (redrawn by the script per pixel column, so widths may differ from the SVG's by a pixel per run).
        #expect(zip(lowest.highlights, initial.highlights).allSatisfy { $0 >= $1 })
        #expect(lowest.highlights.reduce(0, +) > initial.highlights.reduce(0, +))
        #expect(highest.highlights.reduce(0, +) < initial.highlights.reduce(0, +))
        #expect(reset.verdicts == initial.verdicts && reset.sections == initial.sections)
        #expect(reset.highlights.reduce(0, +) > highest.highlights.reduce(0, +))
        #expect(probe.hiddenV1 == Array(repeating: "none", count: 20))
        print("report of 20 records: load event at \(load) ms, \(initial.highlights.reduce(0, +)) px highlighted at tau")
    }

    @Test(.enabled(if: BrowserTools.available, Comment(rawValue: BrowserTools.skipMessage)))
    func reportScreenshotIsNotBlankAndShowsTheFirstFigure() throws {
        let report = try ReportFixture.report.get()
        let folder = try BrowserTools.temporaryFolder("report-shot")
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("report.html")
        try report.html.write(to: page, atomically: true, encoding: .utf8)
        let shot = try BrowserTools.screenshot(of: page, width: ReportFixture.windowWidth, height: ReportFixture.windowHeight, in: folder)
        let statistics = try BrowserTools.meanAndDeviation(of: shot, in: folder)
        #expect(statistics.width == ReportFixture.windowWidth && statistics.height == ReportFixture.windowHeight)
        #expect(statistics.mean > 0.8 && statistics.mean < 0.99, "page mean \(statistics.mean): blank or mostly dark")
        #expect(statistics.deviation > 0.08, "page standard deviation \(statistics.deviation): nearly uniform")
        // The first figure (record 0, lead I) where the browser put it: the black signal, the red
        // reconstruction and the orange trace are drawn; above it the title, controls and table.
        let figure = try #require(try ReportFixture.probe().figure)
        let left = Int(figure[0].rounded()), top = Int(figure[1].rounded())
        let width = Int(figure[2].rounded()), height = Int(figure[3].rounded())
        #expect(width == 900 && top > 200 && top + height <= ReportFixture.windowHeight, "first figure at \(figure)")
        let image = try BrowserTools.pixels(of: shot, x: left, y: top, width: width, height: height, in: folder)
        #expect(image.count(where: PixelColor.isDark) > 400)
        #expect(image.count(where: PixelColor.isRed) > 300)
        #expect(image.count(where: PixelColor.isOrange) > 200)
        let header = try BrowserTools.pixels(of: shot, x: 0, y: 0, width: ReportFixture.windowWidth, height: top, in: folder)
        #expect(header.count(where: PixelColor.isDark) > 500, "no text above the figures")
    }
}

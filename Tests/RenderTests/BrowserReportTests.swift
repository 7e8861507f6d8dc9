// The HTML report and the score figure in a real headless Chromium: screenshots checked pixel by pixel
// with ImageMagick, the threshold slider and lead selector driven by a script, no network use.

import Foundation
import Testing
import TestSupport
@testable import Render

/// What the probe script (appended to a copy of the report) writes into `<pre id="test-result">`.
struct BrowserProbe: Codable, Sendable {
    struct Layout: Codable, Sendable {
        var left: Double, top: Double, width: Double, height: Double, viewportWidth: Double
    }
    struct State: Codable, Sendable {
        var tau: Double
        var shown: String
        var counts: [Int]
        var rowVerdicts: [String]
        var rowClasses: [String]
        var rowThresholds: [String]
        var sectionVerdicts: [String]
        var sectionAnomalous: [Bool]
        /// [x, width] of each highlight rect of record 0, lead I.
        var firstLeadRects: [[Double]]
        var thresholdLineY: Double
    }
    struct Toggle: Codable, Sendable {
        var checked: Bool
        /// "display:height" of each lead box of the toggled lead and of lead II.
        var toggled: [String]
        var other: [String]
    }
    var exception: String?
    var errors: [String]
    var layout: Layout?
    var initial: State?
    var lower: State?
    var higher: State?
    var reset: State?
    var hidden: Toggle?
    var shownAgain: Toggle?
    /// [slider value, #threshold-value text] after setting each of `formatProbeValues`.
    var formats: [[Formatted]]?
    var resources: [String]?
    var externalReferences: [String]?
    var leadSVGWidths: [Double]?
    var originalPathWidths: [Double]?
    var tracePathWidths: [Double]?
}

enum BrowserProbeRun {
    static let windowWidth = 1280, windowHeight = 2000
    static let lowerTau = 0.35, higherTau = 0.9
    /// Slider values whose shown text must read like C's %.4g, across its fixed and exponent forms.
    static let formatProbeValues = [0, 0.00001234, 0.000123456, 0.001, 0.0123456, 0.35, 1, 1.23456789, 0.99996]

    /// Collects script errors from the start, before the report's own script runs.
    static let headScript = """
    <script>window.testErrors = []; window.addEventListener('error', function (event) { window.testErrors.push(String(event.message)); });</script>
    """

    /// Runs after load: measures the layout, moves the slider down and up, presses reset, toggles lead
    /// V1 off and on, and lists resources; each step reads the DOM the page's script changed.
    static let probeScript = """
    <script>
    window.addEventListener('load', function () {
      var result = {};
      try {
        var slider = document.getElementById('threshold-slider');
        var all = function (selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); };
        var text = function (element) { return element ? element.textContent : '?'; };
        var state = function () {
          return {
            tau: parseFloat(slider.value),
            shown: text(document.getElementById('threshold-value')),
            counts: all('section.record').map(function (s) { return s.querySelectorAll('rect.highlight').length; }),
            rowVerdicts: all('#records-table tbody tr').map(function (r) { return text(r.querySelector('.verdict')); }),
            rowClasses: all('#records-table tbody tr').map(function (r) { return r.className; }),
            rowThresholds: all('#records-table tbody tr').map(function (r) { return text(r.querySelector('.threshold')); }),
            sectionVerdicts: all('section.record').map(function (s) { return text(s.querySelector('.record-title .verdict')); }),
            sectionAnomalous: all('section.record').map(function (s) { return s.classList.contains('anomalous'); }),
            firstLeadRects: all('#record-0 .lead-panel[data-lead="I"] rect.highlight').map(function (r) {
              return [parseFloat(r.getAttribute('x')), parseFloat(r.getAttribute('width'))];
            }),
            thresholdLineY: parseFloat(document.querySelector('#record-0 .lead-panel[data-lead="I"] .threshold-line').getAttribute('y1'))
          };
        };
        var setTau = function (value) {
          slider.value = String(value);
          slider.dispatchEvent(new Event('input', { bubbles: true }));
          slider.dispatchEvent(new Event('change', { bubbles: true }));
          return state();
        };
        var box = document.querySelector('#record-0 .lead-box[data-lead="I"] svg').getBoundingClientRect();
        result.layout = { left: box.left + window.scrollX, top: box.top + window.scrollY, width: box.width,
                          height: box.height, viewportWidth: window.innerWidth };
        result.initial = state();
        result.lower = setTau(\(lowerTau));
        result.higher = setTau(\(higherTau));
        result.formats = [\(formatProbeValues.map { "\($0)" }.joined(separator: ", "))].map(function (value) {
          return [parseFloat(setTau(value).tau), document.getElementById('threshold-value').textContent];
        });
        document.getElementById('threshold-reset').click();
        result.reset = state();
        var displays = function (lead) {
          return all('.lead-box[data-lead="' + lead + '"]').map(function (d) {
            return getComputedStyle(d).display + ':' + d.getBoundingClientRect().height;
          });
        };
        var toggle = document.querySelector('.lead-toggle[value="V1"]');
        toggle.click();
        result.hidden = { checked: toggle.checked, toggled: displays('V1'), other: displays('II') };
        toggle.click();
        result.shownAgain = { checked: toggle.checked, toggled: displays('V1'), other: displays('II') };
        result.resources = performance.getEntriesByType('resource').map(function (entry) { return entry.name; });
        result.externalReferences = all('[src], [href]').map(function (e) { return e.getAttribute('src') || e.getAttribute('href'); })
          .filter(function (url) { return !/^(#|data:)/.test(url); });
        result.leadSVGWidths = all('.lead-box > svg').map(function (s) { return s.getBoundingClientRect().width; });
        result.originalPathWidths = all('path.original').map(function (p) { return p.getBBox().width; });
        result.tracePathWidths = all('path.anomaly-trace').map(function (p) { return p.getBBox().width; });
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

    /// The probe's result, from one Chromium run shared by the tests that read it.
    static let result: Result<BrowserProbe, any Error> = Result { try run() }

    static func run() throws -> BrowserProbe {
        let html = try BrowserReportFixture.html.get()
        guard html.contains("<head>"), html.contains("</body>") else {
            throw BrowserToolError(description: "report has no <head> or </body> to add the probe to")
        }
        let probed = html.replacingOccurrences(of: "<head>", with: "<head>" + headScript)
            .replacingOccurrences(of: "</body>", with: probeScript + "</body>")
        let folder = try BrowserTools.temporaryFolder("probe")
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("report-probe.html")
        try probed.write(to: page, atomically: true, encoding: .utf8)
        let dom = try BrowserTools.dumpDOM(of: page, width: windowWidth, height: windowHeight, in: folder)
        guard let open = dom.range(of: "<pre id=\"test-result\">"),
              let close = dom.range(of: "</pre>", range: open.upperBound..<dom.endIndex) else {
            throw BrowserToolError(description: "the dumped DOM has no #test-result (the probe did not run); "
                                   + "\(dom.count) characters, ending \(dom.suffix(300))")
        }
        let json = String(dom[open.upperBound..<close.lowerBound])
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        return try JSONDecoder().decode(BrowserProbe.self, from: Data(json.utf8))
    }
}

/// A number or a string in the probe's mixed JSON arrays.
enum Formatted: Codable, Sendable, Equatable {
    case number(Double)
    case text(String)
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) { self = .number(number) } else { self = .text(try container.decode(String.self)) }
    }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .number(number): try container.encode(number)
        case let .text(text): try container.encode(text)
        }
    }
}

@Suite(.enabled(if: BrowserTools.available, Comment(rawValue: BrowserTools.skipMessage)))
struct BrowserReportTests {
    func probe() throws -> BrowserProbe {
        let probe = try BrowserProbeRun.result.get()
        #expect(probe.exception == nil, "probe script threw: \(probe.exception ?? "")")
        #expect(probe.errors.isEmpty, "script errors on the page: \(probe.errors)")
        return probe
    }

    /// Checks one drawn lead panel whose top-left pixel is (`left`, `top`) in `image`'s coordinates:
    /// dark original and red reconstruction in the signal plot, orange trace, highlight colour exactly
    /// over the expected sample runs (±2 px) and nowhere else on a row between the trace's baseline and
    /// the threshold (interiors of spikes below the threshold stay white), and a coloured (never white)
    /// squared-error strip.
    func checkPanel(_ image: RGBImage, left: Int, top: Int, spikes: [TraceSpike], highlighted runs: [Range<Int>], label: String) {
        func region(_ x0: Double, _ x1: Double, _ y0: Double, _ y1: Double, _ predicate: ((r: Int, g: Int, b: Int)) -> Bool) -> Int {
            var total = 0
            for y in (top + Int(y0))..<(top + Int(y1)) {
                for x in (left + Int(x0))..<(left + Int(x1)) where predicate(image.pixel(x, y)) { total += 1 }
            }
            return total
        }
        let fixture = BrowserReportFixture.self
        let plotRight = fixture.plotLeft + fixture.plotWidth
        let signalBottom = fixture.signalTop + fixture.signalHeight
        let dark = region(fixture.plotLeft, plotRight, fixture.signalTop, signalBottom, PixelColor.isDark)
        let red = region(fixture.plotLeft, plotRight, fixture.signalTop, signalBottom, PixelColor.isRed)
        #expect(dark > 400, "\(label): \(dark) dark (original signal) pixels in the signal plot")
        #expect(red > 400, "\(label): \(red) red (reconstruction) pixels in the signal plot")
        let orange = region(fixture.plotLeft, plotRight, fixture.traceTop, fixture.traceTop + fixture.traceHeight, PixelColor.isOrange)
        #expect(orange > 400, "\(label): \(orange) orange (anomaly trace) pixels in the trace plot")
        #expect(region(fixture.plotLeft, plotRight, fixture.traceTop, fixture.traceTop + fixture.traceHeight, PixelColor.isRed) == 0,
                "\(label): red pixels in the trace plot")

        // The row where the trace's y-scale reads 0.6: above the baseline (<= 0.3), below the threshold line (1.0).
        let scale = NiceScale(minimum: 0, maximum: 2, maxTicks: 3)
        let row = top + Int(fixture.traceTop + (scale.upper - 0.6) / (scale.upper - scale.lower) * fixture.traceHeight)
        var highlightedColumns = Set<Int>()
        for x in (left + Int(fixture.plotLeft))..<(left + Int(plotRight)) where PixelColor.isHighlight(image.pixel(x, row)) {
            highlightedColumns.insert(x - left)
        }
        // Anti-aliased edges of the trace's vertical spike flanks blend orange into white like the
        // highlight does, so columns within 2 px of any spike edge are not judged.
        var allowed = Set<Int>()
        for spike in spikes {
            for edge in [fixture.sampleX(spike.start), fixture.sampleX(spike.start + spike.length)] {
                allowed.formUnion(Int(edge) - 2...Int(edge.rounded(.up)) + 2)
            }
        }
        for run in runs {
            let start = fixture.sampleX(run.lowerBound), end = fixture.sampleX(run.upperBound)
            let inner = Array(Int(start.rounded(.up)) + 2..<Int(end) - 1)
            #expect(inner.count >= 3, "\(label): run \(run) too narrow to judge")
            let covered = inner.filter(highlightedColumns.contains).count
            #expect(Double(covered) >= 0.8 * Double(inner.count),
                    "\(label): run \(run) (x \(start)..<\(end)) has \(covered) of \(inner.count) columns highlighted")
            allowed.formUnion(Int(start) - 2...Int(end.rounded(.up)) + 2)
        }
        let stray = highlightedColumns.subtracting(allowed).sorted()
        #expect(stray.isEmpty, "\(label): highlight colour outside the expected runs at x = \(stray.prefix(20))")

        let stripWhite = region(fixture.plotLeft + 1, plotRight - 1, fixture.stripTop + 2, fixture.stripTop + fixture.stripHeight - 2,
                                PixelColor.isWhite)
        #expect(stripWhite == 0, "\(label): \(stripWhite) white pixels inside the squared-error strip")
    }

    @Test func reportScreenshotShowsTracesReconstructionAndHighlights() throws {
        let folder = try BrowserTools.temporaryFolder("report-shot")
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("report.html")
        try BrowserReportFixture.html.get().write(to: page, atomically: true, encoding: .utf8)
        let shot = try BrowserTools.screenshot(of: page, width: BrowserProbeRun.windowWidth, height: BrowserProbeRun.windowHeight,
                                               in: folder)
        let statistics = try BrowserTools.meanAndDeviation(of: shot, in: folder)
        #expect(statistics.width == BrowserProbeRun.windowWidth && statistics.height == BrowserProbeRun.windowHeight)
        #expect(statistics.mean > 0.8 && statistics.mean < 0.99, "page mean \(statistics.mean): blank or mostly dark")
        #expect(statistics.deviation > 0.08, "page standard deviation \(statistics.deviation): nearly uniform")

        // The first figure (record 0, lead I) where the browser laid it out, drawn as the series say.
        let layout = try #require(try probe().layout)
        #expect(layout.width == 900 && layout.height == BrowserReportFixture.panelHeight)
        let left = Int(layout.left.rounded()), top = Int(layout.top.rounded())
        #expect(top + Int(BrowserReportFixture.panelHeight) <= BrowserProbeRun.windowHeight, "first figure below the screenshot")
        let image = try BrowserTools.pixels(of: shot, x: 0, y: 0, width: BrowserProbeRun.windowWidth,
                                            height: BrowserProbeRun.windowHeight, in: folder)
        let runs = BrowserReportFixture.runsAbove(BrowserReportFixture.trace(record: 0, lead: 0), BrowserReportFixture.traceThreshold)
        #expect(runs == [1000..<1100, 2500..<2550])
        checkPanel(image, left: left, top: top, spikes: BrowserReportFixture.spikes[0], highlighted: runs, label: "report record 0 lead I")

        // Right of the figure the page is plain white; above it the controls and the table are drawn.
        var rightWhite = true
        for y in top..<(top + Int(BrowserReportFixture.panelHeight)) {
            for x in (left + 910)..<BrowserProbeRun.windowWidth where !PixelColor.isWhite(image.pixel(x, y)) { rightWhite = false }
        }
        #expect(rightWhite, "non-white pixels right of the first figure")
        let header = try BrowserTools.pixels(of: shot, x: 0, y: 0, width: BrowserProbeRun.windowWidth, height: top, in: folder)
        #expect(header.count(where: PixelColor.isDark) > 500, "no text in the title, controls and table above the figures")
    }

    @Test func standaloneFigureSVGRendersInChromium() throws {
        let figure = ScoreFigure(BrowserReportFixture.figureInput(record: 1, leads: 0..<2), width: 900)
        let lead = BrowserReportFixture.leadInput(record: 1, lead: 0)
        #expect(figure.panelHeight(for: lead) == BrowserReportFixture.panelHeight)
        #expect(figure.traceFrame(for: lead).top == BrowserReportFixture.traceTop)
        let folder = try BrowserTools.temporaryFolder("svg-shot")
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("figure.svg")
        try figure.svg().write(to: page, atomically: true, encoding: .utf8)
        let height = Int(ScoreFigure.titleHeight + 2 * BrowserReportFixture.panelHeight)
        let shot = try BrowserTools.screenshot(of: page, width: 900, height: height, in: folder)
        let statistics = try BrowserTools.meanAndDeviation(of: shot, in: folder)
        #expect(statistics.width == 900 && statistics.height == height)
        #expect(statistics.mean > 0.8 && statistics.mean < 0.99, "figure mean \(statistics.mean): blank or mostly dark")
        #expect(statistics.deviation > 0.08, "figure standard deviation \(statistics.deviation): nearly uniform")
        let image = try BrowserTools.pixels(of: shot, x: 0, y: 0, width: 900, height: height, in: folder)
        let title = try BrowserTools.pixels(of: shot, x: 200, y: 0, width: 500, height: Int(ScoreFigure.titleHeight), in: folder)
        #expect(title.count(where: PixelColor.isDark) > 100, "no title text")
        // Record 1 at its own trace threshold 1.0: the 2.0 and 1.5 spikes, not the 0.8 one.
        for leadIndex in 0..<2 {
            let runs = BrowserReportFixture.runsAbove(BrowserReportFixture.trace(record: 1, lead: leadIndex), 1.0)
            #expect(runs == [500..<600, 2000..<2060])
            checkPanel(image, left: 0, top: Int(ScoreFigure.titleHeight + Double(leadIndex) * BrowserReportFixture.panelHeight),
                       spikes: BrowserReportFixture.spikes[1], highlighted: runs, label: "figure lead \(leadIndex)")
        }
    }

    @Test func sliderMovesHighlightsAndFlipsVerdicts() throws {
        let probe = try probe()
        let fixture = BrowserReportFixture.self
        let initial = try #require(probe.initial), lower = try #require(probe.lower)
        let higher = try #require(probe.higher), reset = try #require(probe.reset)

        // At load: the slider stands at tau0 = 0.5 exactly, with the per-sample runs the SVG was written with.
        #expect(initial.tau == fixture.threshold, "slider value at load \(initial.tau), report threshold \(fixture.threshold)")
        #expect(initial.counts == fixture.expectedHighlightCounts(tau: fixture.threshold))
        #expect(initial.counts == [24, 24, 24])
        #expect(initial.rowVerdicts == ["normal", "anomalous", "anomalous"])
        #expect(initial.sectionVerdicts == fixture.expectedSectionVerdicts(tau: fixture.threshold))

        // The slider snaps to its step, so expectations use the value it took; it must be near the one asked for.
        #expect(abs(lower.tau - BrowserProbeRun.lowerTau) < 0.01 && abs(higher.tau - BrowserProbeRun.higherTau) < 0.01)
        for (state, name) in [(lower, "lower"), (higher, "higher")] {
            #expect(state.counts == fixture.expectedHighlightCounts(tau: state.tau), "\(name) tau \(state.tau)")
            #expect(state.rowVerdicts == fixture.expectedRowVerdicts(tau: state.tau), "\(name) tau \(state.tau)")
            #expect(state.rowClasses == fixture.expectedRowVerdicts(tau: state.tau), "\(name) tau \(state.tau)")
            #expect(state.sectionVerdicts == fixture.expectedSectionVerdicts(tau: state.tau), "\(name) tau \(state.tau)")
            #expect(state.sectionAnomalous == fixture.scores.map { $0 > state.tau })
            #expect(state.shown == String(format: "%.4g", state.tau))
            #expect(state.rowThresholds == Array(repeating: String(format: "%.4g", state.tau), count: 3))
        }
        // Lower tau: the 0.8 spikes join; record 0 (score 0.4) flips to anomalous.
        #expect(lower.counts == [24, 36, 48])
        #expect(lower.rowVerdicts == ["anomalous", "anomalous", "anomalous"])
        // Higher tau: only the 2.0 spikes stay; record 1 (score 0.7) flips to normal.
        #expect(higher.counts == [12, 12, 12])
        #expect(higher.rowVerdicts == ["normal", "normal", "anomalous"])
        // The threshold line moves up as tau rises (smaller y is higher on screen).
        #expect(higher.thresholdLineY < initial.thresholdLineY && initial.thresholdLineY < lower.thresholdLineY)

        // Highlight rects of record 0, lead I sit over the samples above the threshold (1 px columns).
        for (state, tau) in [(initial, fixture.threshold), (lower, lower.tau), (higher, higher.tau), (reset, fixture.threshold)] {
            let runs = fixture.runsAbove(fixture.trace(record: 0, lead: 0), fixture.traceThreshold * tau / fixture.threshold)
            #expect(state.firstLeadRects.count == runs.count)
            for (rect, run) in zip(state.firstLeadRects, runs) {
                #expect(abs(rect[0] - fixture.sampleX(run.lowerBound)) <= 1.5, "rect x \(rect[0]) for run \(run)")
                #expect(abs(rect[0] + rect[1] - fixture.sampleX(run.upperBound)) <= 1.5, "rect end \(rect[0] + rect[1]) for run \(run)")
            }
        }

        // The shown threshold reads like the numbers written at load (C's %.4g), in fixed and exponent form.
        let formats = try #require(probe.formats)
        #expect(formats.count == BrowserProbeRun.formatProbeValues.count)
        for (pair, asked) in zip(formats, BrowserProbeRun.formatProbeValues) {
            guard pair.count == 2, case let .number(value) = pair[0], case let .text(shown) = pair[1] else {
                Issue.record("malformed format probe \(pair)")
                continue
            }
            #expect(value == asked)
            #expect(shown == String(format: "%.4g", value), "slider \(value)")
        }

        // Reset restores tau0 and its verdicts and highlights.
        #expect(reset.counts == initial.counts && reset.rowVerdicts == initial.rowVerdicts)
        #expect(reset.tau == fixture.threshold)
        #expect(reset.sectionVerdicts == initial.sectionVerdicts && reset.shown == "0.5")
        #expect(initial.shown == "0.5" && initial.rowThresholds == ["0.5", "0.5", "0.5"] && reset.rowThresholds == initial.rowThresholds)
        #expect(abs(reset.thresholdLineY - initial.thresholdLineY) < 0.01)
    }

    @Test func leadToggleHidesAndShowsItsBoxes() throws {
        let probe = try probe()
        let hidden = try #require(probe.hidden), shownAgain = try #require(probe.shownAgain)
        #expect(!hidden.checked && shownAgain.checked)
        // One V1 box per record: hidden (display none, no height) after unticking, drawn again after ticking.
        #expect(hidden.toggled == ["none:0", "none:0", "none:0"])
        #expect(hidden.other == Array(repeating: "block:\(Int(BrowserReportFixture.panelHeight))", count: 3))
        #expect(shownAgain.toggled == Array(repeating: "block:\(Int(BrowserReportFixture.panelHeight))", count: 3))
    }

    @Test func pageRendersEveryFigureWithoutNetwork() throws {
        let probe = try probe()
        // Chromium ran with every host unresolvable; the page fetched nothing and references nothing outside itself.
        #expect(probe.resources == [], "resources fetched: \(probe.resources ?? [])")
        // Inline data: URIs (the heat strips' PNG images) are part of the page, not references out of it.
        #expect(probe.externalReferences == [], "external references: \(probe.externalReferences ?? [])")
        // Every lead of every record is laid out at full width with its traces spanning the plot.
        let svgWidths = try #require(probe.leadSVGWidths)
        #expect(svgWidths == Array(repeating: 900, count: 36))
        for widths in [probe.originalPathWidths, probe.tracePathWidths] {
            let widths = try #require(widths)
            #expect(widths.count == 36)
            #expect(widths.allSatisfy { $0 > 700 && $0 <= 708 }, "path widths \(widths.prefix(5))")
        }
    }
}

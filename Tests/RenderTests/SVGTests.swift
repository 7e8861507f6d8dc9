// Nice ticks, colour map, line plots and heat maps: exact ticks, anchor colours, well-formed SVG.

import Testing
@testable import Render

@Suite struct SVGTests {
    @Test func niceTicksFollowHeckbert() {
        #expect(NiceScale(minimum: 0, maximum: 1).ticks == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(NiceScale(minimum: 0, maximum: 10).ticks == [0, 2, 4, 6, 8, 10])
        #expect(NiceScale(minimum: -3.7, maximum: 12.2).ticks == [-5, 0, 5, 10, 15])
        #expect(NiceScale(minimum: 0.0013, maximum: 0.0087).ticks == [0, 0.002, 0.004, 0.006, 0.008, 0.01])
        #expect(NiceScale(minimum: 0, maximum: 9.7, maxTicks: 8).ticks == (0...10).map(Double.init))
        #expect(NiceScale(minimum: 120, maximum: 4870).ticks == [0, 1000, 2000, 3000, 4000, 5000])
        let flat = NiceScale(minimum: 2, maximum: 2)
        #expect(flat.lower < 2 && flat.upper > 2)
    }

    @Test func viridisAnchorsMatchMatplotlib() {
        // matplotlib 3.11.2: [to_hex(colormaps["viridis"](k / 10)) for k in (0, 5, 10)].
        #expect(ColorMap.viridis.color(at: 0).hex == "#440154")
        #expect(ColorMap.viridis.color(at: 0.5).hex == "#21918c")
        #expect(ColorMap.viridis.color(at: 1).hex == "#fde725")
        #expect(ColorMap.viridis.color(at: -3).hex == "#440154")
        #expect(ColorMap.viridis.color(at: 7).hex == "#fde725")
        // Halfway between #440154 and #482475, rounded half away from zero.
        #expect(ColorMap.viridis.color(at: 0.05).hex == "#461365")
    }

    @Test func escapingKeepsMarkupWellFormed() throws {
        let element = SVGElement("text", [("data-name", "a\"b<c>&'")], text: "x < y & z")
        #expect(element.render() == "<text data-name=\"a&quot;b&lt;c&gt;&amp;&apos;\">x &lt; y &amp; z</text>")
        let parsed = try parseXML(element.render())
        #expect(parsed.first?.attributes["data-name"] == "a\"b<c>&'")
        #expect(parsed.first?.text == "x < y & z")
    }

    @Test func linePlotHasSeriesLegendAndNiceTicks() throws {
        let plot = LinePlot(title: "loss <train & val>", xLabel: "epoch", yLabel: "loss", series: [
            PlotSeries(name: "train", x: [1, 2, 3, 4], y: [0.9, 0.5, 0.3, 0.25]),
            PlotSeries(name: "val", x: [1, 2, 3, 4], y: [1.0, 0.6, 0.45, 0.4]),
        ])
        let elements = try parseXML(plot.svg())
        #expect(elements.first?.name == "svg")
        #expect(elements.filter { $0.classes.contains("series") }.map { $0.attributes["data-series"] } == ["train", "val"])
        let xTicks = elements.filter { $0.classes.contains("x-tick") }.compactMap { $0.attributes["data-value"].flatMap(Double.init) }
        let yTicks = elements.filter { $0.classes.contains("y-tick") }.compactMap { $0.attributes["data-value"].flatMap(Double.init) }
        #expect(xTicks == [1, 2, 3, 4])
        #expect(yTicks == [0.2, 0.4, 0.6, 0.8, 1])
        #expect(elements.contains { $0.classes.contains("legend") })
        #expect(elements.contains { $0.name == "text" && $0.text == "loss <train & val>" })
    }

    @Test func rocAndPrecisionRecallFigures() throws {
        let roc = try parseXML(LinePlot.roc(falsePositiveRates: [0, 0, 0.5, 1], truePositiveRates: [0, 0.5, 1, 1], auc: 0.875).svg())
        #expect(roc.contains { $0.text == "ROC curve (AUC = 0.875)" })
        let pr = try parseXML(LinePlot.precisionRecall(precisions: [0.5, 1, 1], recalls: [1, 0.5, 0], averagePrecision: 0.75).svg())
        #expect(pr.filter { $0.classes.contains("x-tick") }.compactMap { $0.attributes["data-value"].flatMap(Double.init) }
                == [0, 0.2, 0.4, 0.6, 0.8, 1])
        let history = try parseXML(LinePlot.trainingHistory([("train", [3, 2, 1.5]), ("val", [3.5, 2.5, 2])]).svg())
        #expect(history.filter { $0.classes.contains("series") }.count == 2)
    }

    @Test func heatMapCellsUseColourMapEndpoints() throws {
        let map = HeatMap(title: "attention", values: [[0, 1], [0.5, 1]], rowLabels: ["head 1", "head 2"])
        let elements = try parseXML(map.svg())
        let fills = elements.filter { $0.classes.contains("cell") }.compactMap { $0.attributes["fill"] }
        #expect(fills == ["#440154", "#fde725", "#21918c", "#fde725"])
        #expect(elements.contains { $0.classes.contains("color-bar") })
        #expect(elements.filter { $0.name == "stop" }.count == 11)
    }

    @Test func linePlotThresholdHighlightsRunsAbove() throws {
        var plot = LinePlot(series: [PlotSeries(name: "trace", y: [0, 2, 2, 0, 0, 3, 0, 4])])
        plot.threshold = 1
        let elements = try parseXML(plot.svg())
        let runs = elements.filter { $0.classes.contains("highlight") }
            .map { [$0.attributes["data-start"] ?? "", $0.attributes["data-end"] ?? ""] }
        #expect(runs == [["1", "3"], ["5", "6"], ["7", "8"]])
        #expect(elements.filter { $0.classes.contains("threshold-line") }.count == 1)
    }

    @Test func heatStripFigureBinsAndColours() throws {
        // 6 values, 20 bins available: one bin per value, equal neighbours merged -> the two ends of viridis.
        let elements = try parseXML(heatStripSVG([0, 0, 0, 1, 1, 1], label: "attention", width: 200, height: 30))
        let strip = try #require(elements.firstIndex { $0.classes.contains("heat-strip") })
        #expect(elements[strip].attributes["data-label"] == "attention")
        let fills = elements[(strip + 1)...].prefix(2).compactMap { $0.attributes["fill"] }
        #expect(fills == ["#440154", "#fde725"])
    }

    @Test func decimationKeepsExtremesAndRunsMatchIndices() {
        let values: [Double] = [0, 5, -1, 2, 3, 3, 9, 0]
        #expect(minMaxDecimate(values, columns: 4) == [
            ColumnExtent(minimum: 0, maximum: 5), ColumnExtent(minimum: -1, maximum: 2),
            ColumnExtent(minimum: 3, maximum: 3), ColumnExtent(minimum: 0, maximum: 9),
        ])
        #expect(runsAbove([0, 2, 2, 0, 0, 3, 0, 4], threshold: 1) == [1..<3, 5..<6, 7..<8])
        #expect(runsAbove([1, 1], threshold: 1).isEmpty)
    }
}

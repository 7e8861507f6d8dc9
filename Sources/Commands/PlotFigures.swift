// SVG figures `plot` writes: stacked lead panels (records, datasets), a line plot (1-D tensors)
// and a heat map with colour bar (2-D tensors), built from Render's LinePlot and HeatMap.
import ECGKit
import Foundation
import Render
import TensorCore

/// One panel of a stacked figure: a series against time in seconds.
struct LeadPanel {
    /// Shown on the y axis, e.g. `II (mV)`; also the panel's `data-lead`.
    var label: String
    var lead: String
    var values: [Double]
    var samplingRate: Double
    /// Shown above the panel (a dataset's record name and label); nil for none.
    var title: String? = nil
}

/// Builds the SVG documents `plot` writes.
enum PlotFigures {
    /// Figure width in pixels.
    static let width = 820.0
    /// Height of one lead panel in pixels.
    static let panelHeight = 120.0
    /// Extra height of a panel with its own title.
    static let titledPanelExtra = 16.0
    /// Points per panel above which a lead is reduced to its minimum and maximum per stretch.
    static let maximumPoints = 2400

    /// Panels stacked top to bottom, each an `<svg class="lead-panel" data-lead="II">` holding a
    /// `LinePlot` against time (s), `titledPanelExtra` taller when it has a title; only the last panel
    /// labels its x axis. `title` heads the figure.
    static func stackedPanels(_ panels: [LeadPanel], title: String?) -> String {
        let top = title == nil ? 0.0 : 26.0
        let heights = panels.map { panelHeight + ($0.title == nil ? 0 : titledPanelExtra) }
        let height = top + heights.reduce(0, +)
        var children: [SVGElement] = [SVGElement("rect", [("x", "0"), ("y", "0"), ("width", number(width)),
                                                          ("height", number(height)), ("fill", "#fff")])]
        if let title {
            children.append(SVGElement("text", [("x", number(width / 2)), ("y", "18"), ("text-anchor", "middle"),
                                                ("font-size", "14"), ("class", "title")], text: title))
        }
        var y = top
        for (index, panel) in panels.enumerated() {
            let (times, values) = minMaxDecimated(panel.values, samplingRate: panel.samplingRate)
            var plot = LinePlot(title: panel.title, xLabel: index == panels.count - 1 ? "time (s)" : nil,
                                yLabel: panel.label,
                                series: [PlotSeries(name: "", x: times, y: values, color: LinePlot.palette[0])],
                                width: width, height: heights[index],
                                xRange: 0...max(Double(panel.values.count) / panel.samplingRate, 1e-9))
            plot.identifier = "panel-\(index)"
            var element = plot.element()
            element.attributes += [("x", "0"), ("y", number(y)), ("class", "lead-panel"), ("data-lead", panel.lead)]
            children.append(element)
            y += heights[index]
        }
        return document(width: width, height: height, children: children).render()
    }

    /// `values: [N]` as one line against its index.
    static func line(_ values: [Double], title: String?) -> String {
        LinePlot(title: title, xLabel: "index", series: [PlotSeries(name: "", y: values)], width: 640, height: 320).svg()
    }

    /// `values: [rows][columns]` as a heat map with a colour bar (viridis).
    static func heatMap(_ values: [[Double]], title: String?) -> String {
        HeatMap(title: title, values: values, rowLabels: [], width: 640, height: 400).svg()
    }

    /// `values: [N]` at `samplingRate` -> (times in s, values): the samples themselves when there are at
    /// most `maximumPoints`, else per stretch its minimum and maximum in the order they occur, so peaks
    /// survive and the file stays small.
    static func minMaxDecimated(_ values: [Double], samplingRate: Double) -> ([Double], [Double]) {
        let stretches = maximumPoints / 2
        guard values.count > maximumPoints else {
            return (values.indices.map { Double($0) / samplingRate }, values)
        }
        var times: [Double] = [], shown: [Double] = []
        for stretch in 0..<stretches {
            let start = stretch * values.count / stretches, end = (stretch + 1) * values.count / stretches
            var low = start, high = start
            for index in start..<end where values[index].isFinite {
                if !values[low].isFinite || values[index] < values[low] { low = index }
                if !values[high].isFinite || values[index] > values[high] { high = index }
            }
            for index in Set([low, high]).sorted() {
                times.append(Double(index) / samplingRate)
                shown.append(values[index])
            }
        }
        return (times, shown)
    }

    /// Figures laid out in a grid of `columns`, row by row, each an `<svg class="figure-panel"
    /// data-panel="<name>">` (every plot in one row as tall as the tallest), under an optional title.
    static func grid(_ panels: [(name: String, plot: SVGElement, width: Double, height: Double)], columns: Int,
                     title: String?) -> String {
        let top = title == nil ? 0.0 : 26.0
        let rows = stride(from: 0, to: panels.count, by: max(columns, 1)).map { Array(panels[$0..<min($0 + max(columns, 1), panels.count)]) }
        let width = rows.map { $0.reduce(0) { $0 + $1.width } }.max() ?? 0
        let heights = rows.map { $0.map(\.height).max() ?? 0 }
        var children: [SVGElement] = [SVGElement("rect", [("x", "0"), ("y", "0"), ("width", number(width)),
                                                          ("height", number(top + heights.reduce(0, +))), ("fill", "#fff")])]
        if let title {
            children.append(SVGElement("text", [("x", number(width / 2)), ("y", "18"), ("text-anchor", "middle"),
                                                ("font-size", "14"), ("class", "title")], text: title))
        }
        var y = top
        for (row, panelsOfRow) in rows.enumerated() {
            var x = 0.0
            for panel in panelsOfRow {
                var element = panel.plot
                element.attributes += [("x", number(x)), ("y", number(y)), ("class", "figure-panel"), ("data-panel", panel.name)]
                children.append(element)
                x += panel.width
            }
            y += heights[row]
        }
        return document(width: width, height: y, children: children).render()
    }

    /// A standalone `<svg>` document element.
    private static func document(width: Double, height: Double, children: [SVGElement]) -> SVGElement {
        SVGElement("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("width", number(width)), ("height", number(height)),
                           ("viewBox", "0 0 \(number(width)) \(number(height))"), ("font-family", "sans-serif"),
                           ("font-size", "11")], children: children)
    }

    private static func number(_ value: Double) -> String { NumberFormatting.compact(value) }
}

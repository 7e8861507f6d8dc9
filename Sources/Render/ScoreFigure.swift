// The score-result figure: per lead, signal vs reconstruction, anomaly trace with highlights, heat strips.

import Foundation

/// Draws `ScoreFigureInput` as SVG. Stable markup for tests and browser scripts:
/// - each lead is `<g class="lead-panel" data-lead="II">`;
/// - the signal plot has paths `class="original"` (black) and `class="reconstruction"` (red);
/// - the trace plot has `<g class="highlight-layer">` holding one `rect class="highlight"` per run
///   of samples above the threshold (`data-start`, `data-end`: half-open sample indices; runs less
///   than a pixel apart are merged into one), the
///   path `class="anomaly-trace"` (orange) and the dashed `line class="threshold-line"`;
/// - strips are `<g class="heat-strip" data-label="attention">` / `data-label="squared error"`,
///   each an inline PNG `<image>` (one pixel per column) with a colour bar `class="color-bar"`;
///   the time axis ticks are `text class="tick x-tick"`.
/// Series longer than the plot is wide are drawn min/max decimated per pixel column.
public struct ScoreFigure: Sendable {
    public var input: ScoreFigureInput
    /// Width of the whole figure in pixels.
    public var width: Double
    /// Prefix of element ids (gradients), unique per figure in one page.
    public var identifier: String

    public init(_ input: ScoreFigureInput, width: Double = 900, identifier: String = "figure") {
        self.input = input
        self.width = width
        self.identifier = identifier
    }

    static let leftMargin = 80.0, rightMargin = 112.0, titleHeight = 26.0
    static let signalHeight = 90.0, traceHeight = 56.0, stripHeight = 12.0, gap = 12.0, axisHeight = 32.0

    /// Width of the plotting area: the figure less the margins for labels and colour bars.
    var plotWidth: Double { width - Self.leftMargin - Self.rightMargin }

    /// The height of one lead panel.
    func panelHeight(for lead: LeadFigureInput) -> Double {
        let strips = lead.explanation == nil ? 1.0 : 2.0
        return 18 + Self.signalHeight + Self.gap + Self.traceHeight + Self.gap
            + strips * (Self.stripHeight + 4) + Self.axisHeight
    }

    /// The figure as a standalone SVG document: the title line, then the lead panels stacked.
    public func svg() throws -> String { try element().render() }

    /// The figure as an `<svg>` element.
    public func element() throws -> SVGElement {
        try input.validate()
        var children: [SVGElement] = []
        var top = Self.titleHeight
        for (index, lead) in input.leads.enumerated() {
            children.append(SVG.group([("transform", "translate(0 \(SVG.number(top)))")],
                                      [try panel(lead, index: index)]))
            top += panelHeight(for: lead)
        }
        children.insert(SVG.text(input.titleLine, x: width / 2, y: 17, anchor: "middle",
                                 extra: [("class", "figure-title"), ("font-size", "14")]), at: 0)
        children.insert(SVG.rect(x: 0, y: 0, width: width, height: top, fill: "#fff"), at: 0)
        return SVG.document(width: width, height: top, children: children)
    }

    /// One lead as its own `<svg>` (for the report, where leads are shown and hidden one by one).
    public func leadElement(at index: Int) throws -> SVGElement {
        try input.validate()
        let lead = input.leads[index]
        return SVG.document(width: width, height: panelHeight(for: lead), children: [try panel(lead, index: index)])
    }

    /// The time axis (seconds) shared by all plots of a lead.
    func timeScale(for lead: LeadFigureInput) -> NiceScale {
        NiceScale(minimum: 0, maximum: Double(max(lead.original.count, 1)) / input.samplingRate, maxTicks: 8)
    }

    /// The frame of the anomaly-trace plot of a lead (in panel coordinates).
    func traceFrame(for lead: LeadFigureInput) -> PlotFrame {
        let values = lead.anomalyTrace.filter(\.isFinite) + [lead.traceThreshold]
        return PlotFrame(left: Self.leftMargin, top: 18 + Self.signalHeight + Self.gap, width: plotWidth,
                         height: Self.traceHeight, xScale: timeScale(for: lead),
                         yScale: NiceScale(minimum: min(values.min() ?? 0, 0), maximum: values.max() ?? 1, maxTicks: 3))
    }

    func panel(_ lead: LeadFigureInput, index: Int) throws -> SVGElement {
        let spacing = 1 / input.samplingRate
        let time = timeScale(for: lead)
        var parts: [SVGElement] = [SVG.text("Lead \(lead.name)", x: Self.leftMargin, y: 12,
                                            extra: [("class", "lead-title"), ("font-weight", "bold")])]

        // Original (black) vs reconstruction (red).
        let signalValues = (lead.original + lead.reconstruction).filter(\.isFinite)
        let signal = PlotFrame(left: Self.leftMargin, top: 18, width: plotWidth, height: Self.signalHeight,
                               xScale: time, yScale: NiceScale(minimum: signalValues.min() ?? -1,
                                                               maximum: signalValues.max() ?? 1, maxTicks: 4))
        parts.append(signal.axes(yLabel: "signal", showXTicks: false))
        if let line = signal.decimatedLine(lead.original, spacing: spacing, stroke: "#000", extra: [("class", "original")]) {
            parts.append(line)
        }
        if let line = signal.decimatedLine(lead.reconstruction, spacing: spacing, stroke: "#d62728",
                                           extra: [("class", "reconstruction")]) {
            parts.append(line)
        }
        parts.append(legendRow(x: Self.leftMargin + plotWidth + 8, y: 30,
                               entries: [("original", "#000"), ("reconstruction", "#d62728")]))

        // Anomaly trace (orange) with the runs above threshold highlighted.
        let trace = traceFrame(for: lead)
        parts.append(trace.axes(yLabel: "anomaly", showXTicks: false))
        let highlights = mergedRuns(runsAbove(lead.anomalyTrace, threshold: lead.traceThreshold),
                                    samplesPerPixel: Double(lead.anomalyTrace.count) / trace.width).map { run in
            SVG.rect(x: trace.x(Double(run.lowerBound) * spacing), y: trace.top,
                     width: trace.x(Double(run.upperBound) * spacing) - trace.x(Double(run.lowerBound) * spacing),
                     height: trace.height, fill: "#ff7f0e",
                     extra: [("class", "highlight"), ("fill-opacity", "0.3"),
                             ("data-start", "\(run.lowerBound)"), ("data-end", "\(run.upperBound)")])
        }
        parts.append(SVG.group([("class", "highlight-layer")], highlights))
        if let line = trace.decimatedLine(lead.anomalyTrace, spacing: spacing, stroke: "#ff7f0e", width: 1.2,
                                          extra: [("class", "anomaly-trace")]) {
            parts.append(line)
        }
        let thresholdY = trace.y(lead.traceThreshold)
        parts.append(SVG.line(x1: trace.left, y1: thresholdY, x2: trace.left + trace.width, y2: thresholdY,
                              stroke: "#555", extra: [("class", "threshold-line"), ("stroke-dasharray", "4 3"),
                                                      ("data-threshold", "\(lead.traceThreshold)")]))

        // Heat strips: explanation (optional) and squared error, each with its colour bar.
        var stripTop = trace.top + trace.height + Self.gap
        let stripLeft = trace.x(0), stripWidth = trace.x(Double(lead.original.count) * spacing) - stripLeft
        var strips: [(label: String, values: [Double])] = []
        if let explanation = lead.explanation { strips.append((lead.explanationLabel, explanation)) }
        strips.append(("squared error", lead.squaredError))
        for (stripIndex, strip) in strips.enumerated() {
            let finite = strip.values.filter(\.isFinite)
            let range = (finite.min() ?? 0)...max(finite.max() ?? 1, finite.min() ?? 0)
            parts.append(heatStripImage(strip.values, left: stripLeft, top: stripTop, width: stripWidth,
                                        height: Self.stripHeight, range: range, colorMap: .viridis,
                                        bins: Int(stripWidth.rounded()), label: strip.label))
            parts.append(stripColorBar(left: Self.leftMargin + plotWidth + 8, top: stripTop, range: range,
                                       id: "\(identifier)-\(index)-strip\(stripIndex)"))
            stripTop += Self.stripHeight + 4
        }

        // Time axis in seconds below the strips.
        let axisY = stripTop + 2
        var axis: [SVGElement] = [SVG.line(x1: trace.left, y1: axisY, x2: trace.left + trace.width, y2: axisY, stroke: "#333")]
        for tick in time.ticks {
            let x = trace.x(tick)
            axis.append(SVG.line(x1: x, y1: axisY, x2: x, y2: axisY + 4, stroke: "#333"))
            axis.append(SVG.text(NumberFormatting.tickLabel(tick, step: time.step), x: x, y: axisY + 14, anchor: "middle",
                                 extra: [("class", "tick x-tick"), ("data-value", "\(tick)")]))
        }
        axis.append(SVG.text("time (s)", x: trace.left + trace.width + 16, y: axisY + 14, extra: [("class", "axis-label")]))
        parts.append(SVG.group([("class", "time-axis")], axis))

        return SVG.group([("class", "lead-panel"), ("data-lead", lead.name)], parts)
    }

    /// `runs` with every gap shorter than one pixel closed: runs the eye cannot tell apart are drawn as
    /// one rectangle (a noisy trace crosses its threshold thousands of times in 10 s).
    func mergedRuns(_ runs: [Range<Int>], samplesPerPixel: Double) -> [Range<Int>] {
        var merged: [Range<Int>] = []
        for run in runs {
            if let last = merged.last, Double(run.lowerBound - last.upperBound) < samplesPerPixel {
                merged[merged.count - 1] = last.lowerBound..<run.upperBound
            } else {
                merged.append(run)
            }
        }
        return merged
    }

    /// A horizontal gradient bar with the strip's value range written after it.
    func stripColorBar(left: Double, top: Double, range: ClosedRange<Double>, id: String) -> SVGElement {
        let stops = ColorMap.viridis.anchors.enumerated().map { index, color in
            SVGElement("stop", [("offset", SVG.number(Double(index) / Double(ColorMap.viridis.anchors.count - 1))),
                                ("stop-color", color.hex)])
        }
        return SVG.group([("class", "color-bar")], [
            SVGElement("defs", children: [SVGElement("linearGradient", [("id", id)], children: stops)]),
            SVG.rect(x: left, y: top, width: 36, height: Self.stripHeight, fill: "url(#\(id))",
                     extra: [("stroke", "#666"), ("stroke-width", "0.5")]),
            SVG.text("\(NumberFormatting.significant(range.lowerBound, digits: 2))–\(NumberFormatting.significant(range.upperBound, digits: 2))",
                     x: left + 40, y: top + 9.5, extra: [("font-size", "9")]),
        ])
    }

    func legendRow(x: Double, y: Double, entries: [(String, String)]) -> SVGElement {
        var items: [SVGElement] = []
        for (row, entry) in entries.enumerated() {
            let cy = y + Double(row) * 14
            items.append(SVG.line(x1: x, y1: cy - 3.5, x2: x + 14, y2: cy - 3.5, stroke: entry.1, extra: [("stroke-width", "2")]))
            items.append(SVG.text(entry.0, x: x + 18, y: cy, extra: [("font-size", "10")]))
        }
        return SVG.group([("class", "legend")], items)
    }
}

// Heat maps (2-D), heat strips (1-D) and colour bars, coloured by `ColorMap`.

/// A 2-D heat map: `values: [rows][columns]` drawn as cells coloured by `colorMap` over
/// `range` (default: finite minimum to maximum), with a vertical colour bar on the right.
public struct HeatMap: Sendable {
    public var title: String?
    public var values: [[Double]]
    public var rowLabels: [String]
    public var colorMap: ColorMap
    public var range: ClosedRange<Double>?
    public var width: Double
    public var height: Double
    /// Prefix of element ids (the colour bar's gradient is "<identifier>-gradient"), unique per page.
    public var identifier: String = "heat-map"

    public init(title: String? = nil, values: [[Double]], rowLabels: [String] = [], colorMap: ColorMap = .viridis,
                range: ClosedRange<Double>? = nil, width: Double = 480, height: Double = 320) {
        self.title = title
        self.values = values
        self.rowLabels = rowLabels
        self.colorMap = colorMap
        self.range = range
        self.width = width
        self.height = height
    }

    /// The heat map as a standalone SVG document.
    public func svg() -> String { element().render() }

    /// The heat map as an `<svg>` element; cells are `class="cell"` rects.
    public func element() -> SVGElement {
        let finite = values.flatMap { $0.filter(\.isFinite) }
        let low = range?.lowerBound ?? finite.min() ?? 0, high = range?.upperBound ?? finite.max() ?? 1
        let top = title == nil ? 10.0 : 28.0, left = 48.0
        let areaWidth = width - left - 80, areaHeight = height - top - 12
        var children: [SVGElement] = [SVG.rect(x: 0, y: 0, width: width, height: height, fill: "#fff")]
        if let title {
            children.append(SVG.text(title, x: width / 2, y: 17, anchor: "middle", extra: [("class", "title"), ("font-size", "13")]))
        }
        let rowCount = values.count, columnCount = values.map(\.count).max() ?? 0
        var cells: [SVGElement] = []
        if rowCount > 0 && columnCount > 0 {
            let cellHeight = areaHeight / Double(rowCount), cellWidth = areaWidth / Double(columnCount)
            for (row, rowValues) in values.enumerated() {
                for (column, value) in rowValues.enumerated() where value.isFinite {
                    let t = high > low ? (value - low) / (high - low) : 0
                    cells.append(SVG.rect(x: left + Double(column) * cellWidth, y: top + Double(row) * cellHeight,
                                          width: cellWidth + 0.5, height: cellHeight + 0.5,
                                          fill: colorMap.color(at: t).hex, extra: [("class", "cell")]))
                }
                if row < rowLabels.count {
                    children.append(SVG.text(rowLabels[row], x: left - 4, y: top + (Double(row) + 0.5) * cellHeight + 3.5,
                                             anchor: "end"))
                }
            }
        }
        children.append(SVG.group([("class", "heat-cells")], cells))
        children.append(colorBar(left: left + areaWidth + 14, top: top, height: areaHeight, range: low...high, colorMap: colorMap,
                                 gradientID: "\(identifier)-gradient"))
        return SVG.document(width: width, height: height, children: children)
    }
}

/// A standalone heat strip figure: `values: [N]` as one coloured strip (at most `width / 3` bins,
/// each the mean of its samples) over `range` (default: finite minimum to maximum), with its label
/// on the left and a vertical colour bar on the right. Markup as in `ScoreFigure`: `g.heat-strip`.
public func heatStripSVG(_ values: [Double], label: String, width: Double = 640, height: Double = 40,
                         range: ClosedRange<Double>? = nil, colorMap: ColorMap = .viridis) -> String {
    let finite = values.filter(\.isFinite)
    let low = range?.lowerBound ?? finite.min() ?? 0
    let high = max(range?.upperBound ?? finite.max() ?? 1, low)
    let left = 80.0, stripWidth = max(width - left - 60, 10)
    return SVG.document(width: width, height: height, children: [
        SVG.rect(x: 0, y: 0, width: width, height: height, fill: "#fff"),
        heatStrip(values, left: left, top: 6, width: stripWidth, height: height - 12, range: low...high,
                  colorMap: colorMap, bins: max(Int(stripWidth / 3), 1), label: label),
        colorBar(left: left + stripWidth + 8, top: 6, height: height - 12, range: low...high, colorMap: colorMap,
                 maxTicks: 2),
    ]).render()
}

/// A vertical colour bar (`class="color-bar"`): a gradient from `colorMap`'s anchors, bottom = range's
/// lower bound, with nice-number tick labels. `gradientID` must be unique in the page.
func colorBar(left: Double, top: Double, height: Double, range: ClosedRange<Double>, colorMap: ColorMap,
              gradientID: String = "color-bar-gradient", barWidth: Double = 10, maxTicks: Int = 5) -> SVGElement {
    let stops = colorMap.anchors.enumerated().map { index, color in
        SVGElement("stop", [("offset", SVG.number(Double(index) / Double(max(colorMap.anchors.count - 1, 1)))),
                            ("stop-color", color.hex)])
    }
    let gradient = SVGElement("linearGradient", [("id", gradientID), ("x1", "0"), ("y1", "1"), ("x2", "0"), ("y2", "0")],
                              children: stops)
    var parts: [SVGElement] = [SVGElement("defs", children: [gradient]),
                               SVG.rect(x: left, y: top, width: barWidth, height: height, fill: "url(#\(gradientID))",
                                        extra: [("stroke", "#666"), ("stroke-width", "0.5")])]
    if range.upperBound > range.lowerBound {
        let scale = NiceScale(minimum: range.lowerBound, maximum: range.upperBound, maxTicks: maxTicks)
        for tick in scale.ticks where tick >= range.lowerBound && tick <= range.upperBound {
            let y = top + (range.upperBound - tick) / (range.upperBound - range.lowerBound) * height
            parts.append(SVG.line(x1: left + barWidth, y1: y, x2: left + barWidth + 3, y2: y, stroke: "#333"))
            parts.append(SVG.text(NumberFormatting.tickLabel(tick, step: scale.step), x: left + barWidth + 5, y: y + 3.5,
                                  extra: [("class", "tick"), ("font-size", "9")]))
        }
    }
    return SVG.group([("class", "color-bar")], parts)
}

/// A 1-D heat strip (`class="heat-strip"`): `values: [N]` averaged into at most `bins` equal
/// bins spanning [left, left + width], each bin a rect coloured over `range`; neighbouring bins of
/// the same colour are merged to keep the markup small.
func heatStrip(_ values: [Double], left: Double, top: Double, width: Double, height: Double,
               range: ClosedRange<Double>, colorMap: ColorMap, bins: Int, label: String) -> SVGElement {
    let binned = resampleByMean(values, count: min(bins, values.count))
    var rects: [SVGElement] = []
    let binWidth = width / Double(max(binned.count, 1))
    var runStart = 0
    func colour(_ value: Double) -> String {
        let span = range.upperBound - range.lowerBound
        return colorMap.color(at: span > 0 ? (value - range.lowerBound) / span : 0).hex
    }
    for index in binned.indices {
        let isLast = index == binned.count - 1
        if isLast || colour(binned[index + 1]) != colour(binned[runStart]) {
            rects.append(SVG.rect(x: left + Double(runStart) * binWidth, y: top,
                                  width: Double(index + 1 - runStart) * binWidth + 0.05, height: height,
                                  fill: colour(binned[runStart])))
            runStart = index + 1
        }
    }
    rects.append(SVG.text(label, x: left - 4, y: top + height / 2 + 3.5, anchor: "end", extra: [("font-size", "9")]))
    return SVG.group([("class", "heat-strip"), ("data-label", label)], rects)
}

/// A 1-D heat strip drawn as one inline PNG (`class="heat-strip"`, `data-label`): `values: [N]` averaged
/// into `bins` equal stretches (one image pixel each, NaN white), stretched over `width` without
/// smoothing. The same picture as `heatStrip` in a few hundred bytes instead of a rectangle per bin.
func heatStripImage(_ values: [Double], left: Double, top: Double, width: Double, height: Double,
                    range: ClosedRange<Double>, colorMap: ColorMap, bins: Int, label: String) -> SVGElement {
    let binned = resampleByMean(values, count: min(max(bins, 1), max(values.count, 1)))
    let span = range.upperBound - range.lowerBound
    var pixels: [UInt8] = []
    pixels.reserveCapacity(binned.count * 3)
    for value in binned {
        guard value.isFinite else { pixels += [255, 255, 255]; continue }
        let color = colorMap.color(at: span > 0 ? (value - range.lowerBound) / span : 0)
        pixels += [color.red, color.green, color.blue]
    }
    var parts: [SVGElement] = []
    if let image = PNGImage(width: binned.count, height: 1, pixels: pixels) {
        parts.append(SVGElement("image", [("x", SVG.number(left)), ("y", SVG.number(top)), ("width", SVG.number(width)),
                                          ("height", SVG.number(height)), ("preserveAspectRatio", "none"),
                                          ("style", "image-rendering:pixelated"), ("href", image.dataURI())]))
    }
    parts.append(SVG.text(label, x: left - 4, y: top + height / 2 + 3.5, anchor: "end", extra: [("font-size", "9")]))
    return SVG.group([("class", "heat-strip"), ("data-label", label)], parts)
}

// A plotting area with nice-number axes: maps data to pixels and draws the frame, ticks and labels.

/// A rectangle of the drawing (pixels, y down) with data scales on both axes.
public struct PlotFrame: Sendable {
    public var left: Double, top: Double, width: Double, height: Double
    public var xScale: NiceScale
    public var yScale: NiceScale

    public init(left: Double, top: Double, width: Double, height: Double, xScale: NiceScale, yScale: NiceScale) {
        self.left = left
        self.top = top
        self.width = width
        self.height = height
        self.xScale = xScale
        self.yScale = yScale
    }

    /// Pixel x of data x (the scale's lower bound at the left edge).
    public func x(_ value: Double) -> Double {
        left + (value - xScale.lower) / (xScale.upper - xScale.lower) * width
    }

    /// Pixel y of data y (the scale's upper bound at the top edge).
    public func y(_ value: Double) -> Double {
        top + (yScale.upper - value) / (yScale.upper - yScale.lower) * height
    }

    /// The frame, light grid lines, tick marks and labels (`class="axis"`, each tick label
    /// `class="tick"` with `data-value`), and optional axis titles.
    func axes(xLabel: String? = nil, yLabel: String? = nil, showXTicks: Bool = true) -> SVGElement {
        var parts: [SVGElement] = []
        for tick in yScale.ticks {
            let py = y(tick)
            parts.append(SVG.line(x1: left, y1: py, x2: left + width, y2: py, stroke: "#e6e6e6"))
            parts.append(SVG.text(NumberFormatting.tickLabel(tick, step: yScale.step), x: left - 4, y: py + 3.5,
                                  anchor: "end", extra: [("class", "tick y-tick"), ("data-value", "\(tick)")]))
        }
        if showXTicks {
            for tick in xScale.ticks {
                let px = x(tick)
                parts.append(SVG.line(x1: px, y1: top + height, x2: px, y2: top + height + 4, stroke: "#333"))
                parts.append(SVG.text(NumberFormatting.tickLabel(tick, step: xScale.step), x: px, y: top + height + 15,
                                      anchor: "middle", extra: [("class", "tick x-tick"), ("data-value", "\(tick)")]))
            }
        }
        parts.append(SVG.rect(x: left, y: top, width: width, height: height, fill: "none",
                              extra: [("stroke", "#333"), ("stroke-width", "0.8")]))
        if let xLabel {
            parts.append(SVG.text(xLabel, x: left + width / 2, y: top + height + (showXTicks ? 30 : 14),
                                  anchor: "middle", extra: [("class", "axis-label")]))
        }
        if let yLabel {
            let cx = left - 38, cy = top + height / 2
            parts.append(SVG.text(yLabel, x: cx, y: cy, anchor: "middle",
                                  extra: [("class", "axis-label"),
                                          ("transform", "rotate(-90 \(SVG.number(cx)) \(SVG.number(cy)))")]))
        }
        return SVG.group([("class", "axis")], parts)
    }

    /// A clip path id-able rectangle for the plotting area.
    func clipPath(id: String) -> SVGElement {
        SVGElement("clipPath", [("id", id)], children: [SVG.rect(x: left, y: top, width: width, height: height, fill: "#fff")])
    }

    /// The path of `values` drawn against sample index -> x = start + index * spacing, reduced
    /// to min/max per pixel column when there are more samples than pixels.
    func decimatedLine(_ values: [Double], start: Double = 0, spacing: Double = 1, stroke: String,
                       width strokeWidth: Double = 1, extra: [(String, String)] = []) -> SVGElement? {
        let columns = max(Int(width.rounded()), 1)
        var points: [(Double, Double)] = []
        if values.count > 2 * columns {
            let extents = minMaxDecimate(values, columns: columns)
            for (column, extent) in extents.enumerated() where extent.minimum.isFinite {
                let first = column * values.count / extents.count
                let px = x(start + Double(first) * spacing)
                points.append((px, y(extent.minimum)))
                if extent.maximum != extent.minimum { points.append((px, y(extent.maximum))) }
            }
        } else {
            for (index, value) in values.enumerated() where value.isFinite {
                points.append((x(start + Double(index) * spacing), y(value)))
            }
        }
        return SVG.relativePath(points, stroke: stroke, width: strokeWidth, extra: extra)
    }
}

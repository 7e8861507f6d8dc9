// Line plots with several series and a legend; ROC, precision-recall and training-history figures.

/// One named line of a plot: y values against x values (or against the index when `x` is nil).
public struct PlotSeries: Sendable {
    public var name: String
    public var x: [Double]?
    public var y: [Double]
    /// An SVG colour; nil picks from `LinePlot.palette` by position.
    public var color: String?
    public var dashed: Bool

    public init(name: String, x: [Double]? = nil, y: [Double], color: String? = nil, dashed: Bool = false) {
        self.name = name
        self.x = x
        self.y = y
        self.color = color
        self.dashed = dashed
    }
}

/// A corner of the plotting area.
public enum LegendPosition: Sendable { case topRight, topLeft, bottomRight, bottomLeft }

/// A line plot: nice-number axes around all series, the series as polylines (min/max decimated
/// when longer than the plot is wide) and a legend (`class="legend"`) in the top right corner.
public struct LinePlot: Sendable {
    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    public var series: [PlotSeries]
    public var width: Double
    public var height: Double
    /// Fixed axis ranges; nil fits the data.
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    /// A threshold on the first series: drawn as a dashed `line class="threshold-line"`, with each
    /// run of points above it filled as `rect class="highlight"` (`data-start`, `data-end`: half-open
    /// point indices) spanning the run's x values.
    public var threshold: Double?
    /// Where the legend sits inside the plotting area.
    public var legendPosition: LegendPosition = .topRight
    /// Prefix of element ids (the clip path is "<identifier>-area"), unique per plot in one page.
    public var identifier: String = "plot"

    /// Tableau-like colours for series without their own.
    public static let palette = ["#1f77b4", "#d62728", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]

    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil, series: [PlotSeries],
                width: Double = 480, height: Double = 320,
                xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.width = width
        self.height = height
        self.xRange = xRange
        self.yRange = yRange
    }

    /// The plot as a standalone SVG document.
    public func svg() -> String { element().render() }

    /// The plot as an `<svg>` element (to embed in a report).
    public func element() -> SVGElement {
        let xs = series.flatMap { s in (s.x ?? s.y.indices.map(Double.init)).filter(\.isFinite) }
        let ys = series.flatMap { $0.y.filter(\.isFinite) } + (threshold.map { [$0] } ?? [])
        let xScale = NiceScale(minimum: xRange?.lowerBound ?? xs.min() ?? 0, maximum: xRange?.upperBound ?? xs.max() ?? 1)
        let yScale = NiceScale(minimum: yRange?.lowerBound ?? ys.min() ?? 0, maximum: yRange?.upperBound ?? ys.max() ?? 1)
        let top = title == nil ? 12.0 : 28.0
        let frame = PlotFrame(left: 56, top: top, width: width - 72, height: height - top - 42,
                              xScale: xScale, yScale: yScale)
        var children: [SVGElement] = [SVG.rect(x: 0, y: 0, width: width, height: height, fill: "#fff")]
        if let title {
            children.append(SVG.text(title, x: width / 2, y: 17, anchor: "middle",
                                     extra: [("class", "title"), ("font-size", "13")]))
        }
        children.append(frame.axes(xLabel: xLabel, yLabel: yLabel))
        var lines: [SVGElement] = []
        if let threshold, let first = series.first {
            lines.append(highlights(of: first, above: threshold, in: frame))
        }
        for (index, s) in series.enumerated() {
            let color = s.color ?? Self.palette[index % Self.palette.count]
            let dash: [(String, String)] = s.dashed ? [("stroke-dasharray", "4 3")] : []
            let extra = [("class", "series"), ("data-series", s.name)] + dash
            if let x = s.x {
                let points = zip(x, s.y).filter { $0.0.isFinite && $0.1.isFinite }.map { (frame.x($0.0), frame.y($0.1)) }
                if let line = SVG.polyline(points, stroke: color, width: 1.5, extra: extra) { lines.append(line) }
            } else if let line = frame.decimatedLine(s.y, stroke: color, width: 1.5, extra: extra) {
                lines.append(line)
            }
        }
        children.append(SVG.group([("clip-path", "url(#\(identifier)-area)")], lines))
        children.insert(SVGElement("defs", children: [frame.clipPath(id: "\(identifier)-area")]), at: 0)
        children.append(legend(in: frame))
        return SVG.document(width: width, height: height, children: children)
    }

    private func highlights(of first: PlotSeries, above threshold: Double, in frame: PlotFrame) -> SVGElement {
        func xValue(_ index: Int) -> Double { first.x.map { $0[index] } ?? Double(index) }
        let count = min(first.x?.count ?? first.y.count, first.y.count)
        var parts = runsAbove(Array(first.y.prefix(count)), threshold: threshold).map { run in
            let left = frame.x(xValue(run.lowerBound)), right = frame.x(xValue(run.upperBound - 1))
            return SVG.rect(x: left, y: frame.top, width: max(right - left, 1), height: frame.height, fill: "#ff7f0e",
                            extra: [("class", "highlight"), ("fill-opacity", "0.3"),
                                    ("data-start", "\(run.lowerBound)"), ("data-end", "\(run.upperBound)")])
        }
        let y = frame.y(threshold)
        parts.append(SVG.line(x1: frame.left, y1: y, x2: frame.left + frame.width, y2: y, stroke: "#555",
                              extra: [("class", "threshold-line"), ("stroke-dasharray", "4 3")]))
        return SVG.group([("class", "highlight-layer")], parts)
    }

    private func legend(in frame: PlotFrame) -> SVGElement {
        let named = series.enumerated().filter { !$0.element.name.isEmpty }
        guard !named.isEmpty else { return SVG.group([("class", "legend")], []) }
        let boxWidth = Double(named.map { $0.element.name.count }.max() ?? 0) * 6.5 + 34
        let boxHeight = Double(named.count) * 16 + 6
        let left: Double, top: Double
        switch legendPosition {
        case .topRight: (left, top) = (frame.left + frame.width - 6 - boxWidth, frame.top + 6)
        case .topLeft: (left, top) = (frame.left + 6, frame.top + 6)
        case .bottomRight: (left, top) = (frame.left + frame.width - 6 - boxWidth, frame.top + frame.height - 6 - boxHeight)
        case .bottomLeft: (left, top) = (frame.left + 6, frame.top + frame.height - 6 - boxHeight)
        }
        var items: [SVGElement] = [SVG.rect(x: left, y: top, width: boxWidth, height: boxHeight,
                                            fill: "#fff", extra: [("fill-opacity", "0.85"), ("stroke", "#ccc")])]
        for (row, entry) in named.enumerated() {
            let color = entry.element.color ?? Self.palette[entry.offset % Self.palette.count]
            let cy = top + 12 + Double(row) * 16
            items.append(SVG.line(x1: left + 6, y1: cy - 3.5, x2: left + 24, y2: cy - 3.5, stroke: color,
                                  extra: [("stroke-width", "2")]))
            items.append(SVG.text(entry.element.name, x: left + 28, y: cy))
        }
        return SVG.group([("class", "legend")], items)
    }

    /// A ROC figure: (FPR, TPR) with the chance diagonal, axes fixed to [0, 1], AUC in the title.
    public static func roc(falsePositiveRates: [Double], truePositiveRates: [Double], auc: Double,
                           name: String = "model") -> LinePlot {
        var plot = LinePlot(title: "ROC curve (AUC = \(NumberFormatting.fixed(auc, digits: 3)))",
                            xLabel: "false positive rate", yLabel: "true positive rate",
                            series: [PlotSeries(name: name, x: falsePositiveRates, y: truePositiveRates),
                                     PlotSeries(name: "chance", x: [0, 1], y: [0, 1], color: "#999", dashed: true)],
                            xRange: 0...1, yRange: 0...1)
        plot.legendPosition = .bottomRight
        plot.identifier = "roc"
        return plot
    }

    /// A precision-recall figure: precision against recall, axes fixed to [0, 1], AP in the title.
    public static func precisionRecall(precisions: [Double], recalls: [Double], averagePrecision: Double,
                                       name: String = "model") -> LinePlot {
        var plot = LinePlot(title: "Precision-recall curve (AP = \(NumberFormatting.fixed(averagePrecision, digits: 3)))",
                            xLabel: "recall", yLabel: "precision",
                            series: [PlotSeries(name: name, x: recalls, y: precisions)],
                            xRange: 0...1, yRange: 0...1)
        plot.legendPosition = .bottomLeft
        plot.identifier = "pr"
        return plot
    }

    /// Training-history loss curves: one series per named loss against epochs 1...N.
    public static func trainingHistory(_ losses: [(name: String, values: [Double])], title: String = "Training history") -> LinePlot {
        LinePlot(title: title, xLabel: "epoch", yLabel: "loss",
                 series: losses.map { PlotSeries(name: $0.name, x: $0.values.indices.map { Double($0 + 1) }, y: $0.values) })
    }
}

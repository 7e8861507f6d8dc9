// The score distribution of a scored dataset: one row of dots per label group against the score axis,
// with the threshold as a vertical line and the count above it per group.

/// One group of record scores (e.g. the normal records), drawn as one row of dots.
public struct ScoreGroup: Sendable {
    /// The row's label, e.g. "normal".
    public var name: String
    /// The records' names and scores, in any order: `names: [N]`, `scores: [N]`.
    public var names: [String]
    public var scores: [Double]
    /// The dots' colour.
    public var color: String

    public init(name: String, names: [String], scores: [Double], color: String) {
        self.name = name
        self.names = names
        self.scores = scores
        self.color = color
    }
}

/// A strip plot of record scores per group. Stable markup: each group is `<g class="score-group"
/// data-group="normal">` holding one `circle class="score-dot"` per finite score (`data-record`,
/// `data-score`) and a count label `text class="group-count"`; the threshold is the dashed
/// `line class="threshold-line"` (`data-threshold`). Dots of a group are spread over its row by a
/// fixed pattern of their rank (no randomness), so the same scores always draw the same figure.
public struct ScoreDistributionFigure: Sendable {
    public var title: String
    public var groups: [ScoreGroup]
    /// The decision threshold tau (anomalous iff score > tau), or nil to draw none.
    public var threshold: Double?
    public var width: Double

    public init(title: String, groups: [ScoreGroup], threshold: Double?, width: Double = 820) {
        self.title = title
        self.groups = groups
        self.threshold = threshold
        self.width = width
    }

    static let rowHeight = 56.0, top = 40.0, left = 130.0, right = 150.0, bottom = 40.0

    /// The height of the figure: a row per group and the axis below.
    public var height: Double { Self.top + Double(max(groups.count, 1)) * Self.rowHeight + Self.bottom }

    /// The figure as a standalone SVG document.
    public func svg() -> String { element().render() }

    /// The figure as an `<svg>` element.
    public func element() -> SVGElement {
        let values = groups.flatMap { $0.scores.filter(\.isFinite) } + (threshold.map { [$0] } ?? [])
        let frame = PlotFrame(left: Self.left, top: Self.top, width: width - Self.left - Self.right,
                              height: Double(max(groups.count, 1)) * Self.rowHeight, xScale:
                                NiceScale(minimum: values.min() ?? 0, maximum: values.max() ?? 1, maxTicks: 8),
                              yScale: NiceScale(minimum: 0, maximum: 1))
        var children: [SVGElement] = [SVG.rect(x: 0, y: 0, width: width, height: height, fill: "#fff"),
                                      SVG.text(title, x: width / 2, y: 18, anchor: "middle",
                                               extra: [("class", "title"), ("font-size", "13")])]
        children.append(frame.axes(xLabel: "record score"))
        for (row, group) in groups.enumerated() {
            let rowTop = frame.top + Double(row) * Self.rowHeight
            let order = group.scores.indices.filter { group.scores[$0].isFinite }.sorted { group.scores[$0] < group.scores[$1] }
            var parts: [SVGElement] = []
            if row > 0 {
                parts.append(SVG.line(x1: frame.left, y1: rowTop, x2: frame.left + frame.width, y2: rowTop, stroke: "#ddd"))
            }
            for (rank, index) in order.enumerated() {
                // Five lanes per row, cycled by rank: neighbours in score land in different lanes.
                let lane = Double(rank % 5)
                let y = rowTop + 10 + lane * (Self.rowHeight - 20) / 4
                parts.append(SVGElement("circle", [("class", "score-dot"), ("cx", SVG.number(frame.x(group.scores[index]))),
                                                   ("cy", SVG.number(y)), ("r", "3.5"), ("fill", group.color),
                                                   ("fill-opacity", "0.7"), ("data-record", group.names[index]),
                                                   ("data-score", "\(group.scores[index])")]))
            }
            parts.append(SVG.text("\(group.name) (\(group.scores.count))", x: frame.left - 8, y: rowTop + Self.rowHeight / 2 + 4,
                                  anchor: "end", extra: [("class", "group-label")]))
            let above = threshold.map { tau in group.scores.filter { $0 > tau }.count }
            if let above {
                parts.append(SVG.text("\(above) of \(group.scores.count) above", x: frame.left + frame.width + 8,
                                      y: rowTop + Self.rowHeight / 2 + 4, extra: [("class", "group-count")]))
            }
            children.append(SVG.group([("class", "score-group"), ("data-group", group.name)], parts))
        }
        if let threshold {
            let x = frame.x(threshold)
            children.append(SVG.line(x1: x, y1: frame.top, x2: x, y2: frame.top + frame.height, stroke: "#c0392b",
                                     extra: [("class", "threshold-line"), ("stroke-dasharray", "5 3"), ("stroke-width", "1.5"),
                                             ("data-threshold", "\(threshold)")]))
            children.append(SVG.text("threshold \(NumberFormatting.significant(threshold))", x: x, y: frame.top - 4,
                                     anchor: "middle", extra: [("font-size", "10"), ("fill", "#c0392b")]))
        }
        return SVG.document(width: width, height: height, children: children)
    }
}

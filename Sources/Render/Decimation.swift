// Series reduction for drawing: min/max per pixel column, and runs above a threshold.

/// The minimum and maximum of the samples falling in one pixel column.
public struct ColumnExtent: Equatable, Sendable {
    public var minimum: Double
    public var maximum: Double
}

/// `values: [N] -> [min(N, columns)]` extents: column c covers samples [c N / columns, (c + 1) N / columns).
/// Drawing a vertical segment per column from minimum to maximum keeps every spike visible while
/// the output size depends on the width only. NaN samples are skipped (an all-NaN column is NaN).
public func minMaxDecimate(_ values: [Double], columns: Int) -> [ColumnExtent] {
    guard columns > 0, !values.isEmpty else { return [] }
    let count = min(columns, values.count)
    return (0..<count).map { column in
        let start = column * values.count / count, end = (column + 1) * values.count / count
        var low = Double.nan, high = Double.nan
        for value in values[start..<end] where value.isFinite {
            if !(low <= value) { low = value }
            if !(high >= value) { high = value }
        }
        return ColumnExtent(minimum: low, maximum: high)
    }
}

/// The maximal runs of consecutive indices where `values[i] > threshold`, as half-open ranges,
/// in order. These are the highlighted regions of an anomaly trace.
public func runsAbove(_ values: [Double], threshold: Double) -> [Range<Int>] {
    var runs: [Range<Int>] = []
    var start: Int?
    for (index, value) in values.enumerated() {
        if value > threshold {
            if start == nil { start = index }
        } else if let open = start {
            runs.append(open..<index)
            start = nil
        }
    }
    if let open = start { runs.append(open..<values.count) }
    return runs
}

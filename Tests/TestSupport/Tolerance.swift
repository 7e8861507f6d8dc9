// Tolerance comparisons for numeric tests: relative/absolute closeness with a useful report.

/// The worst element-wise mismatch between two sequences, for assertion messages.
public struct Mismatch: CustomStringConvertible, Sendable {
    public var index: Int
    public var actual: Double
    public var expected: Double
    public var description: String { "element \(index): got \(actual), expected \(expected)" }
}

/// Returns the first element where `|a - e| > atol + rtol * |e|`, or nil when all are close.
/// NaN matches NaN; a NaN against a number is a mismatch.
public func firstMismatch<A: Collection, E: Collection>(
    _ actual: A, _ expected: E, rtol: Double = 1e-6, atol: Double = 0
) -> Mismatch? where A.Element: BinaryFloatingPoint, E.Element: BinaryFloatingPoint {
    if actual.count != expected.count {
        return Mismatch(index: -1, actual: Double(actual.count), expected: Double(expected.count))
    }
    for (i, (a, e)) in zip(actual, expected).enumerated() {
        let da = Double(a), de = Double(e)
        if da.isNaN && de.isNaN { continue }
        if da.isNaN != de.isNaN || abs(da - de) > atol + rtol * abs(de) {
            return Mismatch(index: i, actual: da, expected: de)
        }
    }
    return nil
}

/// Largest absolute difference between two equally long sequences (NaN pairs ignored).
public func maxAbsDifference<A: Collection, E: Collection>(_ actual: A, _ expected: E) -> Double
where A.Element: BinaryFloatingPoint, E.Element: BinaryFloatingPoint {
    var worst = 0.0
    for (a, e) in zip(actual, expected) {
        let da = Double(a), de = Double(e)
        if da.isNaN && de.isNaN { continue }
        worst = max(worst, abs(da - de))
    }
    return worst
}

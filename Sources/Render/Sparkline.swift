// Unicode block sparklines of a series, resampled to a width.

/// The eight block characters of a sparkline, lowest first.
public let sparklineLevels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

/// A one-line sparkline of `values: [N]`.
///
/// With `width` < N the series is resampled to `width` buckets by averaging: bucket i holds the
/// values with index in [i N / width, (i + 1) N / width). Each bucket maps linearly from `range`
/// (default: the finite minimum to maximum) to levels 0...7, level = round(7 (v - lo) / (hi - lo)),
/// clamped; a constant series draws the lowest level and NaN draws a space.
public func sparkline(_ values: [Double], width: Int? = nil, range: ClosedRange<Double>? = nil) -> String {
    let buckets = resampleByMean(values, count: min(width ?? values.count, values.count))
    let finite = buckets.filter(\.isFinite)
    guard let low = range?.lowerBound ?? finite.min(), let high = range?.upperBound ?? finite.max() else {
        return String(repeating: " ", count: buckets.count)
    }
    let top = sparklineLevels.count - 1
    return String(buckets.map { value -> Character in
        guard value.isFinite else { return " " }
        guard high > low else { return sparklineLevels[0] }
        let level = Int((Double(top) * (value - low) / (high - low)).rounded())
        return sparklineLevels[min(max(level, 0), top)]
    })
}

/// `values: [N] -> [count]`, each output the mean of the values with index in
/// [i N / count, (i + 1) N / count); the input itself when count >= N.
func resampleByMean(_ values: [Double], count: Int) -> [Double] {
    guard count > 0 else { return [] }
    guard count < values.count else { return values }
    return (0..<count).map { bucket in
        let start = bucket * values.count / count, end = (bucket + 1) * values.count / count
        var sum = 0.0
        for index in start..<end { sum += values[index] }
        return sum / Double(end - start)
    }
}

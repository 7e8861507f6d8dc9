// Percentiles with NumPy's default linear interpolation.

/// The `p`-th percentile (0...100) of `values: [N]`, like `numpy.percentile(values, p)` with the
/// default `method="linear"`: virtual index h = (N - 1) p/100, then NumPy's two-sided lerp between
/// the neighbouring order statistics (from the upper one when the weight is >= 0.5), so results
/// agree with NumPy to the last bit.
public func percentile(_ values: [Double], _ p: Double) throws -> Double {
    try validate(values, function: "percentile")
    guard p >= 0, p <= 100 else {
        throw EvaluationError.parameterOutOfRange(function: "percentile", name: "p", value: p, expected: "0...100")
    }
    return percentileOfSorted(values.sorted(), quantile: p / 100)
}

/// The `q`-quantile (0...1) of already sorted values, NumPy's linear method.
func percentileOfSorted(_ sorted: [Double], quantile q: Double) -> Double {
    let virtualIndex = Double(sorted.count - 1) * q
    let lowerIndex = min(max(Int(virtualIndex.rounded(.down)), 0), sorted.count - 1)
    let upperIndex = min(lowerIndex + 1, sorted.count - 1)
    let weight = virtualIndex - Double(lowerIndex)
    let lower = sorted[lowerIndex], upper = sorted[upperIndex]
    let difference = upper - lower
    return weight >= 0.5 ? upper - difference * (1 - weight) : lower + difference * weight
}

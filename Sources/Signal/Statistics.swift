// Sums, means and standard deviations that round like NumPy (pairwise summation), and the
// per-lead z-score of the reference preprocessing.

/// NumPy's pairwise summation (`pairwise_sum` in its add reduction): blocks of up to 128 values are
/// summed in 8 interleaved accumulators, longer runs are split in halves (multiples of 8).
public func pairwiseSum(_ values: UnsafeBufferPointer<Double>) -> Double {
    let count = values.count
    if count < 8 {
        var sum = 0.0
        for value in values { sum += value }
        return sum
    }
    if count <= 128 {
        var r0 = values[0], r1 = values[1], r2 = values[2], r3 = values[3]
        var r4 = values[4], r5 = values[5], r6 = values[6], r7 = values[7]
        var index = 8
        let end = count - count % 8
        while index < end {
            r0 += values[index]; r1 += values[index + 1]; r2 += values[index + 2]; r3 += values[index + 3]
            r4 += values[index + 4]; r5 += values[index + 5]; r6 += values[index + 6]; r7 += values[index + 7]
            index += 8
        }
        var sum = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        while index < count {
            sum += values[index]
            index += 1
        }
        return sum
    }
    var half = count / 2
    half -= half % 8
    return pairwiseSum(UnsafeBufferPointer(rebasing: values[0..<half]))
        + pairwiseSum(UnsafeBufferPointer(rebasing: values[half..<count]))
}

/// `pairwiseSum` of an array (`numpy.sum` of a contiguous float64 vector).
public func pairwiseSum(_ values: [Double]) -> Double {
    values.withUnsafeBufferPointer { pairwiseSum($0) }
}

/// Per-lead statistics and normalisation (namespace).
public enum Statistics {
    /// Mean and population standard deviation (`numpy.mean`, `numpy.std` with ddof 0): the mean is
    /// `sum / n`, the deviation `sqrt(sum((x - mean)^2) / n)`, both sums pairwise.
    public static func meanAndStandardDeviation(_ x: UnsafeBufferPointer<Double>) -> (mean: Double, standardDeviation: Double) {
        let count = Double(x.count)
        let mean = pairwiseSum(x) / count
        var squares = [Double](repeating: 0, count: x.count)
        for index in x.indices {
            let centred = x[index] - mean
            squares[index] = centred * centred
        }
        return (mean, (pairwiseSum(squares) / count).squareRoot())
    }

    /// In place `x: [T] -> [T]`, `(x - mean) / (std + epsilon)` with the population std, as the reference
    /// `zscore` (`(signal - np.mean(signal)) / (np.std(signal) + 1e-8)`). An empty buffer is left alone.
    public static func zScore(_ x: UnsafeMutableBufferPointer<Double>, epsilon: Double = 1e-8) {
        guard !x.isEmpty else { return }
        let (mean, deviation) = meanAndStandardDeviation(UnsafeBufferPointer(x))
        let denominator = deviation + epsilon
        for index in x.indices { x[index] = (x[index] - mean) / denominator }
    }

    /// Array form of `zScore(_:epsilon:)`.
    public static func zScore(_ x: [Double], epsilon: Double = 1e-8) -> [Double] {
        var output = x
        output.withUnsafeMutableBufferPointer { zScore($0, epsilon: epsilon) }
        return output
    }
}

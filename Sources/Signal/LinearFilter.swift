// Direct-form II transposed IIR/FIR filtering (scipy.signal.lfilter) and its steady-state
// initial conditions (scipy.signal.lfilter_zi).

/// Filter coefficients padded to one length and divided by `a[0]`, as SciPy's C loop uses them.
struct NormalizedCoefficients {
    var numerator: [Double]
    var denominator: [Double]

    init(_ filter: TransferFunction, function: String) throws {
        var b = filter.numerator, a = filter.denominator
        guard !b.isEmpty, !a.isEmpty else { throw SignalError(function, "b and a must each hold at least one coefficient") }
        guard a[0] != 0 else { throw SignalError(function, "a[0] must be nonzero") }
        let length = max(a.count, b.count)
        b += Array(repeating: 0, count: length - b.count)
        a += Array(repeating: 0, count: length - a.count)
        let leading = a[0]
        numerator = b.map { $0 / leading }
        denominator = a.map { $0 / leading }
    }

    /// Number of delay elements (`max(len(a), len(b)) - 1`).
    var stateCount: Int { numerator.count - 1 }
}

/// Filters `input` into `output` (same length) with state `state` (updated in place), direct form II
/// transposed exactly as SciPy's `_linear_filter` loop: `y = z0 + b0 x`, `z_i = z_{i+1} + b_{i+1} x - a_{i+1} y`.
func runLinearFilter(_ coefficients: NormalizedCoefficients, input: UnsafeBufferPointer<Double>,
                     output: UnsafeMutableBufferPointer<Double>, state: inout [Double]) {
    let b = coefficients.numerator, a = coefficients.denominator
    let order = coefficients.stateCount
    guard order > 0 else {
        for index in input.indices { output[index] = input[index] * b[0] }
        return
    }
    b.withUnsafeBufferPointer { b in
        a.withUnsafeBufferPointer { a in
            state.withUnsafeMutableBufferPointer { z in
                for index in input.indices {
                    let x = input[index]
                    let y = z[0] + b[0] * x
                    for tap in 0..<(order - 1) {
                        z[tap] = z[tap + 1] + x * b[tap + 1] - y * a[tap + 1]
                    }
                    z[order - 1] = x * b[order] - y * a[order]
                    output[index] = y
                }
            }
        }
    }
}

/// Lane-parallel twin of `runLinearFilter`: filters four independent signals at once, one per SIMD lane,
/// in place. Each lane performs exactly the scalar loop's operations in the same order (no fused
/// multiply-add), so every lane's output equals `runLinearFilter` bit for bit; four interleaved
/// recursions hide the latency of the feedback chain.
func runLinearFilterLanes(_ coefficients: NormalizedCoefficients, buffer: UnsafeMutableBufferPointer<SIMD4<Double>>,
                          state: inout [SIMD4<Double>]) {
    let b = coefficients.numerator.map { SIMD4<Double>(repeating: $0) }
    let a = coefficients.denominator.map { SIMD4<Double>(repeating: $0) }
    let order = coefficients.stateCount
    guard order > 0 else {
        for index in buffer.indices { buffer[index] = buffer[index] * b[0] }
        return
    }
    b.withUnsafeBufferPointer { b in
        a.withUnsafeBufferPointer { a in
            state.withUnsafeMutableBufferPointer { z in
                for index in buffer.indices {
                    let x = buffer[index]
                    let y = z[0] + b[0] * x
                    for tap in 0..<(order - 1) {
                        z[tap] = z[tap + 1] + x * b[tap + 1] - y * a[tap + 1]
                    }
                    z[order - 1] = x * b[order] - y * a[order]
                    buffer[index] = y
                }
            }
        }
    }
}

extension Filtering {
    /// `x: [T] -> y: [T]`, the causal filter `a[0] y[n] = sum b[k] x[n-k] - sum_{k>0} a[k] y[n-k]`
    /// in direct form II transposed, like `scipy.signal.lfilter(b, a, x, zi=zi)`.
    ///
    /// - Parameter initialState: delay values `zi` (`max(len(a), len(b)) - 1` of them); zeros when nil.
    /// - Returns: the output and the final delay values `zf`.
    public static func lfilter(_ filter: TransferFunction, _ x: [Double],
                               initialState: [Double]? = nil) throws -> (output: [Double], finalState: [Double]) {
        let coefficients = try NormalizedCoefficients(filter, function: "lfilter")
        var state = initialState ?? Array(repeating: 0, count: coefficients.stateCount)
        guard state.count == coefficients.stateCount else {
            throw SignalError("lfilter", "initial state must hold max(len(a), len(b)) - 1 = \(coefficients.stateCount) values, got \(state.count)")
        }
        var output = [Double](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                runLinearFilter(coefficients, input: input, output: output, state: &state)
            }
        }
        return (output, state)
    }

    /// Initial delay values for the step response steady state, the solution `zi` of SciPy's
    /// `scipy.signal.lfilter_zi(b, a)` system `(I - companion(a)^T) zi = b[1:] - a[1:] b[0]`.
    ///
    /// Solved in closed form rather than by LU: at steady state the output of a unit step is
    /// `y = sum(b) / sum(a)` and `zi[k] = sum_{j>k} (b[j] - a[j] y)`, evaluated in double-double
    /// arithmetic. The system's condition number is about `1 / sum(a)`, which for a 0.5 Hz band edge at
    /// 500 Hz leaves SciPy's LU answer only about 3 digits right; this one is correctly rounded.
    /// - Throws: `SignalError` when `sum(a) == 0` (a pole at z = 1, SciPy's singular matrix).
    public static func lfilterInitialState(_ filter: TransferFunction) throws -> [Double] {
        var a = filter.denominator
        while a.count > 1 && a[0] == 0 { a.removeFirst() }
        guard !a.isEmpty, a[0] != 0 else { throw SignalError("lfilter_zi", "There must be at least one nonzero `a` coefficient.") }
        let coefficients = try NormalizedCoefficients(TransferFunction(numerator: filter.numerator, denominator: a),
                                                      function: "lfilter_zi")
        let b = coefficients.numerator, normalizedA = coefficients.denominator
        let size = coefficients.stateCount
        guard size > 0 else { return [] }
        // Tail sums B_k = sum_{j>k} b[j] and A_k = sum_{j>k} a[j], from the end.
        var tailB = [DoubleDouble](repeating: DoubleDouble(0), count: size + 1)
        var tailA = [DoubleDouble](repeating: DoubleDouble(0), count: size + 1)
        for k in stride(from: size - 1, through: 0, by: -1) {
            tailB[k] = tailB[k + 1] + b[k + 1]
            tailA[k] = tailA[k + 1] + normalizedA[k + 1]
        }
        let sumB = tailB[0] + b[0], sumA = tailA[0] + normalizedA[0]
        guard sumA.value != 0 else {
            throw SignalError("lfilter_zi", "Singular matrix: sum(a) = 0, the filter has a pole at z = 1")
        }
        let steadyOutput = sumB / sumA
        return (0..<size).map { (tailB[$0] - steadyOutput * tailA[$0]).value }
    }
}

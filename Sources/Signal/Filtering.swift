// Second-order-section filtering (scipy.signal.sosfilt, sosfilt_zi) and the zero-phase
// forward-backward filters (scipy.signal.filtfilt, sosfiltfilt) with SciPy's odd padding.

/// Causal and zero-phase IIR filtering with SciPy semantics (namespace).
public enum Filtering {
    /// Default pad length of `filtfilt`: `3 * max(len(a), len(b))`.
    public static func defaultPadLength(_ filter: TransferFunction) -> Int {
        3 * max(filter.numerator.count, filter.denominator.count)
    }

    /// Default pad length of `sosfiltfilt`:
    /// `3 * (2 * nSections + 1 - min(#(b2 == 0), #(a2 == 0)))`.
    public static func defaultPadLength(_ sections: SecondOrderSections) -> Int {
        let zeroB2 = sections.sections.filter { $0[2] == 0 }.count
        let zeroA2 = sections.sections.filter { $0[5] == 0 }.count
        return 3 * (2 * sections.count + 1 - min(zeroB2, zeroA2))
    }

    /// `x: [T] -> [T]`, zero-phase forward-backward filtering like
    /// `scipy.signal.filtfilt(b, a, x)` (method 'pad', `padtype='odd'`).
    ///
    /// The signal is extended at both ends by `padLength` samples of its point reflection about the end
    /// values, filtered forward from the steady state `lfilter_zi * x[0]`, then backward, and cropped.
    /// - Parameter padLength: SciPy's `padlen`; `3 * max(len(a), len(b))` when nil.
    /// - Throws: `SignalError` when `x.count <= padLength` (SciPy's ValueError) or for bad coefficients.
    public static func filtfilt(_ filter: TransferFunction, _ x: [Double], padLength: Int? = nil) throws -> [Double] {
        var output = [Double](repeating: 0, count: x.count)
        try x.withUnsafeBufferPointer { input in
            try output.withUnsafeMutableBufferPointer { output in
                try filtfilt(filter, input, into: output, padLength: padLength)
            }
        }
        return output
    }

    /// Buffer form of `filtfilt(_:_:padLength:)`: reads `input` and writes the same count to `output`
    /// (the two may be the same memory).
    public static func filtfilt(_ filter: TransferFunction, _ input: UnsafeBufferPointer<Double>,
                                into output: UnsafeMutableBufferPointer<Double>, padLength: Int? = nil) throws {
        let coefficients = try NormalizedCoefficients(filter, function: "filtfilt")
        let initial = try lfilterInitialState(filter)
        let edge = padLength ?? defaultPadLength(filter)
        try zeroPhase(input, into: output, edge: edge) { buffer, first in
            var state = initial.map { $0 * first }
            runLinearFilter(coefficients, input: UnsafeBufferPointer(buffer), output: buffer, state: &state)
        }
    }

    /// `x: [T] -> [T]`, causal filtering through the sections in turn, like `scipy.signal.sosfilt(sos, x, zi=zi)`.
    ///
    /// - Parameter initialState: `[nSections, 2]` delay values, row-major; zeros when nil.
    /// - Returns: the output and the final `[nSections, 2]` state.
    public static func sosfilt(_ sections: SecondOrderSections, _ x: [Double],
                               initialState: [Double]? = nil) throws -> (output: [Double], finalState: [Double]) {
        var state = initialState ?? Array(repeating: 0, count: 2 * sections.count)
        guard state.count == 2 * sections.count else {
            throw SignalError("sosfilt", "initial state must hold 2 * nSections = \(2 * sections.count) values, got \(state.count)")
        }
        var output = x
        let flat = normalizedSections(sections)
        output.withUnsafeMutableBufferPointer { runSections(flat, count: sections.count, buffer: $0, state: &state) }
        return (output, state)
    }

    /// Steady-state initial conditions of the cascade, like `scipy.signal.sosfilt_zi(sos)`: each section's
    /// `lfilter_zi` scaled by the DC gain of the sections before it. Shape `[nSections, 2]`, row-major.
    /// The gains `sum(b) / sum(a)` are accumulated in double-double because `sum(a)` cancels for poles
    /// near z = 1.
    public static func sosfiltInitialState(_ sections: SecondOrderSections) throws -> [Double] {
        var state: [Double] = []
        var scale = DoubleDouble(1)
        for row in sections.sections {
            let numerator = Array(row[0..<3]), denominator = Array(row[3..<6])
            state += try lfilterInitialState(TransferFunction(numerator: numerator, denominator: denominator))
                .map { (scale * DoubleDouble($0)).value }
            let sumB = DoubleDouble(numerator[0]) + numerator[1] + numerator[2]
            let sumA = DoubleDouble(denominator[0]) + denominator[1] + denominator[2]
            scale = scale * (sumB / sumA)
        }
        return state
    }

    /// `x: [T] -> [T]`, zero-phase forward-backward filtering with sections, like
    /// `scipy.signal.sosfiltfilt(sos, x)` (`padtype='odd'`, default `padlen` from `defaultPadLength`).
    /// - Throws: `SignalError` when `x.count <= padLength`.
    public static func sosfiltfilt(_ sections: SecondOrderSections, _ x: [Double], padLength: Int? = nil) throws -> [Double] {
        var output = [Double](repeating: 0, count: x.count)
        try x.withUnsafeBufferPointer { input in
            try output.withUnsafeMutableBufferPointer { output in
                try sosfiltfilt(sections, input, into: output, padLength: padLength)
            }
        }
        return output
    }

    /// Buffer form of `sosfiltfilt(_:_:padLength:)`; `input` and `output` may be the same memory.
    public static func sosfiltfilt(_ sections: SecondOrderSections, _ input: UnsafeBufferPointer<Double>,
                                   into output: UnsafeMutableBufferPointer<Double>, padLength: Int? = nil) throws {
        let initial = try sosfiltInitialState(sections)
        let flat = normalizedSections(sections)
        let edge = padLength ?? defaultPadLength(sections)
        try zeroPhase(input, into: output, edge: edge, function: "sosfiltfilt") { buffer, first in
            var state = initial.map { $0 * first }
            runSections(flat, count: sections.count, buffer: buffer, state: &state)
        }
    }

    /// The shared forward-backward scheme: odd extension by `edge`, forward pass started at the first
    /// extended value, reverse, backward pass started at the last forward output, reverse and crop.
    /// `pass(buffer, start)` filters `buffer` in place from the steady state for the constant `start`.
    static func zeroPhase(_ input: UnsafeBufferPointer<Double>, into output: UnsafeMutableBufferPointer<Double>,
                          edge: Int, function: String = "filtfilt",
                          pass: (UnsafeMutableBufferPointer<Double>, Double) -> Void) throws {
        let count = input.count
        guard edge >= 0 else { throw SignalError(function, "padlen must be nonnegative, got \(edge)") }
        guard count > edge else {
            throw SignalError(function, "The length of the input vector x must be greater than padlen, which is \(edge). (got \(count) samples)")
        }
        guard output.count == count else { throw SignalError(function, "output holds \(output.count) samples, input \(count)") }
        var extended = [Double](repeating: 0, count: count + 2 * edge)
        extended.withUnsafeMutableBufferPointer { buffer in
            let first = input[0], last = input[count - 1]
            for offset in 0..<edge {
                buffer[offset] = 2 * first - input[edge - offset]
                buffer[edge + count + offset] = 2 * last - input[count - 2 - offset]
            }
            for index in 0..<count { buffer[edge + index] = input[index] }
            pass(buffer, buffer[0])
            buffer.reverse()
            pass(buffer, buffer[0])
            for index in 0..<count { output[index] = buffer[buffer.count - 1 - edge - index] }
        }
    }

    /// Sections flattened to `[b0, b1, b2, a1, a2]` per section after dividing by `a0`.
    static func normalizedSections(_ sections: SecondOrderSections) -> [Double] {
        sections.sections.flatMap { row -> [Double] in
            let a0 = row[3]
            return row[3] == 1 ? [row[0], row[1], row[2], row[4], row[5]]
                : [row[0] / a0, row[1] / a0, row[2] / a0, row[4] / a0, row[5] / a0]
        }
    }

    /// SciPy's `_sosfilt` inner loop: for each sample, pass through every section in turn.
    static func runSections(_ flat: [Double], count: Int, buffer: UnsafeMutableBufferPointer<Double>, state: inout [Double]) {
        flat.withUnsafeBufferPointer { s in
            state.withUnsafeMutableBufferPointer { z in
                for index in buffer.indices {
                    var current = buffer[index]
                    for section in 0..<count {
                        let c = section * 5, d = section * 2
                        let next = s[c] * current + z[d]
                        z[d] = s[c + 1] * current - s[c + 3] * next + z[d + 1]
                        z[d + 1] = s[c + 2] * current - s[c + 4] * next
                        current = next
                    }
                    buffer[index] = current
                }
            }
        }
    }

    /// Lane-parallel twin of `runSections` (four signals, one per SIMD lane, in place); each lane's
    /// arithmetic is the scalar loop's, in the same order, so results agree bit for bit.
    static func runSectionsLanes(_ flat: [Double], count: Int, buffer: UnsafeMutableBufferPointer<SIMD4<Double>>,
                                 state: inout [SIMD4<Double>]) {
        let s = flat.map { SIMD4<Double>(repeating: $0) }
        s.withUnsafeBufferPointer { s in
            state.withUnsafeMutableBufferPointer { z in
                for index in buffer.indices {
                    var current = buffer[index]
                    for section in 0..<count {
                        let c = section * 5, d = section * 2
                        let next = s[c] * current + z[d]
                        z[d] = s[c + 1] * current - s[c + 3] * next + z[d + 1]
                        z[d + 1] = s[c + 2] * current - s[c + 4] * next
                        current = next
                    }
                    buffer[index] = current
                }
            }
        }
    }
}

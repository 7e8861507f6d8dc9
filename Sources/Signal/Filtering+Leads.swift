// Zero-phase filtering of every lead of a [L, T] record, four leads at a time in SIMD lanes
// (bit-identical to filtering each lead on its own with filtfilt / sosfiltfilt).

extension Filtering {
    /// In place `record: [L, T] -> [L, T]`, `filtfilt(filter, lead)` applied to every row (SciPy's
    /// `filtfilt(b, a, x, axis=-1)` on a 2-D array), four rows at a time.
    /// - Throws: `SignalError` when `T <= padLength` or the buffer does not hold `leads` rows.
    public static func filtfilt(_ filter: TransferFunction, record: UnsafeMutableBufferPointer<Double>, leads: Int,
                                padLength: Int? = nil) throws {
        let coefficients = try NormalizedCoefficients(filter, function: "filtfilt")
        let initial = try lfilterInitialState(filter).map { SIMD4<Double>(repeating: $0) }
        let edge = padLength ?? defaultPadLength(filter)
        try zeroPhaseLanes(record, leads: leads, edge: edge, function: "filtfilt") { buffer, first in
            var state = initial.map { $0 * first }
            runLinearFilterLanes(coefficients, buffer: buffer, state: &state)
        }
    }

    /// In place `record: [L, T] -> [L, T]`, `sosfiltfilt(sections, lead)` applied to every row, four rows at a time.
    /// - Throws: `SignalError` when `T <= padLength` or the buffer does not hold `leads` rows.
    public static func sosfiltfilt(_ sections: SecondOrderSections, record: UnsafeMutableBufferPointer<Double>, leads: Int,
                                   padLength: Int? = nil) throws {
        let initial = try sosfiltInitialState(sections).map { SIMD4<Double>(repeating: $0) }
        let flat = normalizedSections(sections)
        let edge = padLength ?? defaultPadLength(sections)
        try zeroPhaseLanes(record, leads: leads, edge: edge, function: "sosfiltfilt") { buffer, first in
            var state = initial.map { $0 * first }
            runSectionsLanes(flat, count: sections.count, buffer: buffer, state: &state)
        }
    }

    /// `zeroPhase` for groups of four rows: rows are interleaved into SIMD lanes (missing lanes stay 0
    /// and are discarded), extended, filtered forward and backward, and written back.
    static func zeroPhaseLanes(_ record: UnsafeMutableBufferPointer<Double>, leads: Int, edge: Int, function: String,
                               pass: (UnsafeMutableBufferPointer<SIMD4<Double>>, SIMD4<Double>) -> Void) throws {
        guard leads > 0, record.count % leads == 0 else {
            throw SignalError(function, "a [L, T] buffer of \(record.count) values cannot hold \(leads) leads")
        }
        let count = record.count / leads
        guard edge >= 0 else { throw SignalError(function, "padlen must be nonnegative, got \(edge)") }
        guard count > edge else {
            throw SignalError(function, "The length of the input vector x must be greater than padlen, which is \(edge). (got \(count) samples)")
        }
        var extended = [SIMD4<Double>](repeating: SIMD4(repeating: 0), count: count + 2 * edge)
        extended.withUnsafeMutableBufferPointer { buffer in
            for group in stride(from: 0, to: leads, by: 4) {
                let lanes = min(4, leads - group)
                for lane in 0..<4 {
                    let row = group + lane
                    guard lane < lanes else {
                        for index in buffer.indices { buffer[index][lane] = 0 }
                        continue
                    }
                    let input = UnsafeBufferPointer(rebasing: record[(row * count)..<((row + 1) * count)])
                    let first = input[0], last = input[count - 1]
                    for offset in 0..<edge {
                        buffer[offset][lane] = 2 * first - input[edge - offset]
                        buffer[edge + count + offset][lane] = 2 * last - input[count - 2 - offset]
                    }
                    for index in 0..<count { buffer[edge + index][lane] = input[index] }
                }
                pass(buffer, buffer[0])
                buffer.reverse()
                pass(buffer, buffer[0])
                for lane in 0..<lanes {
                    let row = group + lane
                    for index in 0..<count { record[row * count + index] = buffer[buffer.count - 1 - edge - index][lane] }
                }
            }
        }
    }
}

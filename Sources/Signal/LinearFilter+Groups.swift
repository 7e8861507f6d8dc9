// Direct-form II transposed filtering (scipy.signal.lfilter's loop) of several groups of four leads
// at once, forward or backward in time, for the fused preprocessing chain (Preprocessor+Groups.swift).

/// A transfer function prepared for `runLinearFilterGroups`: coefficients divided by `a[0]`, padded to
/// one length and broadcast to SIMD lanes, with the `lfilter_zi` steady state and `filtfilt`'s pad length.
struct ZeroPhasePlan: Sendable {
    /// `b[0...order]` then `a[0...order]`, each broadcast to four lanes.
    let coefficients: [SIMD4<Double>]
    /// Delay elements, `max(len(a), len(b)) - 1`.
    let order: Int
    /// `lfilter_zi(b, a)` broadcast to four lanes.
    let initialState: [SIMD4<Double>]
    /// SciPy's default `padlen`, `3 * max(len(a), len(b))`.
    let edge: Int

    init(_ filter: TransferFunction) throws {
        let normalized = try NormalizedCoefficients(filter, function: "filtfilt")
        coefficients = (normalized.numerator + normalized.denominator).map { SIMD4(repeating: $0) }
        order = normalized.stateCount
        initialState = try Filtering.lfilterInitialState(filter).map { SIMD4(repeating: $0) }
        edge = Filtering.defaultPadLength(filter)
    }
}

/// Filters `steps` time steps of `groups` interleaved lane groups (`buffer[t * groups + g]`) in place,
/// forward (`backward == false`, t = 0, 1, ...) or backward in time, each group from the steady state
/// scaled by its first value in that direction (SciPy's `lfilter_zi * x[0]`).
///
/// Per lane the arithmetic is `runLinearFilter`'s, in the same order, so every lead's result equals
/// the scalar filter bit for bit; the groups are independent recursions interleaved in time so the
/// processor overlaps their feedback latency. Running backward equals SciPy's reverse, filter, reverse.
func runLinearFilterGroups(_ plan: ZeroPhasePlan, buffer: UnsafeMutablePointer<SIMD4<Double>>, steps: Int, groups: Int,
                           backward: Bool, state: UnsafeMutablePointer<SIMD4<Double>>) {
    let order = plan.order
    let startStep = backward ? steps - 1 : 0
    for group in 0..<groups {
        let first = buffer[startStep * groups + group]
        for tap in 0..<order { state[group * order + tap] = plan.initialState[tap] * first }
    }
    plan.coefficients.withUnsafeBufferPointer { coefficients in
        guard let b = coefficients.baseAddress else { return }
        // Constant orders let the compiler unroll the taps: 2 is the notch, 8 the order-4 band-pass.
        switch order {
        case 0:
            for step in 0..<(steps * groups) { buffer[step] = buffer[step] * b[0] }
        case 2: filterGroups(b, order: 2, buffer: buffer, steps: steps, groups: groups, backward: backward, state: state)
        case 8: filterGroups(b, order: 8, buffer: buffer, steps: steps, groups: groups, backward: backward, state: state)
        default: filterGroups(b, order: order, buffer: buffer, steps: steps, groups: groups, backward: backward, state: state)
        }
    }
}

/// The loop of `runLinearFilterGroups` for `order > 0`; `b` holds `b[0...order]` then `a[0...order]`.
@inline(__always)
private func filterGroups(_ b: UnsafePointer<SIMD4<Double>>, order: Int, buffer: UnsafeMutablePointer<SIMD4<Double>>,
                          steps: Int, groups: Int, backward: Bool, state: UnsafeMutablePointer<SIMD4<Double>>) {
    let a = b + order + 1
    for step in 0..<steps {
        let row = buffer + (backward ? steps - 1 - step : step) * groups
        for group in 0..<groups {
            let x = row[group]
            let z = state + group * order
            let y = z[0] + b[0] * x
            for tap in 0..<(order - 1) {
                z[tap] = z[tap + 1] + x * b[tap + 1] - y * a[tap + 1]
            }
            z[order - 1] = x * b[order] - y * a[order]
            row[group] = y
        }
    }
}

/// `pairwiseSum` of each lane of `count` values `values[i * stride]`: the same blocks, accumulators and
/// order of additions as NumPy's pairwise summation, so each lane's sum equals `pairwiseSum` of that lane.
func pairwiseSumLanes(_ values: UnsafePointer<SIMD4<Double>>, count: Int, stride: Int) -> SIMD4<Double> {
    if count < 8 {
        var sum = SIMD4<Double>(repeating: 0)
        for index in 0..<count { sum += values[index * stride] }
        return sum
    }
    if count <= 128 {
        var r0 = values[0], r1 = values[stride], r2 = values[2 * stride], r3 = values[3 * stride]
        var r4 = values[4 * stride], r5 = values[5 * stride], r6 = values[6 * stride], r7 = values[7 * stride]
        var index = 8
        let end = count - count % 8
        while index < end {
            let block = values + index * stride
            r0 += block[0]; r1 += block[stride]; r2 += block[2 * stride]; r3 += block[3 * stride]
            r4 += block[4 * stride]; r5 += block[5 * stride]; r6 += block[6 * stride]; r7 += block[7 * stride]
            index += 8
        }
        var sum = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        while index < count {
            sum += values[index * stride]
            index += 1
        }
        return sum
    }
    var half = count / 2
    half -= half % 8
    return pairwiseSumLanes(values, count: half, stride: stride)
        + pairwiseSumLanes(values + half * stride, count: count - half, stride: stride)
}

// The reference chain (non-finite to 0, band-pass and notch filtfilt, z-score) on every lead of a
// [L, T] block in one pass over lane-interleaved scratch memory reused between calls.
import Foundation

extension Preprocessor {
    /// In place `block: [L, T] -> [L, T]`, bit-identical to `replaceNonFinite`, `Filtering.filtfilt` with
    /// each plan in turn and `Statistics.zScore` per lead. Leads sit four to a SIMD lane group and all
    /// groups interleave in time (`data[t * groups + g]`), so the filters run the groups' recursions side
    /// by side; the filters work in place on the one buffer: after a forward-backward pass the cropped
    /// result is already in natural order where the next filter's odd padding is written around it.
    /// - Throws: `SignalError` when `T` is not longer than a plan's pad length.
    func processGroups(_ block: UnsafeMutableBufferPointer<Double>, leads: Int, plans: [ZeroPhasePlan]) throws {
        let samples = block.count / leads
        for plan in plans where samples <= plan.edge {
            throw SignalError("filtfilt", "The length of the input vector x must be greater than padlen, which is \(plan.edge). (got \(samples) samples)")
        }
        guard let source = block.baseAddress else { return }
        let groups = (leads + 3) / 4
        let margin = plans.map(\.edge).max() ?? 0
        let span = samples + 2 * margin
        let stateCount = (plans.map(\.order).max() ?? 0) * groups
        LaneScratch.shared.withBuffer(count: span * groups + samples + stateCount) { scratch in
            let data = scratch, squares = scratch + span * groups, state = squares + samples
            let start = data + margin * groups
            Self.interleave(source, leads: leads, samples: samples, into: start, groups: groups)
            for plan in plans {
                Self.padOddly(start, samples: samples, groups: groups, edge: plan.edge)
                let base = start - plan.edge * groups
                let steps = samples + 2 * plan.edge
                runLinearFilterGroups(plan, buffer: base, steps: steps, groups: groups, backward: false, state: state)
                runLinearFilterGroups(plan, buffer: base, steps: steps, groups: groups, backward: true, state: state)
            }
            for group in 0..<groups {
                let (mean, denominator) = zScoreTerms(start + group, samples: samples, stride: groups, squares: squares)
                Self.deinterleave(start + group, stride: groups, samples: samples, into: source + group * 4 * samples,
                                  lanes: min(4, leads - group * 4), mean: mean, denominator: denominator)
            }
        }
    }

    /// Rows of `source` ([L, T]) into lane groups `start[t * groups + g]`, non-finite values as 0 and
    /// missing lanes of the last group as 0.
    static func interleave(_ source: UnsafeMutablePointer<Double>, leads: Int, samples: Int,
                           into start: UnsafeMutablePointer<SIMD4<Double>>, groups: Int) {
        @inline(__always) func clean(_ value: Double) -> Double { value.isFinite ? value : 0 }
        for group in 0..<groups {
            let first = group * 4, lanes = min(4, leads - first)
            let row0 = source + first * samples
            if lanes == 4 {
                let row1 = row0 + samples, row2 = row1 + samples, row3 = row2 + samples
                for index in 0..<samples {
                    start[index * groups + group] = SIMD4(clean(row0[index]), clean(row1[index]), clean(row2[index]), clean(row3[index]))
                }
            } else {
                for index in 0..<samples {
                    var lanesValue = SIMD4<Double>(repeating: 0)
                    for lane in 0..<lanes { lanesValue[lane] = clean(row0[lane * samples + index]) }
                    start[index * groups + group] = lanesValue
                }
            }
        }
    }

    /// `filtfilt`'s odd extension by `edge` steps on both sides of the `samples` steps at `start`:
    /// `2 x[0] - x[edge - k]` before and `2 x[T-1] - x[T-2-k]` after, per lane.
    static func padOddly(_ start: UnsafeMutablePointer<SIMD4<Double>>, samples: Int, groups: Int, edge: Int) {
        let two = SIMD4<Double>(repeating: 2)
        for group in 0..<groups {
            let x = start + group
            let first = x[0], last = x[(samples - 1) * groups]
            for offset in 0..<edge {
                x[(offset - edge) * groups] = two * first - x[(edge - offset) * groups]
                x[(samples + offset) * groups] = two * last - x[(samples - 2 - offset) * groups]
            }
        }
    }

    /// Lane `l` of `(x[i * stride] - mean) / denominator` into row `l` of `rows` ([lanes, samples]).
    static func deinterleave(_ x: UnsafeMutablePointer<SIMD4<Double>>, stride: Int, samples: Int,
                             into rows: UnsafeMutablePointer<Double>, lanes: Int,
                             mean: SIMD4<Double>, denominator: SIMD4<Double>) {
        if lanes == 4 {
            let row1 = rows + samples, row2 = row1 + samples, row3 = row2 + samples
            for index in 0..<samples {
                let value = (x[index * stride] - mean) / denominator
                rows[index] = value[0]; row1[index] = value[1]; row2[index] = value[2]; row3[index] = value[3]
            }
        } else {
            for index in 0..<samples {
                let value = (x[index * stride] - mean) / denominator
                for lane in 0..<lanes { rows[lane * samples + index] = value[lane] }
            }
        }
    }

    /// Per lane of the `samples` values `x[i * stride]`, the mean and `std + epsilon` of
    /// `Statistics.zScore` (population std, pairwise sums, same order of operations).
    func zScoreTerms(_ x: UnsafeMutablePointer<SIMD4<Double>>, samples: Int, stride: Int,
                     squares: UnsafeMutablePointer<SIMD4<Double>>) -> (mean: SIMD4<Double>, denominator: SIMD4<Double>) {
        let count = SIMD4<Double>(repeating: Double(samples))
        let mean = pairwiseSumLanes(x, count: samples, stride: stride) / count
        for index in 0..<samples {
            let centred = x[index * stride] - mean
            squares[index] = centred * centred
        }
        let deviation = (pairwiseSumLanes(squares, count: samples, stride: 1) / count).squareRoot()
        return (mean, deviation + SIMD4(repeating: zScoreEpsilon))
    }
}

/// Scratch memory for `processGroups`, kept between calls so a worker preprocessing record after record
/// reuses warm pages instead of allocating (and faulting in) fresh ones per record. Up to four buffers
/// of at most 32 MiB each are kept; larger or surplus ones are freed.
final class LaneScratch: @unchecked Sendable {
    static let shared = LaneScratch()
    private static let keptBuffers = 4
    private static let largestKept = (32 << 20) / MemoryLayout<SIMD4<Double>>.stride
    private let lock = NSLock()
    private var free: [(base: UnsafeMutablePointer<SIMD4<Double>>, count: Int)] = []

    /// Runs `body` with at least `count` uninitialised lanes of scratch memory.
    func withBuffer<Result>(count: Int, _ body: (UnsafeMutablePointer<SIMD4<Double>>) throws -> Result) rethrows -> Result {
        let buffer = take(count)
        defer { give(buffer) }
        return try body(buffer.base)
    }

    private func take(_ count: Int) -> (base: UnsafeMutablePointer<SIMD4<Double>>, count: Int) {
        lock.lock()
        let fitting = free.firstIndex { $0.count >= count }
        let reused = fitting.map { free.remove(at: $0) }
        lock.unlock()
        return reused ?? (UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: max(count, 1)), max(count, 1))
    }

    private func give(_ buffer: (base: UnsafeMutablePointer<SIMD4<Double>>, count: Int)) {
        lock.lock()
        let keep = buffer.count <= Self.largestKept && free.count < Self.keptBuffers
        if keep { free.append(buffer) }
        lock.unlock()
        if !keep { buffer.base.deallocate() }
    }
}

// A Pan-Tompkins-style QRS detector: 5-15 Hz band-pass, derivative, squaring, moving-window
// integration, adaptive thresholds with search-back, then the R peak located on the band-passed lead.

/// Finds R peaks in one ECG lead (Pan & Tompkins, "A real-time QRS detection algorithm",
/// IEEE Trans. Biomed. Eng. 32(3), 1985), run offline with zero-phase filters so that no delay
/// needs compensating.
///
/// Steps: Butterworth band-pass `5-15 Hz` (order 2, `sosfiltfilt`); five-point derivative;
/// square; moving average over `integrationWindow` seconds (centred). Candidate peaks of the integrated
/// signal at least `refractoryPeriod` apart are classified with the running signal/noise levels
/// `SPKI`, `NPKI` (threshold `NPKI + 0.25 (SPKI - NPKI)`); when no beat follows within 1.66 times
/// the mean of the last 8 RR intervals, the largest skipped candidate above half the threshold is taken
/// (search-back). Each detection is moved to the largest absolute value of the lead band-passed
/// 0.5-40 Hz within `±locateWindow` seconds: the R (or dominant QS) deflection.
public struct RPeakDetector: Sendable {
    public var samplingRate: Double
    /// Minimum time between beats, seconds (0.25 s allows up to 240 bpm; the reference dashboard uses 0.4 s).
    public var refractoryPeriod: Double
    /// Moving-window integration length, seconds (about one QRS width).
    public var integrationWindow: Double
    /// Half-width of the window in which the R peak is located around a detection, seconds.
    public var locateWindow: Double

    public init(samplingRate: Double, refractoryPeriod: Double = 0.25, integrationWindow: Double = 0.15,
                locateWindow: Double = 0.08) {
        self.samplingRate = samplingRate
        self.refractoryPeriod = refractoryPeriod
        self.integrationWindow = integrationWindow
        self.locateWindow = locateWindow
    }

    /// `lead: [T] -> R-peak sample indices`, increasing. Non-finite samples count as 0.
    /// - Throws: `SignalError` when the sampling rate is below 32 Hz (no 5-15 Hz band) or the lead is too
    ///   short to filter (a few dozen samples).
    public func detect(_ lead: [Double]) throws -> [Int] {
        guard samplingRate > 32 else { throw SignalError("RPeakDetector", "sampling rate must exceed 32 Hz, got \(samplingRate)") }
        let clean = lead.map { $0.isFinite ? $0 : 0 }
        let qrsBand = try Butterworth.secondOrderSections(order: 2, cutoffs: [5, 15], type: .bandpass, samplingRate: samplingRate)
        let filtered = try Filtering.sosfiltfilt(qrsBand, clean)
        let integrated = movingAverage(squaredDerivative(filtered), width: max(1, Int((integrationWindow * samplingRate).rounded())))
        let refractory = max(1, Int((refractoryPeriod * samplingRate).rounded()))
        let candidates = try Peaks.findPeaks(integrated, distance: Double(refractory)).indices
        let beats = classify(candidates, integrated: integrated, refractory: refractory)

        let wideBand = try Butterworth.secondOrderSections(order: 2, cutoffs: [0.5, min(40, 0.45 * samplingRate)],
                                                           type: .bandpass, samplingRate: samplingRate)
        let baselineFree = try Filtering.sosfiltfilt(wideBand, clean)
        let halfWindow = max(1, Int((locateWindow * samplingRate).rounded()))
        var located: [Int] = []
        for beat in beats {
            let lower = max(0, beat - halfWindow), upper = min(lead.count - 1, beat + halfWindow)
            var best = lower
            for index in lower...upper where Swift.abs(baselineFree[index]) > Swift.abs(baselineFree[best]) { best = index }
            if let last = located.last, best - last < refractory { continue }
            located.append(best)
        }
        return located
    }

    /// Adaptive-threshold classification of candidate peaks with search-back for missed beats.
    func classify(_ candidates: [Int], integrated: [Double], refractory: Int) -> [Int] {
        guard !candidates.isEmpty else { return [] }
        // Learning phase: levels from the first 2 s.
        let learning = min(integrated.count, Int(2 * samplingRate))
        let head = integrated[0..<learning]
        var signalLevel = (head.max() ?? 0) / 3
        var noiseLevel = head.reduce(0, +) / Double(max(learning, 1)) / 2
        var beats: [Int] = []
        var skipped: [Int] = []
        var intervals: [Int] = []
        func threshold() -> Double { noiseLevel + 0.25 * (signalLevel - noiseLevel) }
        func accept(_ index: Int, searchBack: Bool) {
            if let last = beats.last {
                intervals.append(index - last)
                if intervals.count > 8 { intervals.removeFirst() }
            }
            beats.append(index)
            let value = integrated[index]
            signalLevel = searchBack ? 0.25 * value + 0.75 * signalLevel : 0.125 * value + 0.875 * signalLevel
            skipped.removeAll()
        }
        for candidate in candidates {
            if let last = beats.last, !intervals.isEmpty {
                let meanInterval = Double(intervals.reduce(0, +)) / Double(intervals.count)
                if Double(candidate - last) > 1.66 * meanInterval {
                    let eligible = skipped.filter { $0 - last >= refractory && candidate - $0 >= refractory && integrated[$0] > 0.5 * threshold() }
                    if let best = eligible.max(by: { integrated[$0] < integrated[$1] }) { accept(best, searchBack: true) }
                }
            }
            let value = integrated[candidate]
            let farEnough = beats.last.map { candidate - $0 >= refractory } ?? true
            if value > threshold() && farEnough {
                accept(candidate, searchBack: false)
            } else {
                noiseLevel = 0.125 * value + 0.875 * noiseLevel
                skipped.append(candidate)
            }
        }
        return beats
    }

    /// Squared five-point derivative `((2x[n+1] + x[n+2] - x[n-2] - 2x[n-1]) / 8)^2`, zero at the ends.
    func squaredDerivative(_ x: [Double]) -> [Double] {
        var output = [Double](repeating: 0, count: x.count)
        guard x.count >= 5 else { return output }
        for index in 2..<(x.count - 2) {
            let slope = (2 * x[index + 1] + x[index + 2] - x[index - 2] - 2 * x[index - 1]) / 8
            output[index] = slope * slope
        }
        return output
    }

    /// Centred moving average of `width` samples (shorter at the ends).
    func movingAverage(_ x: [Double], width: Int) -> [Double] {
        var prefix = [Double](repeating: 0, count: x.count + 1)
        for index in x.indices { prefix[index + 1] = prefix[index] + x[index] }
        let before = width / 2, after = width - 1 - before
        return x.indices.map { index in
            let lower = max(0, index - before), upper = min(x.count - 1, index + after)
            return (prefix[upper + 1] - prefix[lower]) / Double(upper - lower + 1)
        }
    }
}

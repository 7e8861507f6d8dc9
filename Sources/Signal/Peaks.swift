// Peak finding with scipy.signal.find_peaks semantics (local maxima with plateaus, height,
// distance and prominence conditions) and the reference dashboard's heart rate from lead II.

/// Peaks found in a signal, with the properties SciPy reports for the conditions used.
public struct PeakSet: Equatable, Sendable {
    /// Sample indices of the peaks, increasing (the middle of a plateau, rounded down).
    public var indices: [Int]
    /// `x[index]` of each peak.
    public var heights: [Double]
    /// Prominence of each peak (filled for every peak; SciPy computes it when asked for prominence).
    public var prominences: [Double]
    public var leftBases: [Int]
    public var rightBases: [Int]
}

/// Peak detection and heart rate (namespace).
public enum Peaks {
    /// Local maxima of `x` like `scipy.signal.find_peaks(x, height=, distance=, prominence=)`.
    ///
    /// Order of conditions as in SciPy: local maxima (plateaus give their middle sample), then
    /// `height` (minimum `x[peak]`), then `distance` (greedy: the highest peaks are kept first and every
    /// peak closer than `ceil(distance)` samples to a kept one is dropped), then `prominence`.
    /// Equal heights are ranked by position (later first) where SciPy's unstable sort may differ.
    /// - Throws: `SignalError` when `distance < 1`.
    public static func findPeaks(_ x: [Double], height: Double? = nil, distance: Double? = nil,
                                 prominence: Double? = nil) throws -> PeakSet {
        var peaks = localMaxima(x)
        if let height { peaks = peaks.filter { x[$0] >= height } }
        if let distance {
            guard distance >= 1 else { throw SignalError("find_peaks", "`distance` must be greater or equal to 1, got \(distance)") }
            peaks = selectByDistance(peaks, x: x, distance: Int(distance.rounded(.up)))
        }
        var (prominences, left, right) = prominencesAndBases(x, peaks: peaks)
        if let prominence {
            let keep = prominences.indices.filter { prominences[$0] >= prominence }
            peaks = keep.map { peaks[$0] }
            prominences = keep.map { prominences[$0] }
            left = keep.map { left[$0] }
            right = keep.map { right[$0] }
        }
        return PeakSet(indices: peaks, heights: peaks.map { x[$0] }, prominences: prominences,
                       leftBases: left, rightBases: right)
    }

    /// SciPy's `_local_maxima_1d`: samples higher than the left neighbour and than the first differing
    /// right neighbour; flat tops count once, at their middle (rounded down). Ends never count.
    static func localMaxima(_ x: [Double]) -> [Int] {
        var peaks: [Int] = []
        var index = 1
        let last = x.count - 1
        while index < last {
            if x[index - 1] < x[index] {
                var ahead = index + 1
                while ahead < last && x[ahead] == x[index] { ahead += 1 }
                if x[ahead] < x[index] {
                    peaks.append((index + ahead - 1) / 2)
                    index = ahead
                }
            }
            index += 1
        }
        return peaks
    }

    /// SciPy's `_select_by_peak_distance`: visit peaks from highest to lowest, dropping neighbours closer
    /// than `distance` samples to each peak still kept.
    static func selectByDistance(_ peaks: [Int], x: [Double], distance: Int) -> [Int] {
        let priority = peaks.indices.sorted { x[peaks[$0]] != x[peaks[$1]] ? x[peaks[$0]] < x[peaks[$1]] : $0 < $1 }
        var keep = [Bool](repeating: true, count: peaks.count)
        for position in priority.reversed() where keep[position] {
            var k = position - 1
            while k >= 0 && peaks[position] - peaks[k] < distance {
                keep[k] = false
                k -= 1
            }
            k = position + 1
            while k < peaks.count && peaks[k] - peaks[position] < distance {
                keep[k] = false
                k += 1
            }
        }
        return peaks.indices.filter { keep[$0] }.map { peaks[$0] }
    }

    /// SciPy's `_peak_prominences` without a window: walk out from each peak while the signal stays at or
    /// below it; the prominence is the peak height minus the higher of the two lowest points found.
    static func prominencesAndBases(_ x: [Double], peaks: [Int]) -> (prominences: [Double], left: [Int], right: [Int]) {
        var prominences: [Double] = [], lefts: [Int] = [], rights: [Int] = []
        for peak in peaks {
            var index = peak, leftBase = peak, leftMinimum = x[peak]
            while index >= 0 && x[index] <= x[peak] {
                if x[index] < leftMinimum { leftMinimum = x[index]; leftBase = index }
                index -= 1
            }
            index = peak
            var rightBase = peak, rightMinimum = x[peak]
            while index < x.count && x[index] <= x[peak] {
                if x[index] < rightMinimum { rightMinimum = x[index]; rightBase = index }
                index += 1
            }
            prominences.append(x[peak] - max(leftMinimum, rightMinimum))
            lefts.append(leftBase)
            rights.append(rightBase)
        }
        return (prominences, lefts, rights)
    }

    /// Mean of the instantaneous rates `60 / RR` (beats per minute) over consecutive peaks, as the
    /// reference dashboard computes BPM; NaN with fewer than two peaks.
    public static func heartRate(peaks: [Int], samplingRate: Double) -> Double {
        guard peaks.count >= 2 else { return .nan }
        let rates = (1..<peaks.count).map { index in
            60.0 / (Double(peaks[index]) / samplingRate - Double(peaks[index - 1]) / samplingRate)
        }
        return pairwiseSum(rates) / Double(rates.count)
    }

    /// The reference dashboard's BPM (`ui/app.py`): `find_peaks(lead, distance=0.4 * fs)` on the given
    /// lead (lead II, already preprocessed) and `heartRate(peaks:samplingRate:)` of the result.
    public static func dashboardHeartRate(lead: [Double], samplingRate: Double) throws -> Double {
        let peaks = try findPeaks(lead, distance: 0.4 * samplingRate)
        return heartRate(peaks: peaks.indices, samplingRate: samplingRate)
    }
}

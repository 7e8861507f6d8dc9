// The reference preprocessing chain for one ECG record: non-finite values to 0, Butterworth
// band-pass and mains notch applied forward-backward, per-lead z-score, crop or zero-pad.
import Foundation

/// How the zero-phase band-pass is applied.
public enum BandpassForm: String, Sendable {
    /// `butter(..., output='ba')` + `filtfilt`, as the reference code does (the default).
    case transferFunction
    /// `butter(..., output='sos')` + `sosfiltfilt`, better conditioned at very low cutoffs.
    case secondOrderSections
}

/// The per-lead preprocessing of the reference (`src/data_processing/pre-process.py` in
/// marcgarreta/12-lead-ECG-AD): for each lead, `butter_bandpass` (order 4, 0.5-40 Hz, filtfilt),
/// `notch_filter` (iirnotch Q 30 at the mains frequency, filtfilt), then `zscore`.
///
/// Compose it as `Preprocessor(samplingRate: 500, notchFrequency: 50).process(record, leads: 12)`;
/// then `Preprocessor.cropOrPad` to 5000 samples and `Windowing.extract` for model windows.
/// Filters are designed once, in `init`, the way the reference calls SciPy (cutoffs divided by Nyquist).
public struct Preprocessor: Sendable {
    public let samplingRate: Double
    public let bandpassCutoffs: (low: Double, high: Double)?
    public let bandpassOrder: Int
    public let notchFrequency: Double?
    public let notchQuality: Double
    public let form: BandpassForm
    public let zScoreEpsilon: Double
    /// The designed band-pass `b, a` (`butter(order, [low/nyq, high/nyq], btype='band')`).
    public let bandpass: TransferFunction?
    /// The designed band-pass sections (same design, `output='sos'`).
    public let bandpassSections: SecondOrderSections?
    /// The designed notch `b, a` (`iirnotch(f0/nyq, Q)`).
    public let notch: TransferFunction?
    /// The `filtfilt` filters in chain order, prepared once for the fused lane-group pass; nil when the
    /// band-pass is applied as second-order sections (`sosfiltfilt`), which runs filter by filter.
    let plans: [ZeroPhasePlan]?

    /// - Parameters:
    ///   - bandpassCutoffs: pass band in Hz; nil skips the band-pass.
    ///   - notchFrequency: mains frequency in Hz (50 for PTB-XL and CPSC, 60 for MIMIC-IV); nil skips it.
    /// - Throws: `SignalError` when a cutoff is not inside `(0, fs/2)`.
    public init(samplingRate: Double, bandpassCutoffs: (low: Double, high: Double)? = (0.5, 40.0),
                bandpassOrder: Int = 4, notchFrequency: Double? = 50, notchQuality: Double = 30,
                form: BandpassForm = .transferFunction, zScoreEpsilon: Double = 1e-8) throws {
        self.samplingRate = samplingRate
        self.bandpassCutoffs = bandpassCutoffs
        self.bandpassOrder = bandpassOrder
        self.notchFrequency = notchFrequency
        self.notchQuality = notchQuality
        self.form = form
        self.zScoreEpsilon = zScoreEpsilon
        let nyquist = 0.5 * samplingRate
        if let bandpassCutoffs {
            let normalised = [bandpassCutoffs.low / nyquist, bandpassCutoffs.high / nyquist]
            let design = try Butterworth.design(order: bandpassOrder, cutoffs: normalised, type: .bandpass)
            bandpass = design.transferFunction
            bandpassSections = try SecondOrderSections(design)
        } else {
            bandpass = nil
            bandpassSections = nil
        }
        notch = try notchFrequency.map { try Notch.design(frequency: $0 / nyquist, quality: notchQuality) }
        plans = form == .transferFunction || bandpass == nil ? try [bandpass, notch].compactMap { try $0.map(ZeroPhasePlan.init) } : nil
    }

    /// `record: [L, T] -> [L, T]` row-major, each lead: non-finite to 0, band-pass, notch, z-score.
    /// - Throws: `SignalError` when a lead is not longer than a filter's pad length (27 samples for
    ///   the default band-pass, 9 for the notch).
    /// - Parameter parallel: process groups of four leads concurrently (`DispatchQueue.concurrentPerform`).
    public func process(_ record: [Double], leads: Int, parallel: Bool = false) throws -> [Double] {
        var output = record
        try output.withUnsafeMutableBufferPointer { try process($0, leads: leads, parallel: parallel) }
        return output
    }

    /// In place form of `process(_:leads:parallel:)` on a contiguous `[L, T]` buffer. Leads are filtered
    /// four at a time in SIMD lanes (bit-identical to one at a time).
    public func process(_ record: UnsafeMutableBufferPointer<Double>, leads: Int, parallel: Bool = false) throws {
        guard leads > 0, record.count % leads == 0 else {
            throw SignalError("preprocess", "a [L, T] buffer of \(record.count) values cannot hold \(leads) leads")
        }
        let samples = record.count / leads
        let groups = (leads + 3) / 4
        let rows: @Sendable (Int) -> Range<Int> = { group in (group * 4 * samples)..<(min(leads, group * 4 + 4) * samples) }
        if parallel && groups > 1 {
            // Each job touches only its own rows, so sharing the buffer across threads is safe.
            nonisolated(unsafe) let shared = record
            let failures = FailureBox()
            DispatchQueue.concurrentPerform(iterations: groups) { group in
                let range = rows(group)
                do { try self.processRows(UnsafeMutableBufferPointer(rebasing: shared[range]), leads: range.count / samples) } catch { failures.record(error) }
            }
            if let error = failures.first { throw error }
        } else {
            for group in 0..<groups {
                let range = rows(group)
                try processRows(UnsafeMutableBufferPointer(rebasing: record[range]), leads: range.count / samples)
            }
        }
    }

    /// The chain on a contiguous block of rows: in one fused pass (`processGroups`) for `filtfilt`
    /// filters, filter by filter for the `sosfiltfilt` band-pass.
    private func processRows(_ block: UnsafeMutableBufferPointer<Double>, leads: Int) throws {
        if let plans { return try processGroups(block, leads: leads, plans: plans) }
        Preprocessor.replaceNonFinite(block)
        if let bandpassSections { try Filtering.sosfiltfilt(bandpassSections, record: block, leads: leads) }
        if let notch { try Filtering.filtfilt(notch, record: block, leads: leads) }
        let samples = block.count / leads
        for lead in 0..<leads {
            Statistics.zScore(UnsafeMutableBufferPointer(rebasing: block[(lead * samples)..<((lead + 1) * samples)]), epsilon: zScoreEpsilon)
        }
    }

    /// Replaces NaN and ±infinity by 0 in place.
    public static func replaceNonFinite(_ x: UnsafeMutableBufferPointer<Double>) {
        for index in x.indices where !x[index].isFinite { x[index] = 0 }
    }

    /// `record: [L, T] -> [L, length]`: keeps the first `length` samples of each lead or pads with zeros at the end.
    @inlinable
    public static func cropOrPad<Element: BinaryFloatingPoint>(_ record: [Element], leads: Int, length: Int) throws -> [Element] {
        guard leads > 0, record.count % leads == 0, length >= 0 else {
            throw SignalError("cropOrPad", "a [L, T] buffer of \(record.count) values cannot hold \(leads) leads (length \(length))")
        }
        let samples = record.count / leads
        var output = [Element](repeating: 0, count: leads * length)
        let kept = min(samples, length)
        for lead in 0..<leads {
            for index in 0..<kept { output[lead * length + index] = record[lead * samples + index] }
        }
        return output
    }
}

/// Collects the first error thrown by concurrent lead jobs.
private final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var error: Error?

    func record(_ newError: Error) {
        lock.lock()
        if error == nil { error = newError }
        lock.unlock()
    }

    var first: Error? {
        lock.lock()
        defer { lock.unlock() }
        return error
    }
}

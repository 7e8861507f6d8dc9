// The preprocessing steps on a Record, each checking its parameters and appending one
// ProcessingStep: sanitize, resample, crop-or-pad, band-pass, notch, z-score.
import Dispatch
import Signal

/// How a zero-phase band-pass is applied.
public enum ZeroPhaseMethod: String, Sendable, CaseIterable {
    /// `butter(..., output='ba')` + `scipy.signal.filtfilt` (odd padding of 3 * max(len(a), len(b))),
    /// as the reference code does.
    case filtfilt
    /// `butter(..., output='sos')` + `scipy.signal.sosfiltfilt`: better conditioned for very low cutoffs
    /// or high orders.
    case sosfiltfilt
}

extension Record {
    /// `[L, T] -> [L, T]`: NaN and ±infinity replaced by 0 (the reference's `np.nan_to_num`-style
    /// cleaning). Provenance: `sanitize(replaced=N)`.
    public func sanitized() -> Record {
        var values = samples
        var replaced = 0
        for index in values.indices where !values[index].isFinite {
            values[index] = 0
            replaced += 1
        }
        return replacingSamples(values, sampleCount: sampleCount,
                                step: ProcessingStep("sanitize", [.init("replaced", String(replaced))]))
    }

    /// `[L, T] -> [L, length]`: the first `length` samples of each lead, or the lead followed by zeros.
    /// Provenance: `crop-or-pad(length=5000, from=7500)`.
    /// - Throws: `PreprocessingError` when `length` is not positive.
    public func croppedOrPadded(to length: Int = 5000) throws -> Record {
        guard length > 0 else { throw PreprocessingError("crop-or-pad", "length must be positive, got \(length)") }
        let step = ProcessingStep("crop-or-pad", [.init("length", String(length)), .init("from", String(sampleCount))])
        guard leadCount > 0 else { return replacingSamples([], sampleCount: length, step: step) }
        return replacingSamples(try Preprocessor.cropOrPad(samples, leads: leadCount, length: length),
                                sampleCount: length, step: step)
    }

    /// `[L, T] -> [L, ceil(T * up / down)]` at `rate` Hz, with `scipy.signal.resample_poly(x, up, down)`
    /// per lead, `up / down` being the reduced ratio `rate / samplingRate` (1000 -> 500 Hz: 1/2;
    /// 100 -> 500 Hz: 5/1; 360 -> 500 Hz: 25/18). The record unchanged when already at `rate`.
    /// Provenance: `resample(from=1000, to=500, up=1, down=2)`.
    /// - Throws: `PreprocessingError` for a non-positive rate or a ratio whose reduced factors exceed 10000.
    public func resampled(to rate: Double = 500) throws -> Record {
        guard rate > 0, rate.isFinite else {
            throw PreprocessingError("resample", "target rate must be a positive number of Hz, got \(formatNumber(rate))")
        }
        if rate == samplingRate { return self }
        let (up, down) = try ResamplingRatio.factors(from: samplingRate, to: rate)
        let step = ProcessingStep("resample", [.init("from", formatNumber(samplingRate)), .init("to", formatNumber(rate)),
                                               .init("up", String(up)), .init("down", String(down))])
        let newCount = (sampleCount * up + down - 1) / down
        guard leadCount > 0 else { return replacingSamples([], sampleCount: newCount, samplingRate: rate, step: step) }
        let values = try Resampling.resamplePoly(record: samples, leads: leadCount, up: up, down: down)
        return replacingSamples(values, sampleCount: values.count / leadCount, samplingRate: rate, step: step)
    }

    /// `[L, T] -> [L, T]`: Butterworth band-pass `low`-`high` Hz of order `order` (2 * order poles),
    /// applied forward and backward per lead (zero phase): `scipy.signal.butter(order, [low, high],
    /// 'band', fs=samplingRate)` + `filtfilt` (default) or `output='sos'` + `sosfiltfilt`.
    /// Provenance: `bandpass(low=0.5, high=40, order=4, method=filtfilt)`.
    /// - Parameter parallel: filter groups of four leads on concurrent threads.
    /// - Throws: `PreprocessingError` for cutoffs outside `(0, fs/2)`, `low >= high`, an order outside
    ///   1...20, or a record too short for the filter's padding.
    public func bandpass(low: Double = 0.5, high: Double = 40, order: Int = 4, method: ZeroPhaseMethod = .filtfilt,
                         parallel: Bool = false) throws -> Record {
        let step = try bandpassStep(low: low, high: high, order: order, method: method)
        let name = step.name, nyquist = samplingRate / 2
        let cutoffs = [low / nyquist, high / nyquist]
        let design = try wrapSignalError(name) { try Butterworth.design(order: order, cutoffs: cutoffs, type: .bandpass) }
        switch method {
        case .filtfilt:
            let filter = design.transferFunction
            return try filteredByLeadGroups(step: step, padLength: Filtering.defaultPadLength(filter), parallel: parallel) { block, leads in
                try Filtering.filtfilt(filter, record: block, leads: leads)
            }
        case .sosfiltfilt:
            let sections = try wrapSignalError(name) { try SecondOrderSections(design) }
            return try filteredByLeadGroups(step: step, padLength: Filtering.defaultPadLength(sections), parallel: parallel) { block, leads in
                try Filtering.sosfiltfilt(sections, record: block, leads: leads)
            }
        }
    }

    /// `[L, T] -> [L, T]`: second-order IIR notch at `frequency` Hz with quality `quality`
    /// (`scipy.signal.iirnotch(frequency, quality, fs=samplingRate)`), applied forward and backward per
    /// lead with `filtfilt`. Provenance: `notch(frequency=50, quality=30)`.
    /// - Throws: `PreprocessingError` for a frequency outside `(0, fs/2)`, a non-positive quality, or a
    ///   record of 9 samples or fewer.
    public func notch(frequency: Double = 50, quality: Double = 30, parallel: Bool = false) throws -> Record {
        let step = try notchStep(frequency: frequency, quality: quality)
        let name = step.name, nyquist = samplingRate / 2
        let filter = try wrapSignalError(name) { try Notch.design(frequency: frequency / nyquist, quality: quality) }
        return try filteredByLeadGroups(step: step, padLength: Filtering.defaultPadLength(filter), parallel: parallel) { block, leads in
            try Filtering.filtfilt(filter, record: block, leads: leads)
        }
    }

    /// `[L, T] -> [L, T]`: per lead `(x - mean) / (std + epsilon)` with the population std (`np.std`,
    /// ddof 0), as the reference `zscore`. A constant lead becomes zeros. Non-finite samples make their
    /// lead NaN, as in NumPy: run `sanitized()` first (`preprocessed` does).
    /// The result is unit-less (`units` become ""). Provenance: `zscore(epsilon=1e-08)`.
    public func zscore(epsilon: Double = 1e-8) throws -> Record {
        let step = try zscoreStep(epsilon: epsilon)
        var values = samples
        let count = sampleCount
        if count > 0 {
            values.withUnsafeMutableBufferPointer { buffer in
                for lead in 0..<leadCount {
                    Statistics.zScore(UnsafeMutableBufferPointer(rebasing: buffer[(lead * count)..<((lead + 1) * count)]), epsilon: epsilon)
                }
            }
        }
        var result = replacingSamples(values, sampleCount: count, step: step)
        result.units = Array(repeating: "", count: leadCount)   // standard scores have no unit
        return result
    }

    /// Checks the z-score offset; the provenance step on success.
    func zscoreStep(epsilon: Double) throws -> ProcessingStep {
        guard epsilon.isFinite, epsilon >= 0 else {
            throw PreprocessingError("zscore", "epsilon must be a non-negative number, got \(epsilon)")
        }
        return ProcessingStep("zscore", [.init("epsilon", "\(epsilon)")])
    }

    /// Checks band-pass parameters against this record's sampling rate; the provenance step on success.
    func bandpassStep(low: Double, high: Double, order: Int, method: ZeroPhaseMethod) throws -> ProcessingStep {
        let name = "bandpass"
        let nyquist = samplingRate / 2
        guard low.isFinite, low > 0 else { throw PreprocessingError(name, "low cut must be positive, got \(formatNumber(low)) Hz") }
        guard high.isFinite, high > 0 else { throw PreprocessingError(name, "high cut must be positive, got \(formatNumber(high)) Hz") }
        guard low < high else {
            throw PreprocessingError(name, "low cut \(formatNumber(low)) Hz must be below high cut \(formatNumber(high)) Hz")
        }
        guard high < nyquist else {
            let relation = high == nyquist ? "equals" : "is above"
            throw PreprocessingError(name, "high cut \(formatNumber(high)) Hz \(relation) Nyquist (\(formatNumber(nyquist)) Hz) at \(formatNumber(samplingRate)) Hz sampling; it must be below")
        }
        guard (1...20).contains(order) else { throw PreprocessingError(name, "order must be between 1 and 20, got \(order)") }
        return ProcessingStep(name, [.init("low", formatNumber(low)), .init("high", formatNumber(high)),
                                   .init("order", String(order)), .init("method", method.rawValue)])
    }

    /// Checks notch parameters against this record's sampling rate; the provenance step on success.
    func notchStep(frequency: Double, quality: Double) throws -> ProcessingStep {
        let name = "notch"
        let nyquist = samplingRate / 2
        guard frequency.isFinite, frequency > 0 else {
            throw PreprocessingError(name, "frequency must be positive, got \(formatNumber(frequency)) Hz")
        }
        guard frequency < nyquist else {
            throw PreprocessingError(name, "frequency \(formatNumber(frequency)) Hz is not below Nyquist (\(formatNumber(nyquist)) Hz) at \(formatNumber(samplingRate)) Hz sampling")
        }
        guard quality.isFinite, quality > 0 else {
            throw PreprocessingError(name, "quality must be positive, got \(formatNumber(quality))")
        }
        return ProcessingStep(name, [.init("frequency", formatNumber(frequency)), .init("quality", formatNumber(quality))])
    }

    /// Runs a zero-phase filter over every lead, four leads per block (the Signal kernels' SIMD width),
    /// blocks on concurrent threads when `parallel`.
    private func filteredByLeadGroups(step: ProcessingStep, padLength: Int, parallel: Bool,
                                      filter: @escaping @Sendable (UnsafeMutableBufferPointer<Double>, Int) throws -> Void) throws -> Record {
        guard leadCount > 0 else { throw PreprocessingError(step.name, "\(name) has no leads") }
        guard sampleCount > padLength else {
            throw PreprocessingError(step.name, "\(name) has \(sampleCount) samples; forward-backward filtering needs more than \(padLength)")
        }
        var values = samples
        let count = sampleCount, leads = leadCount
        let groups = (leads + 3) / 4
        try wrapSignalError(step.name) {
            try values.withUnsafeMutableBufferPointer { buffer in
                if parallel && groups > 1 {
                    // Each job writes only its own rows, so sharing the buffer between threads is safe.
                    nonisolated(unsafe) let shared = buffer
                    let failures = FirstFailure()
                    DispatchQueue.concurrentPerform(iterations: groups) { group in
                        let rows = (group * 4)..<min(leads, group * 4 + 4)
                        let block = UnsafeMutableBufferPointer(rebasing: shared[(rows.lowerBound * count)..<(rows.upperBound * count)])
                        do { try filter(block, rows.count) } catch { failures.record(error) }
                    }
                    if let error = failures.error { throw error }
                } else {
                    try filter(buffer, leads)
                }
            }
        }
        return replacingSamples(values, sampleCount: count, step: step)
    }
}

/// Turns the Signal library's errors into `PreprocessingError`s of the step that called it.
@discardableResult
func wrapSignalError<Result>(_ step: String, _ body: () throws -> Result) throws -> Result {
    do {
        return try body()
    } catch let error as SignalError {
        throw PreprocessingError(step, error.description)
    }
}

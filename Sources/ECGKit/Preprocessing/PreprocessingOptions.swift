// The reference preprocessing chain of a record (models.md, "Data conventions") and its parameters.
import Signal

/// Parameters of `Record.preprocessed(_:)`; the defaults are the reference code's.
public struct PreprocessingOptions: Sendable, Equatable {
    /// Rate the record is resampled to first when it differs (Hz).
    public var samplingRate: Double = 500
    /// Samples kept per lead after cropping or zero-padding.
    public var length: Int = 5000
    /// Band-pass low cutoff (Hz).
    public var low: Double = 0.5
    /// Band-pass high cutoff (Hz); the thesis text's variant is 100 Hz.
    public var high: Double = 40
    /// Butterworth order (2 * order poles); the thesis text's variant is 3.
    public var order: Int = 4
    /// `filtfilt` on (b, a) as the reference, or `sosfiltfilt`.
    public var method: ZeroPhaseMethod = .filtfilt
    /// Mains frequency for the notch: 50 Hz (PTB-XL, CPSC), 60 Hz (MIMIC-IV); nil skips the notch.
    public var mains: Double? = 50
    /// Notch quality factor Q.
    public var quality: Double = 30
    /// z-score denominator offset: `(x - mean) / (std + epsilon)`.
    public var epsilon: Double = 1e-8
    /// Filter groups of four leads on concurrent threads.
    public var parallelLeads: Bool = false

    /// The reference settings with the notch at `mains` Hz.
    public init(mains: Double? = 50) {
        self.mains = mains
    }

    /// The reference settings with a 50 Hz notch.
    public static let reference = PreprocessingOptions()
}

extension Record {
    /// `[L, T] at fs -> [L, 5000] at 500 Hz`, the reference chain with provenance for each step:
    /// NaN/inf -> 0, `resample_poly` to 500 Hz (only when fs differs), crop or zero-pad to 5000
    /// samples, Butterworth band-pass 0.5-40 Hz order 4 forward-backward (`filtfilt`), IIR notch at
    /// the mains frequency Q 30 forward-backward, z-score per lead with population std.
    ///
    /// The result equals `sanitized().resampled(to:).croppedOrPadded(to:).bandpass(...).notch(...).zscore()`
    /// bit for bit; the last three steps run fused, four leads at a time (Signal's `Preprocessor`), which
    /// keeps each group of leads in cache.
    /// - Throws: `PreprocessingError` naming the step whose parameters do not fit the record.
    public func preprocessed(_ options: PreprocessingOptions = .reference) throws -> Record {
        // Up to the crop the chain runs step by step (the rare resampling case) or as one pass that
        // sanitizes while it copies; then the filters and z-score run in place on that one buffer.
        var prefix: Record
        var values: [Double]
        var earlierSteps: [ProcessingStep]
        if samplingRate == options.samplingRate {
            guard options.length > 0 else { throw PreprocessingError("crop-or-pad", "length must be positive, got \(options.length)") }
            prefix = self
            (values, earlierSteps) = sanitizedAndCroppedOrPadded(to: options.length)
        } else {
            prefix = try sanitized().resampled(to: options.samplingRate).croppedOrPadded(to: options.length)
            values = prefix.samples
            earlierSteps = Array(prefix.provenance.dropFirst(provenance.count))
            prefix = self
        }
        let rate = options.samplingRate, length = options.length
        var steps = earlierSteps
        steps.append(try prefix.withRate(rate).bandpassStep(low: options.low, high: options.high, order: options.order, method: options.method))
        if let mains = options.mains { steps.append(try prefix.withRate(rate).notchStep(frequency: mains, quality: options.quality)) }
        steps.append(try zscoreStep(epsilon: options.epsilon))
        guard leadCount > 0 else { throw PreprocessingError("bandpass", "\(name) has no leads") }
        let preprocessor = try wrapSignalError("bandpass") {
            try PreprocessorCache.shared.preprocessor(for: options, samplingRate: rate)
        }
        let padLengths: [(String, Int)] = [
            ("bandpass", options.method == .filtfilt ? preprocessor.bandpass.map(Filtering.defaultPadLength) ?? 0
                : preprocessor.bandpassSections.map(Filtering.defaultPadLength) ?? 0),
            ("notch", preprocessor.notch.map(Filtering.defaultPadLength) ?? 0),
        ]
        for (step, padLength) in padLengths where length <= padLength {
            throw PreprocessingError(step, "\(name) has \(length) samples; forward-backward filtering needs more than \(padLength)")
        }
        let leads = leadCount
        try wrapSignalError("preprocess") {
            try values.withUnsafeMutableBufferPointer { try preprocessor.process($0, leads: leads, parallel: options.parallelLeads) }
        }
        var result = replacingSamples(values, sampleCount: length, samplingRate: rate, step: steps[0])
        result.provenance += steps.dropFirst()
        result.units = Array(repeating: "", count: leads)   // z-scored: unit-less
        return result
    }

    /// This record's metadata at another sampling rate (samples untouched), for checking parameters.
    private func withRate(_ rate: Double) -> Record {
        var copy = self
        copy.samplingRate = rate
        return copy
    }

    /// `sanitized().croppedOrPadded(to:)` in one pass: the `[L, length]` values and the two steps.
    private func sanitizedAndCroppedOrPadded(to length: Int) -> (values: [Double], steps: [ProcessingStep]) {
        let kept = min(sampleCount, length), count = sampleCount, leads = leadCount
        var replaced = 0
        // Branch-free loops over raw rows, which the compiler vectorises (this pass touches every sample).
        let values = samples.withUnsafeBufferPointer { input in
            [Double](unsafeUninitializedCapacity: leads * length) { output, initialized in
                guard let target = output.baseAddress else { return }
                for lead in 0..<leads {
                    let destination = target + lead * length
                    if let source = input.baseAddress {
                        let row = source + lead * count
                        var nonFinite = 0
                        for index in 0..<kept {
                            let value = row[index]
                            nonFinite += value.isFinite ? 0 : 1
                            destination[index] = value.isFinite ? value : 0
                        }
                        // The count of the sanitize step covers the samples beyond the crop too.
                        for index in kept..<max(count, kept) { nonFinite += row[index].isFinite ? 0 : 1 }
                        replaced += nonFinite
                    }
                    (destination + kept).initialize(repeating: 0, count: length - kept)
                }
                initialized = leads * length
            }
        }
        return (values, [ProcessingStep("sanitize", [.init("replaced", String(replaced))]),
                         ProcessingStep("crop-or-pad", [.init("length", String(length)), .init("from", String(sampleCount))])])
    }

    /// The reference chain with the notch at `mains` Hz (50 for PTB-XL and CPSC, 60 for MIMIC-IV).
    public func preprocessed(mains: Double) throws -> Record {
        try preprocessed(PreprocessingOptions(mains: mains))
    }
}

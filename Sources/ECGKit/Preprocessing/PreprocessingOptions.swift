// The reference preprocessing chain of a record (models.md, "Data conventions") and its parameters.

/// Parameters of `Record.preprocessed(_:)`; the defaults are the reference code's.
public struct PreprocessingOptions: Sendable, Equatable {
    /// Rate the record is resampled to first when it differs (Hz).
    public var samplingRate: Double = 500
    /// Samples kept per lead after cropping or zero-padding.
    public var length: Int = 5000
    /// Band-pass cutoffs (Hz) and Butterworth order (the thesis text's variant: 0.5-100 Hz, order 3).
    public var low: Double = 0.5
    public var high: Double = 40
    public var order: Int = 4
    public var method: ZeroPhaseMethod = .filtfilt
    /// Mains frequency for the notch: 50 Hz (PTB-XL, CPSC), 60 Hz (MIMIC-IV); nil skips the notch.
    public var mains: Double? = 50
    public var quality: Double = 30
    /// z-score denominator offset: `(x - mean) / (std + epsilon)`.
    public var epsilon: Double = 1e-8
    /// Filter groups of four leads on concurrent threads.
    public var parallelLeads: Bool = false

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
    /// - Throws: `PreprocessingError` naming the step whose parameters do not fit the record.
    public func preprocessed(_ options: PreprocessingOptions = .reference) throws -> Record {
        var record = sanitized()
        if record.samplingRate != options.samplingRate { record = try record.resampled(to: options.samplingRate) }
        record = try record.croppedOrPadded(to: options.length)
        record = try record.bandpass(low: options.low, high: options.high, order: options.order, method: options.method,
                                     parallel: options.parallelLeads)
        if let mains = options.mains {
            record = try record.notch(frequency: mains, quality: options.quality, parallel: options.parallelLeads)
        }
        return try record.zscore(epsilon: options.epsilon)
    }

    /// The reference chain with the notch at `mains` Hz (50 for PTB-XL and CPSC, 60 for MIMIC-IV).
    public func preprocessed(mains: Double) throws -> Record {
        try preprocessed(PreprocessingOptions(mains: mains))
    }
}

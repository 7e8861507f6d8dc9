// The error preprocessing steps throw: which step refused and why, in words a user can act on.

/// A preprocessing step that cannot run with these parameters or on this record, e.g.
/// `bandpass: high cut 300 Hz is above Nyquist (250 Hz)`, `notch: frequency must be positive, got 0`,
/// `bandpass: A0001 has 20 samples; forward-backward filtering needs more than 27`.
public struct PreprocessingError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The step, named as in provenance: "bandpass", "notch", "resample", "crop-or-pad", "zscore".
    public var step: String
    /// What was wrong, in words a user can act on.
    public var message: String

    /// An error of `step`.
    public init(_ step: String, _ message: String) {
        self.step = step
        self.message = message
    }

    public var description: String { "\(step): \(message)" }
}

/// Short decimal text of a parameter for messages and provenance: 500 rather than 500.0.
func formatNumber(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
}

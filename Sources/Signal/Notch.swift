// Second-order IIR notch design (scipy.signal.iirnotch).
import Foundation

/// Second-order notch filters.
public enum Notch {
    /// `scipy.signal.iirnotch(w0, Q, fs)`: removes frequency `frequency` with quality factor `quality`
    /// (bandwidth `frequency / quality` at -3 dB). Returns `b = g [1, -2 cos w0, 1]`,
    /// `a = [1, -2 g cos w0, 2g - 1]` with `g = 1 / (1 + tan(bw / 2))` (Orfanidis, eq. 11.3.7).
    ///
    /// - Parameters:
    ///   - frequency: the frequency to remove, in the units of `samplingRate` (SciPy's default fs is 2,
    ///     making `frequency` a fraction of Nyquist).
    /// - Throws: `SignalError` when the frequency is not within `[0, fs/2]` or Q is not positive.
    public static func design(frequency: Double, quality: Double, samplingRate: Double = 2.0) throws -> TransferFunction {
        guard quality > 0 else { throw SignalError("iirnotch", "Q must be positive, got \(quality)") }
        var w0 = 2 * frequency / samplingRate
        guard w0 <= 1.0 && w0 >= 0.0 else { throw SignalError("iirnotch", "w0 should be such that 0 < w0 < 1 (got \(w0) from frequency \(frequency), fs \(samplingRate))") }
        var bandwidth = w0 / quality
        bandwidth = bandwidth * Double.pi
        w0 = w0 * Double.pi
        let beta = tan(bandwidth / 2.0)
        let gain = 1.0 / (1.0 + beta)
        let cosine = cos(w0)
        return TransferFunction(numerator: [gain * 1.0, gain * (-2.0 * cosine), gain * 1.0],
                                denominator: [1.0, -2.0 * gain * cosine, 2.0 * gain - 1.0])
    }
}

// Butterworth IIR design like scipy.signal.butter: analog prototype, frequency prewarping,
// lowpass/highpass/bandpass/bandstop transforms and the bilinear transform, all in zeros/poles/gain.
import Foundation

/// The kind of frequency response a designed filter has.
public enum BandType: String, Sendable, CaseIterable {
    case lowpass, highpass, bandpass, bandstop
}

/// Butterworth filter design (`scipy.signal.butter`, digital only).
public enum Butterworth {
    /// Analog low-pass prototype of order `order` with cutoff 1 rad/s (`scipy.signal.buttap`):
    /// no zeros, poles `-exp(i pi m / (2 order))` for `m = -order+1, -order+3, ..., order-1`, gain 1.
    public static func analogPrototype(order: Int) -> ZerosPolesGain {
        let denominator = ComplexNumber(Double(2 * order))
        let poles = stride(from: -order + 1, to: order, by: 2).map { m -> ComplexNumber in
            let angle = (ComplexNumber(0, Double.pi) * ComplexNumber(Double(m))) / denominator
            return -ComplexNumber.unitPhase(angle.imaginary)
        }
        return ZerosPolesGain(zeros: [], poles: poles, gain: 1)
    }

    /// Designs the filter in zeros/poles/gain form.
    ///
    /// - Parameters:
    ///   - order: filter order N >= 1 (band filters get 2N poles).
    ///   - cutoffs: one frequency for low/high-pass, two increasing ones for band filters; in Hz when
    ///     `samplingRate` is given, otherwise as a fraction of Nyquist (0 < Wn < 1), as in SciPy.
    /// - Throws: `SignalError` for a bad order or cutoff.
    public static func design(order: Int, cutoffs: [Double], type: BandType,
                              samplingRate: Double? = nil) throws -> ZerosPolesGain {
        guard order >= 1 else { throw SignalError("butter", "filter order must be a positive integer, got \(order)") }
        var normalised = cutoffs
        if let samplingRate { normalised = cutoffs.map { $0 / (samplingRate / 2) } }
        let expected = (type == .lowpass || type == .highpass) ? 1 : 2
        guard normalised.count == expected else {
            throw SignalError("butter", "\(type.rawValue) needs \(expected) critical frequenc\(expected == 1 ? "y" : "ies"), got \(normalised.count)")
        }
        guard normalised.allSatisfy({ $0 > 0 && $0 < 1 }) else {
            if let samplingRate {
                throw SignalError("butter", "Digital filter critical frequencies must be 0 < Wn < fs/2 (fs=\(samplingRate) -> fs/2=\(samplingRate / 2)), got \(cutoffs)")
            }
            throw SignalError("butter", "Digital filter critical frequencies must be 0 < Wn < 1, got \(cutoffs)")
        }
        if expected == 2 && !(normalised[0] < normalised[1]) {
            throw SignalError("butter", "Wn[0] must be less than Wn[1], got \(cutoffs)")
        }
        // Prewarp for the bilinear transform with fs = 2 (SciPy's internal convention).
        let warped = normalised.map { 4.0 * tan(Double.pi * $0 / 2.0) }
        let prototype = analogPrototype(order: order)
        let analog: ZerosPolesGain
        switch type {
        case .lowpass: analog = lowpassToLowpass(prototype, cutoff: warped[0])
        case .highpass: analog = lowpassToHighpass(prototype, cutoff: warped[0])
        case .bandpass:
            analog = lowpassToBandpass(prototype, center: (warped[0] * warped[1]).squareRoot(), bandwidth: warped[1] - warped[0])
        case .bandstop:
            analog = lowpassToBandstop(prototype, center: (warped[0] * warped[1]).squareRoot(), bandwidth: warped[1] - warped[0])
        }
        return bilinear(analog, samplingRate: 2)
    }

    /// `scipy.signal.butter(order, cutoffs, btype, fs=fs, output='sos')`: sections `[b0 b1 b2 1 a1 a2]`.
    public static func secondOrderSections(order: Int, cutoffs: [Double], type: BandType,
                                           samplingRate: Double? = nil) throws -> SecondOrderSections {
        try SecondOrderSections(try design(order: order, cutoffs: cutoffs, type: type, samplingRate: samplingRate))
    }

    /// `scipy.signal.butter(order, cutoffs, btype, fs=fs, output='ba')`: numerator and denominator.
    public static func transferFunction(order: Int, cutoffs: [Double], type: BandType,
                                        samplingRate: Double? = nil) throws -> TransferFunction {
        try design(order: order, cutoffs: cutoffs, type: type, samplingRate: samplingRate).transferFunction
    }

    /// Scales an analog low-pass prototype to cutoff `cutoff` rad/s (`scipy.signal.lp2lp_zpk`).
    public static func lowpassToLowpass(_ filter: ZerosPolesGain, cutoff: Double) -> ZerosPolesGain {
        let scale = ComplexNumber(cutoff)
        return ZerosPolesGain(zeros: filter.zeros.map { scale * $0 }, poles: filter.poles.map { scale * $0 },
                              gain: filter.gain * pow(cutoff, Double(filter.relativeDegree)))
    }

    /// Analog low-pass to high-pass at `cutoff` rad/s (`scipy.signal.lp2hp_zpk`): `s -> cutoff / s`.
    public static func lowpassToHighpass(_ filter: ZerosPolesGain, cutoff: Double) -> ZerosPolesGain {
        let scale = ComplexNumber(cutoff)
        let zeros = filter.zeros.map { scale / $0 } + Array(repeating: ComplexNumber(0), count: filter.relativeDegree)
        let ratio = product(filter.zeros.map { -$0 }) / product(filter.poles.map { -$0 })
        return ZerosPolesGain(zeros: zeros, poles: filter.poles.map { scale / $0 }, gain: filter.gain * ratio.real)
    }

    /// Analog low-pass to band-pass around `center` with width `bandwidth` (`scipy.signal.lp2bp_zpk`).
    public static func lowpassToBandpass(_ filter: ZerosPolesGain, center: Double, bandwidth: Double) -> ZerosPolesGain {
        let width = ComplexNumber(bandwidth), two = ComplexNumber(2)
        let centerSquared = ComplexNumber(center * center)
        func shift(_ roots: [ComplexNumber]) -> [ComplexNumber] {
            let scaled = roots.map { ($0 * width) / two }
            let offsets = scaled.map { ($0 * $0 - centerSquared).squareRoot }
            return zip(scaled, offsets).map { $0 + $1 } + zip(scaled, offsets).map { $0 - $1 }
        }
        let zeros = shift(filter.zeros) + Array(repeating: ComplexNumber(0), count: filter.relativeDegree)
        return ZerosPolesGain(zeros: zeros, poles: shift(filter.poles),
                              gain: filter.gain * pow(bandwidth, Double(filter.relativeDegree)))
    }

    /// Analog low-pass to band-stop around `center` with width `bandwidth` (`scipy.signal.lp2bs_zpk`).
    public static func lowpassToBandstop(_ filter: ZerosPolesGain, center: Double, bandwidth: Double) -> ZerosPolesGain {
        let halfWidth = ComplexNumber(bandwidth / 2)
        let centerSquared = ComplexNumber(center * center)
        func shift(_ roots: [ComplexNumber]) -> [ComplexNumber] {
            let inverted = roots.map { halfWidth / $0 }
            let offsets = inverted.map { ($0 * $0 - centerSquared).squareRoot }
            return zip(inverted, offsets).map { $0 + $1 } + zip(inverted, offsets).map { $0 - $1 }
        }
        let degree = filter.relativeDegree
        let zeros = shift(filter.zeros) + Array(repeating: ComplexNumber(0, center), count: degree)
            + Array(repeating: ComplexNumber(0, -center), count: degree)
        let ratio = product(filter.zeros.map { -$0 }) / product(filter.poles.map { -$0 })
        return ZerosPolesGain(zeros: zeros, poles: shift(filter.poles), gain: filter.gain * ratio.real)
    }

    /// Bilinear transform `s = 2 fs (z - 1) / (z + 1)` of an analog filter (`scipy.signal.bilinear_zpk`);
    /// zeros at infinity move to Nyquist (`z = -1`).
    public static func bilinear(_ filter: ZerosPolesGain, samplingRate: Double) -> ZerosPolesGain {
        let twiceRate = ComplexNumber(2 * samplingRate)
        let zeros = filter.zeros.map { (twiceRate + $0) / (twiceRate - $0) }
            + Array(repeating: ComplexNumber(-1), count: filter.relativeDegree)
        let poles = filter.poles.map { (twiceRate + $0) / (twiceRate - $0) }
        let ratio = product(filter.zeros.map { twiceRate - $0 }) / product(filter.poles.map { twiceRate - $0 })
        return ZerosPolesGain(zeros: zeros, poles: poles, gain: filter.gain * ratio.real)
    }
}

// Polyphase rational resampling (scipy.signal.resample_poly) with its Kaiser-windowed FIR design
// (scipy.signal.firwin, scipy.signal.windows.kaiser, the Cephes Bessel I0).
import Foundation

/// FIR design and rational-rate resampling.
public enum Resampling {
    /// `x: [T] -> [ceil(T * up / down)]`, like `scipy.signal.resample_poly(x, up, down)` with the default
    /// window `('kaiser', 5.0)` and `padtype='constant'` (zeros beyond the ends).
    ///
    /// The factors are reduced by their gcd; the low-pass filter has `20 * max(up, down) + 1` taps with
    /// cutoff `1 / max(up, down)` of Nyquist, scaled by `up`.
    /// - Throws: `SignalError` when `up` or `down` is below 1.
    public static func resamplePoly(_ x: [Double], up: Int, down: Int) throws -> [Double] {
        guard up >= 1, down >= 1 else { throw SignalError("resample_poly", "up and down must be >= 1, got up \(up), down \(down)") }
        let divisor = greatestCommonDivisor(up, down)
        let up = up / divisor, down = down / divisor
        if up == 1 && down == 1 { return x }
        let inputCount = x.count
        let outputCount = (inputCount * up) / down + ((inputCount * up) % down == 0 ? 0 : 1)
        let maxRate = max(up, down)
        let halfLength = 10 * maxRate
        var taps = try firwin(tapCount: 2 * halfLength + 1, cutoff: 1.0 / Double(maxRate), kaiserBeta: 5.0)
        for index in taps.indices { taps[index] *= Double(up) }
        let prePad = down - halfLength % down
        let preRemove = (halfLength + prePad) / down
        // Zero-padding the filter in front shifts the output so that it is centred; the full upfirdn
        // output index n corresponds to kept sample n - preRemove.
        var filter = [Double](repeating: 0, count: prePad) + taps
        var postPad = 0
        while upfirdnLength(filterCount: filter.count + postPad, inputCount: inputCount, up: up, down: down) < outputCount + preRemove {
            postPad += 1
        }
        filter += [Double](repeating: 0, count: postPad)
        var output = [Double](repeating: 0, count: outputCount)
        filter.withUnsafeBufferPointer { h in
            x.withUnsafeBufferPointer { input in
                for outputIndex in 0..<outputCount {
                    // y[n] = sum_j h[n*down - j*up] x[j], summed from the oldest input sample.
                    let position = (outputIndex + preRemove) * down
                    let newest = min(position / up, inputCount - 1)
                    let oldestByFilter = position - (h.count - 1)
                    let oldest = max(0, oldestByFilter <= 0 ? 0 : (oldestByFilter + up - 1) / up)
                    var sum = 0.0
                    if oldest <= newest {
                        for inputIndex in oldest...newest {
                            sum += input[inputIndex] * h[position - inputIndex * up]
                        }
                    }
                    output[outputIndex] = sum
                }
            }
        }
        return output
    }

    /// `record: [L, T] -> [L, ceil(T * up / down)]`, `resamplePoly` applied to every lead (SciPy's
    /// `resample_poly(x, up, down, axis=-1)`), e.g. `up: 5, down: 1` for 100 Hz -> 500 Hz,
    /// `up: 1, down: 2` for 1000 Hz -> 500 Hz, `up: 25, down: 18` for 360 Hz -> 500 Hz.
    /// - Throws: `SignalError` when the buffer does not hold `leads` rows or a factor is below 1.
    public static func resamplePoly(record: [Double], leads: Int, up: Int, down: Int) throws -> [Double] {
        guard leads > 0, record.count % leads == 0 else {
            throw SignalError("resample_poly", "a [L, T] buffer of \(record.count) values cannot hold \(leads) leads")
        }
        let samples = record.count / leads
        return try (0..<leads).flatMap { lead in
            try resamplePoly(Array(record[(lead * samples)..<((lead + 1) * samples)]), up: up, down: down)
        }
    }

    /// Length of the full `upfirdn` output (SciPy's `_output_len`).
    static func upfirdnLength(filterCount: Int, inputCount: Int, up: Int, down: Int) -> Int {
        (((inputCount - 1) * up + filterCount) - 1) / down + 1
    }

    /// Low-pass FIR taps like `scipy.signal.firwin(numtaps, cutoff, window=('kaiser', beta))`:
    /// the ideal `cutoff * sinc(cutoff * m)` (m centred on the middle tap) times a Kaiser window,
    /// scaled to unit gain at DC. `cutoff` is a fraction of Nyquist, `0 < cutoff < 1`.
    public static func firwin(tapCount: Int, cutoff: Double, kaiserBeta: Double) throws -> [Double] {
        guard tapCount >= 1 else { throw SignalError("firwin", "numtaps must be at least 1, got \(tapCount)") }
        guard cutoff > 0 && cutoff < 1 else {
            throw SignalError("firwin", "Invalid cutoff frequency: frequencies must be greater than 0 and less than fs/2 (got \(cutoff) of Nyquist)")
        }
        let alpha = 0.5 * Double(tapCount - 1)
        let window = kaiserWindow(count: tapCount, beta: kaiserBeta)
        var taps = (0..<tapCount).map { index -> Double in
            let m = Double(index) - alpha
            return cutoff * normalizedSinc(cutoff * m) * window[index]
        }
        let gain = pairwiseSum(taps)
        for index in taps.indices { taps[index] /= gain }
        return taps
    }

    /// Symmetric Kaiser window `I0(beta sqrt(1 - ((n - alpha) / alpha)^2)) / I0(beta)`,
    /// `alpha = (M - 1) / 2`, like `scipy.signal.windows.kaiser(M, beta, sym=True)`.
    public static func kaiserWindow(count: Int, beta: Double) -> [Double] {
        if count <= 1 { return Array(repeating: 1, count: max(count, 0)) }
        let alpha = Double(count - 1) / 2.0
        let denominator = besselI0(beta)
        return (0..<count).map { index in
            let ratio = (Double(index) - alpha) / alpha
            return besselI0(beta * (1 - ratio * ratio).squareRoot()) / denominator
        }
    }

    /// `sin(pi x) / (pi x)`, 1 at 0 (`numpy.sinc`).
    static func normalizedSinc(_ x: Double) -> Double {
        let y = Double.pi * (x == 0 ? 1.0e-20 : x)
        return sin(y) / y
    }
}

private func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
    var a = a, b = b
    while b != 0 { (a, b) = (b, a % b) }
    return a
}

/// Modified Bessel function of the first kind, order 0, by the Cephes Chebyshev expansions
/// (`scipy.special.i0`, the same coefficients as `numpy.i0`).
public func besselI0(_ x: Double) -> Double {
    let x = Swift.abs(x)
    if x <= 8.0 {
        return exp(x) * chebyshevSeries(x / 2.0 - 2.0, besselI0CoefficientsA)
    }
    return exp(x) * chebyshevSeries(32.0 / x - 2.0, besselI0CoefficientsB) / x.squareRoot()
}

/// Cephes `chbevl`: Clenshaw evaluation of a Chebyshev series.
private func chebyshevSeries(_ x: Double, _ coefficients: [Double]) -> Double {
    var b0 = coefficients[0], b1 = 0.0, b2 = 0.0
    for coefficient in coefficients.dropFirst() {
        b2 = b1
        b1 = b0
        b0 = x * b1 - b2 + coefficient
    }
    return 0.5 * (b0 - b2)
}

/// Chebyshev coefficients for `exp(-x) I0(x)` on [0, 8].
private let besselI0CoefficientsA: [Double] = [
    -4.41534164647933937950e-18, 3.33079451882223809783e-17, -2.43127984654795469359e-16,
    1.71539128555513303061e-15, -1.16853328779934516808e-14, 7.67618549860493561688e-14,
    -4.85644678311192946090e-13, 2.95505266312963983461e-12, -1.72682629144155570723e-11,
    9.67580903537323691224e-11, -5.18979560163526290666e-10, 2.65982372468238665035e-9,
    -1.30002500998624804212e-8, 6.04699502254191894932e-8, -2.67079385394061173391e-7,
    1.11738753912010371815e-6, -4.41673835845875056359e-6, 1.64484480707288970893e-5,
    -5.75419501008210370398e-5, 1.88502885095841655729e-4, -5.76375574538582365885e-4,
    1.63947561694133579842e-3, -4.32430999505057594430e-3, 1.05464603945949983183e-2,
    -2.37374148058994688156e-2, 4.93052842396707084878e-2, -9.49010970480476444210e-2,
    1.71620901522208775349e-1, -3.04682672343198398683e-1, 6.76795274409476084995e-1,
]

/// Chebyshev coefficients for `exp(-x) sqrt(x) I0(x)` in `8 / x`, x > 8.
private let besselI0CoefficientsB: [Double] = [
    -7.23318048787475395456e-18, -4.83050448594418207126e-18, 4.46562142029675999901e-17,
    3.46122286769746109310e-17, -2.82762398051658348494e-16, -3.42548561967721913462e-16,
    1.77256013305652638360e-15, 3.81168066935262242075e-15, -9.55484669882830764870e-15,
    -4.15056934728722208663e-14, 1.54008621752140982691e-14, 3.85277838274214270114e-13,
    7.18012445138366623367e-13, -1.79417853150680611778e-12, -1.32158118404477131188e-11,
    -3.14991652796324136454e-11, 1.18891471078464383424e-11, 4.94060238822496958910e-10,
    3.39623202570838634515e-9, 2.26666899049817806459e-8, 2.04891858946906374183e-7,
    2.89137052083475648297e-6, 6.88975834691682398426e-5, 3.36911647825569408990e-3,
    8.04490411014108831608e-1,
]

// Axis ticks by the "nice numbers" algorithm (Heckbert, Graphics Gems, 1990).

import Foundation

/// Loose axis labelling by Heckbert's nice numbers: the tick step is 1, 2 or 5 times a power of
/// ten, and the axis is widened to whole steps around the data ("Nice numbers for graph labels",
/// Graphics Gems I, 1990).
///
/// range = nice(max - min, round: false); step = nice(range / (maxTicks - 1), round: true);
/// axis = [floor(min / step) step, ceil(max / step) step]. Tick values are computed as
/// (k m) / 10^e or (k m) 10^e from integers, so 0.1-steps print and compare exactly (0.3, not
/// 0.30000000000000004).
public struct NiceScale: Equatable, Sendable {
    public let lower: Double
    public let upper: Double
    public let step: Double
    public let ticks: [Double]

    /// Ticks for data in [minimum, maximum], aiming at about `maxTicks` ticks (>= 2). An empty
    /// range (minimum == maximum) is widened by one unit of its magnitude on each side.
    public init(minimum: Double, maximum: Double, maxTicks: Int = 5) {
        var low = min(minimum, maximum), high = max(minimum, maximum)
        if !low.isFinite || !high.isFinite { low = 0; high = 1 }
        if low == high {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
        }
        let range = NiceScale.niceNumber(high - low, round: false).value
        let (mantissa, exponent) = NiceScale.niceNumber(range / Double(max(maxTicks, 2) - 1), round: true).parts
        func value(_ multiple: Double) -> Double {
            exponent >= 0 ? multiple * pow(10, Double(exponent)) : multiple / pow(10, Double(-exponent))
        }
        let step = value(mantissa)
        let first = (low / step).rounded(.down), last = (high / step).rounded(.up)
        self.step = step
        ticks = stride(from: first, through: last, by: 1).map { value($0 * mantissa) }
        lower = ticks.first ?? low
        upper = ticks.last ?? high
    }

    /// Heckbert's nicenum: a 1, 2, 5 or 10 multiple of a power of ten near `x` (> 0), rounded to
    /// the nearest when `round`, else the smallest not below x. Returns the value and its parts
    /// (mantissa 1, 2, 5 or 10 and exponent).
    static func niceNumber(_ x: Double, round: Bool) -> (value: Double, parts: (Double, Int)) {
        let exponent = Int(log10(x).rounded(.down))
        let power = pow(10, Double(exponent))
        let fraction = x / power
        let mantissa: Double
        if round {
            mantissa = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        } else {
            mantissa = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        }
        return (mantissa * power, (mantissa, exponent))
    }
}

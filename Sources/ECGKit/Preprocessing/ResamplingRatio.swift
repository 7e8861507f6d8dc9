// The integer up/down factors of a resampling between two sampling rates, for resample_poly.

enum ResamplingRatio {
    /// Largest reduced factor accepted: resample_poly's filter has 20 * max(up, down) + 1 taps.
    static let largestFactor = 10_000

    /// `to / from` as a reduced fraction `up / down` (rates given in Hz, possibly with decimals:
    /// 128.5 -> 500 Hz is 1000/257).
    /// - Throws: `PreprocessingError` when either rate is not positive or the reduced factors exceed
    ///   `largestFactor`.
    static func factors(from: Double, to: Double) throws -> (up: Int, down: Int) {
        guard from > 0, from.isFinite, to > 0, to.isFinite else {
            throw PreprocessingError("resample", "rates must be positive, got \(formatNumber(from)) Hz -> \(formatNumber(to)) Hz")
        }
        // Scale both rates by a power of ten until both are whole numbers (at most 6 decimals).
        var scale = 1.0
        while scale < 1e6 && ((from * scale).rounded() != from * scale || (to * scale).rounded() != to * scale) {
            scale *= 10
        }
        let numerator = (to * scale).rounded(), denominator = (from * scale).rounded()
        guard numerator < 1e15, denominator < 1e15 else {
            throw PreprocessingError("resample", "cannot express \(formatNumber(from)) Hz -> \(formatNumber(to)) Hz as a ratio of whole numbers")
        }
        let a = Int(numerator), b = Int(denominator)
        let divisor = greatestCommonDivisor(a, b)
        let up = a / divisor, down = b / divisor
        guard max(up, down) <= largestFactor else {
            throw PreprocessingError("resample", "\(formatNumber(from)) Hz -> \(formatNumber(to)) Hz reduces to up \(up), down \(down); factors above \(largestFactor) are not supported (resample to a nearby rate first)")
        }
        return (up, down)
    }

    static func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }
}

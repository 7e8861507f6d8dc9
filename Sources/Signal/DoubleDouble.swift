// Double-double arithmetic (an unevaluated sum hi + lo, about 32 significant digits) for the few
// ill-conditioned sums in filter initial conditions.

/// A value `hi + lo` with `|lo| <= ulp(hi) / 2`, using error-free transformations (Dekker, Knuth).
struct DoubleDouble {
    var hi: Double
    var lo: Double

    init(_ value: Double) {
        hi = value
        lo = 0
    }

    init(hi: Double, lo: Double) {
        self.hi = hi
        self.lo = lo
    }

    /// The nearest double.
    var value: Double { hi + lo }

    /// `a + b` exactly as `s + e` (Knuth's TwoSum).
    static func twoSum(_ a: Double, _ b: Double) -> DoubleDouble {
        let s = a + b
        let bb = s - a
        return DoubleDouble(hi: s, lo: (a - (s - bb)) + (b - bb))
    }

    /// `a * b` exactly as `p + e`, the error from a fused multiply-add.
    static func twoProduct(_ a: Double, _ b: Double) -> DoubleDouble {
        let p = a * b
        return DoubleDouble(hi: p, lo: (-p).addingProduct(a, b))
    }

    private static func normalized(_ hi: Double, _ lo: Double) -> DoubleDouble {
        let s = hi + lo
        return DoubleDouble(hi: s, lo: lo - (s - hi))
    }

    static func + (lhs: DoubleDouble, rhs: Double) -> DoubleDouble {
        let sum = twoSum(lhs.hi, rhs)
        return normalized(sum.hi, sum.lo + lhs.lo)
    }

    static func + (lhs: DoubleDouble, rhs: DoubleDouble) -> DoubleDouble {
        let sum = twoSum(lhs.hi, rhs.hi)
        let low = twoSum(lhs.lo, rhs.lo)
        let first = normalized(sum.hi, sum.lo + low.hi)
        return normalized(first.hi, first.lo + low.lo)
    }

    static prefix func - (value: DoubleDouble) -> DoubleDouble { DoubleDouble(hi: -value.hi, lo: -value.lo) }

    static func - (lhs: DoubleDouble, rhs: DoubleDouble) -> DoubleDouble { lhs + (-rhs) }

    static func * (lhs: DoubleDouble, rhs: DoubleDouble) -> DoubleDouble {
        let product = twoProduct(lhs.hi, rhs.hi)
        return normalized(product.hi, product.lo + (lhs.hi * rhs.lo + lhs.lo * rhs.hi))
    }

    /// Long division with one correction step.
    static func / (lhs: DoubleDouble, rhs: DoubleDouble) -> DoubleDouble {
        let first = lhs.hi / rhs.hi
        let remainder = lhs - rhs * DoubleDouble(first)
        let second = remainder.hi / rhs.hi
        let partial = DoubleDouble.twoSum(first, second)
        let remainder2 = lhs - rhs * partial
        return partial + remainder2.hi / rhs.hi
    }
}

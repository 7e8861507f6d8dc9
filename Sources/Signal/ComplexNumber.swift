// A minimal double-precision complex number whose arithmetic follows NumPy's loops,
// so that filter design rounds the way scipy.signal does.
import Foundation

/// A complex number `real + i * imaginary` used for zeros and poles.
///
/// Multiplication and division use the same formulas as NumPy's complex loops
/// (division by Smith's method), so designed coefficients agree with SciPy to the last bits.
public struct ComplexNumber: Equatable, Sendable, CustomStringConvertible {
    public var real: Double
    public var imaginary: Double

    public init(_ real: Double, _ imaginary: Double = 0) {
        self.real = real
        self.imaginary = imaginary
    }

    public var description: String { "(\(real)\(imaginary < 0 ? "-" : "+")\(Swift.abs(imaginary))j)" }

    /// The complex conjugate `real - i * imaginary`.
    public var conjugate: ComplexNumber { ComplexNumber(real, -imaginary) }

    /// Magnitude `|z|`, computed with `hypot` like NumPy's `abs`.
    public var magnitude: Double { hypot(real, imaginary) }

    /// True when the imaginary part is exactly zero (NumPy's `isreal`).
    public var isReal: Bool { imaginary == 0 }

    public static func + (lhs: ComplexNumber, rhs: ComplexNumber) -> ComplexNumber {
        ComplexNumber(lhs.real + rhs.real, lhs.imaginary + rhs.imaginary)
    }

    public static func - (lhs: ComplexNumber, rhs: ComplexNumber) -> ComplexNumber {
        ComplexNumber(lhs.real - rhs.real, lhs.imaginary - rhs.imaginary)
    }

    public static prefix func - (value: ComplexNumber) -> ComplexNumber {
        ComplexNumber(-value.real, -value.imaginary)
    }

    public static func * (lhs: ComplexNumber, rhs: ComplexNumber) -> ComplexNumber {
        ComplexNumber(lhs.real * rhs.real - lhs.imaginary * rhs.imaginary,
                      lhs.real * rhs.imaginary + lhs.imaginary * rhs.real)
    }

    /// Division as NumPy does it (Smith's algorithm, scaling by the larger part of the divisor).
    public static func / (lhs: ComplexNumber, rhs: ComplexNumber) -> ComplexNumber {
        let absReal = Swift.abs(rhs.real), absImaginary = Swift.abs(rhs.imaginary)
        if absReal >= absImaginary {
            if absReal == 0 && absImaginary == 0 {
                return ComplexNumber(lhs.real / absReal, lhs.imaginary / absReal)
            }
            let ratio = rhs.imaginary / rhs.real
            let scale = 1.0 / (rhs.real + rhs.imaginary * ratio)
            return ComplexNumber((lhs.real + lhs.imaginary * ratio) * scale,
                                 (lhs.imaginary - lhs.real * ratio) * scale)
        }
        let ratio = rhs.real / rhs.imaginary
        let scale = 1.0 / (rhs.imaginary + rhs.real * ratio)
        return ComplexNumber((lhs.real * ratio + lhs.imaginary) * scale,
                             (lhs.imaginary * ratio - lhs.real) * scale)
    }

    /// Principal square root (branch cut on the negative real axis, sign taken from the imaginary part).
    public var squareRoot: ComplexNumber {
        if real == 0 && imaginary == 0 { return ComplexNumber(0, imaginary) }
        let modulus = hypot(real, imaginary)
        if real >= 0 {
            let t = (0.5 * (modulus + real)).squareRoot()
            return ComplexNumber(t, imaginary / (2 * t))
        }
        let t = (0.5 * (modulus - real)).squareRoot()
        return ComplexNumber(Swift.abs(imaginary) / (2 * t), imaginary.sign == .minus ? -t : t)
    }

    /// `exp(i * angle)` as NumPy computes `exp` of a purely imaginary number.
    public static func unitPhase(_ angle: Double) -> ComplexNumber {
        ComplexNumber(cos(angle), sin(angle))
    }
}

/// Product of a sequence of complex numbers, left to right like `numpy.prod`.
func product(_ values: [ComplexNumber]) -> ComplexNumber {
    values.reduce(ComplexNumber(1), *)
}

// The zeros/poles/gain form of a filter and its conversion to transfer-function coefficients
// (scipy.signal.zpk2tf and numpy.poly).

/// A filter as zeros, poles and gain: `H(s) = k * prod(s - z) / prod(s - p)` (or in `z` for digital filters).
public struct ZerosPolesGain: Equatable, Sendable {
    public var zeros: [ComplexNumber]
    public var poles: [ComplexNumber]
    public var gain: Double

    public init(zeros: [ComplexNumber], poles: [ComplexNumber], gain: Double) {
        self.zeros = zeros
        self.poles = poles
        self.gain = gain
    }

    /// Excess of poles over zeros (SciPy's `_relative_degree`); zeros at infinity.
    var relativeDegree: Int { poles.count - zeros.count }

    /// Numerator `b` and denominator `a`, highest power first, like `scipy.signal.zpk2tf`.
    /// Imaginary parts cancel for conjugate-closed roots; the real parts are returned.
    public var transferFunction: TransferFunction {
        TransferFunction(numerator: polynomialCoefficients(roots: zeros).map { gain * $0 },
                         denominator: polynomialCoefficients(roots: poles))
    }
}

/// Filter coefficients `b` (numerator) and `a` (denominator), highest power first:
/// `H(z) = (b[0] + b[1] z^-1 + ...) / (a[0] + a[1] z^-1 + ...)`.
public struct TransferFunction: Equatable, Sendable {
    public var numerator: [Double]
    public var denominator: [Double]

    public init(numerator: [Double], denominator: [Double]) {
        self.numerator = numerator
        self.denominator = denominator
    }
}

/// Coefficients of `prod(x - root)`, highest power first, built by repeated convolution with
/// `[1, -root]` in the order given (numpy.poly); returns the real parts.
///
/// Each output of the convolution is summed the way NumPy's complex `convolve` does it through BLAS
/// `zdotu` (real and imaginary cross terms accumulated separately, then combined), so the
/// coefficients agree with SciPy's bit for bit; this matters because a high-order (b, a) pair with
/// poles near z = 1 turns last-bit differences into visible output differences.
func polynomialCoefficients(roots: [ComplexNumber]) -> [Double] {
    var coefficients = [ComplexNumber(1)]
    for root in roots {
        let kernel = [ComplexNumber(1), -root]
        let count = coefficients.count
        coefficients = (0...count).map { index in
            var realProducts = 0.0, imaginaryProducts = 0.0, realByImaginary = 0.0, imaginaryByReal = 0.0
            func accumulate(_ x: ComplexNumber, _ y: ComplexNumber) {
                realProducts += x.real * y.real
                imaginaryProducts += x.imaginary * y.imaginary
                realByImaginary += x.real * y.imaginary
                imaginaryByReal += x.imaginary * y.real
            }
            if index >= 1 { accumulate(coefficients[index - 1], kernel[1]) }
            if index < count { accumulate(coefficients[index], kernel[0]) }
            return ComplexNumber(realProducts - imaginaryProducts, realByImaginary + imaginaryByReal)
        }
    }
    return coefficients.map(\.real)
}

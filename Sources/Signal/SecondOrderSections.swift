// Second-order sections: conversion from zeros/poles/gain with SciPy's 'nearest' pairing
// (scipy.signal.zpk2sos), so section order and coefficients match SciPy's.
import Foundation

/// A cascade of biquads, each row `[b0, b1, b2, a0, a1, a2]` with `a0 = 1`:
/// sections: [nSections, 6], row-major. Gain sits in the first section, as in SciPy.
public struct SecondOrderSections: Equatable, Sendable {
    /// Section rows `[b0, b1, b2, 1, a1, a2]`.
    public var sections: [[Double]]

    /// Wraps existing section rows (each must hold 6 numbers with `a0 != 0`).
    public init(sections: [[Double]]) throws {
        for (index, row) in sections.enumerated() where row.count != 6 || row[3] == 0 {
            throw SignalError("SecondOrderSections", "section \(index) must be [b0, b1, b2, a0, a1, a2] with a0 != 0, got \(row)")
        }
        self.sections = sections
    }

    /// Converts a digital filter to sections like `scipy.signal.zpk2sos(z, p, k)` (pairing 'nearest'):
    /// poles closest to the unit circle go last, each pole pair with its nearest zeros.
    public init(_ filter: ZerosPolesGain) throws {
        var zeros = filter.zeros, poles = filter.poles
        if zeros.isEmpty && poles.isEmpty {
            sections = [[filter.gain, 0, 0, 1, 0, 0]]
            return
        }
        poles += Array(repeating: ComplexNumber(0), count: max(zeros.count - poles.count, 0))
        zeros += Array(repeating: ComplexNumber(0), count: max(poles.count - zeros.count, 0))
        let count = (max(poles.count, zeros.count) + 1) / 2
        if poles.count % 2 == 1 {
            poles.append(ComplexNumber(0))
            zeros.append(ComplexNumber(0))
        }
        let splitZeros = try splitConjugates(zeros), splitPoles = try splitConjugates(poles)
        zeros = splitZeros.complex + splitZeros.real.map { ComplexNumber($0) }
        poles = splitPoles.complex + splitPoles.real.map { ComplexNumber($0) }

        var rows = [[Double]](repeating: [0, 0, 0, 0, 0, 0], count: count)
        for sectionIndex in stride(from: count - 1, through: 0, by: -1) {
            let p1 = poles.remove(at: indexClosestToUnitCircle(poles))
            let realPolesLeft = poles.filter(\.isReal).count
            if p1.isReal && realPolesLeft == 0 {
                // The last real pole: pair it with the nearest real zero, padded with a pole and zero at 0.
                let z1 = zeros.remove(at: try nearestIndex(in: zeros, to: p1, kind: .real))
                rows[sectionIndex] = biquad(zeros: [z1, ComplexNumber(0)], poles: [p1, ComplexNumber(0)])
            } else if poles.count + 1 == zeros.count && !p1.isReal && realPolesLeft == 1
                        && zeros.filter(\.isReal).count == 1 {
                // One real pole and one real zero remain for later: this complex pole must take complex zeros.
                let z1 = zeros.remove(at: try nearestIndex(in: zeros, to: p1, kind: .complex))
                rows[sectionIndex] = biquad(zeros: [z1, z1.conjugate], poles: [p1, p1.conjugate])
            } else {
                let p2: ComplexNumber
                if p1.isReal {
                    let realIndices = poles.indices.filter { poles[$0].isReal }
                    let worst = realIndices[indexClosestToUnitCircle(realIndices.map { poles[$0] })]
                    p2 = poles.remove(at: worst)
                } else {
                    p2 = p1.conjugate
                }
                if zeros.isEmpty {
                    rows[sectionIndex] = biquad(zeros: [], poles: [p1, p2])
                } else {
                    let z1 = zeros.remove(at: try nearestIndex(in: zeros, to: p1, kind: .any))
                    if !z1.isReal {
                        rows[sectionIndex] = biquad(zeros: [z1, z1.conjugate], poles: [p1, p2])
                    } else if zeros.isEmpty {
                        rows[sectionIndex] = biquad(zeros: [z1], poles: [p1, p2])
                    } else {
                        let z2 = zeros.remove(at: try nearestIndex(in: zeros, to: p1, kind: .real))
                        rows[sectionIndex] = biquad(zeros: [z1, z2], poles: [p1, p2])
                    }
                }
            }
        }
        for column in 0..<3 { rows[0][column] *= filter.gain }
        sections = rows
    }

    /// Number of biquad sections.
    public var count: Int { sections.count }
}

/// One section's row from up to two zeros and two poles, right-aligned like SciPy's `_single_zpksos`.
private func biquad(zeros: [ComplexNumber], poles: [ComplexNumber]) -> [Double] {
    var row = [Double](repeating: 0, count: 6)
    let numerator = polynomialCoefficients(roots: zeros), denominator = polynomialCoefficients(roots: poles)
    for (offset, value) in numerator.enumerated() { row[3 - numerator.count + offset] = value }
    for (offset, value) in denominator.enumerated() { row[6 - denominator.count + offset] = value }
    return row
}

/// Index of the root with the smallest `|1 - |p||` (first on ties, like `numpy.argmin`).
private func indexClosestToUnitCircle(_ roots: [ComplexNumber]) -> Int {
    var best = 0
    for index in roots.indices where Swift.abs(1 - roots[index].magnitude) < Swift.abs(1 - roots[best].magnitude) {
        best = index
    }
    return best
}

private enum RootKind { case real, complex, any }

/// Index of the root nearest `target` among those of the wanted kind (SciPy's `_nearest_real_complex_idx`).
private func nearestIndex(in roots: [ComplexNumber], to target: ComplexNumber, kind: RootKind) throws -> Int {
    var best: Int?
    for index in roots.indices {
        switch kind {
        case .real where !roots[index].isReal, .complex where roots[index].isReal: continue
        default: break
        }
        if let current = best, (roots[index] - target).magnitude >= (roots[current] - target).magnitude { continue }
        best = index
    }
    guard let best else { throw SignalError("zpk2sos", "no \(kind) zero left to pair with pole \(target)") }
    return best
}

/// Splits roots into one representative (positive imaginary part) of each conjugate pair and the real
/// roots, both sorted like SciPy's `_cplxreal`; pairs are averaged to remove rounding asymmetry.
func splitConjugates(_ roots: [ComplexNumber]) throws -> (complex: [ComplexNumber], real: [Double]) {
    let tolerance = 100 * Double.ulpOfOne
    let sorted = roots.enumerated().sorted { lhs, rhs in
        if lhs.element.real != rhs.element.real { return lhs.element.real < rhs.element.real }
        let left = Swift.abs(lhs.element.imaginary), right = Swift.abs(rhs.element.imaginary)
        if left != right { return left < right }
        return lhs.offset < rhs.offset
    }.map(\.element)
    let isRealEnough = { (root: ComplexNumber) in Swift.abs(root.imaginary) <= tolerance * root.magnitude }
    let real = sorted.filter(isRealEnough).map(\.real)
    let complex = sorted.filter { !isRealEnough($0) }
    var positive = complex.filter { $0.imaginary > 0 }
    var negative = complex.filter { $0.imaginary < 0 }
    guard positive.count == negative.count else {
        throw SignalError("zpk2sos", "Array contains complex value with no matching conjugate.")
    }
    // Within runs of (nearly) equal real parts, order by |imaginary| so that pairs line up.
    var start = 0
    while start < positive.count {
        var stop = start
        while stop + 1 < positive.count
                && positive[stop + 1].real - positive[stop].real <= tolerance * positive[stop].magnitude {
            stop += 1
        }
        if stop > start {
            for index in [0, 1] {
                var chunk = index == 0 ? Array(positive[start...stop]) : Array(negative[start...stop])
                chunk = chunk.enumerated().sorted { lhs, rhs in
                    let left = Swift.abs(lhs.element.imaginary), right = Swift.abs(rhs.element.imaginary)
                    return left != right ? left < right : lhs.offset < rhs.offset
                }.map(\.element)
                if index == 0 { positive.replaceSubrange(start...stop, with: chunk) } else { negative.replaceSubrange(start...stop, with: chunk) }
            }
        }
        start = stop + 1
    }
    for (p, n) in zip(positive, negative) where (p - n.conjugate).magnitude > tolerance * n.magnitude {
        throw SignalError("zpk2sos", "Array contains complex value with no matching conjugate.")
    }
    let averaged = zip(positive, negative).map { ($0 + $1.conjugate) / ComplexNumber(2) }
    return (averaged, real)
}

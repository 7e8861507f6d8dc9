// Maximum-likelihood fit of a Generalised Pareto Distribution (location 0) by Grimshaw's reduction.

import Foundation

/// A Generalised Pareto Distribution with location 0, shape gamma (SciPy's `c`) and scale sigma:
/// F(y) = 1 - (1 + gamma y / sigma)^(-1/gamma), and 1 - exp(-y / sigma) when gamma = 0
/// (`scipy.stats.genpareto(c=shape, loc=0, scale=scale)`).
public struct GeneralizedPareto: Equatable, Sendable {
    public var shape: Double
    public var scale: Double

    public init(shape: Double, scale: Double) {
        self.shape = shape
        self.scale = scale
    }

    /// Sum of log densities of `excesses: [N]` (each >= 0), like
    /// `scipy.stats.genpareto.logpdf(excesses, shape, 0, scale).sum()`; -infinity outside the support.
    public func logLikelihood(_ excesses: [Double]) -> Double {
        guard scale > 0 else { return -.infinity }
        var sum = 0.0
        for y in excesses {
            if y < 0 { return -.infinity }
            if shape == 0 {
                sum += -y / scale
            } else {
                let z = 1 + shape * y / scale
                if z <= 0 { return -.infinity }
                sum += -(1 + 1 / shape) * log1p(shape * y / scale)
            }
        }
        return sum - Double(excesses.count) * log(scale)
    }

    /// The maximum-likelihood GPD for `excesses: [N]` (N >= 2, all >= 0, not all equal), the
    /// quantity `scipy.stats.genpareto.fit(excesses, floc=0)` approximates with Nelder-Mead.
    ///
    /// Grimshaw (1993), as used in SPOT (Siffer et al., KDD 2017): with theta = gamma/sigma the
    /// likelihood is maximised in gamma and sigma for fixed theta by gamma(theta) = mean(log(1 + theta y))
    /// and sigma = gamma/theta, leaving the 1-D profile
    /// l(theta) = -N log(gamma(theta)/theta) - N (1 + gamma(theta)) over theta > -1/max(y).
    /// We scan l on a log-spaced grid on both sides of 0 (theta = 0 is the exponential limit),
    /// then refine the best bracket by golden-section search to machine precision. This is more
    /// robust than root-finding l'(theta) = 0 and finds the global maximum at the grid's resolution.
    /// The search is restricted to gamma > -1: as theta -> -1/max(y), gamma(theta) -> -infinity and
    /// the likelihood grows without bound once gamma < -1 (Smith 1985), a degenerate "fit" that
    /// matters for few excesses (n = 15 already reaches it). gamma(theta) increases with theta, so
    /// the restriction is theta > theta*, with gamma(theta*) = -1 found by bisection.
    public static func fit(excesses: [Double]) throws -> GeneralizedPareto {
        try validate(excesses, function: "GeneralizedPareto.fit", minimum: 2)
        guard let largest = excesses.max(), let smallest = excesses.min(), smallest >= 0 else {
            throw EvaluationError.parameterOutOfRange(
                function: "GeneralizedPareto.fit", name: "excess", value: excesses.min() ?? .nan, expected: ">= 0")
        }
        let mean = excesses.reduce(0, +) / Double(excesses.count)
        guard largest > smallest, mean > 0 else {
            throw EvaluationError.parameterOutOfRange(
                function: "GeneralizedPareto.fit", name: "spread of excesses", value: largest - smallest,
                expected: "> 0 (excesses must not all be equal)")
        }
        let profile = ProfileLikelihood(excesses: excesses)
        let smallestTheta = profile.smallestThetaWithBoundedLikelihood(largestExcess: largest)
        func objective(_ theta: Double) -> Double { theta < smallestTheta ? -.infinity : profile.value(theta) }
        // Grid in theta * max(y): (-1, 0) approached geometrically from both ends, and (0, 1e6).
        var grid: [Double] = [0, smallestTheta]
        for k in 0...120 {
            let t = pow(10, -12 + Double(k) * 0.1)  // 1e-12 ... 1
            if t < 1 { grid.append(-t / largest); grid.append(-(1 - t) / largest) }
            grid.append(t / largest)
        }
        for k in 1...60 { grid.append(pow(10, Double(k) * 0.1) / largest) }  // up to 1e6 / max(y)
        grid = Array(Set(grid)).filter { $0 >= smallestTheta }.sorted()
        let values = grid.map(objective)
        var best = 0
        for i in values.indices where values[i] > values[best] { best = i }
        let lower = grid[max(best - 1, 0)], upper = grid[min(best + 1, grid.count - 1)]
        var theta = goldenSectionMaximum(of: objective, lower: lower, upper: upper)
        if objective(grid[best]) > objective(theta) { theta = grid[best] }
        if theta == 0 {
            return GeneralizedPareto(shape: 0, scale: mean)
        }
        let shape = profile.shape(theta)
        return GeneralizedPareto(shape: shape, scale: shape / theta)
    }
}

/// Grimshaw's profile log-likelihood l(theta) of GPD excesses.
struct ProfileLikelihood {
    let excesses: [Double]

    /// gamma(theta) = mean(log(1 + theta y)).
    func shape(_ theta: Double) -> Double {
        var sum = 0.0
        for y in excesses { sum += log1p(theta * y) }
        return sum / Double(excesses.count)
    }

    /// The smallest theta with gamma(theta) >= -1: the support's edge -1/max(y) (to 1e-15) when
    /// gamma stays above -1 there, else the root of gamma(theta) = -1 by bisection on (-1/max(y), 0).
    func smallestThetaWithBoundedLikelihood(largestExcess: Double) -> Double {
        var low = -(1 - 1e-15) / largestExcess
        if shape(low) >= -1 { return low }
        var high = 0.0
        while high - low > 1e-16 * abs(low) {
            let middle = (low + high) / 2
            if middle <= low || middle >= high { break }
            if shape(middle) < -1 { low = middle } else { high = middle }
        }
        return high
    }

    func value(_ theta: Double) -> Double {
        let n = Double(excesses.count)
        if theta == 0 {
            let mean = excesses.reduce(0, +) / n
            return -n * log(mean) - n
        }
        for y in excesses where 1 + theta * y <= 0 { return -.infinity }
        let gamma = shape(theta)
        let ratio = gamma / theta
        guard ratio > 0, ratio.isFinite else { return -.infinity }
        return -n * log(ratio) - n * (1 + gamma)
    }
}

/// The maximiser of a unimodal `function` on [lower, upper] by golden-section search, run until
/// the bracket stops shrinking in floating point.
func goldenSectionMaximum(of function: (Double) -> Double, lower: Double, upper: Double) -> Double {
    let ratio = (sqrt(5.0) - 1) / 2
    var a = lower, b = upper
    var c = b - ratio * (b - a), d = a + ratio * (b - a)
    var fc = function(c), fd = function(d)
    for _ in 0..<200 {
        if fc >= fd {
            b = d; d = c; fd = fc
            c = b - ratio * (b - a); fc = function(c)
        } else {
            a = c; c = d; fc = fd
            d = a + ratio * (b - a); fd = function(d)
        }
        if b - a <= 1e-15 * max(abs(a), abs(b)) { break }
    }
    return fc >= fd ? c : d
}

// Helpers shared by the kernel tests: seeded random data, fixture loading, plain-loop linear
// layers (for the attention projections) and a tolerance check against reference values.
import Foundation
import Testing
import TestSupport

/// SplitMix64: small, seedable, reproducible across platforms.
struct KernelTestRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` values uniform in `[-scale, scale)`.
    mutating func array(_ count: Int, scale: Float = 1) -> [Float] {
        (0..<count).map { _ in Float.random(in: -scale..<scale, using: &self) }
    }
}

enum KernelFixture {
    static func load(_ name: String) throws -> NPYLiteArray {
        try NPYLiteArray(contentsOf: TestPaths.fixtures().appendingPathComponent("\(name).npy"))
    }
}

/// Expects `actual` to match `expected` element-wise within `rtol` relative plus an absolute
/// floor of `rtol * scaleFloor * max|expected|` (so entries near zero are judged on the array's scale).
func expectClose<A: Collection, E: Collection>(
    _ actual: A, _ expected: E, rtol: Double = 1e-4, scaleFloor: Double = 0.1, _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) where A.Element: BinaryFloatingPoint, E.Element: BinaryFloatingPoint {
    let largest = expected.reduce(0.0) { max($0, abs(Double($1))) }
    let mismatch = firstMismatch(actual, expected, rtol: rtol, atol: rtol * scaleFloor * largest)
    #expect(mismatch == nil, "\(label): \(mismatch?.description ?? "")", sourceLocation: sourceLocation)
}

/// Plain-loop `y [R, O] = x [R, I] W^T + b` with `W [O, I]` rows `rowOffset..<rowOffset+O` of `weight`.
func naiveLinear(_ x: [Float], rows: Int, inputs: Int, weight: [Float], bias: [Float], outputs: Int,
                 rowOffset: Int = 0) -> [Float] {
    var y = [Float](repeating: 0, count: rows * outputs)
    for r in 0..<rows {
        for o in 0..<outputs {
            var sum = bias[rowOffset + o]
            for k in 0..<inputs { sum += x[r * inputs + k] * weight[(rowOffset + o) * inputs + k] }
            y[r * outputs + o] = sum
        }
    }
    return y
}

/// Backward of `naiveLinear`: `(dx, dW [O, I], db [O])` for `dy [R, O]`.
func naiveLinearBackward(_ x: [Float], _ dy: [Float], rows: Int, inputs: Int, weight: [Float], outputs: Int,
                         rowOffset: Int = 0) -> (dx: [Float], dWeight: [Float], dBias: [Float]) {
    var dx = [Float](repeating: 0, count: rows * inputs)
    var dWeight = [Float](repeating: 0, count: outputs * inputs)
    var dBias = [Float](repeating: 0, count: outputs)
    for r in 0..<rows {
        for o in 0..<outputs {
            let gradient = dy[r * outputs + o]
            dBias[o] += gradient
            for k in 0..<inputs {
                dx[r * inputs + k] += gradient * weight[(rowOffset + o) * inputs + k]
                dWeight[o * inputs + k] += gradient * x[r * inputs + k]
            }
        }
    }
    return (dx, dWeight, dBias)
}

// VectorMath accuracy against Double-precision libm over a dense range, and saturation.
import Foundation
import Testing
@testable import TensorCore

@Suite("VectorMath")
struct VectorMathTests {
    /// Every 16th float bit pattern in [-100, 100] plus a uniform grid: about 140k points each.
    static let samples: [Float] = {
        var values: [Float] = []
        var x: Float = -100
        while x <= 100 { values.append(x); x += 0.003 }
        var bits = Float(1e-30).bitPattern
        while Float(bitPattern: bits) < 100 {
            values.append(Float(bitPattern: bits))
            values.append(-Float(bitPattern: bits))
            bits += 4099
        }
        return values
    }()

    static func maxRelativeError(_ function: (SIMD16<Float>) -> SIMD16<Float>, _ reference: (Double) -> Double,
                                 where include: (Float) -> Bool = { _ in true }) -> Double {
        var worst = 0.0
        let points = samples.filter(include)
        var index = 0
        while index < points.count {
            var vector = SIMD16<Float>()
            let n = min(16, points.count - index)
            for lane in 0..<n { vector[lane] = points[index + lane] }
            let result = function(vector)
            for lane in 0..<n {
                let expected = reference(Double(points[index + lane]))
                let error = abs(Double(result[lane]) - expected) / max(abs(expected), Double(Float.leastNormalMagnitude))
                worst = max(worst, error)
            }
            index += 16
        }
        return worst
    }

    @Test func expRelativeErrorIsBelowTwoEMinusSeven() {
        let error = Self.maxRelativeError(VectorMath.exp, Foundation.exp, where: { $0 > -87.3 && $0 < 88.7 })
        #expect(error < 2e-7, "max relative error \(error)")
    }

    @Test func sigmoidRelativeErrorIsBelowTwoEMinusSeven() {
        let error = Self.maxRelativeError(VectorMath.sigmoid, { 1 / (1 + Foundation.exp(-$0)) },
                                          where: { $0 > -87 })
        #expect(error < 2e-7, "max relative error \(error)")
    }

    @Test func tanhRelativeErrorIsBelowTwoEMinusSeven() {
        let error = Self.maxRelativeError(VectorMath.tanh, Foundation.tanh)
        #expect(error < 2e-7, "max relative error \(error)")
    }

    @Test func saturatesWithoutNaN() {
        let extremes = SIMD16<Float>(-.infinity, -1e30, -1000, -104, -88, -87.5, -20, -9.5,
                                     9.5, 20, 88, 88.8, 104, 1000, 1e30, .infinity)
        let e = VectorMath.exp(extremes), s = VectorMath.sigmoid(extremes), t = VectorMath.tanh(extremes)
        for lane in 0..<16 {
            #expect(!e[lane].isNaN && !s[lane].isNaN && !t[lane].isNaN, "lane \(lane): \(extremes[lane])")
            #expect(s[lane] >= 0 && s[lane] <= 1)
            #expect(abs(t[lane]) == 1, "tanh(\(extremes[lane])) = \(t[lane])")
        }
        #expect(e[0] == 0 && e[3] == 0 && e[15] == .infinity && e[12] == .infinity)
        #expect(s[0] == 0 && s[15] == 1 && s[13] == 1)
        #expect(VectorMath.exp(Float(0)) == 1 && VectorMath.tanh(Float(0)) == 0 && VectorMath.sigmoid(Float(0)) == 0.5)
    }

    @Test func bufferFormsMatchTheVectorFormIncludingTails() {
        var random = KernelTestRandom(seed: 7)
        let input = random.array(37, scale: 12)
        var output = [Float](repeating: 0, count: 37)
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                VectorMath.tanh(37, source.baseAddress!, target.baseAddress!)
            }
        }
        for (x, y) in zip(input, output) { #expect(y == VectorMath.tanh(x)) }
    }
}

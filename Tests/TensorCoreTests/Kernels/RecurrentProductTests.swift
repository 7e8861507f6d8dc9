// RecurrentProduct: the packed-W_hh step product against its naive twin (Double sums) on row
// counts and hidden sizes that exercise partial row tiles, partial unit groups and depth chunks.
import Foundation
import Testing
@testable import TensorCore

@Suite("RecurrentProduct")
struct RecurrentProductTests {
    /// (rows, hidden): 19 and 64 are the inference and training batch sizes; 1, 2, 4, 7 need
    /// 2-row tiles; H = 5, 13, 33, 130 partial 8-unit groups; H = 520 more than one 512-deep chunk.
    static let shapes: [(rows: Int, hidden: Int)] = [
        (19, 64), (64, 32), (1, 5), (2, 13), (4, 33), (19, 130), (7, 300), (3, 8), (2, 520),
    ]

    @Test(arguments: 0..<9)
    func packedMatchesNaiveTwin(case index: Int) {
        let (rows, hidden) = Self.shapes[index]
        let width = 4 * hidden
        var random = KernelTestRandom(seed: UInt64(700 + index))
        // Strided operands, as in the LSTM (rows of h and of the gates interleaved with other steps).
        let hiddenStride = hidden + 3, gatesStride = width + 5
        let hiddenStrided = random.array(rows * hiddenStride)
        let weight = random.array(width * hidden, scale: 1 / Float(hidden).squareRoot())
        var gatesStrided = random.array(rows * gatesStride)
        var hiddenDense = [Float](repeating: 0, count: rows * hidden)
        var expected = [Float](repeating: 0, count: rows * width)
        for row in 0..<rows {
            for k in 0..<hidden { hiddenDense[row * hidden + k] = hiddenStrided[row * hiddenStride + k] }
            for column in 0..<width { expected[row * width + column] = gatesStrided[row * gatesStride + column] }
        }
        let untouched = gatesStrided
        RecurrentProduct.referenceAccumulate(rows: rows, hiddenSize: hidden, hidden: hiddenDense, weight: weight,
                                             gates: &expected)
        let packed = PackedRecurrentWeight(hiddenSize: hidden)
        weight.withUnsafeBufferPointer { packed.pack($0.baseAddress!) }
        var panel = [Float](repeating: .nan, count: RecurrentProduct.hiddenPanelCount(rows: rows, hiddenSize: hidden))
        hiddenStrided.withUnsafeBufferPointer { h in
            gatesStrided.withUnsafeMutableBufferPointer { g in
                panel.withUnsafeMutableBufferPointer { scratch in
                    RecurrentProduct.accumulate(rows: rows, hidden: h.baseAddress!, hiddenRowStride: hiddenStride,
                                                gates: g.baseAddress!, gatesRowStride: gatesStride, weight: packed,
                                                hiddenPanel: scratch.baseAddress!)
                }
            }
        }
        var actual = [Float](repeating: 0, count: rows * width)
        for row in 0..<rows {
            for column in 0..<width { actual[row * width + column] = gatesStrided[row * gatesStride + column] }
            for pad in width..<gatesStride {
                #expect(gatesStrided[row * gatesStride + pad] == untouched[row * gatesStride + pad],
                        "row \(row) padding column \(pad) was written")
            }
        }
        expectClose(actual, expected, rtol: 1e-5, "rows \(rows), H \(hidden)")
    }

    /// The LSTM forward on the batch and hidden sizes of one record's 19 windows (partial tiles,
    /// a partial unit group) against the naive LSTM twin, both directions.
    @Test func lstmForwardWithNineteenRowsMatchesNaiveTwin() {
        let shape = LSTMShape(batch: 19, time: 6, inputSize: 12, hiddenSize: 20)
        var random = KernelTestRandom(seed: 720)
        let input = random.array(shape.batch * shape.time * shape.inputSize)
        let directions = (0..<2).map { _ in LSTMTestDirection.random(shape, &random) }
        let rows = shape.batch * shape.time
        let fused = runFusedLSTM(shape: shape, input: input, directions: directions,
                                 outputGradient: random.array(rows * 2 * shape.hiddenSize))
        for direction in 0..<2 {
            let naive = LSTMKernel.Reference.forward(shape: shape, input: input, parameters: directions[direction].parameters,
                                                     reverse: direction == 1)
            let fusedOutput = directionSlice(fused.output, rows: rows, hidden: shape.hiddenSize, directions: 2,
                                             direction: direction)
            expectClose(fusedOutput, naive.output, rtol: 1e-5, "output of direction \(direction)")
        }
    }
}

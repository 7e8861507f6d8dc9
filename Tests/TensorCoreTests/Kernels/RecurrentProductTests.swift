// RecurrentProduct: the packed per-step gate product against its naive twin (Double sums) on row
// counts and sizes that exercise 2-row tiles, partial unit groups, depth chunks and the first step.
import Foundation
import Testing
@testable import TensorCore

@Suite("RecurrentProduct")
struct RecurrentProductTests {
    /// (rows, inputs, hidden): 19 and 64 are the inference and training batch sizes; 1, 2, 4, 7
    /// need 2-row tiles; H = 5, 13, 33, 130 partial 8-unit groups; I + H = 532 and 620 more than
    /// one 512-deep chunk; I = 0 a layer without inputs.
    static let shapes: [(rows: Int, inputs: Int, hidden: Int)] = [
        (19, 12, 64), (64, 128, 32), (1, 3, 5), (2, 7, 13), (4, 0, 33), (19, 1, 130), (7, 12, 520), (3, 100, 8),
        (2, 300, 320),
    ]

    /// `accumulates`: no bias, the product is added to the values already in `gates` (the path of
    /// inputs wider than `LSTMKernel.fusedInputLimit`, projected beforehand).
    @Test(arguments: 0..<9, [(false, false), (true, false), (false, true)])
    func packedMatchesNaiveTwin(case index: Int, mode: (firstStep: Bool, accumulates: Bool)) {
        let (firstStep, accumulates) = mode
        let (rows, inputs, hidden) = Self.shapes[index]
        let width = 4 * hidden
        var random = KernelTestRandom(seed: UInt64(700 + index))
        // Strided operands, as in the LSTM (rows of x, h and the gates interleaved with other steps).
        let inputStride = inputs + 2, hiddenStride = hidden + 3, gatesStride = width + 5
        let inputStrided = random.array(rows * inputStride)
        let hiddenStrided = random.array(rows * hiddenStride)
        let scale = 1 / Float(hidden).squareRoot()
        let inputWeight = random.array(width * inputs, scale: scale)
        let hiddenWeight = random.array(width * hidden, scale: scale)
        let bias = random.array(width, scale: scale)
        var gatesStrided = random.array(rows * gatesStride)
        let untouched = gatesStrided
        let inputDense = (0..<rows * inputs).map { inputStrided[($0 / max(inputs, 1)) * inputStride + $0 % max(inputs, 1)] }
        let hiddenDense = (0..<rows * hidden).map { hiddenStrided[($0 / hidden) * hiddenStride + $0 % hidden] }
        var expected = RecurrentProduct.referenceGates(
            rows: rows, inputSize: inputs, hiddenSize: hidden, input: inputDense, hidden: firstStep ? nil : hiddenDense,
            inputWeight: inputWeight, hiddenWeight: hiddenWeight,
            bias: accumulates ? [Float](repeating: 0, count: width) : bias)
        if accumulates {
            for row in 0..<rows {
                for column in 0..<width { expected[row * width + column] += untouched[row * gatesStride + column] }
            }
        }
        let packed = PackedRecurrentWeight(inputSize: inputs, hiddenSize: hidden)
        inputWeight.withUnsafeBufferPointer { wih in
            hiddenWeight.withUnsafeBufferPointer { whh in
                packed.pack(inputWeight: wih.baseAddress!, hiddenWeight: whh.baseAddress!)
            }
        }
        var panel = [Float](repeating: .nan, count: RecurrentProduct.panelCount(rows: rows, weight: packed))
        inputStrided.withUnsafeBufferPointer { x in
            hiddenStrided.withUnsafeBufferPointer { h in
                bias.withUnsafeBufferPointer { b in
                    gatesStrided.withUnsafeMutableBufferPointer { g in
                        panel.withUnsafeMutableBufferPointer { scratch in
                            RecurrentProduct.gates(rows: rows, input: x.baseAddress!, inputRowStride: inputStride,
                                                   hidden: firstStep ? nil : h.baseAddress!, hiddenRowStride: hiddenStride,
                                                   bias: accumulates ? nil : b.baseAddress!, gates: g.baseAddress!,
                                                   gatesRowStride: gatesStride,
                                                   weight: packed, panel: scratch.baseAddress!)
                        }
                    }
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
        expectClose(actual, expected, rtol: 1e-5,
                    "rows \(rows), I \(inputs), H \(hidden), first step \(firstStep), accumulates \(accumulates)")
    }

    /// The LSTM forward on one record's 19 windows (2-row tiles, a partial unit group) against the
    /// naive LSTM twin, both directions, with the input projection fused into the step (I = 12)
    /// and done beforehand (I = 70 > `LSTMKernel.fusedInputLimit`); training and inference
    /// forwards agree bit for bit (`runFusedLSTM` checks that).
    @Test(arguments: [12, 70])
    func lstmForwardWithNineteenRowsMatchesNaiveTwin(inputSize: Int) {
        let shape = LSTMShape(batch: 19, time: 6, inputSize: inputSize, hiddenSize: 20)
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
            expectClose(fusedOutput, naive.output, rtol: 1e-5, "output of direction \(direction), I \(inputSize)")
        }
    }
}

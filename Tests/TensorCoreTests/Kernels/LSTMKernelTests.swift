// LSTMKernel: fused vs naive twin on random shapes (odd sizes, both directions, uni and bi),
// and both against PyTorch nn.LSTM fixtures (outputs and every gradient of sum(out * r)).
import Foundation
import Testing
@testable import TensorCore

/// Owns one direction's parameters and gradient buffers as arrays for the tests.
struct LSTMTestDirection {
    var parameters: LSTMKernel.Reference.Parameters
    var gradients: LSTMKernel.Reference.Parameters

    init(_ parameters: LSTMKernel.Reference.Parameters) {
        self.parameters = parameters
        gradients = .init(inputWeight: parameters.inputWeight.map { _ in 0 },
                          hiddenWeight: parameters.hiddenWeight.map { _ in 0 },
                          inputBias: parameters.inputBias.map { _ in 0 }, hiddenBias: parameters.hiddenBias.map { _ in 0 })
    }

    static func random(_ shape: LSTMShape, _ random: inout KernelTestRandom) -> LSTMTestDirection {
        let scale = 1 / Float(shape.hiddenSize).squareRoot()
        return LSTMTestDirection(.init(
            inputWeight: random.array(shape.gateWidth * shape.inputSize, scale: scale),
            hiddenWeight: random.array(shape.gateWidth * shape.hiddenSize, scale: scale),
            inputBias: random.array(shape.gateWidth, scale: scale), hiddenBias: random.array(shape.gateWidth, scale: scale)))
    }

    /// Runs `body` with raw pointers to the parameters and the gradient buffers.
    mutating func withPointers<R>(_ body: (LSTMParameters, LSTMParameterGradients) -> R) -> R {
        let p = parameters
        return p.inputWeight.withUnsafeBufferPointer { wih in
            p.hiddenWeight.withUnsafeBufferPointer { whh in
                p.inputBias.withUnsafeBufferPointer { bih in
                    p.hiddenBias.withUnsafeBufferPointer { bhh in
                        gradients.inputWeight.withUnsafeMutableBufferPointer { gwih in
                            gradients.hiddenWeight.withUnsafeMutableBufferPointer { gwhh in
                                gradients.inputBias.withUnsafeMutableBufferPointer { gbih in
                                    gradients.hiddenBias.withUnsafeMutableBufferPointer { gbhh in
                                        body(LSTMParameters(inputWeight: wih.baseAddress!, hiddenWeight: whh.baseAddress!,
                                                            inputBias: bih.baseAddress!, hiddenBias: bhh.baseAddress!),
                                             LSTMParameterGradients(inputWeight: gwih.baseAddress!, hiddenWeight: gwhh.baseAddress!,
                                                                    inputBias: gbih.baseAddress!, hiddenBias: gbhh.baseAddress!))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Result of running the fused bidirectional (or unidirectional) kernel end to end.
struct FusedLSTMRun {
    var output: [Float]
    var inputGradient: [Float]
    var directions: [LSTMTestDirection]
}

/// Fused forward (training), then backward for `outputGradient`; also checks that an inference
/// forward gives bit-identical outputs.
func runFusedLSTM(shape: LSTMShape, input: [Float], directions: [LSTMTestDirection],
                  outputGradient: [Float]) -> FusedLSTMRun {
    var directions = directions
    let width = directions.count * shape.hiddenSize
    var output = [Float](repeating: 0, count: shape.batch * shape.time * width)
    var inferenceOutput = output
    var inputGradient = [Float](repeating: 0, count: input.count)
    let training = directions.map { _ in LSTMBuffers(shape: shape, training: true) }
    let inference = directions.map { _ in LSTMBuffers(shape: shape, training: false) }
    var first = directions[0]
    var second = directions.count > 1 ? directions[1] : directions[0]
    input.withUnsafeBufferPointer { x in
        first.withPointers { p0, g0 in
            second.withPointers { p1, g1 in
                output.withUnsafeMutableBufferPointer { out in
                    inferenceOutput.withUnsafeMutableBufferPointer { inferenceOut in
                        outputGradient.withUnsafeBufferPointer { dy in
                            inputGradient.withUnsafeMutableBufferPointer { dx in
                                if directions.count == 2 {
                                    LSTMKernel.bidirectionalForward(shape: shape, input: x.baseAddress!, parameters: (p0, p1),
                                                                    output: out.baseAddress!, buffers: (training[0], training[1]))
                                    LSTMKernel.bidirectionalForward(shape: shape, input: x.baseAddress!, parameters: (p0, p1),
                                                                    output: inferenceOut.baseAddress!, buffers: (inference[0], inference[1]))
                                    LSTMKernel.bidirectionalBackward(shape: shape, input: x.baseAddress!, parameters: (p0, p1),
                                                                     output: out.baseAddress!, outputGradient: dy.baseAddress!,
                                                                     buffers: (training[0], training[1]), gradients: (g0, g1),
                                                                     inputGradient: dx.baseAddress!)
                                } else {
                                    LSTMKernel.forward(shape: shape, input: x.baseAddress!, parameters: p0, reverse: false,
                                                       output: out.baseAddress!, outputRowStride: shape.hiddenSize, buffers: training[0])
                                    LSTMKernel.forward(shape: shape, input: x.baseAddress!, parameters: p0, reverse: false,
                                                       output: inferenceOut.baseAddress!, outputRowStride: shape.hiddenSize,
                                                       buffers: inference[0])
                                    LSTMKernel.backward(shape: shape, input: x.baseAddress!, parameters: p0, reverse: false,
                                                        output: out.baseAddress!, outputGradient: dy.baseAddress!,
                                                        outputRowStride: shape.hiddenSize, buffers: training[0],
                                                        gradients: g0, inputGradient: dx.baseAddress!)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    #expect(output == inferenceOutput, "inference and training forwards differ")
    directions[0] = first
    if directions.count > 1 { directions[1] = second }
    return FusedLSTMRun(output: output, inputGradient: inputGradient, directions: directions)
}

/// Slices direction `direction` of `[B, T, D*H]` into `[B, T, H]`, or interleaves back.
func directionSlice(_ values: [Float], rows: Int, hidden: Int, directions: Int, direction: Int) -> [Float] {
    var slice = [Float](repeating: 0, count: rows * hidden)
    for row in 0..<rows {
        for j in 0..<hidden { slice[row * hidden + j] = values[row * directions * hidden + direction * hidden + j] }
    }
    return slice
}

@Suite("LSTMKernel")
struct LSTMKernelTests {
    static let randomShapes: [(shape: LSTMShape, directions: Int)] = [
        (LSTMShape(batch: 3, time: 7, inputSize: 5, hiddenSize: 4), 2),
        (LSTMShape(batch: 2, time: 9, inputSize: 13, hiddenSize: 19), 2),
        (LSTMShape(batch: 5, time: 4, inputSize: 7, hiddenSize: 33), 1),
        (LSTMShape(batch: 1, time: 1, inputSize: 3, hiddenSize: 16), 2),
        (LSTMShape(batch: 4, time: 11, inputSize: 1, hiddenSize: 32), 2),
    ]

    @Test(arguments: 0..<5)
    func fusedMatchesNaiveTwin(case index: Int) {
        let (shape, directionCount) = Self.randomShapes[index]
        var random = KernelTestRandom(seed: UInt64(100 + index))
        let input = random.array(shape.batch * shape.time * shape.inputSize, scale: 1.5)
        let directions = (0..<directionCount).map { _ in LSTMTestDirection.random(shape, &random) }
        let rows = shape.batch * shape.time
        let outputGradient = random.array(rows * directionCount * shape.hiddenSize)
        let fused = runFusedLSTM(shape: shape, input: input, directions: directions, outputGradient: outputGradient)
        var naiveInputGradient = [Float](repeating: 0, count: input.count)
        for direction in 0..<directionCount {
            let reverse = direction == 1
            let naive = LSTMKernel.Reference.forward(shape: shape, input: input, parameters: directions[direction].parameters,
                                                     reverse: reverse)
            let fusedOutput = directionSlice(fused.output, rows: rows, hidden: shape.hiddenSize,
                                             directions: directionCount, direction: direction)
            expectClose(fusedOutput, naive.output, rtol: 1e-5, "output of direction \(direction), \(shape)")
            let dy = directionSlice(outputGradient, rows: rows, hidden: shape.hiddenSize,
                                    directions: directionCount, direction: direction)
            let (gradients, inputGradient) = LSTMKernel.Reference.backward(
                shape: shape, input: input, parameters: directions[direction].parameters, reverse: reverse, outputGradient: dy)
            let fusedGradients = fused.directions[direction].gradients
            expectClose(fusedGradients.inputWeight, gradients.inputWeight, rtol: 1e-4, "dW_ih \(direction) \(shape)")
            expectClose(fusedGradients.hiddenWeight, gradients.hiddenWeight, rtol: 1e-4, "dW_hh \(direction) \(shape)")
            expectClose(fusedGradients.inputBias, gradients.inputBias, rtol: 1e-4, "db_ih \(direction) \(shape)")
            expectClose(fusedGradients.hiddenBias, gradients.hiddenBias, rtol: 1e-4, "db_hh \(direction) \(shape)")
            for k in naiveInputGradient.indices { naiveInputGradient[k] += inputGradient[k] }
        }
        expectClose(fused.inputGradient, naiveInputGradient, rtol: 1e-4, "dX \(shape)")
    }

    static func fixtureDirection(_ prefix: String, suffix: String) throws -> LSTMTestDirection {
        LSTMTestDirection(.init(
            inputWeight: try KernelFixture.load("\(prefix)_weight_ih_l0\(suffix)").floats,
            hiddenWeight: try KernelFixture.load("\(prefix)_weight_hh_l0\(suffix)").floats,
            inputBias: try KernelFixture.load("\(prefix)_bias_ih_l0\(suffix)").floats,
            hiddenBias: try KernelFixture.load("\(prefix)_bias_hh_l0\(suffix)").floats))
    }

    @Test(arguments: [("lstm_bi", 2), ("lstm_uni", 1)])
    func fusedAndNaiveMatchPyTorch(prefix: String, directionCount: Int) throws {
        let x = try KernelFixture.load("\(prefix)_x")
        let r = try KernelFixture.load("\(prefix)_r")
        let hidden = r.shape[2] / directionCount
        let shape = LSTMShape(batch: x.shape[0], time: x.shape[1], inputSize: x.shape[2], hiddenSize: hidden)
        let suffixes = ["", "_reverse"].prefix(directionCount)
        let directions = try suffixes.map { try Self.fixtureDirection(prefix, suffix: $0) }
        let fused = runFusedLSTM(shape: shape, input: x.floats, directions: directions, outputGradient: r.floats)
        let expectedOutput = try KernelFixture.load("\(prefix)_out").values
        expectClose(fused.output, expectedOutput, "\(prefix) fused output vs PyTorch")
        expectClose(fused.inputGradient, try KernelFixture.load("\(prefix)_dx").values, "\(prefix) fused dX vs PyTorch")
        let rows = shape.batch * shape.time
        var naiveInputGradient = [Float](repeating: 0, count: x.values.count)
        for (direction, suffix) in suffixes.enumerated() {
            let fusedGradients = fused.directions[direction].gradients
            let naive = LSTMKernel.Reference.forward(shape: shape, input: x.floats,
                                                     parameters: directions[direction].parameters, reverse: direction == 1)
            let expectedSlice = directionSlice(expectedOutput.map { Float($0) }, rows: rows, hidden: hidden,
                                               directions: directionCount, direction: direction)
            expectClose(naive.output, expectedSlice, "\(prefix) naive output \(direction) vs PyTorch")
            let dy = directionSlice(r.floats, rows: rows, hidden: hidden, directions: directionCount, direction: direction)
            let (naiveGradients, inputGradient) = LSTMKernel.Reference.backward(
                shape: shape, input: x.floats, parameters: directions[direction].parameters,
                reverse: direction == 1, outputGradient: dy)
            for k in naiveInputGradient.indices { naiveInputGradient[k] += inputGradient[k] }
            let names = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]
            let fusedValues = [fusedGradients.inputWeight, fusedGradients.hiddenWeight,
                               fusedGradients.inputBias, fusedGradients.hiddenBias]
            let naiveValues = [naiveGradients.inputWeight, naiveGradients.hiddenWeight,
                               naiveGradients.inputBias, naiveGradients.hiddenBias]
            for (index, name) in names.enumerated() {
                let expected = try KernelFixture.load("\(prefix)_grad_\(name)\(suffix)").values
                expectClose(fusedValues[index], expected, "\(prefix) fused grad \(name)\(suffix) vs PyTorch")
                expectClose(naiveValues[index], expected, "\(prefix) naive grad \(name)\(suffix) vs PyTorch")
            }
        }
        expectClose(naiveInputGradient, try KernelFixture.load("\(prefix)_dx").values, "\(prefix) naive dX vs PyTorch")
    }

    /// The backward accumulates into the gradient buffers (the autodiff convention), never overwrites.
    @Test func backwardAccumulatesIntoGradients() {
        let shape = LSTMShape(batch: 2, time: 5, inputSize: 3, hiddenSize: 6)
        var random = KernelTestRandom(seed: 400)
        let input = random.array(shape.batch * shape.time * shape.inputSize)
        let directions = (0..<2).map { _ in LSTMTestDirection.random(shape, &random) }
        let outputGradient = random.array(shape.batch * shape.time * 2 * shape.hiddenSize)
        let once = runFusedLSTM(shape: shape, input: input, directions: directions, outputGradient: outputGradient)
        let twice = runFusedLSTM(shape: shape, input: input, directions: once.directions, outputGradient: outputGradient)
        for direction in 0..<2 {
            let single = once.directions[direction].gradients, double = twice.directions[direction].gradients
            expectClose(double.inputWeight, single.inputWeight.map { 2 * $0 }, rtol: 1e-6, "dW_ih accumulates")
            expectClose(double.hiddenWeight, single.hiddenWeight.map { 2 * $0 }, rtol: 1e-6, "dW_hh accumulates")
            expectClose(double.inputBias, single.inputBias.map { 2 * $0 }, rtol: 1e-6, "db_ih accumulates")
            expectClose(double.hiddenBias, single.hiddenBias.map { 2 * $0 }, rtol: 1e-6, "db_hh accumulates")
        }
    }
}

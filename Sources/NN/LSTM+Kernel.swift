// The LSTM layer's autodiff op: LSTMKernel forward and backward wrapped as one recorded op.
import Foundation
import TensorCore

/// Forward and backward of the whole LSTM layer as one custom op (`Tensor.recordOp`).
enum LSTMOp {
    /// Kernel parameter pointers of one direction from its four dense weights (`[wIH, wHH, bIH, bHH]`).
    static func kernelParameters(_ weights: ArraySlice<Tensor>) -> LSTMParameters {
        directionPointers(weights) { LSTMParameters(inputWeight: $0, hiddenWeight: $1, inputBias: $2, hiddenBias: $3) }
    }

    /// Kernel gradient pointers of one direction from its four dense gradient accumulators.
    static func kernelGradients(_ gradients: ArraySlice<Tensor>) -> LSTMParameterGradients {
        directionPointers(gradients) {
            LSTMParameterGradients(inputWeight: $0, hiddenWeight: $1, inputBias: $2, hiddenBias: $3)
        }
    }

    /// Hands the base pointers of one direction's four dense tensors (`[wIH, wHH, bIH, bHH]` order)
    /// to `make`, indexing the slice from its own start (no copy).
    private static func directionPointers<Pointers>(
        _ tensors: ArraySlice<Tensor>,
        _ make: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
                 UnsafeMutablePointer<Float>) -> Pointers
    ) -> Pointers {
        let first = tensors.startIndex
        return make(tensors[first].basePointer, tensors[first + 1].basePointer, tensors[first + 2].basePointer,
                    tensors[first + 3].basePointer)
    }

    /// Runs the kernel forward for one or two directions into a new `[B, T, H or 2H]` tensor.
    static func run(shape: LSTMShape, input: Tensor, weights: [Tensor], buffers: [LSTMBuffers]) -> Tensor {
        let h = shape.hiddenSize
        let output = Tensor(uninitializedShape: [shape.batch, shape.time, buffers.count * h])
        if buffers.count == 2 {
            LSTMKernel.bidirectionalForward(
                shape: shape, input: input.basePointer,
                parameters: (kernelParameters(weights[0..<4]), kernelParameters(weights[4..<8])),
                output: output.basePointer, buffers: (buffers[0], buffers[1]))
        } else {
            LSTMKernel.forward(shape: shape, input: input.basePointer, parameters: kernelParameters(weights[0..<4]),
                               reverse: false, output: output.basePointer, outputRowStride: h, buffers: buffers[0])
        }
        return withExtendedLifetime((input, weights)) { output }
    }

    /// No-grad forward: `weights` are the layer's parameter values in state_dict order.
    static func inferenceForward(shape: LSTMShape, input: Tensor, weights: [Tensor], buffers: [LSTMBuffers]) -> Tensor {
        run(shape: shape, input: input, weights: weights.map(\.dense), buffers: buffers)
    }

    /// Grad-mode forward: keeps the activations in fresh training buffers owned by the recorded op.
    static func trainingForward(shape: LSTMShape, input: Tensor, weights: [Tensor], bidirectional: Bool,
                                pool: LSTMBufferPool) -> Tensor {
        let x = input.dense
        let denseWeights = weights.map(\.dense)
        let buffers = pool.take(shape: shape, directions: bidirectional ? 2 : 1)
        let output = run(shape: shape, input: x, weights: denseWeights, buffers: buffers)
        let consumed = ConsumedFlag()
        let inputNeedsGradient = input.requiresGrad
        return Tensor.recordOp(name: "lstm", output: output, inputs: [input] + weights) { outputGradient in
            guard !consumed.value else {
                throw NNError.invalidInput(layer: "LSTM backward",
                                           message: "the saved activations were consumed by an earlier backward; run the forward again")
            }
            consumed.value = true
            let gradY = outputGradient.dense
            let gradients = denseWeights.map { Tensor.zeros($0.shape) }
            let gradX = inputNeedsGradient ? Tensor.zeros(x.shape) : nil
            if bidirectional {
                LSTMKernel.bidirectionalBackward(
                    shape: shape, input: x.basePointer,
                    parameters: (kernelParameters(denseWeights[0..<4]), kernelParameters(denseWeights[4..<8])),
                    output: output.basePointer, outputGradient: gradY.basePointer,
                    buffers: (buffers[0], buffers[1]),
                    gradients: (kernelGradients(gradients[0..<4]), kernelGradients(gradients[4..<8])),
                    inputGradient: gradX?.basePointer)
            } else {
                LSTMKernel.backward(
                    shape: shape, input: x.basePointer, parameters: kernelParameters(denseWeights[0..<4]), reverse: false,
                    output: output.basePointer, outputGradient: gradY.basePointer, outputRowStride: shape.hiddenSize,
                    buffers: buffers[0], gradients: kernelGradients(gradients[0..<4]), inputGradient: gradX?.basePointer)
            }
            withExtendedLifetime((x, denseWeights, gradY, output)) {}
            pool.giveBack(buffers)
            return [gradX] + gradients
        }
    }
}

/// Training buffers of one LSTM layer that a finished backward no longer needs. A forward takes a
/// set of the right shape or allocates one; a backward gives its set back once it has consumed it.
/// Keeps at most one set (the training loop's steady state); locked, since a backward may run on
/// another thread than the next forward.
final class LSTMBufferPool: @unchecked Sendable {
    private let lock = NSLock()
    private var spare: [LSTMBuffers] = []

    func take(shape: LSTMShape, directions: Int) -> [LSTMBuffers] {
        lock.lock()
        defer { lock.unlock() }
        if spare.count == directions, spare.allSatisfy({ $0.shape == shape }) {
            let buffers = spare
            spare = []
            return buffers
        }
        return (0..<directions).map { _ in LSTMBuffers(shape: shape, training: true) }
    }

    func giveBack(_ buffers: [LSTMBuffers]) {
        lock.lock()
        defer { lock.unlock() }
        spare = buffers
    }
}

/// A mutable flag shared with a pullback closure.
final class ConsumedFlag: @unchecked Sendable {
    var value = false
}

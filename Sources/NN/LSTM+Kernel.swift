// The LSTM layer's autodiff op: LSTMKernel forward and backward wrapped as one recorded op.
import TensorCore

/// Forward and backward of the whole LSTM layer as one custom op (`Tensor.recordOp`).
enum LSTMOp {
    /// Kernel parameter pointers of one direction from its four dense weights (`[wIH, wHH, bIH, bHH]`).
    static func kernelParameters(_ weights: ArraySlice<Tensor>) -> LSTMParameters {
        let w = Array(weights)
        return LSTMParameters(inputWeight: w[0].basePointer, hiddenWeight: w[1].basePointer,
                              inputBias: w[2].basePointer, hiddenBias: w[3].basePointer)
    }

    /// Runs the kernel forward for one or two directions into a new `[B, T, H or 2H]` tensor.
    static func run(shape: LSTMShape, input: Tensor, weights: [Tensor], buffers: [LSTMBuffers]) -> Tensor {
        let h = shape.hiddenSize
        let output = Tensor.output([shape.batch, shape.time, buffers.count * h])
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
    static func trainingForward(shape: LSTMShape, input: Tensor, weights: [Tensor], bidirectional: Bool) -> Tensor {
        let x = input.dense
        let denseWeights = weights.map(\.dense)
        let buffers = (bidirectional ? [0, 1] : [0]).map { _ in LSTMBuffers(shape: shape, training: true) }
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
            let gradients = denseWeights.map { Tensor.accumulator($0.shape) }
            let gradX = inputNeedsGradient ? Tensor.accumulator(x.shape) : nil
            func kernelGradients(_ g: ArraySlice<Tensor>) -> LSTMParameterGradients {
                let w = Array(g)
                return LSTMParameterGradients(inputWeight: w[0].basePointer, hiddenWeight: w[1].basePointer,
                                              inputBias: w[2].basePointer, hiddenBias: w[3].basePointer)
            }
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
            return withExtendedLifetime((x, denseWeights, gradY, output, buffers)) { [gradX] + gradients }
        }
    }
}

/// A mutable flag shared with a pullback closure.
final class ConsumedFlag: @unchecked Sendable {
    var value = false
}

// LSTMKernel: fused single-layer LSTM forward/backward (uni- and bidirectional) on raw float32
// buffers, PyTorch semantics, plus its naive reference twin (LSTMKernel.Reference) used by the tests.
import CBLAS
import Foundation

/// Sizes of one LSTM layer call: input `x: [B, T, I]`, hidden size `H`, gates `[B, T, 4H]`.
public struct LSTMShape: Sendable, Equatable {
    public var batch: Int
    public var time: Int
    public var inputSize: Int
    public var hiddenSize: Int
    /// `4H`: the i, f, g, o gate blocks side by side.
    public var gateWidth: Int { 4 * hiddenSize }

    public init(batch: Int, time: Int, inputSize: Int, hiddenSize: Int) {
        self.batch = batch
        self.time = time
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
    }
}

/// One direction's parameters, PyTorch layout: `weight_ih [4H, I]`, `weight_hh [4H, H]`,
/// `bias_ih [4H]`, `bias_hh [4H]`, gate blocks in the order i, f, g, o.
public struct LSTMParameters: @unchecked Sendable {
    public var inputWeight: UnsafePointer<Float>
    public var hiddenWeight: UnsafePointer<Float>
    public var inputBias: UnsafePointer<Float>
    public var hiddenBias: UnsafePointer<Float>

    public init(inputWeight: UnsafePointer<Float>, hiddenWeight: UnsafePointer<Float>,
                inputBias: UnsafePointer<Float>, hiddenBias: UnsafePointer<Float>) {
        self.inputWeight = inputWeight
        self.hiddenWeight = hiddenWeight
        self.inputBias = inputBias
        self.hiddenBias = hiddenBias
    }
}

/// One direction's parameter gradients, same layouts as `LSTMParameters`; the backward
/// accumulates (`+=`) into them.
public struct LSTMParameterGradients: @unchecked Sendable {
    public var inputWeight: UnsafeMutablePointer<Float>
    public var hiddenWeight: UnsafeMutablePointer<Float>
    public var inputBias: UnsafeMutablePointer<Float>
    public var hiddenBias: UnsafeMutablePointer<Float>

    public init(inputWeight: UnsafeMutablePointer<Float>, hiddenWeight: UnsafeMutablePointer<Float>,
                inputBias: UnsafeMutablePointer<Float>, hiddenBias: UnsafeMutablePointer<Float>) {
        self.inputWeight = inputWeight
        self.hiddenWeight = hiddenWeight
        self.inputBias = inputBias
        self.hiddenBias = hiddenBias
    }
}

/// Per-direction buffers of one LSTM call, reusable across calls of the same shape.
///
/// `gates` holds each step's gate pre-activations: `[B, T, 4H]` for a training forward, where
/// they are then replaced by the gate activations (sigmoid i, f, o and tanh g), which the backward
/// overwrites in place with the pre-activation gate gradients; for an inference forward `[B, 4H]`
/// (one step, reused) when the input projection is fused into the step, else `[B, T, 4H]`.
/// `cells: [B, T, H]` holds every cell state after a training forward; an
/// inference forward keeps only a rolling `[B, H]` state.
/// Memory: training `B*T*5H` floats, inference `B*5H` (`B*T*4H + B*H` for `I` above
/// `LSTMKernel.fusedInputLimit`), plus the packed `[W_ih | W_hh]`
/// (`4H*(I+H)` floats, `H` rounded up to a multiple of 8) and a `B*(I+H)` scratch.
public final class LSTMBuffers: @unchecked Sendable {
    public let shape: LSTMShape
    public let training: Bool
    public let gates: UnsafeMutablePointer<Float>
    public let cells: UnsafeMutablePointer<Float>
    /// `[B, H]` scratch rows: the hidden- and cell-state gradients carried between backward steps.
    let hiddenCarry: UnsafeMutablePointer<Float>
    let cellCarry: UnsafeMutablePointer<Float>
    /// `[W_ih | W_hh]` packed for the per-step product, refilled by every forward call.
    let packedWeight: PackedRecurrentWeight
    /// `b_ih + b_hh: [4H]`, refilled by every forward call.
    let bias: UnsafeMutablePointer<Float>
    /// Scratch for the per-step product's k-interleaved copy of `[x_t, h_{t-1}]`.
    let panel: UnsafeMutablePointer<Float>
    /// Whether the input projection runs inside the per-step product (`I` up to
    /// `LSTMKernel.fusedInputLimit`) rather than as one GEMM over all steps beforehand.
    let fusesInputProjection: Bool

    /// Allocates the buffers for `shape`; `training` keeps every gate activation and cell state
    /// for the backward.
    public init(shape: LSTMShape, training: Bool) {
        self.shape = shape
        self.training = training
        fusesInputProjection = shape.inputSize <= LSTMKernel.fusedInputLimit
        let gateRows = training || !fusesInputProjection ? shape.batch * shape.time : shape.batch
        gates = .allocate(capacity: max(1, gateRows * shape.gateWidth))
        let cellRows = training ? shape.batch * shape.time : shape.batch
        cells = .allocate(capacity: max(1, cellRows * shape.hiddenSize))
        hiddenCarry = .allocate(capacity: max(1, shape.batch * shape.hiddenSize))
        cellCarry = .allocate(capacity: max(1, shape.batch * shape.hiddenSize))
        packedWeight = PackedRecurrentWeight(inputSize: fusesInputProjection ? shape.inputSize : 0,
                                             hiddenSize: shape.hiddenSize)
        bias = .allocate(capacity: max(1, shape.gateWidth))
        panel = .allocate(capacity: RecurrentProduct.panelCount(rows: shape.batch, weight: packedWeight))
    }

    deinit {
        gates.deallocate()
        cells.deallocate()
        hiddenCarry.deallocate()
        cellCarry.deallocate()
        bias.deallocate()
        panel.deallocate()
    }
}

/// Fused LSTM kernels (reference: `torch.nn.LSTM`, batch_first, zero initial state).
///
/// Forward per direction: `[W_ih | W_hh]` is packed once per call, then per time step one
/// `RecurrentProduct.gates` pass forms `b_ih + b_hh + x_t W_ih^T + h_{t-1} W_hh^T` for the B rows
/// (a register-blocked small-M product that OpenBLAS, re-packing its operand at every call,
/// cannot match at B = 19; for inputs wider than `fusedInputLimit` the `x W_ih^T` term is one
/// GEMM over all steps beforehand and only `W_hh` is packed) and one vectorised pass applies the non-linearities and the cell
/// update (`c = f*c' + i*g`, `h = o*tanh(c)`). Backward runs time backwards, fusing the gate
/// derivatives and carrying `dh` through one GEMM per step, then forms `dW_ih`, `dW_hh`
/// and `db` over all steps at once.
public enum LSTMKernel {
    /// Largest input size whose projection runs inside the per-step product. Larger inputs are
    /// projected by one OpenBLAS GEMM over all steps first, so that each step streams only
    /// `W_hh` (which stays in L2 up to `H` = 256) instead of `[W_ih | W_hh]`.
    public static let fusedInputLimit = 64

    // MARK: Bidirectional layer

    /// Bidirectional forward: `x: [B, T, I] -> output [B, T, 2H]` (`[forward, backward]` halves).
    /// The two directions run concurrently, one per core, with OpenBLAS single-threaded.
    /// `buffers` are the forward and backward directions' buffers (see `LSTMBuffers`).
    public static func bidirectionalForward(
        shape: LSTMShape, input: UnsafePointer<Float>,
        parameters: (forward: LSTMParameters, backward: LSTMParameters),
        output: UnsafeMutablePointer<Float>,
        buffers: (forward: LSTMBuffers, backward: LSTMBuffers)
    ) {
        let directions = [parameters.forward, parameters.backward]
        let directionBuffers = [buffers.forward, buffers.backward]
        let h = shape.hiddenSize
        KernelThreading.concurrentlyWithSingleThreadedBLAS(2) { direction in
            forward(shape: shape, input: input, parameters: directions[direction], reverse: direction == 1,
                    output: output + direction * h, outputRowStride: 2 * h, buffers: directionBuffers[direction])
        }
    }

    /// Bidirectional backward for `bidirectionalForward` (a training forward with the same buffers).
    /// `outputGradient: [B, T, 2H]`; accumulates into `gradients` and, when given,
    /// `inputGradient: [B, T, I]`. Overwrites both buffers' `gates`.
    public static func bidirectionalBackward(
        shape: LSTMShape, input: UnsafePointer<Float>,
        parameters: (forward: LSTMParameters, backward: LSTMParameters),
        output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
        buffers: (forward: LSTMBuffers, backward: LSTMBuffers),
        gradients: (forward: LSTMParameterGradients, backward: LSTMParameterGradients),
        inputGradient: UnsafeMutablePointer<Float>?
    ) {
        let directions = [parameters.forward, parameters.backward]
        let directionBuffers = [buffers.forward, buffers.backward]
        let directionGradients = [gradients.forward, gradients.backward]
        let h = shape.hiddenSize
        KernelThreading.concurrentlyWithSingleThreadedBLAS(2) { direction in
            backward(shape: shape, input: input, parameters: directions[direction], reverse: direction == 1,
                     output: output + direction * h, outputGradient: outputGradient + direction * h,
                     outputRowStride: 2 * h, buffers: directionBuffers[direction],
                     gradients: directionGradients[direction], inputGradient: nil)
        }
        // dX sums both directions: done after the join, with OpenBLAS on all threads again.
        if let inputGradient {
            for direction in 0..<2 {
                accumulateInputGradient(shape: shape, parameters: directions[direction],
                                        gateGradients: directionBuffers[direction].gates, inputGradient: inputGradient)
            }
        }
    }

    // MARK: One direction

    /// One direction's forward: `x: [B, T, I] -> h` written to `output` rows `(b, t)` at
    /// `output + (b*T + t) * outputRowStride` (`H` for a unidirectional layer, `2H` with an
    /// offset of `H` for a bidirectional layer's backward half). `reverse` runs time from `T-1`
    /// down to 0. Single-threaded (OpenBLAS, when used for a large input projection, with its
    /// current thread count).
    public static func forward(
        shape: LSTMShape, input: UnsafePointer<Float>, parameters: LSTMParameters, reverse: Bool,
        output: UnsafeMutablePointer<Float>, outputRowStride: Int, buffers: LSTMBuffers
    ) {
        precondition(buffers.shape == shape, "LSTMKernel.forward: buffers are for \(buffers.shape), call is \(shape)")
        let batch = shape.batch, time = shape.time, hidden = shape.hiddenSize, width = shape.gateWidth
        let rows = batch * time
        guard rows > 0, hidden > 0 else { return }
        let gates = buffers.gates, inputs = shape.inputSize, fused = buffers.fusesInputProjection
        for gate in 0..<width { buffers.bias[gate] = parameters.inputBias[gate] + parameters.hiddenBias[gate] }
        buffers.packedWeight.pack(inputWeight: parameters.inputWeight, hiddenWeight: parameters.hiddenWeight)
        let training = buffers.training
        // Fused: every step's gates come from the bias and [x_t, h_{t-1}]; training keeps them all
        // ([B, T, 4H]), inference one step's ([B, 4H]). Not fused: bias rows plus one GEMM over all
        // steps first, then each step adds h_{t-1} W_hh^T.
        let keepsAllSteps = training || !fused
        let gatesRowStride = keepsAllSteps ? time * width : width
        if !fused {
            (gates + 0).update(from: buffers.bias, count: width)
            for row in 1..<rows { (gates + row * width).update(from: gates, count: width) }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(width), Int32(inputs),
                        1, input, Int32(inputs), parameters.inputWeight, Int32(inputs), 1, gates, Int32(width))
        }
        for step in 0..<time {
            let t = reverse ? time - 1 - step : step
            let previousT = reverse ? t + 1 : t - 1
            let stepGates = keepsAllSteps ? gates + t * width : gates
            RecurrentProduct.gates(rows: batch, input: input + t * inputs, inputRowStride: time * inputs,
                                   hidden: step == 0 ? nil : UnsafePointer(output + previousT * outputRowStride),
                                   hiddenRowStride: time * outputRowStride, bias: fused ? buffers.bias : nil,
                                   gates: stepGates, gatesRowStride: gatesRowStride,
                                   weight: buffers.packedWeight, panel: buffers.panel)
            for b in 0..<batch {
                let row = b * time + t
                let cell = training ? buffers.cells + row * hidden : buffers.cells + b * hidden
                let previousCell: UnsafePointer<Float>? =
                    step == 0 ? nil : UnsafePointer(training ? buffers.cells + (b * time + previousT) * hidden : cell)
                cellForward(hidden: hidden, gates: stepGates + b * gatesRowStride, previousCell: previousCell,
                            cell: cell, hiddenState: output + row * outputRowStride, keepActivations: training)
            }
        }
    }

    /// The fused gate pass of one (b, t): activations, `c = f*c' + i*g`, `h = o*tanh(c)`.
    /// `cell` may alias `previousCell` (the inference rolling state).
    @inline(__always)
    static func cellForward(
        hidden: Int, gates: UnsafeMutablePointer<Float>, previousCell: UnsafePointer<Float>?,
        cell: UnsafeMutablePointer<Float>, hiddenState: UnsafeMutablePointer<Float>, keepActivations: Bool
    ) {
        var j = 0
        while j < hidden {
            let n = min(16, hidden - j)
            let inputGate = VectorMath.sigmoid(kernelLoadPartial16(gates + j, n))
            let forgetGate = VectorMath.sigmoid(kernelLoadPartial16(gates + hidden + j, n))
            let cellGate = VectorMath.tanh(kernelLoadPartial16(gates + 2 * hidden + j, n))
            let outputGate = VectorMath.sigmoid(kernelLoadPartial16(gates + 3 * hidden + j, n))
            var c = inputGate * cellGate
            if let previousCell { c += forgetGate * kernelLoadPartial16(previousCell + j, n) }
            let h = outputGate * VectorMath.tanh(c)
            kernelStorePartial16(c, cell + j, n)
            kernelStorePartial16(h, hiddenState + j, n)
            if keepActivations {
                kernelStorePartial16(inputGate, gates + j, n)
                kernelStorePartial16(forgetGate, gates + hidden + j, n)
                kernelStorePartial16(cellGate, gates + 2 * hidden + j, n)
                kernelStorePartial16(outputGate, gates + 3 * hidden + j, n)
            }
            j += 16
        }
    }

    /// One direction's backward after a training `forward` with the same arguments.
    /// `outputGradient` rows use the same `outputRowStride` as `output`. Accumulates into
    /// `gradients`; `inputGradient: [B, T, I]` (accumulated) may be nil. Overwrites
    /// `buffers.gates` with the pre-activation gate gradients `dG: [B, T, 4H]`.
    public static func backward(
        shape: LSTMShape, input: UnsafePointer<Float>, parameters: LSTMParameters, reverse: Bool,
        output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>, outputRowStride: Int,
        buffers: LSTMBuffers, gradients: LSTMParameterGradients, inputGradient: UnsafeMutablePointer<Float>?
    ) {
        precondition(buffers.shape == shape && buffers.training,
                     "LSTMKernel.backward: needs the training buffers of a forward for \(shape)")
        let batch = shape.batch, time = shape.time, hidden = shape.hiddenSize, width = shape.gateWidth
        guard batch * time > 0, hidden > 0 else { return }
        let gates = buffers.gates, cells = buffers.cells
        let hiddenCarry = buffers.hiddenCarry, cellCarry = buffers.cellCarry
        hiddenCarry.update(repeating: 0, count: batch * hidden)
        cellCarry.update(repeating: 0, count: batch * hidden)
        for step in stride(from: time - 1, through: 0, by: -1) {
            let t = reverse ? time - 1 - step : step
            let previousT = reverse ? t + 1 : t - 1
            for b in 0..<batch {
                let row = b * time + t
                let previousCell: UnsafePointer<Float>? =
                    step == 0 ? nil : UnsafePointer(cells + (b * time + previousT) * hidden)
                cellBackward(hidden: hidden, gates: gates + row * width, cell: cells + row * hidden,
                             previousCell: previousCell, outputGradient: outputGradient + row * outputRowStride,
                             hiddenCarry: hiddenCarry + b * hidden, cellCarry: cellCarry + b * hidden)
            }
            if step > 0 {
                // dh_{t-1} = dG_t [B, 4H] x W_hh [4H, H]
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(batch), Int32(hidden), Int32(width),
                            1, gates + t * width, Int32(time * width), parameters.hiddenWeight, Int32(hidden),
                            0, hiddenCarry, Int32(hidden))
            }
        }
        // dW_hh += sum_t dG_t^T h_{t-1}: per batch row one GEMM over its T-1 recurrent steps
        // (the step pairs are contiguous within a sequence, not across sequences).
        if time > 1 {
            let firstGateT = reverse ? 0 : 1
            let firstHiddenT = reverse ? 1 : 0
            for b in 0..<batch {
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(width), Int32(hidden), Int32(time - 1),
                            1, gates + (b * time + firstGateT) * width, Int32(width),
                            output + (b * time + firstHiddenT) * outputRowStride, Int32(outputRowStride),
                            1, gradients.hiddenWeight, Int32(hidden))
            }
        }
        // dW_ih += dG^T X over all B*T rows at once.
        if shape.inputSize > 0 {
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(width), Int32(shape.inputSize),
                        Int32(batch * time), 1, gates, Int32(width), input, Int32(shape.inputSize),
                        1, gradients.inputWeight, Int32(shape.inputSize))
        }
        columnSums(rows: batch * time, columns: width, matrix: gates,
                   into: gradients.inputBias, and: gradients.hiddenBias)
        if let inputGradient {
            accumulateInputGradient(shape: shape, parameters: parameters, gateGradients: gates,
                                    inputGradient: inputGradient)
        }
    }

    /// The fused backward of one (b, t): reads the activations in `gates`, writes the
    /// pre-activation gradients there, updates the carried `dh` (consumed) and `dc`.
    @inline(__always)
    static func cellBackward(
        hidden: Int, gates: UnsafeMutablePointer<Float>, cell: UnsafePointer<Float>,
        previousCell: UnsafePointer<Float>?, outputGradient: UnsafePointer<Float>,
        hiddenCarry: UnsafeMutablePointer<Float>, cellCarry: UnsafeMutablePointer<Float>
    ) {
        var j = 0
        while j < hidden {
            let n = min(16, hidden - j)
            let inputGate = kernelLoadPartial16(gates + j, n)
            let forgetGate = kernelLoadPartial16(gates + hidden + j, n)
            let cellGate = kernelLoadPartial16(gates + 2 * hidden + j, n)
            let outputGate = kernelLoadPartial16(gates + 3 * hidden + j, n)
            let c = kernelLoadPartial16(cell + j, n)
            let previousC = previousCell.map { kernelLoadPartial16($0 + j, n) } ?? SIMD16<Float>()
            let dh = kernelLoadPartial16(outputGradient + j, n) + kernelLoadPartial16(hiddenCarry + j, n)
            let tanhC = VectorMath.tanh(c)
            let dc = dh * outputGate * (1 - tanhC * tanhC) + kernelLoadPartial16(cellCarry + j, n)
            let dOutput = dh * tanhC * outputGate * (1 - outputGate)
            let dInput = dc * cellGate * inputGate * (1 - inputGate)
            let dForget = dc * previousC * forgetGate * (1 - forgetGate)
            let dCellGate = dc * inputGate * (1 - cellGate * cellGate)
            kernelStorePartial16(dc * forgetGate, cellCarry + j, n)
            kernelStorePartial16(dInput, gates + j, n)
            kernelStorePartial16(dForget, gates + hidden + j, n)
            kernelStorePartial16(dCellGate, gates + 2 * hidden + j, n)
            kernelStorePartial16(dOutput, gates + 3 * hidden + j, n)
            j += 16
        }
    }

    /// `dX [B*T, I] += dG [B*T, 4H] x W_ih [4H, I]` (one GEMM).
    public static func accumulateInputGradient(
        shape: LSTMShape, parameters: LSTMParameters, gateGradients: UnsafePointer<Float>,
        inputGradient: UnsafeMutablePointer<Float>
    ) {
        guard shape.inputSize > 0, shape.batch * shape.time > 0 else { return }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(shape.batch * shape.time),
                    Int32(shape.inputSize), Int32(shape.gateWidth), 1, gateGradients, Int32(shape.gateWidth),
                    parameters.inputWeight, Int32(shape.inputSize), 1, inputGradient, Int32(shape.inputSize))
    }

    /// Adds the column sums of `matrix [rows, columns]` to both `first` and `second`.
    static func columnSums(rows: Int, columns: Int, matrix: UnsafePointer<Float>,
                           into first: UnsafeMutablePointer<Float>, and second: UnsafeMutablePointer<Float>) {
        let sums = UnsafeMutablePointer<Float>.allocate(capacity: columns)
        defer { sums.deallocate() }
        sums.update(repeating: 0, count: columns)
        for row in 0..<rows {
            let source = matrix + row * columns
            var j = 0
            while j + 16 <= columns {
                kernelStore16(kernelLoad16(sums + j) + kernelLoad16(source + j), sums + j)
                j += 16
            }
            while j < columns { sums[j] += source[j]; j += 1 }
        }
        for j in 0..<columns {
            first[j] += sums[j]
            second[j] += sums[j]
        }
    }
}

// MARK: - Naive reference twin

extension LSTMKernel {
    /// The naive twin of the fused kernel: plain loops over arrays, no BLAS, libm `exp`/`tanh`,
    /// one direction at a time. Shapes and layouts as in `LSTMKernel`; output `[B, T, H]`.
    public enum Reference {
        /// One direction's parameters as arrays (`weight_ih [4H, I]`, `weight_hh [4H, H]`, biases `[4H]`).
        public struct Parameters: Sendable {
            public var inputWeight: [Float]
            public var hiddenWeight: [Float]
            public var inputBias: [Float]
            public var hiddenBias: [Float]

            public init(inputWeight: [Float], hiddenWeight: [Float], inputBias: [Float], hiddenBias: [Float]) {
                self.inputWeight = inputWeight
                self.hiddenWeight = hiddenWeight
                self.inputBias = inputBias
                self.hiddenBias = hiddenBias
            }
        }

        /// Forward: `x: [B, T, I] -> (output [B, T, H], activations [B, T, 4H], cells [B, T, H])`.
        public static func forward(shape: LSTMShape, input: [Float], parameters: Parameters, reverse: Bool)
            -> (output: [Float], activations: [Float], cells: [Float]) {
            let batch = shape.batch, time = shape.time, inputSize = shape.inputSize
            let hidden = shape.hiddenSize, width = shape.gateWidth
            var output = [Float](repeating: 0, count: batch * time * hidden)
            var activations = [Float](repeating: 0, count: batch * time * width)
            var cells = [Float](repeating: 0, count: batch * time * hidden)
            for b in 0..<batch {
                var h = [Float](repeating: 0, count: hidden)
                var c = [Float](repeating: 0, count: hidden)
                for step in 0..<time {
                    let t = reverse ? time - 1 - step : step
                    let row = b * time + t
                    var preactivation = [Float](repeating: 0, count: width)
                    for gate in 0..<width {
                        var sum = parameters.inputBias[gate] + parameters.hiddenBias[gate]
                        for k in 0..<inputSize { sum += parameters.inputWeight[gate * inputSize + k] * input[row * inputSize + k] }
                        for k in 0..<hidden { sum += parameters.hiddenWeight[gate * hidden + k] * h[k] }
                        preactivation[gate] = sum
                    }
                    for j in 0..<hidden {
                        let i = 1 / (1 + Foundation.exp(-preactivation[j]))
                        let f = 1 / (1 + Foundation.exp(-preactivation[hidden + j]))
                        let g = Foundation.tanh(preactivation[2 * hidden + j])
                        let o = 1 / (1 + Foundation.exp(-preactivation[3 * hidden + j]))
                        c[j] = f * c[j] + i * g
                        h[j] = o * Foundation.tanh(c[j])
                        activations[row * width + j] = i
                        activations[row * width + hidden + j] = f
                        activations[row * width + 2 * hidden + j] = g
                        activations[row * width + 3 * hidden + j] = o
                        cells[row * hidden + j] = c[j]
                        output[row * hidden + j] = h[j]
                    }
                }
            }
            return (output, activations, cells)
        }

        /// Backward of `forward` for `outputGradient: [B, T, H]`: returns the parameter gradients
        /// (same layouts) and `inputGradient: [B, T, I]`, by backpropagation through time.
        public static func backward(shape: LSTMShape, input: [Float], parameters: Parameters, reverse: Bool,
                                    outputGradient: [Float]) -> (gradients: Parameters, inputGradient: [Float]) {
            let batch = shape.batch, time = shape.time, inputSize = shape.inputSize
            let hidden = shape.hiddenSize, width = shape.gateWidth
            let (output, activations, cells) = forward(shape: shape, input: input, parameters: parameters, reverse: reverse)
            var gradients = Parameters(inputWeight: [Float](repeating: 0, count: width * inputSize),
                                       hiddenWeight: [Float](repeating: 0, count: width * hidden),
                                       inputBias: [Float](repeating: 0, count: width),
                                       hiddenBias: [Float](repeating: 0, count: width))
            var inputGradient = [Float](repeating: 0, count: batch * time * inputSize)
            for b in 0..<batch {
                var dhCarry = [Float](repeating: 0, count: hidden)
                var dcCarry = [Float](repeating: 0, count: hidden)
                for step in stride(from: time - 1, through: 0, by: -1) {
                    let t = reverse ? time - 1 - step : step
                    let previousT = reverse ? t + 1 : t - 1
                    let row = b * time + t
                    var dGate = [Float](repeating: 0, count: width)
                    for j in 0..<hidden {
                        let i = activations[row * width + j], f = activations[row * width + hidden + j]
                        let g = activations[row * width + 2 * hidden + j], o = activations[row * width + 3 * hidden + j]
                        let c = cells[row * hidden + j]
                        let previousC = step == 0 ? 0 : cells[(b * time + previousT) * hidden + j]
                        let dh = outputGradient[row * hidden + j] + dhCarry[j]
                        let tanhC = Foundation.tanh(c)
                        let dc = dh * o * (1 - tanhC * tanhC) + dcCarry[j]
                        dGate[j] = dc * g * i * (1 - i)
                        dGate[hidden + j] = dc * previousC * f * (1 - f)
                        dGate[2 * hidden + j] = dc * i * (1 - g * g)
                        dGate[3 * hidden + j] = dh * tanhC * o * (1 - o)
                        dcCarry[j] = dc * f
                    }
                    for gate in 0..<width {
                        gradients.inputBias[gate] += dGate[gate]
                        gradients.hiddenBias[gate] += dGate[gate]
                        for k in 0..<inputSize {
                            gradients.inputWeight[gate * inputSize + k] += dGate[gate] * input[row * inputSize + k]
                            inputGradient[row * inputSize + k] += dGate[gate] * parameters.inputWeight[gate * inputSize + k]
                        }
                        if step > 0 {
                            for k in 0..<hidden {
                                gradients.hiddenWeight[gate * hidden + k] +=
                                    dGate[gate] * output[(b * time + previousT) * hidden + k]
                            }
                        }
                    }
                    for k in 0..<hidden {
                        var sum: Float = 0
                        for gate in 0..<width { sum += dGate[gate] * parameters.hiddenWeight[gate * hidden + k] }
                        dhCarry[k] = sum
                    }
                }
            }
            return (gradients, inputGradient)
        }
    }
}

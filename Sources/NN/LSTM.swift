// LSTM: a single-layer, batch-first, uni- or bidirectional torch.nn.LSTM over the fused LSTMKernel.
import TensorCore

/// `x: [B, T, I] -> [B, T, H]` (unidirectional) or `[B, T, 2H]` (bidirectional, `[forward, backward]`
/// halves), zero initial state (`torch.nn.LSTM(I, H, batch_first=True, bidirectional=...)`, one layer,
/// returning only the output sequence).
///
/// Gates i, f, g, o; `c = f c' + i g`, `h = o tanh(c)`. Parameters per direction, in state_dict order:
/// `weight_ih_l0 [4H, I]`, `weight_hh_l0 [4H, H]`, `bias_ih_l0 [4H]`, `bias_hh_l0 [4H]`, then the same
/// with `_reverse`; all initialised `U(-1/sqrt(H), 1/sqrt(H))` like torch.
///
/// The whole layer is one autodiff op over the input and all weights, computed by `LSTMKernel`
/// (one input-projection GEMM, one recurrent GEMM per step, vectorised fused gates, the two
/// directions on the two cores). With grad mode on, the forward keeps the gate activations and
/// cell states for the backward (`B*T*5H` floats per direction); under `withNoGrad` it keeps
/// nothing and reuses the layer's inference buffers across calls (do not run one layer from two
/// threads at once). One backward per forward: the backward consumes the saved activations and
/// hands their buffers back to the layer for the next training forward (no fresh pages per step).
public final class LSTM: UnaryLayer {
    /// Input features `I`.
    public let inputSize: Int
    /// Hidden size `H` per direction.
    public let hiddenSize: Int
    /// Whether a reverse direction runs too (output `2H`).
    public let bidirectional: Bool
    /// Parameters of the forward direction and, when bidirectional, of the reverse direction.
    public let directions: [LSTMDirectionParameters]
    /// Training mode; change it with `train()` / `eval()`.
    public var isTraining = true
    /// Inference buffers of the last no-grad call, reused while the shape stays the same.
    private var inferenceBuffers: [LSTMBuffers] = []
    /// Training buffers handed back by finished backward passes, reused by later forwards.
    private let trainingBuffers = LSTMBufferPool()

    /// Creates the layer with torch's default initial values drawn from `generator`.
    public init(inputSize: Int, hiddenSize: Int, bidirectional: Bool = false, using generator: inout RandomStream) {
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.bidirectional = bidirectional
        let bound = Initialization.biasBound(fanIn: hiddenSize)
        directions = (bidirectional ? ["", "_reverse"] : [""]).map { suffix in
            LSTMDirectionParameters(
                inputWeight: Parameter(Initialization.uniform([4 * hiddenSize, inputSize], bound: bound, using: &generator),
                                       name: "weight_ih_l0" + suffix),
                hiddenWeight: Parameter(Initialization.uniform([4 * hiddenSize, hiddenSize], bound: bound, using: &generator),
                                        name: "weight_hh_l0" + suffix),
                inputBias: Parameter(Initialization.uniform([4 * hiddenSize], bound: bound, using: &generator),
                                     name: "bias_ih_l0" + suffix),
                hiddenBias: Parameter(Initialization.uniform([4 * hiddenSize], bound: bound, using: &generator),
                                      name: "bias_hh_l0" + suffix))
        }
    }

    /// Own parameters in state_dict order.
    public var parameters: [Parameter] { directions.flatMap(\.all) }
    /// The constructor as text.
    public var signature: String {
        "LSTM(\(inputSize), \(hiddenSize)\(bidirectional ? ", bidirectional" : ""))"
    }

    /// Output width: `H`, or `2H` when bidirectional.
    public var outputSize: Int { bidirectional ? 2 * hiddenSize : hiddenSize }

    /// `x: [B, T, I] -> [B, T, H or 2H]`.
    public func forward(_ input: Tensor) throws -> Tensor {
        guard input.rank == 3, input.shape[2] == inputSize else {
            throw NNError.shapeMismatch(layer: signature, expected: [-1, -1, inputSize], actual: input.shape)
        }
        let shape = LSTMShape(batch: input.shape[0], time: input.shape[1], inputSize: inputSize, hiddenSize: hiddenSize)
        let weights = parameters.map(\.value)
        if GradMode.isEnabled {
            return LSTMOp.trainingForward(shape: shape, input: input, weights: weights, bidirectional: bidirectional,
                                          pool: trainingBuffers)
        }
        if inferenceBuffers.first?.shape != shape {
            inferenceBuffers = directions.map { _ in LSTMBuffers(shape: shape, training: false) }
        }
        return LSTMOp.inferenceForward(shape: shape, input: input.dense, weights: weights, buffers: inferenceBuffers)
    }
}

/// One direction's four LSTM parameters (PyTorch layout, gate blocks i, f, g, o).
public struct LSTMDirectionParameters: Sendable {
    /// `weight_ih_l0[_reverse]: [4H, I]`.
    public let inputWeight: Parameter
    /// `weight_hh_l0[_reverse]: [4H, H]`.
    public let hiddenWeight: Parameter
    /// `bias_ih_l0[_reverse]: [4H]`.
    public let inputBias: Parameter
    /// `bias_hh_l0[_reverse]: [4H]`.
    public let hiddenBias: Parameter

    /// The four in state_dict order.
    public var all: [Parameter] { [inputWeight, hiddenWeight, inputBias, hiddenBias] }
}

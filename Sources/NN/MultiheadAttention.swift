// MultiheadAttention: torch.nn.MultiheadAttention (batch_first, need_weights, head-averaged weights).
import TensorCore

/// `query: [B, Tq, E], key: [B, Tk, E], value: [B, Tk, E] -> (output [B, Tq, E], weights [B, Tq, Tk])`
/// (`torch.nn.MultiheadAttention(E, NH, batch_first=True)` called with `need_weights=True`,
/// `average_attn_weights=True`, no masks, dropout 0).
///
/// `Q = query W_q^T + b_q`, `K = key W_k^T + b_k`, `V = value W_v^T + b_v` with
/// `[W_q; W_k; W_v] = in_proj_weight [3E, E]` and `in_proj_bias [3E]`; per head
/// `softmax(Q_h K_h^T / sqrt(E/NH)) V_h`; heads concatenated and projected by `out_proj` (a Linear
/// E -> E). `weights` is the softmax averaged over heads. State_dict keys: `in_proj_weight`,
/// `in_proj_bias`, `out_proj.weight`, `out_proj.bias`. Initialisation as torch: xavier_uniform
/// `in_proj_weight`, zero `in_proj_bias` and `out_proj.bias`, `out_proj.weight` as a Linear.
///
/// The projections are GEMMs through Tensor ops; the attention core is one fused autodiff op:
/// `LeadAttentionKernel` when `Tq == Tk <= 16` (e.g. the 12 lead tokens of every (b, t), `B = B*T`
/// groups, no per-group BLAS calls), otherwise `AttentionKernel` (never materialises per-head
/// score matrices, keeps only the head-averaged weights).
public final class MultiheadAttention: Layer {
    /// Embedding size `E`.
    public let embedSize: Int
    /// Number of heads `NH`.
    public let headCount: Int
    /// `in_proj_weight [3E, E]`: the query, key and value projections stacked.
    public let inputProjectionWeight: Parameter
    /// `in_proj_bias [3E]`.
    public let inputProjectionBias: Parameter
    /// `out_proj`: Linear(E, E).
    public let outputProjection: Linear
    /// Training mode; change it with `train()` / `eval()`.
    public var isTraining = true

    /// `embedSize` must be divisible by `headCount`.
    public init(embedSize: Int, headCount: Int, using generator: inout RandomStream) throws {
        guard headCount > 0, embedSize % headCount == 0 else {
            throw NNError.invalidArgument(layer: "MultiheadAttention",
                                          message: "embedSize \(embedSize) is not divisible by headCount \(headCount)")
        }
        self.embedSize = embedSize
        self.headCount = headCount
        inputProjectionWeight = Parameter(
            Initialization.xavierUniform([3 * embedSize, embedSize], fanIn: embedSize, fanOut: 3 * embedSize,
                                         using: &generator), name: "in_proj_weight")
        inputProjectionBias = Parameter(Tensor.zeros([3 * embedSize]), name: "in_proj_bias")
        let projection = Linear(inputSize: embedSize, outputSize: embedSize, using: &generator)
        if let bias = projection.bias { try bias.assign(Tensor.zeros([embedSize])) }
        outputProjection = projection
    }

    /// Own parameters in state_dict order.
    public var parameters: [Parameter] { [inputProjectionWeight, inputProjectionBias] }
    /// Child layers in state_dict order.
    public var children: [(name: String, layer: any Layer)] { [(name: "out_proj", layer: outputProjection)] }
    /// The constructor as text.
    public var signature: String { "MultiheadAttention(embed: \(embedSize), heads: \(headCount))" }

    /// `query: [B, Tq, E], key, value: [B, Tk, E] -> (output [B, Tq, E], weights [B, Tq, Tk])`.
    /// Both results are differentiable.
    public func forward(query: Tensor, key: Tensor, value: Tensor) throws -> (output: Tensor, weights: Tensor) {
        guard query.rank == 3, query.shape[2] == embedSize else {
            throw NNError.shapeMismatch(layer: signature + " query", expected: [-1, -1, embedSize], actual: query.shape)
        }
        guard key.rank == 3, key.shape[0] == query.shape[0], key.shape[2] == embedSize else {
            throw NNError.shapeMismatch(layer: signature + " key", expected: [query.shape[0], -1, embedSize], actual: key.shape)
        }
        guard value.shape == key.shape else {
            throw NNError.shapeMismatch(layer: signature + " value", expected: key.shape, actual: value.shape)
        }
        guard key.shape[1] > 0 else {
            throw NNError.invalidInput(layer: signature, message: "attention needs at least one key, got key shape \(describe(key.shape))")
        }
        let e = embedSize
        let weight = inputProjectionWeight.value, bias = inputProjectionBias.value
        func project(_ x: Tensor, _ block: Int) throws -> Tensor {
            try Tensor.linear(x, weight: weight.sliced(axis: 0, start: block * e, end: (block + 1) * e),
                              bias: bias.sliced(axis: 0, start: block * e, end: (block + 1) * e))
        }
        let (context, weights) = AttentionOp.apply(query: try project(query, 0), key: try project(key, 1),
                                                   value: try project(value, 2), heads: headCount)
        return (try outputProjection.forward(context), weights)
    }

    /// Same as `forward(query:key:value:)`.
    public func callAsFunction(query: Tensor, key: Tensor, value: Tensor) throws -> (output: Tensor, weights: Tensor) {
        try forward(query: query, key: key, value: value)
    }
}

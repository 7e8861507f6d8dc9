// Conv1d and ConvTranspose1d (torch.nn semantics and weight layouts, default initialisation).
import TensorCore

/// `x: [B, Cin, T] -> [B, Cout, (T + 2p - K) / s + 1]` (`torch.nn.Conv1d`, dilation 1, groups 1).
///
/// Parameters `weight [Cout, Cin, K]` (kaiming_uniform a = sqrt(5): `U(-1/sqrt(Cin K), 1/sqrt(Cin K))`)
/// and `bias [Cout]` (same bound).
public final class Conv1d: UnaryLayer {
    /// Input channels `Cin`.
    public let inputChannels: Int
    /// Output channels `Cout`.
    public let outputChannels: Int
    /// Kernel size `K`.
    public let kernelSize: Int
    /// Stride `s`.
    public let stride: Int
    /// Zero padding `p` on both ends.
    public let padding: Int
    /// The `weight` parameter (layout in the type's documentation).
    public let weight: Parameter
    /// The `bias` parameter, nil without bias.
    public let bias: Parameter?
    /// Training mode; change it with `train()` / `eval()`.
    public var isTraining = true

    /// Creates the value (defaults as in the type's documentation).
    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true, using generator: inout RandomStream) {
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        let fanIn = inputChannels * kernelSize
        weight = Parameter(Initialization.kaimingUniform([outputChannels, inputChannels, kernelSize], fanIn: fanIn,
                                                         using: &generator), name: "weight")
        self.bias = bias
            ? Parameter(Initialization.uniform([outputChannels], bound: Initialization.biasBound(fanIn: fanIn),
                                               using: &generator), name: "bias")
            : nil
    }

    /// Own parameters in state_dict order.
    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }
    /// The constructor as text.
    public var signature: String {
        "Conv1d(\(inputChannels), \(outputChannels), kernelSize: \(kernelSize), stride: \(stride), padding: \(padding))"
    }

    /// `x: [B, Cin, T] -> [B, Cout, T']`.
    public func forward(_ input: Tensor) throws -> Tensor {
        guard input.rank == 3, input.shape[1] == inputChannels else {
            throw NNError.shapeMismatch(layer: signature, expected: [-1, inputChannels, -1], actual: input.shape)
        }
        return try Tensor.conv1d(input, weight: weight.value, bias: bias?.value, stride: stride, padding: padding)
    }
}

/// `x: [B, Cin, T] -> [B, Cout, (T - 1) s - 2p + K + op]` (`torch.nn.ConvTranspose1d`, dilation 1,
/// groups 1).
///
/// Parameters `weight [Cin, Cout, K]` (torch's layout; kaiming_uniform with torch's fan-in for this
/// layout, `Cout K`: `U(-1/sqrt(Cout K), 1/sqrt(Cout K))`) and `bias [Cout]` (same bound).
public final class ConvTranspose1d: UnaryLayer {
    /// Input channels `Cin`.
    public let inputChannels: Int
    /// Output channels `Cout`.
    public let outputChannels: Int
    /// Kernel size `K`.
    public let kernelSize: Int
    /// Stride `s`.
    public let stride: Int
    /// Zero padding `p` on both ends.
    public let padding: Int
    /// Extra output length `op` on the right.
    public let outputPadding: Int
    /// The `weight` parameter (layout in the type's documentation).
    public let weight: Parameter
    /// The `bias` parameter, nil without bias.
    public let bias: Parameter?
    /// Training mode; change it with `train()` / `eval()`.
    public var isTraining = true

    /// Creates the value (defaults as in the type's documentation).
    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                outputPadding: Int = 0, bias: Bool = true, using generator: inout RandomStream) {
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
        // torch computes fan-in from weight.size(1) = Cout for transposed convolutions.
        let fanIn = outputChannels * kernelSize
        weight = Parameter(Initialization.kaimingUniform([inputChannels, outputChannels, kernelSize], fanIn: fanIn,
                                                         using: &generator), name: "weight")
        self.bias = bias
            ? Parameter(Initialization.uniform([outputChannels], bound: Initialization.biasBound(fanIn: fanIn),
                                               using: &generator), name: "bias")
            : nil
    }

    /// Own parameters in state_dict order.
    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }
    /// The constructor as text.
    public var signature: String {
        "ConvTranspose1d(\(inputChannels), \(outputChannels), kernelSize: \(kernelSize), stride: \(stride), "
            + "padding: \(padding), outputPadding: \(outputPadding))"
    }

    /// `x: [B, Cin, T] -> [B, Cout, T']`.
    public func forward(_ input: Tensor) throws -> Tensor {
        guard input.rank == 3, input.shape[1] == inputChannels else {
            throw NNError.shapeMismatch(layer: signature, expected: [-1, inputChannels, -1], actual: input.shape)
        }
        return try Tensor.convTranspose1d(input, weight: weight.value, bias: bias?.value, stride: stride,
                                          padding: padding, outputPadding: outputPadding)
    }
}

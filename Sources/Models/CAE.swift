// CAE: the thesis' convolutional autoencoder (three strided Conv1d down, three ConvTranspose1d up).
import NN
import TensorCore

/// `x: [B, L, T] -> reconstruction [B, L, T]`: the published convolutional autoencoder
/// (marcgarreta/12-lead-ECG-AD `src/models/cae.py`, models.md "CAE").
///
/// Encoder `Conv1d(L, 32, 7, s2, p3), ReLU, Conv1d(32, 64, 5, s2, p2), ReLU, Conv1d(64, 128, 3, s2, p1), ReLU`;
/// decoder `ConvT(128, 64, 3, s2, p1, op1), ReLU, ConvT(64, 32, 5, s2, p2, op1), ReLU, ConvT(32, L, 7, s2, p3, op1)`,
/// output cropped to `T`. Fully convolutional: any `T` works (the reference scores whole 5000-sample
/// records). State_dict keys `encoder.{0,2,4}.{weight,bias}`, `decoder.{0,2,4}.{weight,bias}`.
public final class CAE: AnomalyModel {
    /// The configuration this model was built from.
    public let configuration: ModelConfiguration
    /// `encoder`: three Conv1d + ReLU, `[B, L, T] -> [B, 128, ceil(T/8)]`.
    public let encoder: Sequential
    /// `decoder`: three ConvTranspose1d (ReLU between), `[B, 128, T'] -> [B, L, 8 T']`.
    public let decoder: Sequential
    /// Training mode (the CAE has no dropout or noise; kept for the Layer protocol).
    public var isTraining = true

    /// A freshly initialised CAE (torch default initialisation drawn from `seed`).
    public init(configuration: ModelConfiguration = ModelConfiguration(kind: .cae), seed: UInt64 = 0) throws {
        try configuration.validate()
        self.configuration = configuration
        var generator = RandomStream(seed: seed, stream: "cae")
        let leads = configuration.leads
        encoder = Sequential([
            Conv1d(inputChannels: leads, outputChannels: 32, kernelSize: 7, stride: 2, padding: 3, using: &generator), ReLU(),
            Conv1d(inputChannels: 32, outputChannels: 64, kernelSize: 5, stride: 2, padding: 2, using: &generator), ReLU(),
            Conv1d(inputChannels: 64, outputChannels: 128, kernelSize: 3, stride: 2, padding: 1, using: &generator), ReLU(),
        ])
        decoder = Sequential([
            ConvTranspose1d(inputChannels: 128, outputChannels: 64, kernelSize: 3, stride: 2, padding: 1,
                            outputPadding: 1, using: &generator), ReLU(),
            ConvTranspose1d(inputChannels: 64, outputChannels: 32, kernelSize: 5, stride: 2, padding: 2,
                            outputPadding: 1, using: &generator), ReLU(),
            ConvTranspose1d(inputChannels: 32, outputChannels: leads, kernelSize: 7, stride: 2, padding: 3,
                            outputPadding: 1, using: &generator),
        ])
    }

    public var children: [(name: String, layer: any Layer)] { [("encoder", encoder), ("decoder", decoder)] }
    public var signature: String { "CAE(leads: \(configuration.leads))" }

    /// `x: [B, L, T] -> [B, 128, ceil(T/8)]`, the code after the third ReLU.
    public func encode(_ x: Tensor) throws -> Tensor {
        guard x.rank == 3, x.shape[1] == configuration.leads, x.shape[2] > 0 else {
            throw ModelsError.shapeMismatch(model: "CAE", expected: [-1, configuration.leads, -1], actual: x.shape)
        }
        return try encoder.forward(x)
    }

    /// `x: [B, L, T] -> reconstruction [B, L, T]` (decoder output cropped to `T`).
    public func forward(_ x: Tensor) throws -> Tensor {
        let decoded = try decoder.forward(try encode(x))
        return try decoded.sliced(axis: 2, start: 0, end: x.shape[2])
    }

    /// Same as `forward(_:)`.
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try forward(x) }

    /// Training loss: mean squared error between `x: [B, L, T]` and its reconstruction (rank 0).
    public func loss(_ x: Tensor) throws -> Tensor {
        try Losses.meanSquaredError(try forward(x), x)
    }
}

// Training-only regularisers: Dropout (torch.nn.Dropout) and additive GaussianNoise (the reference VAEs').
import TensorCore

/// Inverted dropout (`torch.nn.Dropout(p)`): in training mode zeroes each element with probability
/// `p` and scales the rest by `1/(1-p)`; identity in evaluation mode. Any shape.
///
/// The mask comes from the layer's own `generator` (seeded at construction), so a fixed seed gives
/// a fixed sequence of masks.
public final class Dropout: UnaryLayer {
    /// Drop probability `p`.
    public let probability: Float
    /// The stream the masks are drawn from; replace it to reseed.
    public var generator: RandomStream
    /// Training mode; change it with `train()` / `eval()`.
    public var isTraining = true

    /// `probability` in [0, 1).
    public init(probability: Float, generator: RandomStream = RandomStream(seed: 0, stream: "dropout")) throws {
        guard probability >= 0 && probability < 1 else {
            throw NNError.invalidArgument(layer: "Dropout", message: "probability must be in [0, 1), got \(probability)")
        }
        self.probability = probability
        self.generator = generator
    }

    /// The constructor as text.
    public var signature: String { "Dropout(p: \(probability))" }

    /// Applies the layer (shape contract in the type's documentation).
    public func forward(_ input: Tensor) throws -> Tensor {
        guard isTraining, probability > 0 else { return input }
        return try input.dropout(probability: probability, using: &generator)
    }
}

/// Additive Gaussian noise `x + sigma * N(0, 1)` in training mode, identity in evaluation mode
/// (the reference VAEs' `GaussianNoise(std)` input layer). Any shape; the gradient passes through.
public final class GaussianNoise: UnaryLayer {
    /// Noise standard deviation `sigma`.
    public let standardDeviation: Float
    /// The stream the noise is drawn from; replace it to reseed.
    public var generator: RandomStream
    /// Training mode; change it with `train()` / `eval()`.
    public var isTraining = true

    /// Creates the value (defaults as in the type's documentation).
    public init(standardDeviation: Float, generator: RandomStream = RandomStream(seed: 0, stream: "noise")) {
        self.standardDeviation = standardDeviation
        self.generator = generator
    }

    /// The constructor as text.
    public var signature: String { "GaussianNoise(sigma: \(standardDeviation))" }

    /// Applies the layer (shape contract in the type's documentation).
    public func forward(_ input: Tensor) throws -> Tensor {
        guard isTraining, standardDeviation != 0 else { return input }
        return try input + Tensor.randn(input.shape, using: &generator) * standardDeviation
    }
}

// PyTorch's default initialisers (torch.nn.init) drawn from a seeded RandomStream.
import Foundation
import TensorCore

/// Initial parameter values with PyTorch's default distributions (`torch.nn.init`), drawn from a
/// `RandomStream` (same seed, same values; not the same numbers as torch's generator).
public enum Initialization {
    /// `kaiming_uniform_(w, a)`: `U(-b, b)` with `b = sqrt(3) * sqrt(2 / (1 + a^2)) / sqrt(fanIn)`.
    /// With torch's layer default `a = sqrt(5)` this is `b = 1 / sqrt(fanIn)`.
    public static func kaimingUniform(_ shape: [Int], fanIn: Int, a: Double = 5.0.squareRoot(),
                                      using generator: inout RandomStream) -> Tensor {
        let gain = (2 / (1 + a * a)).squareRoot()
        let bound = 3.0.squareRoot() * gain / Double(max(fanIn, 1)).squareRoot()
        return uniform(shape, bound: Float(bound), using: &generator)
    }

    /// `xavier_uniform_(w)`: `U(-b, b)` with `b = gain * sqrt(6 / (fanIn + fanOut))`.
    public static func xavierUniform(_ shape: [Int], fanIn: Int, fanOut: Int, gain: Double = 1,
                                     using generator: inout RandomStream) -> Tensor {
        let bound = gain * (6 / Double(max(fanIn + fanOut, 1))).squareRoot()
        return uniform(shape, bound: Float(bound), using: &generator)
    }

    /// `U(-bound, bound)`, e.g. Linear/Conv biases (`bound = 1/sqrt(fanIn)`) and LSTM weights
    /// (`bound = 1/sqrt(H)`).
    public static func uniform(_ shape: [Int], bound: Float, using generator: inout RandomStream) -> Tensor {
        Tensor.uniform(shape, low: -bound, high: bound, using: &generator)
    }

    /// The bias bound torch's Linear/Conv use: `1 / sqrt(fanIn)` (0 when `fanIn` is 0).
    public static func biasBound(fanIn: Int) -> Float {
        fanIn > 0 ? 1 / Float(fanIn).squareRoot() : 0
    }
}

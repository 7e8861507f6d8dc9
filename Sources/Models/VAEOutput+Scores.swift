// Bridges the VAE forward outputs to the flat per-window arrays that WindowScores scores.
import TensorCore

extension VAEOutput {
    /// The outputs for windows `input: [N, T, L]` as `VAEWindowOutputs` (flat, row-major), ready for
    /// `WindowScores.scores(_:method:)`; carries the temporal attention when the model has it.
    public func windowOutputs(input: Tensor) throws -> VAEWindowOutputs {
        try packWindowOutputs(source: "VAEOutput.windowOutputs input", input: input, xMean: xMean,
                              xLogVariance: xLogVariance, mu: mu, logVariance: logVariance, attention: attention)
    }
}

extension MAVAEOutput {
    /// The outputs for windows `input: [N, T, L]` as `VAEWindowOutputs`, with the temporal attention.
    public func windowOutputs(input: Tensor) throws -> VAEWindowOutputs {
        try packWindowOutputs(source: "MAVAEOutput.windowOutputs input", input: input, xMean: xMean,
                              xLogVariance: xLogVariance, mu: mu, logVariance: logVariance, attention: attention)
    }
}

/// Checks `input: [N, T, L]` against the reconstruction mean and packs the forward outputs as flat
/// `VAEWindowOutputs`; `source` names the caller in the shape-mismatch error.
func packWindowOutputs(source: String, input: Tensor, xMean: Tensor, xLogVariance: Tensor, mu: Tensor,
                       logVariance: Tensor, attention: Tensor?) throws -> VAEWindowOutputs {
    guard input.shape == xMean.shape, input.rank == 3 else {
        throw ModelsError.shapeMismatch(model: source, expected: xMean.shape, actual: input.shape)
    }
    return VAEWindowOutputs(windowCount: input.shape[0], timeSteps: input.shape[1], leads: input.shape[2],
                            latent: mu.shape[2], input: input.scalars, mean: xMean.scalars,
                            logVariance: xLogVariance.scalars, latentMean: mu.scalars,
                            latentLogVariance: logVariance.scalars, attention: attention?.scalars)
}

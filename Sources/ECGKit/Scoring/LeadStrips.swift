// The dashboard's per-lead attention strips (models.md): each lead alone (the other leads zeroed),
// short windows, temporal attention reduced per window and overlap-averaged. A batched version and
// its straightforward per-lead twin, which the tests compare.
import Signal
import TensorCore

enum LeadStrips {
    /// Windows per forward pass of the batched strips: 4 leads of 99 windows at the reference sizes,
    /// which bounds the attention scores the kernel materialises (windows x heads x Tw x Tw floats).
    static let windowsPerPass = 396

    /// `input: [L, T] -> strips [L, T]`, all L x S single-lead windows batched into passes of at most
    /// `windowsPerPass` windows through the attention path alone (the weights do not depend on the latent
    /// path; see `ModelAdapter.temporalAttentionWeights`).
    static func batched(_ adapter: ModelAdapter, input: [Float], leads: Int, steps: Int,
                        options: ScoringOptions) throws -> Tensor {
        let length = options.stripWindow
        let paddedSteps = max(steps, length)
        let starts = Windowing.windowStarts(samples: paddedSteps, window: length, stride: options.stripStride)
        let perLead = starts.count
        let total = leads * perLead
        var reduced = [Float](repeating: 0, count: total * length)
        var first = 0
        while first < total {
            let count = min(windowsPerPass, total - first)
            var values = [Float](repeating: 0, count: count * length * leads)
            for item in 0..<count {
                let (lead, window) = ((first + item) / perLead, (first + item) % perLead)
                let start = starts[window]
                for offset in 0..<length where start + offset < steps {
                    values[(item * length + offset) * leads + lead] = input[lead * steps + start + offset]
                }
            }
            let batch = try Tensor(shape: [count, length, leads], scalars: values)
            guard let weights = try withNoGrad({ try adapter.temporalAttentionWeights(batch) }) else {
                throw ScoringError.invalidOption("\(adapter.model.signature) has no temporal attention for lead strips")
            }
            let profiles = reduce(weights.scalars, windows: count, length: length, reduction: options.stripReduction)
            for index in profiles.indices { reduced[first * length + index] = profiles[index] }
            first += count
        }
        return try assemble(reduced, leads: leads, perLead: perLead, length: length, stride: options.stripStride,
                            paddedSteps: paddedSteps, steps: steps)
    }

    /// The straightforward twin of `batched`: lead by lead, zero the other leads, cut the windows and run
    /// the whole model (z = mu) on them, taking the attention it returns (the reference dashboard's loop).
    static func perLeadReference(_ adapter: ModelAdapter, input: [Float], leads: Int, steps: Int,
                                 options: ScoringOptions) throws -> Tensor {
        let length = options.stripWindow
        let paddedSteps = max(steps, length)
        let starts = Windowing.windowStarts(samples: paddedSteps, window: length, stride: options.stripStride)
        var reduced: [Float] = []
        for lead in 0..<leads {
            var single = [Float](repeating: 0, count: leads * paddedSteps)
            for t in 0..<steps { single[lead * paddedSteps + t] = input[lead * steps + t] }
            let cut = try Windowing.extract(single, leads: leads, window: length, stride: options.stripStride,
                                            layout: .timeByLeads)
            let windows = try Tensor(shape: [cut.count, length, leads], scalars: cut.windows)
            var generator = RandomStream(seed: 0)
            let forward = try withNoGrad { try adapter.variationalOutputs(windows, using: &generator, sampleLatent: false) }
            guard let attention = forward?.outputs.attention else {
                throw ScoringError.invalidOption("\(adapter.model.signature) has no temporal attention for lead strips")
            }
            reduced += reduce(attention, windows: starts.count, length: length, reduction: options.stripReduction)
        }
        return try assemble(reduced, leads: leads, perLead: starts.count, length: length, stride: options.stripStride,
                            paddedSteps: paddedSteps, steps: steps)
    }

    /// `weights: [N, Tw, Tw] -> [N, Tw]`: per window either the mean over queries of each key column, or
    /// the mean of all weights repeated over the window.
    static func reduce(_ weights: [Float], windows: Int, length: Int,
                       reduction: ScoringOptions.StripReduction) -> [Float] {
        var output = [Float](repeating: 0, count: windows * length)
        for window in 0..<windows {
            let base = window * length * length
            var columns = [Double](repeating: 0, count: length)
            for query in 0..<length {
                for key in 0..<length { columns[key] += Double(weights[base + query * length + key]) }
            }
            switch reduction {
            case .perPosition:
                for key in 0..<length { output[window * length + key] = Float(columns[key] / Double(length)) }
            case .windowMean:
                let mean = columns.reduce(0, +) / Double(length * length)
                for key in 0..<length { output[window * length + key] = Float(mean) }
            }
        }
        return output
    }

    /// `profiles: [L, S, Tw] -> [L, T]`: overlap-average each lead's window profiles over the time axis,
    /// cropped back to the record's `steps`.
    static func assemble(_ profiles: [Float], leads: Int, perLead: Int, length: Int, stride: Int, paddedSteps: Int,
                         steps: Int) throws -> Tensor {
        var strips = [Float](repeating: 0, count: leads * steps)
        for lead in 0..<leads {
            let slice = Array(profiles[(lead * perLead * length)..<((lead + 1) * perLead * length)])
            let averaged = try Windowing.overlapAverage(slice, leads: 1, window: length, stride: stride,
                                                        samples: paddedSteps, layout: .leadsByTime)
            for t in 0..<steps { strips[lead * steps + t] = averaged[t] }
        }
        return try Tensor(shape: [leads, steps], scalars: strips)
    }
}

// LayerBench: the NN layers (BiLSTM, MultiheadAttention, lead attention) through autodiff, next to
// their raw kernels (KernelBench); compare with scripts/bench/torch_layers.py.
import NN
import TensorCore

/// Usage: `ecgs-bench layers [lstm] [lstm-large] [mha] [lead] [raw] [--reps N]` (no case names:
/// all but `lstm-large`; `raw` adds the kernels' own timings for the same shapes). Prints one line
/// per case: median and minimum wall milliseconds, GFLOP/s at the minimum, minimum process CPU
/// milliseconds (the work done, which a busy machine's waiting does not inflate). "fwd" runs under
/// `withNoGrad`; "fwd+bwd" records the graph and backpropagates a fixed random seed into the
/// input and every parameter.
enum LayerBench {
    static func run(_ args: [String]) throws {
        var names: Set<String> = []
        var repetitions: Int?
        var index = 0
        let known = ["lstm", "lstm-large", "mha", "lead", "raw"]
        while index < args.count {
            if args[index] == "--reps" {
                guard index + 1 < args.count, let value = Int(args[index + 1]), value > 0 else {
                    throw KernelBench.UsageError(description: "layers: --reps expects a positive integer")
                }
                repetitions = value
                index += 2
                continue
            }
            guard known.contains(args[index]) else {
                throw KernelBench.UsageError(description: "layers: unknown case '\(args[index])', expected one of \(known)")
            }
            names.insert(args[index])
            index += 1
        }
        let all = names.subtracting(["raw"]).isEmpty
        let raw = names.contains("raw")
        KernelBench.emit("case | shape | median ms | min ms | GFLOP/s at min | min CPU ms")
        if all || names.contains("lstm") {
            for (input, hidden) in [(12, 64), (128, 32)] {
                for training in [false, true] {
                    try lstm(batch: 64, time: 500, input: input, hidden: hidden, training: training, repetitions ?? 7)
                    if raw { KernelBench.lstm(batch: 64, time: 500, input: input, hidden: hidden, training: training,
                                              repetitions ?? 7) }
                }
            }
        }
        if names.contains("lstm-large") {
            for training in [false, true] {
                try lstm(batch: 64, time: 500, input: 512, hidden: 512, training: training, repetitions ?? 1)
                if raw { KernelBench.lstm(batch: 64, time: 500, input: 512, hidden: 512, training: training,
                                          repetitions ?? 1) }
            }
        }
        if all || names.contains("mha") {
            for training in [false, true] {
                try attention(batch: 64, time: 500, embed: 64, heads: 8, training: training, repetitions ?? 5)
                if raw { KernelBench.attention(batch: 64, time: 500, embed: 64, heads: 8, training: training,
                                               repetitions ?? 5) }
            }
        }
        if all || names.contains("lead") {
            for training in [false, true] {
                try lead(groups: 64 * 500, embed: 16, training: training, repetitions ?? 7)
                if raw { KernelBench.lead(groups: 64 * 500, embed: 16, training: training, repetitions ?? 7) }
            }
        }
    }

    /// Times `body`, rethrowing its first error.
    static func time(_ repetitions: Int, _ body: () throws -> Void) throws -> KernelBench.Timing {
        var failure: Error?
        let result = KernelBench.median(repetitions) {
            do { try body() } catch { failure = error }
        }
        if let failure { throw failure }
        return result
    }

    static func lstm(batch: Int, time steps: Int, input: Int, hidden: Int, training: Bool, _ repetitions: Int) throws {
        var generator = RandomStream(seed: 1, stream: "layer bench lstm")
        let layer = LSTM(inputSize: input, hiddenSize: hidden, bidirectional: true, using: &generator)
        var x = Tensor.randn([batch, steps, input], using: &generator)
        let seed = Tensor.randn([batch, steps, 2 * hidden], using: &generator)
        let ms: KernelBench.Timing
        if training {
            x.requiresGrad = true
            ms = try time(repetitions) {
                layer.zeroGrad()
                x.zeroGrad()
                try layer(x).backward(seed)
            }
        } else {
            ms = try time(repetitions) { _ = try withNoGrad { try layer(x) } }
        }
        let forwardFlops = 2.0 * 2 * Double(batch * steps) * Double(4 * hidden) * Double(input + hidden)
        KernelBench.report(training ? "LSTM layer fwd+bwd" : "LSTM layer fwd",
                           "[\(batch), \(steps), \(input)] -> \(hidden) x2", ms,
                           flops: training ? 3 * forwardFlops : forwardFlops)
    }

    static func attention(batch: Int, time steps: Int, embed: Int, heads: Int, training: Bool, _ repetitions: Int) throws {
        var generator = RandomStream(seed: 2, stream: "layer bench mha")
        let layer = try MultiheadAttention(embedSize: embed, headCount: heads, using: &generator)
        var queryKey = Tensor.randn([batch, steps, embed], using: &generator)
        var value = Tensor.randn([batch, steps, embed], using: &generator)
        let outputSeed = Tensor.randn([batch, steps, embed], using: &generator)
        let ms: KernelBench.Timing
        if training {
            queryKey.requiresGrad = true
            value.requiresGrad = true
            ms = try time(repetitions) {
                layer.zeroGrad()
                queryKey.zeroGrad()
                value.zeroGrad()
                let result = try layer(query: queryKey, key: queryKey, value: value)
                // As in the models: the weights are returned but the loss does not use them.
                try result.output.backward(outputSeed)
            }
        } else {
            ms = try time(repetitions) { _ = try withNoGrad { try layer(query: queryKey, key: queryKey, value: value) } }
        }
        // Core 4 T^2 E per batch, plus 4 projections of 2 T E^2 each.
        let forwardFlops = 4.0 * Double(batch) * Double(steps * steps) * Double(embed)
            + 8.0 * Double(batch * steps) * Double(embed * embed)
        KernelBench.report(training ? "MHA layer fwd+bwd" : "MHA layer fwd", "[\(batch), \(steps), \(embed)] \(heads) heads",
                           ms, flops: training ? 3 * forwardFlops : forwardFlops)
    }

    static func lead(groups: Int, embed: Int, training: Bool, _ repetitions: Int) throws {
        var generator = RandomStream(seed: 3, stream: "layer bench lead")
        let layer = try MultiheadAttention(embedSize: embed, headCount: 4, using: &generator)
        var tokens = Tensor.randn([groups, 12, embed], using: &generator)
        let outputSeed = Tensor.randn([groups, 12, embed], using: &generator)
        let ms: KernelBench.Timing
        if training {
            tokens.requiresGrad = true
            ms = try time(repetitions) {
                layer.zeroGrad()
                tokens.zeroGrad()
                let result = try layer(query: tokens, key: tokens, value: tokens)
                try result.output.backward(outputSeed)
            }
        } else {
            ms = try time(repetitions) { _ = try withNoGrad { try layer(query: tokens, key: tokens, value: tokens) } }
        }
        let forwardFlops = 4.0 * Double(groups) * 144 * Double(embed) + 8.0 * Double(groups * 12) * Double(embed * embed)
        KernelBench.report(training ? "lead attention layer fwd+bwd" : "lead attention layer fwd",
                           "[\(groups), 12, \(embed)] 4 heads", ms, flops: training ? 3 * forwardFlops : forwardFlops)
    }
}

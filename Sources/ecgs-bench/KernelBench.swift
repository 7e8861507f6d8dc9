// KernelBench: timings of the fused kernels (BiLSTM, temporal and lead attention) and of the
// machine's sgemm peak, at the reference model shapes; compare with scripts/bench/torch_kernels.py.
import CBLAS
import Dispatch
import Foundation
import TensorCore

/// Usage: `ecgs-bench kernels [peak] [recurrent] [lstm] [lstm-infer] [lstm-large] [mha] [lead] [--reps N]`
/// (no names: everything). Prints one line per case: median and minimum wall milliseconds, GFLOP/s at the minimum, minimum process CPU milliseconds.
enum KernelBench {
    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    static func run(_ args: [String]) throws {
        var names: Set<String> = []
        var repetitions: Int?
        var index = 0
        while index < args.count {
            if args[index] == "--reps" {
                guard index + 1 < args.count, let value = Int(args[index + 1]), value > 0 else {
                    throw UsageError(description: "kernels: --reps expects a positive integer")
                }
                repetitions = value
                index += 2
                continue
            }
            let known = ["peak", "recurrent", "lstm", "lstm-infer", "lstm-large", "mha", "lead"]
            guard known.contains(args[index]) else {
                throw UsageError(description: "kernels: unknown case '\(args[index])', expected one of \(known)")
            }
            names.insert(args[index])
            index += 1
        }
        let all = names.isEmpty
        emit("case | shape | median ms | min ms | GFLOP/s at min | min CPU ms")
        if all || names.contains("peak") { peak(repetitions ?? 5) }
        if all || names.contains("recurrent") { recurrent(repetitions ?? 7) }
        if all || names.contains("lstm-infer") {
            // One record's 19 windows through the VAE-BiLSTM encoders (reference and small presets).
            lstm(batch: 19, time: 500, input: 12, hidden: 512, training: false, repetitions ?? 5)
            lstm(batch: 19, time: 500, input: 12, hidden: 64, training: false, repetitions ?? 7)
            lstm(batch: 19, time: 500, input: 128, hidden: 32, training: false, repetitions ?? 7)
        }
        if all || names.contains("lstm") {
            lstm(batch: 64, time: 500, input: 12, hidden: 64, training: false, repetitions ?? 7)
            lstm(batch: 64, time: 500, input: 12, hidden: 64, training: true, repetitions ?? 7)
            lstm(batch: 64, time: 500, input: 128, hidden: 32, training: false, repetitions ?? 7)
            lstm(batch: 64, time: 500, input: 128, hidden: 32, training: true, repetitions ?? 7)
        }
        if all || names.contains("lstm-large") {
            lstm(batch: 19, time: 500, input: 512, hidden: 512, training: false, repetitions ?? 3)
            lstm(batch: 64, time: 500, input: 12, hidden: 512, training: false, repetitions ?? 3)
            lstm(batch: 64, time: 500, input: 12, hidden: 512, training: true, repetitions ?? 3)
            lstm(batch: 64, time: 500, input: 1024, hidden: 256, training: false, repetitions ?? 3)
            lstm(batch: 64, time: 500, input: 1024, hidden: 256, training: true, repetitions ?? 3)
            lstm(batch: 64, time: 500, input: 512, hidden: 512, training: false, repetitions ?? 3)
            lstm(batch: 64, time: 500, input: 512, hidden: 512, training: true, repetitions ?? 3)
        }
        if all || names.contains("mha") {
            attention(batch: 64, time: 500, embed: 64, heads: 8, training: false, repetitions ?? 5)
            attention(batch: 64, time: 500, embed: 64, heads: 8, training: true, repetitions ?? 5)
            attention(batch: 64, time: 500, embed: 16, heads: 8, training: false, repetitions ?? 5)
            attention(batch: 64, time: 500, embed: 16, heads: 8, training: true, repetitions ?? 5)
        }
        if all || names.contains("lead") {
            lead(groups: 64 * 500, embed: 16, training: false, repetitions ?? 7)
            lead(groups: 64 * 500, embed: 16, training: true, repetitions ?? 7)
            lead(groups: 64 * 500, embed: 64, training: false, repetitions ?? 7)
            lead(groups: 64 * 500, embed: 64, training: true, repetitions ?? 7)
        }
    }

    /// Writes one line unbuffered, so a long run shows its progress.
    static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Wall and CPU times of one case in milliseconds.
    struct Timing {
        var median: Double
        var minimum: Double
        /// Minimum process CPU time (all threads) of a run: the work done, which waiting
        /// for a busy machine's cores does not inflate.
        var cpuMinimum: Double
    }

    static func processCPUMilliseconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) * 1e3 + Double(spec.tv_nsec) / 1e6
    }

    /// Median and minimum wall time and minimum CPU time of `repetitions` runs after one warm-up
    /// run (the minimum is the least disturbed run on a shared machine).
    static func median(_ repetitions: Int, _ body: () -> Void) -> Timing {
        body()
        var times: [Double] = []
        var cpu: [Double] = []
        for _ in 0..<repetitions {
            let cpuStart = processCPUMilliseconds()
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            cpu.append(processCPUMilliseconds() - cpuStart)
        }
        times.sort()
        return Timing(median: times[times.count / 2], minimum: times[0], cpuMinimum: cpu.min() ?? 0)
    }

    static func report(_ name: String, _ shape: String, _ time: Timing, flops: Double) {
        func rounded(_ value: Double) -> String { String(format: "%.2f", value) }
        let rate = String(format: "%.1f", flops / time.minimum / 1e6)
        emit("\(name) | \(shape) | \(rounded(time.median)) | \(rounded(time.minimum)) | \(rate) | \(rounded(time.cpuMinimum))")
    }

    static func randomBuffer(_ count: Int, scale: Float, seed: UInt64) -> UnsafeMutablePointer<Float> {
        var state = seed
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(1, count))
        for index in 0..<count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            buffer[index] = (Float(state >> 40) / Float(1 << 24) * 2 - 1) * scale
        }
        return buffer
    }

    /// sgemm peak on 1 and 2 threads, and the LSTM's per-step recurrent GEMM shapes on 1 thread.
    static func peak(_ repetitions: Int) {
        let previous = openblas_get_num_threads()
        defer { openblas_set_num_threads(previous) }
        let cases: [(m: Int, n: Int, k: Int, threads: Int32)] = [
            (2048, 2048, 2048, 1), (2048, 2048, 2048, 2),
            (64, 2048, 512, 1), (64, 1024, 256, 1), (19, 2048, 512, 1), (64, 256, 64, 1),
        ]
        for (m, n, k, threads) in cases {
            let a = randomBuffer(m * k, scale: 1, seed: 1), b = randomBuffer(n * k, scale: 1, seed: 2)
            let c = randomBuffer(m * n, scale: 1, seed: 3)
            openblas_set_num_threads(threads)
            let ms = median(repetitions) {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k), 1, a, Int32(k),
                            b, Int32(k), 1, c, Int32(n))
            }
            report("sgemm \(threads) thread\(threads > 1 ? "s" : "")", "\(m)x\(n)x\(k) (A B^T)", ms,
                   flops: 2 * Double(m * n * k))
            a.deallocate(); b.deallocate(); c.deallocate()
        }
    }

    /// The LSTM's per-step recurrent product `gates [M, 4H] (+)= h [M, H] x W_hh^T` on 1 thread:
    /// OpenBLAS sgemm (re-packs W_hh every call) against `RecurrentProduct.gates` on a pre-packed
    /// W_hh (input size 0; the bias instead of the accumulated gates, same FLOPs).
    static func recurrent(_ repetitions: Int) {
        let previous = openblas_get_num_threads()
        defer { openblas_set_num_threads(previous) }
        openblas_set_num_threads(1)
        let steps = 50
        for (m, hidden) in [(19, 512), (64, 512), (19, 256), (64, 256), (19, 64), (64, 64), (19, 32), (64, 32)] {
            let width = 4 * hidden
            let h = randomBuffer(m * hidden, scale: 1, seed: 1), weight = randomBuffer(width * hidden, scale: 0.05, seed: 2)
            let gates = randomBuffer(m * width, scale: 1, seed: 3)
            let flops = 2 * Double(m * width * hidden * steps)
            let blas = median(repetitions) {
                for _ in 0..<steps {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(width), Int32(hidden), 1, h,
                                Int32(hidden), weight, Int32(hidden), 1, gates, Int32(width))
                }
            }
            report("recurrent sgemm x\(steps)", "\(m)x\(width)x\(hidden)", blas, flops: flops)
            let packed = PackedRecurrentWeight(inputSize: 0, hiddenSize: hidden)
            let panel = randomBuffer(RecurrentProduct.panelCount(rows: m, weight: packed), scale: 0, seed: 4)
            let bias = randomBuffer(width, scale: 1, seed: 5)
            let kernel = median(repetitions) {
                packed.pack(inputWeight: weight, hiddenWeight: weight)
                for _ in 0..<steps {
                    RecurrentProduct.gates(rows: m, input: h, inputRowStride: 0, hidden: h, hiddenRowStride: hidden,
                                           bias: bias, gates: gates, gatesRowStride: width, weight: packed, panel: panel)
                }
            }
            report("recurrent packed x\(steps) (+1 pack)", "\(m)x\(width)x\(hidden)", kernel, flops: flops)
            h.deallocate(); weight.deallocate(); gates.deallocate(); panel.deallocate(); bias.deallocate()
        }
    }

    static func lstm(batch: Int, time: Int, input: Int, hidden: Int, training: Bool, _ repetitions: Int) {
        let shape = LSTMShape(batch: batch, time: time, inputSize: input, hiddenSize: hidden)
        let width = shape.gateWidth
        let scale = 1 / Float(hidden).squareRoot()
        let x = randomBuffer(batch * time * input, scale: 1, seed: 10)
        let parameterBuffers = (0..<2).map { direction in
            (randomBuffer(width * input, scale: scale, seed: 20 + UInt64(direction)),
             randomBuffer(width * hidden, scale: scale, seed: 30 + UInt64(direction)),
             randomBuffer(width, scale: scale, seed: 40 + UInt64(direction)),
             randomBuffer(width, scale: scale, seed: 50 + UInt64(direction)))
        }
        let gradientBuffers = (0..<2).map { _ in
            (randomBuffer(width * input, scale: 0, seed: 1), randomBuffer(width * hidden, scale: 0, seed: 1),
             randomBuffer(width, scale: 0, seed: 1), randomBuffer(width, scale: 0, seed: 1))
        }
        let parameters = parameterBuffers.map {
            LSTMParameters(inputWeight: $0.0, hiddenWeight: $0.1, inputBias: $0.2, hiddenBias: $0.3)
        }
        let gradients = gradientBuffers.map {
            LSTMParameterGradients(inputWeight: $0.0, hiddenWeight: $0.1, inputBias: $0.2, hiddenBias: $0.3)
        }
        let output = randomBuffer(batch * time * 2 * hidden, scale: 0, seed: 1)
        let outputGradient = randomBuffer(batch * time * 2 * hidden, scale: 1, seed: 60)
        let inputGradient = randomBuffer(batch * time * input, scale: 0, seed: 1)
        let buffers = (LSTMBuffers(shape: shape, training: training), LSTMBuffers(shape: shape, training: training))
        let ms = median(repetitions) {
            LSTMKernel.bidirectionalForward(shape: shape, input: x, parameters: (parameters[0], parameters[1]),
                                            output: output, buffers: buffers)
            if training {
                LSTMKernel.bidirectionalBackward(shape: shape, input: x, parameters: (parameters[0], parameters[1]),
                                                 output: output, outputGradient: outputGradient, buffers: buffers,
                                                 gradients: (gradients[0], gradients[1]), inputGradient: inputGradient)
            }
        }
        let forwardFlops = 2.0 * 2 * Double(batch * time) * Double(width) * Double(input + hidden)
        report(training ? "BiLSTM fwd+bwd" : "BiLSTM fwd", "[\(batch), \(time), \(input)] -> \(hidden) x2", ms,
               flops: training ? 3 * forwardFlops : forwardFlops)
        for buffer in parameterBuffers + gradientBuffers {
            buffer.0.deallocate(); buffer.1.deallocate(); buffer.2.deallocate(); buffer.3.deallocate()
        }
        x.deallocate(); output.deallocate(); outputGradient.deallocate(); inputGradient.deallocate()
    }

    static func attention(batch: Int, time: Int, embed: Int, heads: Int, training: Bool, _ repetitions: Int) {
        let shape = AttentionShape(batch: batch, queryLength: time, keyLength: time, embed: embed, heads: heads)
        let count = batch * time * embed
        let q = randomBuffer(count, scale: 1, seed: 1), k = randomBuffer(count, scale: 1, seed: 2)
        let v = randomBuffer(count, scale: 1, seed: 3), context = randomBuffer(count, scale: 0, seed: 4)
        let weights = randomBuffer(batch * time * time, scale: 0, seed: 5)
        let logSumExp = randomBuffer(batch * heads * time, scale: 0, seed: 6)
        let dContext = randomBuffer(count, scale: 1, seed: 7), dWeights = randomBuffer(batch * time * time, scale: 1, seed: 8)
        let dq = randomBuffer(count, scale: 0, seed: 9), dk = randomBuffer(count, scale: 0, seed: 9)
        let dv = randomBuffer(count, scale: 0, seed: 9)
        let ms = median(repetitions) {
            AttentionKernel.forward(shape: shape, query: q, key: k, value: v, context: context,
                                    averageWeights: weights, logSumExp: logSumExp)
            if training {
                AttentionKernel.backward(shape: shape, query: q, key: k, value: v, logSumExp: logSumExp,
                                         contextGradient: dContext, averageWeightsGradient: dWeights,
                                         queryGradient: dq, keyGradient: dk, valueGradient: dv)
            }
        }
        // QK^T and PV: 4 T^2 E per batch forward; the backward recomputes QK^T and does 4 more products.
        let forwardFlops = 4.0 * Double(batch) * Double(time * time) * Double(embed)
        report(training ? "MHA core fwd+bwd" : "MHA core fwd", "[\(batch), \(time), \(embed)] \(heads) heads", ms,
               flops: training ? 3.5 * forwardFlops : forwardFlops)
        for buffer in [q, k, v, context, weights, logSumExp, dContext, dWeights, dq, dk, dv] { buffer.deallocate() }
    }

    static func lead(groups: Int, embed: Int, training: Bool, _ repetitions: Int) {
        let shape = LeadAttentionShape(groups: groups, tokens: 12, embed: embed, heads: 4)
        let count = groups * 12 * embed
        let q = randomBuffer(count, scale: 1, seed: 1), k = randomBuffer(count, scale: 1, seed: 2)
        let v = randomBuffer(count, scale: 1, seed: 3), context = randomBuffer(count, scale: 0, seed: 4)
        let weights = randomBuffer(groups * 144, scale: 0, seed: 5)
        let dContext = randomBuffer(count, scale: 1, seed: 7), dWeights = randomBuffer(groups * 144, scale: 1, seed: 8)
        let dq = randomBuffer(count, scale: 0, seed: 9), dk = randomBuffer(count, scale: 0, seed: 9)
        let dv = randomBuffer(count, scale: 0, seed: 9)
        let ms = median(repetitions) {
            LeadAttentionKernel.forward(shape: shape, query: q, key: k, value: v, context: context, averageWeights: weights)
            if training {
                LeadAttentionKernel.backward(shape: shape, query: q, key: k, value: v, contextGradient: dContext,
                                             averageWeightsGradient: dWeights, queryGradient: dq, keyGradient: dk,
                                             valueGradient: dv)
            }
        }
        let forwardFlops = 4.0 * Double(groups) * 144 * Double(embed)
        report(training ? "lead attention fwd+bwd" : "lead attention fwd", "[\(groups), 12, \(embed)] 4 heads", ms,
               flops: training ? 3.5 * forwardFlops : forwardFlops)
        for buffer in [q, k, v, context, weights, dContext, dWeights, dq, dk, dv] { buffer.deallocate() }
    }
}

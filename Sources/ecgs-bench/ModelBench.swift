// Model benchmark: inference per 10 s record and one batch-64 training step for every model and size.
import Foundation
import Models
import NN
import Optim
import TensorCore

/// `ecgs-bench models [--repeats N] [--sizes small,reference] [--inference-only]`: per model and size, the median time of
/// inference on one 10 s record (the CAE on the whole [1, 12, 5000] record in one pass; the VAEs on its
/// 19 windows [19, 500, 12]) and of one training step at batch 64 (train mode, forward, loss, backward,
/// gradient-norm clipping at 1.0, Adam), after one warm-up. Reference sizes run once (they are heavy).
/// Prints one JSON line per case (median wall and process CPU seconds), like the PyTorch side `scripts/bench/torch_models.py`.
///
/// `ecgs-bench models --peak-memory KIND [--steps N]` instead runs only N (default 3) training steps of the
/// reference-size KIND (`vae` or `vae-mha`) at batch 64 x 500 and prints the process's peak resident
/// memory (`VmHWM` of /proc/self/status) before and after, so that it measures that training alone.
enum ModelBench {
    static func run(_ args: [String]) throws {
        if let flag = args.firstIndex(of: "--peak-memory") {
            guard flag + 1 < args.count, let kind = ModelKind(rawValue: args[flag + 1]), kind == .vae || kind == .vaeMHA else {
                throw BenchUsageError(description: "models --peak-memory expects vae or vae-mha")
            }
            let steps = args.firstIndex(of: "--steps").flatMap { $0 + 1 < args.count ? Int(args[$0 + 1]) : nil } ?? 3
            try peakMemory(kind: kind, steps: steps)
            return
        }
        var repeats = 5
        var inferenceOnly = false
        var sizes: [ModelConfiguration.Preset] = [.small, .reference]
        var index = 0
        while index < args.count {
            switch args[index] {
            case "--repeats" where index + 1 < args.count:
                repeats = Int(args[index + 1]) ?? repeats
                index += 1
            case "--inference-only":
                inferenceOnly = true
            case "--sizes" where index + 1 < args.count:
                sizes = args[index + 1].split(separator: ",").compactMap { ModelConfiguration.Preset(rawValue: String($0)) }
                index += 1
            default:
                break
            }
            index += 1
        }
        BLAS.setThreads(2)
        var generator = RandomStream(seed: 0, stream: "model bench")

        let cae = try CAE(seed: 0)
        let record = Tensor.randn([1, 12, 5000], using: &generator)
        let caeBatch = Tensor.randn([64, 12, 500], using: &generator)
        let caeOptimizer = try Adam(parameters: cae.allParameters, learningRate: 1e-3)
        let caeInference = try medianSeconds(repeats * 4) {
            cae.eval()
            _ = try withNoGrad { try cae.forward(record) }
        }
        let caeStep = try medianSeconds(inferenceOnly ? 0 : repeats) {
            cae.train()
            cae.zeroGrad()
            let loss = try cae.loss(caeBatch)
            try loss.backward()
            _ = clipGradientNorm(cae.allParameters, maxNorm: 1.0)
            try caeOptimizer.step()
        }
        report(model: "cae", size: "published", parameters: cae.parameterCount, inference: caeInference, step: caeStep)

        for preset in sizes {
            for kind in [ModelKind.vae, .vaeMHA] {
                let model = try VAEBiLSTM(configuration: ModelConfiguration(kind: kind, preset: preset), seed: 0)
                let latent = model.configuration.latent
                let optimizer = try Adam(parameters: model.allParameters, learningRate: 5e-4)
                let windows = Tensor.randn([19, 500, 12], using: &generator)
                let batch = Tensor.randn([64, 500, 12], using: &generator)
                let runs = preset == .reference ? 1 : repeats
                let inference = try medianSeconds(runs) {
                    model.eval()
                    _ = try withNoGrad { try model.forward(windows, using: &generator) }
                }
                let step = try medianSeconds(inferenceOnly ? 0 : runs) {
                    model.train()
                    model.zeroGrad()
                    let output = try model.forward(batch, latentNoise: Tensor.randn([64, 500, latent], using: &generator))
                    let terms = try model.loss(batch, output, beta: 0.3)
                    try terms.total.backward()
                    _ = clipGradientNorm(model.allParameters, maxNorm: 1.0)
                    try optimizer.step()
                }
                report(model: kind.rawValue, size: preset.rawValue, parameters: model.parameterCount,
                       inference: inference, step: step)
            }
        }
    }

    /// Training steps of the reference-size `kind` at batch 64 (forward, loss, backward, clipping, Adam),
    /// reporting peak resident memory after model creation and after each step.
    static func peakMemory(kind: ModelKind, steps: Int) throws {
        BLAS.setThreads(2)
        var generator = RandomStream(seed: 0, stream: "model bench memory")
        let model = try VAEBiLSTM(configuration: ModelConfiguration(kind: kind, preset: .reference), seed: 0)
        let optimizer = try Adam(parameters: model.allParameters, learningRate: 5e-4)
        let batch = Tensor.randn([64, 500, 12], using: &generator)
        let latent = model.configuration.latent
        func line(_ stage: String, seconds: Double) {
            let memory = residentMemory()
            let text = "{\"model\": \"\(kind.rawValue)\", \"size\": \"reference\", \"batch\": 64, \"stage\": \"\(stage)\", "
                + "\"step_s\": \(seconds), \"vm_hwm_mib\": \(memory.peak / 1024), \"vm_rss_mib\": \(memory.current / 1024)}\n"
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        line("model created", seconds: 0)
        model.train()
        for step in 1...max(1, steps) {
            let start = DispatchTime.now().uptimeNanoseconds
            model.zeroGrad()
            let output = try model.forward(batch, latentNoise: Tensor.randn([64, 500, latent], using: &generator))
            let terms = try model.loss(batch, output, beta: 0.3)
            try terms.total.backward()
            _ = clipGradientNorm(model.allParameters, maxNorm: 1.0)
            try optimizer.step()
            line("after step \(step)", seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
    }

    /// `VmHWM` (peak) and `VmRSS` (current) resident memory of this process in KiB, from /proc/self/status.
    static func residentMemory() -> (peak: Int, current: Int) {
        // /proc files report size 0, so read to the end instead of by size.
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/status"),
              let data = try? handle.readToEnd(), let status = String(data: data, encoding: .utf8) else { return (0, 0) }
        func field(_ name: String) -> Int {
            guard let entry = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return 0 }
            let words = entry.dropFirst(name.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" })
            return words.first.flatMap { Int($0) } ?? 0
        }
        return (field("VmHWM"), field("VmRSS"))
    }

    struct BenchUsageError: Error, CustomStringConvertible {
        var description: String
    }

    /// Median wall time and median process CPU time (all threads) of `runs` calls of `body` after
    /// one warm-up call. CPU time is the steadier figure on a machine shared with other jobs.
    /// `runs` 0 skips the case (timings 0).
    static func medianSeconds(_ runs: Int, _ body: () throws -> Void) throws -> Timing {
        guard runs > 0 else { return Timing(wall: 0, cpu: 0) }
        try body()
        var wall: [Double] = [], cpu: [Double] = []
        for _ in 0..<max(runs, 1) {
            let start = DispatchTime.now().uptimeNanoseconds, cpuStart = processCPUSeconds()
            try body()
            cpu.append(processCPUSeconds() - cpuStart)
            wall.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return Timing(wall: wall.sorted()[wall.count / 2], cpu: cpu.sorted()[cpu.count / 2])
    }

    struct Timing { var wall: Double, cpu: Double }

    /// Process CPU time (all threads) in seconds.
    static func processCPUSeconds() -> Double {
        KernelBench.processCPUMilliseconds() / 1e3
    }

    static func report(model: String, size: String, parameters: Int, inference: Timing, step: Timing) {
        // Written unbuffered so that each case shows up as soon as it is measured.
        let line = "{\"model\": \"\(model)\", \"size\": \"\(size)\", \"params\": \(parameters), "
            + "\"infer_record_s\": \(inference.wall), \"train_step_s\": \(step.wall), "
            + "\"infer_record_cpu_s\": \(inference.cpu), \"train_step_cpu_s\": \(step.cpu)}\n"
        FileHandle.standardOutput.write(Data(line.utf8))
    }
}

// Engine benchmark: single-precision GEMM throughput (GFLOP/s) through Tensor.matmul at 1 and 2 BLAS threads.
import Foundation
import TensorCore

/// `ecgs-bench engine [repeats]`: sgemm GFLOP/s for square 256/512/1024/2048 and the LSTM input
/// projection shape [64 x 1024] x [1024 x 2048], median of `repeats` runs (default 7) after one warm-up.
/// The PyTorch side is `scripts/bench/engine_bench.py`.
enum EngineBench {
    static func run(_ args: [String]) throws {
        let repeats = args.first.flatMap(Int.init) ?? 7
        let shapes: [(m: Int, k: Int, n: Int)] = [(256, 256, 256), (512, 512, 512), (1024, 1024, 1024), (2048, 2048, 2048), (64, 1024, 2048)]
        var generator = RandomStream(seed: 1, stream: "engine bench")
        print("sgemm through Tensor.matmul (OpenBLAS), median of \(repeats) runs")
        print("shape                         threads  median ms   GFLOP/s")
        for threads in [1, 2] {
            BLAS.setThreads(threads)
            for (m, k, n) in shapes {
                let a = Tensor.randn([m, k], using: &generator), b = Tensor.randn([k, n], using: &generator)
                _ = try Tensor.matmul(a, b)
                var times: [Double] = []
                for _ in 0..<repeats {
                    let start = DispatchTime.now().uptimeNanoseconds
                    let product = try Tensor.matmul(a, b)
                    let elapsed = DispatchTime.now().uptimeNanoseconds - start
                    withExtendedLifetime(product) {}
                    times.append(Double(elapsed) / 1e6)
                }
                let median = times.sorted()[times.count / 2]
                let gflops = 2.0 * Double(m * k * n) / (median * 1e6)
                let label = "[\(m) x \(k)] x [\(k) x \(n)]"
                print(label.padding(toLength: 30, withPad: " ", startingAt: 0)
                      + String(format: "%7d %11.3f %9.1f", threads, median, gflops))
            }
        }
    }
}

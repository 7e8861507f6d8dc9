// ecgs-bench: the benchmarks behind BENCHMARKS.md, one subcommand per area.
// Usage: swift run -c release ecgs-bench <area> [options]
import ECGKit
import Foundation

AllocatorTuning.keepLargeBuffers()

let benches: [(name: String, summary: String, run: ([String]) throws -> Void)] = [
    ("engine", "sgemm GFLOP/s, element-wise ops and the CAE conv stack", EngineBench.run),
    ("kernels", "fused LSTM, attention and lead-attention kernels (cases: peak lstm lstm-large mha lead)", KernelBench.run),
    ("models", "inference per 10 s record and one training step per model and size", ModelBench.run),
    ("training", "fit epochs of a small model through the Trainer", TrainingBench.run),
    ("records", "read + full preprocessing of the 10 s 12-lead records of shared/data", RecordsBench.run),
    ("layers", "LSTM, attention and lead-attention layers through autodiff", LayerBench.run),
    ("signal", "preprocessing of a 12 x 5000 record (band-pass, notch, z-score)", SignalBench.run),
    ("read", "reading the 10 s 12-lead WFDB records of shared/data", ReadBench.run),
    ("workspace", "saving and loading a ~1 GB workspace of many tensors", WorkspaceBench.run),
    ("hdf5", "saving and loading a ~1 GB HDF5 file of many tensors", HDF5Bench.run),
]

let arguments = Array(CommandLine.arguments.dropFirst())
guard let area = arguments.first, let bench = benches.first(where: { $0.name == area }) else {
    print("usage: ecgs-bench <area> [options]\n\nareas:")
    for b in benches { print("  \(b.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(b.summary)") }
    exit(arguments.isEmpty ? 0 : 64)
}
do {
    try bench.run(Array(arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("ecgs-bench \(area): \(error)\n".utf8))
    exit(70)
}

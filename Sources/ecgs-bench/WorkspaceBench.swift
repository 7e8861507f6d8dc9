// WorkspaceBench: save and load throughput of a ~1 GB workspace of many float32 tensors
// through Workspace.save / Workspace.load (one group per variable, atomic save, automatic
// shuffle+deflate). Python side: `scripts/reference/workspace_h5py.py bench` (h5py, same layout).
import ECGKit
import Foundation
import TensorCore

enum WorkspaceBench {
    /// Arguments: [tensors (256)] [elements per tensor (1048576)] [repeats (3)] [folder (/tmp)].
    /// Prints the medians of save and load time and MB/s (1 MB = 10^6 bytes of float32 data).
    static func run(_ args: [String]) throws {
        let tensorCount = args.count > 0 ? Int(args[0]) ?? 256 : 256
        let elements = args.count > 1 ? Int(args[1]) ?? 1 << 20 : 1 << 20
        let repeats = args.count > 2 ? Int(args[2]) ?? 3 : 3
        let folder = URL(fileURLWithPath: args.count > 3 ? args[3] : NSTemporaryDirectory())
        // Smooth signal-like values with a small ripple (as HDF5Bench and the h5py side use).
        let variables: [(name: String, value: WorkspaceValue)] = try (0..<tensorCount).map { index in
            let scalars = (0..<elements).map { (position: Int) -> Float in
                let wave = Float(sin(Double(position) * 0.001 + Double(index)))
                return wave + Float(position % 7) * 1e-3
            }
            return (name: "t\(index)", value: .tensor(try Tensor(shape: [elements / 1024, 1024], scalars: scalars)))
        }
        let session = SessionInfo(script: "-- WorkspaceBench", ecgsVersion: "bench", ecgsBuild: "ecgs-bench",
                                  seed: 0, createdUTC: "2026-01-01T00:00:00Z")
        let megabytes = Double(tensorCount * elements * 4) / 1_000_000
        print("WorkspaceBench: \(tensorCount) tensors x \(elements) float32 = \(String(format: "%.0f", megabytes)) MB, "
              + "median of \(repeats)")
        let url = folder.appendingPathComponent("ecgs-workspacebench-\(getpid()).h5")
        defer { try? FileManager.default.removeItem(at: url) }
        var saves: [Double] = []
        var loads: [Double] = []
        for _ in 0..<repeats {
            let saveStart = Date()
            try Workspace.save(variables, session: session, to: url)
            saves.append(Date().timeIntervalSince(saveStart))
            let loadStart = Date()
            let loaded = try Workspace.load(from: url)
            loads.append(Date().timeIntervalSince(loadStart))
            guard loaded.variables.count == tensorCount, case .tensor(let last)? = loaded.variables.last?.value,
                  case .tensor(let expected)? = variables.last?.value, last.scalars == expected.scalars else {
                throw WorkspaceError(.malformed, file: url.path, "the loaded workspace differs from the saved one")
            }
        }
        let size = Double((try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0) / 1_000_000
        let save = saves.sorted()[repeats / 2]
        let load = loads.sorted()[repeats / 2]
        print(String(format: "  file %.0f MB; save %.2f s (%.0f MB/s), load %.2f s (%.0f MB/s)",
                     size, save, megabytes / save, load, megabytes / load))
        print("  saves: " + saves.map { String(format: "%.2f", $0) }.joined(separator: " ")
              + " s; loads: " + loads.map { String(format: "%.2f", $0) }.joined(separator: " ") + " s")
    }
}

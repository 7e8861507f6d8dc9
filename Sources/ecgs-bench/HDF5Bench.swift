// HDF5Bench: save and load throughput of a ~1 GB workspace made of many float32 tensors
// through the Formats HDF5 layer (atomic save), uncompressed vs shuffle+deflate(4).
// Python side: scripts/bench/hdf5_bench.py (h5py, same layout).
import Foundation
import Formats

enum HDF5Bench {
    /// Arguments: [tensors (256)] [megabytes per tensor (4)] [repeats (3)] [folder (/tmp)].
    static func run(_ args: [String]) throws {
        let tensorCount = args.count > 0 ? Int(args[0]) ?? 256 : 256
        let megabytes = args.count > 1 ? Int(args[1]) ?? 4 : 4
        let repeats = args.count > 2 ? Int(args[2]) ?? 3 : 3
        let folder = URL(fileURLWithPath: args.count > 3 ? args[3] : NSTemporaryDirectory())
        let elements = megabytes * (1 << 20) / 4
        // Smooth signal-like values with a small deterministic ripple, as ECG windows are.
        let tensors = (0..<tensorCount).map { index in
            StoredArray(shape: [elements / 1024, 1024], elements: .float32((0..<elements).map { position in
                Float(sin(Double(position) * 0.001 + Double(index))) + Float(position % 7) * 1e-3
            }))
        }
        let totalMegabytes = Double(tensorCount * elements * 4) / 1_000_000
        print("HDF5Bench: \(tensorCount) tensors x \(megabytes) MiB float32 = \(String(format: "%.0f", totalMegabytes)) MB, "
              + "median of \(repeats)")
        for (label, compression) in [("uncompressed", HDF5Compression.none), ("shuffle+deflate(4)", .automatic)] {
            let url = folder.appendingPathComponent("ecgs-hdf5bench-\(getpid()).h5")
            defer { try? FileManager.default.removeItem(at: url) }
            var saves: [Double] = []
            var loads: [Double] = []
            for _ in 0..<repeats {
                let saveStart = Date()
                try HDF5File.saveAtomically(to: url) { root in
                    let group = try root.createGroup("tensors")
                    for (index, tensor) in tensors.enumerated() {
                        try group.writeDataset("t\(index)", tensor, compression: compression)
                    }
                }
                saves.append(Date().timeIntervalSince(saveStart))
                let loadStart = Date()
                let file = try HDF5File.open(at: url)
                let group = try file.root().openGroup("tensors")
                var checksum: Float = 0
                for name in try group.childNames() {
                    if case .float32(let values) = try group.readDataset(name).elements { checksum += values[0] }
                }
                try file.close()
                loads.append(Date().timeIntervalSince(loadStart))
                precondition(checksum.isFinite)
            }
            let size = Double((try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0) / 1_000_000
            let save = saves.sorted()[repeats / 2]
            let load = loads.sorted()[repeats / 2]
            print(String(format: "  %@: file %.0f MB; save %.2f s (%.0f MB/s), load %.2f s (%.0f MB/s)",
                         label, size, save, totalMegabytes / save, load, totalMegabytes / load))
        }
    }
}

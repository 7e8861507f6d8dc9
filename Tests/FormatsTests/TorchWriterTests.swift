// Writing PyTorch .pth files: a pure-Swift write→read round trip of every dtype, torch's
// zip layout (64-byte aligned stored entries), and an interop test where torch 2.15 loads our
// file with weights_only=True into a Conv1d + BatchNorm1d + bidirectional LSTM + Linear module.
import Foundation
import Testing
import TestSupport
@testable import Formats

@Suite("PyTorch .pth writer")
struct TorchWriterTests {
    /// The state_dict of scripts/reference/torch_pth.py TinyNet with deterministic values.
    static func tinyNetState() -> [TorchNamedTensor] {
        let shapes: [(String, [Int])] = [
            ("conv.weight", [4, 3, 3]), ("conv.bias", [4]),
            ("norm.weight", [4]), ("norm.bias", [4]), ("norm.running_mean", [4]), ("norm.running_var", [4]),
        ] + ["", "_reverse"].flatMap { suffix in
            [("lstm.weight_ih_l0\(suffix)", [8, 4]), ("lstm.weight_hh_l0\(suffix)", [8, 2]),
             ("lstm.bias_ih_l0\(suffix)", [8]), ("lstm.bias_hh_l0\(suffix)", [8])]
        } + [("head.weight", [2, 4]), ("head.bias", [2])]
        var tensors = shapes.enumerated().map { index, entry in
            let count = entry.1.reduce(1, *)
            let values = (0..<count).map { Float(sin(Double(index * 100 + $0))) }
            return TorchNamedTensor(key: entry.0, array: StoredArray(shape: entry.1, elements: .float32(values)))
        }
        tensors.insert(TorchNamedTensor(key: "norm.num_batches_tracked",
                                        array: StoredArray(shape: [], elements: .int64([12_345_678_901]))), at: 6)
        return tensors
    }

    @Test("write then read returns every dtype, shape and value in order")
    func pureSwiftRoundTrip() throws {
        let tensors = [
            TorchNamedTensor(key: "f32", array: StoredArray(shape: [2, 3], elements: .float32([1, -2, 3.5, .infinity, 0, -0.0]))),
            TorchNamedTensor(key: "f64", array: StoredArray(shape: [1, 1, 2], elements: .float64([.pi, -1e300]))),
            TorchNamedTensor(key: "i64", array: StoredArray(shape: [], elements: .int64([Int64.min]))),
            TorchNamedTensor(key: "i32", array: StoredArray(shape: [2], elements: .int32([Int32.max, -1]))),
            TorchNamedTensor(key: "i16", array: StoredArray(shape: [2], elements: .int16([-300, 300]))),
            TorchNamedTensor(key: "i8", array: StoredArray(shape: [2], elements: .int8([-128, 127]))),
            TorchNamedTensor(key: "u8", array: StoredArray(shape: [2], elements: .uint8([0, 255]))),
            TorchNamedTensor(key: "mask", array: StoredArray(shape: [2, 2], elements: .bool([true, false, false, true]))),
            TorchNamedTensor(key: "empty", array: StoredArray(shape: [0, 4], elements: .float32([]))),
            TorchNamedTensor(key: "big", array: StoredArray(shape: [70_000], elements: .int32((0..<70_000).map(Int32.init)))),
            TorchNamedTensor(key: "rank5", array: StoredArray(shape: [1, 2, 1, 2, 2], elements: .float32((0..<8).map(Float.init)))),
        ]
        let url = try ScratchFolder.folder("pth-roundtrip").appendingPathComponent("all.pth")
        try TorchCheckpoint.write(tensors, to: url)
        let state = try TorchCheckpoint.read(from: url)
        #expect(state.tensors == tensors)
        #expect(state.scalars.isEmpty && state.otherKeys.isEmpty)
    }

    @Test("entries are stored, 64-byte aligned, under a folder named after the file, in torch's order")
    func zipLayout() throws {
        let url = try ScratchFolder.folder("pth-layout").appendingPathComponent("tiny_net.pth")
        try TorchCheckpoint.write(Self.tinyNetState(), to: url)
        let bytes = [UInt8](try Data(contentsOf: url))
        func read16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        var names: [String] = []
        var offset = 0
        while offset + 30 <= bytes.count, Array(bytes[offset..<(offset + 4)]) == [0x50, 0x4B, 0x03, 0x04] {
            #expect(read16(offset + 8) == 0, "compression method")
            let nameLength = read16(offset + 26)
            let extraLength = read16(offset + 28)
            let size = Int(bytes[offset + 18]) | Int(bytes[offset + 19]) << 8 | Int(bytes[offset + 20]) << 16
            names.append(String(decoding: bytes[(offset + 30)..<(offset + 30 + nameLength)], as: UTF8.self))
            let dataStart = offset + 30 + nameLength + extraLength
            #expect(dataStart % 64 == 0, "\(names.last ?? "")")
            offset = dataStart + size
        }
        #expect(names.prefix(4) == ["tiny_net/data.pkl", "tiny_net/.format_version", "tiny_net/.storage_alignment",
                                    "tiny_net/byteorder"])
        #expect(names.count == 4 + 17 + 1)
        #expect(names[4] == "tiny_net/data/0")
        #expect(names.last == "tiny_net/version")
    }

    @Test("interop: torch.load(weights_only=True) + load_state_dict(strict=True) accept our file with equal values",
          .enabled(if: ReferenceClients.hasTorch, "python3 with torch is not available; skipped"))
    func torchLoadsOurFile() throws {
        let tensors = Self.tinyNetState()
        let url = try ScratchFolder.folder("pth-torch").appendingPathComponent("tiny_net.pth")
        try TorchCheckpoint.write(tensors, to: url)
        let script = TestPaths.packageRoot.appendingPathComponent("scripts/reference/torch_pth.py").path
        let result = try ReferenceClients.run("python3", [script, "check", url.path])
        try #require(result.status == 0, "\(result.error)")
        struct Loaded: Decodable {
            var order: [String]
            var tensors: [TorchReaderTests.ReferenceTensor]
        }
        let loaded = try JSONDecoder().decode(Loaded.self, from: Data(result.output.utf8))
        #expect(loaded.order == tensors.map(\.key))
        let byKey = Dictionary(uniqueKeysWithValues: loaded.tensors.map { ($0.key, $0) })
        for tensor in tensors {
            let entry = try #require(byKey[tensor.key], "\(tensor.key) missing in torch")
            #expect(entry.shape == tensor.array.shape, "\(tensor.key)")
            #expect(entry.dtype == tensor.array.dtypeName, "\(tensor.key)")
            #expect(entry.values == tensor.array.doubles(), "\(tensor.key)")
        }
    }
}

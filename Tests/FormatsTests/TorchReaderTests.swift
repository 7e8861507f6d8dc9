// Reading PyTorch .pth files against references written by torch 2.15.0
// (scripts/reference/torch_pth.py): the published CAE, shared/strided views of every dtype,
// nested checkpoints, >256 memo entries, protocol 4, and refusals of legacy/unsafe files.
import Foundation
import Testing
import TestSupport
@testable import Formats

@Suite("PyTorch .pth reader")
struct TorchReaderTests {
    static let folder = TestPaths.fixtures().appendingPathComponent("torch")

    /// One tensor as torch saved it (row-major values; bool as 0/1, half types as float32).
    struct ReferenceTensor: Decodable {
        var key: String
        var shape: [Int]
        var dtype: String
        var values: [Double]
    }

    /// A summary of one CAE tensor from torch.load.
    struct ReferenceSummary: Decodable {
        var key: String
        var shape: [Int]
        var dtype: String
        var sum: Double
        var abs_sum: Double
        var first: [Double]
        var last: Double
    }

    /// `expected.json[file]`. JSONDecoder parses doubles exactly (JSONSerialization on Linux
    /// can be off by an ulp), so values compare with `==`.
    static func expected(_ file: String) throws -> [ReferenceTensor] {
        let data = try Data(contentsOf: folder.appendingPathComponent("expected.json"))
        return try #require(try JSONDecoder().decode([String: [ReferenceTensor]].self, from: data)[file])
    }

    /// The StoredArray dtype expected for a torch dtype (half types widen to float32).
    static func storedType(_ torchType: String) -> String {
        ["float16": "float32", "bfloat16": "float32"][torchType] ?? torchType
    }

    static func checkAgainstReference(_ state: TorchStateDict, _ file: String) throws {
        let reference = try expected(file)
        #expect(state.tensors.map(\.key) == reference.map(\.key))
        for (tensor, want) in zip(state.tensors, reference) {
            #expect(tensor.array.shape == want.shape, "\(want.key)")
            #expect(tensor.array.dtypeName == storedType(want.dtype), "\(want.key)")
            #expect(tensor.array.doubles() == want.values, "\(want.key)")
        }
    }

    @Test("the published CAE: keys, shapes, sums and values match torch.load")
    func publishedCAE() throws {
        let url = TestPaths.shared("seed/best_cae_model.pth")
        let state = try TorchCheckpoint.read(from: url)
        let data = try Data(contentsOf: Self.folder.appendingPathComponent("cae_reference.json"))
        let reference = try JSONDecoder().decode([ReferenceSummary].self, from: data)
        #expect(state.tensors.map(\.key) == reference.map(\.key))
        #expect(state.tensors.map(\.key) == ["encoder.0.weight", "encoder.0.bias", "encoder.2.weight", "encoder.2.bias",
                                             "encoder.4.weight", "encoder.4.bias", "decoder.0.weight", "decoder.0.bias",
                                             "decoder.2.weight", "decoder.2.bias", "decoder.4.weight", "decoder.4.bias"])
        #expect(state.tensor("encoder.0.weight")?.shape == [32, 12, 7])
        #expect(state.tensor("decoder.0.weight")?.shape == [128, 64, 3])
        #expect(state.tensor("decoder.4.weight")?.shape == [32, 12, 7])
        #expect(state.tensor("decoder.4.bias")?.shape == [12])
        for (tensor, want) in zip(state.tensors, reference) {
            let values = tensor.array.doubles()
            #expect(tensor.array.dtypeName == "float32")
            #expect(tensor.array.shape == want.shape)
            #expect(Array(values.prefix(5)) == want.first, "\(tensor.key)")
            #expect(values.last == want.last, "\(tensor.key)")
            let sum = values.reduce(0, +)
            let absoluteSum = values.reduce(0) { $0 + abs($1) }
            let wantSum = want.sum
            let wantAbsoluteSum = want.abs_sum
            // Same float32 values summed in double in a different order: 1e-12 relative to Σ|x|.
            #expect(abs(sum - wantSum) <= 1e-12 * wantAbsoluteSum, "\(tensor.key)")
            #expect(abs(absoluteSum - wantAbsoluteSum) <= 1e-12 * wantAbsoluteSum, "\(tensor.key)")
        }
    }

    @Test("shared storage, offsets, transposed and permuted views, every dtype and a scalar int64")
    func viewsAndDtypes() throws {
        let state = try TorchCheckpoint.read(from: Self.folder.appendingPathComponent("views.pth"))
        try Self.checkAgainstReference(state, "views.pth")
        #expect(state.tensor("transposed") == StoredArray(shape: [4, 3], elements: .float32([
            0, 1, 2, 0.25, 1.25, 2.25, 0.5, 1.5, 2.5, 0.75, 1.75, 2.75])))
        #expect(state.tensor("num_batches_tracked") == StoredArray(shape: [], elements: .int64([5])))
        #expect(state.tensor("mask") == StoredArray(shape: [3], elements: .bool([true, false, true])))
        #expect(state.tensor("f16") == StoredArray(shape: [3], elements: .float32([0.5, -1.25, 65504])))
    }

    @Test("a nested checkpoint: the 'model' sub-dict, the epoch beside it, and a helpful error without a key")
    func nestedCheckpoint() throws {
        let url = Self.folder.appendingPathComponent("nested.pth")
        let state = try TorchCheckpoint.read(from: url, key: "model")
        try Self.checkAgainstReference(state, "nested.pth")
        #expect(state.checkpointScalars.map(\.key) == ["epoch", "best_loss", "name", "big", "done", "note"])
        #expect(state.checkpointScalars.map(\.value) == [.integer(3), .real(0.125), .string("cae"),
                                                         .integer(1 << 40), .bool(true), .none])
        let optimizer = try TorchCheckpoint.read(from: url, key: "optimizer")
        #expect(optimizer.otherKeys == ["state", "param_groups"])
        let noKey = #expect(throws: TorchCheckpointError.self) { try TorchCheckpoint.read(from: url) }
        #expect(noKey?.kind == .notStateDict)
        #expect(noKey?.description.contains("'model', 'optimizer', 'epoch'") == true)
        let badKey = #expect(throws: TorchCheckpointError.self) { try TorchCheckpoint.read(from: url, key: "weights") }
        #expect(badKey?.description.contains("no key 'weights'") == true)
    }

    @Test("more than 256 tensors (LONG_BINPUT/LONG_BINGET) and protocol 4 (FRAME, MEMOIZE)")
    func longMemoAndProtocol4() throws {
        let many = try TorchCheckpoint.read(from: Self.folder.appendingPathComponent("many.pth"))
        #expect(many.tensors.count == 300)
        try Self.checkAgainstReference(many, "many.pth")
        let four = try TorchCheckpoint.read(from: Self.folder.appendingPathComponent("protocol4.pth"))
        try Self.checkAgainstReference(four, "protocol4.pth")
    }

    @Test("nn.Parameter values (_rebuild_parameter) read as their tensors")
    func parameters() throws {
        let state = try TorchCheckpoint.read(from: Self.folder.appendingPathComponent("parameters.pth"))
        try Self.checkAgainstReference(state, "parameters.pth")
        #expect(state.tensor("weight") == StoredArray(shape: [1, 2], elements: .float32([0.5, -1])))
    }

    @Test("legacy, pickled-module, empty, foreign and truncated files are refused with clear messages")
    func refusals() throws {
        let legacy = #expect(throws: TorchCheckpointError.self) {
            try TorchCheckpoint.read(from: Self.folder.appendingPathComponent("legacy.pth"))
        }
        #expect(legacy?.kind == .unsupportedContainer)
        #expect(legacy?.description.contains("legacy.pth: legacy (pre-1.6, non-zip)") == true)
        #expect(legacy?.description.contains("torch.save(model.state_dict(), path)") == true)

        let module = #expect(throws: TorchCheckpointError.self) {
            try TorchCheckpoint.read(from: Self.folder.appendingPathComponent("module.pth"))
        }
        #expect(module?.kind == .forbiddenGlobal)
        #expect(module?.description.contains("data.pkl byte") == true)
        #expect(module?.description.contains("global 'torch.nn.modules.linear.Linear' is not allowed") == true)

        let scratch = try ScratchFolder.folder("pth-bad")
        let good = try Data(contentsOf: Self.folder.appendingPathComponent("protocol4.pth"))
        let cases: [(String, Data, String)] = [
            ("empty.pth", Data(), "the file is empty"),
            ("text.pth", Data("hello".utf8), "no zip signature"),
            ("truncated.pth", good.prefix(good.count / 2), "damaged zip archive"),
        ]
        for (name, bytes, phrase) in cases {
            let url = scratch.appendingPathComponent(name)
            try bytes.write(to: url)
            let error = #expect(throws: TorchCheckpointError.self) { try TorchCheckpoint.read(from: url) }
            #expect(error?.description.contains(name) == true)
            #expect(error?.description.contains(phrase) == true, "\(String(describing: error))")
        }
    }

    @Test("the pickle machine reports the byte offset of a bad opcode and of a truncated stream")
    func pickleErrors() throws {
        var unknown = TorchPickleMachine(bytes: [0x80, 2, 0x7D, 0xFF], fileName: "x.pth", entryName: "data.pkl")
        let opcode = #expect(throws: TorchCheckpointError.self) { try unknown.run() }
        #expect(opcode?.description == "x.pth: data.pkl byte 3: unsupported pickle opcode 0xFF")
        var truncated = TorchPickleMachine(bytes: [0x80, 2, UInt8(ascii: "X"), 9, 0, 0, 0, 65], fileName: "x.pth",
                                           entryName: "data.pkl")
        let end = #expect(throws: TorchCheckpointError.self) { try truncated.run() }
        #expect(end?.description.contains("unexpected end of pickle") == true)
        var negative = TorchPickleMachine(bytes: [0x80, 2, 0x8A, 2, 0xFE, 0xFF, UInt8(ascii: ".")], fileName: "x.pth",
                                          entryName: "data.pkl")
        #expect(try negative.run() == .integer(-2))
    }
}

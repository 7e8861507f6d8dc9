// Interoperability: weights written by ecgs (TorchCheckpoint.write) load into the reference PyTorch
// modules with load_state_dict(strict=True) and reproduce our forward outputs. Runs python3 + torch;
// skipped with a message when `import torch` fails.
import Foundation
import Formats
import Models
import NN
import TensorCore
import Testing
import TestSupport

/// Whether `python3 -c 'import torch'` succeeds on this machine.
let torchIsAvailable: Bool = {
    (try? runPython(["-c", "import torch"])) == 0
}()

@discardableResult
func runPython(_ arguments: [String]) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    process.standardOutput = FileHandle.nullDevice
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    let message = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    if process.terminationStatus != 0, arguments.first != "-c" {
        Issue.record("python3 \(arguments.joined(separator: " ")) failed: \(String(decoding: message, as: UTF8.self))")
    }
    return process.terminationStatus
}

func storedArray(_ tensor: Tensor) -> StoredArray {
    StoredArray(shape: tensor.shape, elements: .float32(tensor.scalars))
}

@Suite(.enabled(if: torchIsAvailable, "python3 cannot import torch: PyTorch interoperability not checked"))
struct TorchExportInteropTests {
    static let script = TestPaths.packageRoot.appendingPathComponent("scripts/reference/models.py").path

    @Test(arguments: [ModelKind.cae, .vae, .vaeMHA, .maVAE])
    func pytorchLoadsExportedWeightsStrictlyAndReproducesTheForward(kind: ModelKind) throws {
        let configuration = kind == .cae ? ModelConfiguration(kind: .cae)
            : ModelConfiguration(kind: kind, encoderHidden: [12, 10], decoderHidden: [10, 12], latent: 16)
        let model = try ModelFactory.make(configuration, seed: 42)
        model.eval()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-export-\(kind.rawValue)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let weights = folder.appendingPathComponent("model.pth")
        try TorchCheckpoint.write(model.stateDict().map { TorchNamedTensor(key: $0.key, array: storedArray($0.value)) },
                                  to: weights)
        var rng = RandomStream(seed: 9, stream: "interop")
        let x = kind == .cae ? Tensor.randn([2, 12, 64], using: &rng) : Tensor.randn([2, 24, 12], using: &rng)
        let eps = Tensor.randn(kind == .cae ? [1] : [2, 24, 16], using: &rng)
        try NPY.write(storedArray(x), to: folder.appendingPathComponent("x.npy").path)
        try NPY.write(storedArray(eps), to: folder.appendingPathComponent("eps.npy").path)
        let sizes = "\(configuration.encoderHidden[0]),\(configuration.encoderHidden[1]),"
            + "\(configuration.decoderHidden[0]),\(configuration.decoderHidden[1]),\(configuration.latent)"
        try #require(try runPython([Self.script, "--check-export", weights.path, kind.rawValue, sizes,
                                    folder.appendingPathComponent("x.npy").path, folder.appendingPathComponent("eps.npy").path,
                                    folder.path]) == 0)
        func torchOutput(_ name: String) throws -> Tensor {
            let array = try NPY.read(contentsOf: folder.appendingPathComponent(name + ".npy").path)
            return try Tensor(shape: array.shape, scalars: array.floats())
        }
        var outputs: [(Tensor, String)] = []
        try withNoGrad {
            switch model {
            case let cae as CAE:
                outputs = [(try cae.forward(x), "recon")]
            case let vae as VAEBiLSTM:
                let output = try vae.forward(x, latentNoise: eps)
                outputs = [(output.xMean, "x_mean"), (output.xLogVariance, "x_logvar"), (output.mu, "mu")]
                if let attention = output.attention, let leadWeights = output.leadWeights {
                    outputs += [(attention, "attention"), (leadWeights, "lead_weights")]
                }
            case let maVAE as MAVAE:
                let output = try maVAE.forward(x, latentNoise: eps, outputNoise: Tensor.zeros(x.shape))
                outputs = [(output.xMean, "x_mean"), (output.xLogVariance, "x_logvar"), (output.attention, "attention"),
                           (output.focus, "focus")]
            default:
                Issue.record("unexpected model type \(type(of: model))")
            }
        }
        for (actual, name) in outputs {
            expectClose(actual, try torchOutput(name), rtol: 1e-4, atol: 1e-6, "\(kind.rawValue) \(name)")
        }
    }
}

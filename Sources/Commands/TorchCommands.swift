// PyTorch weights in and out (topic `model`): import_torch reads a .pth state_dict strictly into a new
// model, export_torch writes one that torch.load + load_state_dict(strict=True) accept.
import ECGKit
import Foundation
import Formats
import Models
import NN
import Script
import TensorCore

func torchCommandSpecs() -> [CommandSpec] {
    [
        CommandSpec(
            name: "import_torch", topic: "model", summary: "A model with the weights of a PyTorch state_dict (.pth).",
            details: """
                Reads the file without Python (a torch.save zip holding a state_dict, or a checkpoint dict with
                one under 'model_state_dict' / 'state_dict') and loads it strictly into a new model of the
                given kind and sizes (as model(); size defaults to "reference", the thesis sizes, which the
                published weights use). Missing or unexpected keys and shape mismatches are errors that
                list every key concerned.
                """,
            example: "m = import_torch(\"models/best_cae_model.pth\", kind=\"cae\")\n"
                + "v = import_torch(\"vae.pth\", kind=\"vae-mha\", size=\"small\")",
            parameters: [
                Parameter("path", .path(extensions: ["pth", "pt"]), .required, "the .pth file"),
                Parameter("kind", .choice(modelKindNames), .optional(defaultValue: .string("cae")), "model kind"),
            ] + modelShapeParameters(defaultSize: "reference"),
            returns: "model",
            handler: { arguments, interpreter in
                let given = try arguments.string("path")
                let path = interpreter.resolveSourcePath(given)
                let (configuration, sizeName) = try modelConfiguration(arguments)
                return .object(ModelValue(try importTorch(path: path, given: given, configuration: configuration,
                                                          sizeName: sizeName)))
            }),
        CommandSpec(
            name: "export_torch", topic: "model", summary: "Write a model's weights as a PyTorch state_dict (.pth).",
            details: """
                Writes the torch.save zip format (float32 tensors under the reference PyTorch keys), which
                torch.load and model.load_state_dict(strict=True) accept without ecgs.
                """,
            example: "export_torch(m, \"cae.pth\")",
            parameters: [
                Parameter("m", .object("model"), .required, "the model"),
                Parameter("path", .path(extensions: ["pth", "pt"]), .required, "the file to write"),
            ],
            hasCommandForm: true,
            handler: { arguments, interpreter in
                let model = try arguments.object("m", as: ModelValue.self)
                let given = try arguments.string("path")
                let path = interpreter.resolveSourcePath(given)
                let tensors = model.trained.model.stateDict().map { entry in
                    TorchNamedTensor(key: entry.key, array: StoredArray(shape: entry.value.shape,
                                                                        elements: .float32(entry.value.contiguous().scalars)))
                }
                do {
                    try TorchCheckpoint.write(tensors, to: URL(fileURLWithPath: path))
                } catch {
                    throw ScriptError("cannot write '\(given)': \(error)", argument: "path")
                }
                let count = model.trained.model.parameterCount.formatted(.number.grouping(.automatic))
                interpreter.output.writeLine("wrote \(tensors.count) tensors (\(count) "
                                             + "parameters) to \(given)")
                return .none
            }),
    ]
}

/// A new model of `configuration` holding the weights of the state_dict at `path`, loaded strictly.
private func importTorch(path: String, given: String, configuration: ModelConfiguration,
                         sizeName: String) throws -> TrainedModel {
    let fileExtension = (path as NSString).pathExtension.lowercased()
    guard fileExtension == "pth" || fileExtension == "pt" else {
        throw ScriptError("'\(given)' is not a PyTorch weights file (.pth or .pt expected)", argument: "path")
    }
    let checkpoint: TorchStateDict
    do {
        checkpoint = try TorchCheckpoint.read(from: URL(fileURLWithPath: path))
    } catch {
        throw ScriptError(String(describing: error), argument: "path")
    }
    var weights: [String: Tensor] = [:]
    for named in checkpoint.tensors {
        do {
            weights[named.key] = try Tensor(shape: named.array.shape, scalars: named.array.floats())
        } catch {
            throw ScriptError("\(given): tensor '\(named.key)': \(error)", argument: "path")
        }
    }
    let network: any AnomalyModel
    do {
        network = try ModelFactory.make(configuration, seed: 0)
    } catch {
        throw ScriptError(String(describing: error))
    }
    do {
        try network.loadStateDict(weights, strict: true)
    } catch let error as NNError {
        throw ScriptError("\(given) does not fit a \(configuration.kind.rawValue) \(sizeName) model: \(error)", argument: "path")
    }
    network.eval()
    return TrainedModel(network, sizeName: sizeName, origin: "import_torch(\"\(given)\")")
}

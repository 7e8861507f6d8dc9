// Model commands (topic `model`): model info import_torch export_torch, the library that also holds
// fit, score, threshold, evaluate and metrics, and the argument readers they share.
import ECGKit
import Foundation
import Models
import Script

/// The model workflow as one library: making, training, scoring, thresholds, evaluation, PyTorch weights.
public func modelCommands() -> CommandLibrary {
    CommandLibrary(name: "model",
                   commands: modelCommandSpecs() + [fitCommandSpec()] + torchCommandSpecs() + scoringCommandSpecs()
                       + evaluationCommandSpecs(),
                   topics: [modelTopic, scoreTopic, thresholdTopic, metricsTopic])
}

/// The kind names `model` and `import_torch` accept.
let modelKindNames = ModelKind.allCases.map(\.rawValue)

private func modelCommandSpecs() -> [CommandSpec] {
    [
        CommandSpec(
            name: "model", topic: "model", summary: "A new, untrained anomaly-detection model: cae, vae, vae-mha or ma-vae.",
            details: """
                Kinds: "cae" (convolutional autoencoder, fixed sizes), "vae" (VAE-BiLSTM), "vae-mha" (VAE-BiLSTM
                with temporal and lead attention), "ma-vae" (MA-VAE). size="reference" gives the thesis sizes
                (encoder [512, 256], decoder [256, 512], latent 64), "small" (the default) encoder [64, 32],
                decoder [32, 64], latent 16. hidden=[h1, h2] sets the encoder sizes (the decoder mirrors them),
                latent= the latent size, heads= the temporal heads (or [temporal, lead]); any of them makes
                the size "custom". The weights are initialised from a seed drawn from the session seed (or
                seed=), so a replayed script builds the same model.
                """,
            example: "m = model(\"vae-mha\")\nm = model(\"cae\")\nm = model(\"vae\", hidden=[8, 4], latent=4)",
            parameters: [Parameter("kind", .choice(modelKindNames), .required, "cae, vae, vae-mha or ma-vae")]
                + modelShapeParameters(defaultSize: "small")
                + [Parameter("seed", .any, .optional(defaultValue: .none), "seed of the weights (none: from the session)")],
            returns: "model",
            handler: { arguments, interpreter in
                let (configuration, sizeName) = try modelConfiguration(arguments)
                let seed = try seedOrSessionSeed(arguments, interpreter)
                do {
                    let network = try ModelFactory.make(configuration, seed: seed)
                    network.eval()
                    let origin = "model(\"\(configuration.kind.rawValue)\", size=\"\(sizeName)\", seed=\(seed))"
                    return .object(ModelValue(TrainedModel(network, sizeName: sizeName, origin: origin)))
                } catch {
                    throw ScriptError(String(describing: error))
                }
            }),
        CommandSpec(
            name: "info", topic: "model", summary: "Describe a model: layers, parameters, configuration, training, threshold.",
            details: """
                Prints the layer tree with the parameter count of each layer, the configuration, where the
                weights came from, the training history (epochs, best epoch and validation loss, learning
                rate), the data it was trained on and its threshold. 'show m' prints the same.
                """,
            example: "info m",
            parameters: [Parameter("m", .object("model"), .required, "the model")],
            hasCommandForm: true, isReplayable: false,
            handler: { arguments, interpreter in
                interpreter.output.writeLine(try arguments.object("m", as: ModelValue.self).show())
                return .none
            }),
    ]
}

/// The configuration and size name from `kind`, `size`, `hidden`, `latent`, `heads`, `leads`.
func modelConfiguration(_ arguments: CallArguments) throws -> (ModelConfiguration, String) {
    let kindName = try arguments.string("kind")
    guard let kind = ModelKind(rawValue: kindName) else {
        throw ScriptError("unknown model kind \"\(kindName)\" (kinds: \(modelKindNames.joined(separator: ", ")))",
                          argument: "kind")
    }
    let sizeName = try arguments.string("size")
    let preset = ModelConfiguration.Preset(rawValue: sizeName) ?? .small
    var configuration = ModelConfiguration(kind: kind, preset: preset)
    if kind == .cae, let given = ["hidden", "latent", "heads"].first(where: arguments.isGiven) {
        throw ScriptError("the CAE has fixed sizes; \(given)= applies to vae, vae-mha and ma-vae", argument: given)
    }
    var custom = false
    if case .list(let items) = arguments["hidden"] {
        let sizes = try items.map { item -> Int in
            guard case .number(let number) = item, number >= 1, number == number.rounded(), number < 1e6 else {
                throw ScriptError("hidden sizes must be positive whole numbers, got \(item.summary)", argument: "hidden")
            }
            return Int(number)
        }
        guard sizes.count == 2 else {
            throw ScriptError("hidden takes two sizes [h1, h2], got \(sizes.count)", argument: "hidden")
        }
        configuration.encoderHidden = sizes
        configuration.decoderHidden = sizes.reversed()
        custom = true
    }
    if arguments.isGiven("latent") {
        configuration.latent = try arguments.integer("latent")
        custom = true
    }
    switch arguments["heads"] {
    case .number(let number):
        configuration.temporalHeads = Int(number)
        custom = true
    case .list(let items):
        let heads = items.compactMap { item -> Int? in
            if case .number(let number) = item, number == number.rounded() { return Int(number) }
            return nil
        }
        guard heads.count == 2, items.count == 2 else {
            throw ScriptError("heads takes a number or [temporal, lead], got \(arguments["heads"].summary)", argument: "heads")
        }
        configuration.temporalHeads = heads[0]
        configuration.leadHeads = heads[1]
        custom = true
    default:
        break
    }
    configuration.leads = try arguments.integer("leads")
    do {
        try configuration.validate()
    } catch {
        throw ScriptError(String(describing: error),
                          argument: arguments.isGiven("heads") ? "heads" : arguments.isGiven("latent") ? "latent" : nil)
    }
    if kind != .cae, !(1...1_000_000).contains(configuration.latent) {
        throw ScriptError("latent must be from 1 to 1000000, got \(configuration.latent)", argument: "latent")
    }
    return (configuration, custom ? "custom" : sizeName)
}

/// The parameters shaping a model, shared by `model` and `import_torch`: size preset (default
/// `defaultSize`), hidden and latent sizes, heads and input leads.
func modelShapeParameters(defaultSize: String) -> [Parameter] {
    [
        Parameter("size", .choice(["small", "reference"]), .optional(defaultValue: .string(defaultSize)), "size preset"),
        Parameter("hidden", .list, .optional(defaultValue: .none), "encoder sizes [h1, h2]"),
        Parameter("latent", .integer, .optional(defaultValue: .none), "latent size"),
        Parameter("heads", .oneOf([.integer, .list]), .optional(defaultValue: .none),
                  "temporal heads, or [temporal, lead]"),
        Parameter("leads", .integer, .optional(defaultValue: .number(12)), "input leads"),
    ]
}

/// The `seed` argument, or the session's next seed when it is none.
func seedOrSessionSeed(_ arguments: CallArguments, _ interpreter: Interpreter, name: String = "seed") throws -> UInt64 {
    try optionalSeed(arguments, name: name) ?? interpreter.nextRandomSeed()
}

/// The `seed` argument as a whole number, nil when it is none.
func optionalSeed(_ arguments: CallArguments, name: String = "seed") throws -> UInt64? {
    switch arguments[name] {
    case .none: return nil
    case .number(let number) where number >= 0 && number == number.rounded() && number < 1.8e19:
        return UInt64(number)
    case let other:
        throw ScriptError("\(name) must be a whole number from 0 or none, got \(other.summary)", argument: name)
    }
}

/// A list or tensor of numbers (or a dataset score's scores) as doubles.
func numbers(_ value: Value, argument: String) throws -> [Double] {
    switch value {
    case .list(let items):
        return try items.map { item in
            switch item {
            case .number(let number): return number
            case .bool(let flag): return flag ? 1 : 0
            default: throw ScriptError("\(argument) must hold numbers, got \(item.typeName)", argument: argument)
            }
        }
    case .object(let object):
        if let elements = object.numericElements { return elements }
        throw ScriptError("\(argument) must be numbers (a list or tensor), got \(object.typeName)", argument: argument)
    default:
        throw ScriptError("\(argument) must be numbers (a list or tensor), got \(value.typeName)", argument: argument)
    }
}

/// Labels as Booleans (true = anomalous) from a list or tensor of 0/1 (or true/false).
func labelFlags(_ value: Value, argument: String = "labels") throws -> [Bool] {
    try numbers(value, argument: argument).map { label in
        guard label == 0 || label == 1 else {
            throw ScriptError("labels must be 0 (normal) or 1 (anomalous), got \(formatNumber(label))", argument: argument)
        }
        return label == 1
    }
}

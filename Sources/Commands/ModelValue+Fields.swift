// ModelValue fields (`m.kind`, `m.history`, `m.threshold` …) and `show m` / `info m`: layers with
// their parameter counts, configuration, origin, training summary, training data and threshold.
import ECGKit
import Models
import NN
import Script
import TensorCore

extension ModelValue {
    /// The fields `m.<TAB>` completes.
    public var fieldNames: [String] {
        ["kind", "size", "parameters", "config", "leads", "hidden", "latent", "heads", "threshold", "score_method", "history",
         "loss", "val_loss", "epochs", "best_epoch", "best_val", "lr", "trained_on", "origin"]
    }

    /// See `help model` for each field.
    public func field(named name: String) throws -> Value {
        let configuration = trained.configuration
        let state = trained.trainingState
        let history = trained.history
        switch name {
        case "kind": return .string(trained.kind.rawValue)
        case "size": return .string(trained.sizeName)
        case "parameters": return .number(Double(trained.model.parameterCount))
        case "config": return .string(configurationText(configuration))
        case "leads": return .number(Double(configuration.leads))
        case "hidden": return .list(configuration.encoderHidden.map { .number(Double($0)) })
        case "latent": return .number(Double(configuration.latent))
        case "heads": return .list([.number(Double(configuration.temporalHeads)), .number(Double(configuration.leadHeads))])
        case "threshold": return trained.threshold.map { .object(ThresholdValue($0)) } ?? .none
        case "score_method":
            return .string((trained.scoreMethod ?? ScoringOptions.defaultMethod(for: trained.kind)).rawValue)
        case "history":
            let columns = history.flatMap { epoch in
                [Double(epoch.epoch), epoch.trainingLoss, epoch.validationLoss, epoch.beta, epoch.learningRate].map { Float($0) }
            }
            return .object(TensorValue(try Tensor(shape: [history.count, 5], scalars: columns)))
        case "loss": return .object(TensorValue(try Tensor(shape: [history.count], scalars: history.map { Float($0.trainingLoss) })))
        case "val_loss":
            return .object(TensorValue(try Tensor(shape: [history.count], scalars: history.map { Float($0.validationLoss) })))
        case "epochs": return .number(Double(state?.epoch ?? 0))
        case "best_epoch": return state?.bestEpoch.map { .number(Double($0)) } ?? .none
        case "best_val": return state?.bestValidationLoss.map { .number($0) } ?? .none
        case "lr": return state.map { .number($0.learningRate) } ?? .none
        case "trained_on": return trained.trainingData.map { .string($0) } ?? .none
        case "origin": return .string(trained.origin)
        default: throw ScriptError.noSuchField(name, typeName: typeName, available: fieldNames)
        }
    }

    /// What `show m` and `info m` print: the summary, the layer tree with parameter counts, the
    /// configuration, where the weights came from, the training summary and the threshold.
    public func show() -> String {
        var lines = [summary, "", trained.model.description, ""]
        lines.append("configuration: " + configurationText(trained.configuration))
        lines.append("origin: " + trained.origin)
        if let state = trained.trainingState, state.epoch > 0 {
            var text = "training: \(plural(state.epoch, "epoch"))"
            if let best = state.bestEpoch, let loss = state.bestValidationLoss {
                text += ", best epoch \(best) (val \(formatNumber(loss)))"
            }
            text += ", lr \(formatNumber(state.learningRate))"
            if let last = state.history.last {
                text += ", last loss \(formatNumber(last.trainingLoss)) val \(formatNumber(last.validationLoss))"
            }
            lines.append(text)
            if let options = trained.trainingOptions {
                lines.append("options: batch \(options.batchSize), lr \(formatNumber(options.learningRate)), clip "
                             + (options.gradientClip.map(formatNumber) ?? "none") + ", seed \(options.seed)")
            }
        } else {
            lines.append("training: none")
        }
        lines.append("trained on: " + (trained.trainingData ?? "nothing yet"))
        lines.append("threshold: " + (trained.threshold.map { ThresholdValue($0).summary } ?? "none (set one with threshold(m, data))"))
        let method = trained.scoreMethod ?? ScoringOptions.defaultMethod(for: trained.kind)
        lines.append("score method: \(method.rawValue)" + (trained.scoreMethod == nil ? " (the kind's default)" : ""))
        return lines.joined(separator: "\n")
    }
}

/// `vae-mha: 12 leads, encoder [64, 32], decoder [32, 64], latent 16, heads 8/4, input noise 0.01, dropout 0.1`.
func configurationText(_ configuration: ModelConfiguration) -> String {
    guard configuration.kind != .cae else { return "cae: \(configuration.leads) leads, channels 32/64/128, kernels 7/5/3" }
    var parts = ["\(configuration.leads) leads", "encoder \(describeShape(configuration.encoderHidden))",
                 "decoder \(describeShape(configuration.decoderHidden))", "latent \(configuration.latent)"]
    switch configuration.kind {
    case .vaeMHA: parts.append("heads \(configuration.temporalHeads)/\(configuration.leadHeads)")
    case .maVAE: parts.append("heads \(configuration.temporalHeads)")
    case .cae, .vae: break
    }
    switch configuration.inputNoise {
    case .gaussian(let sigma): parts.append("input noise \(formatNumber(Double(sigma)))")
    case .dropout(let probability): parts.append("input dropout \(formatNumber(Double(probability)))")
    case .none: break
    }
    parts.append("dropout \(formatNumber(Double(configuration.mlpDropout)))")
    return configuration.kind.rawValue + ": " + parts.joined(separator: ", ")
}

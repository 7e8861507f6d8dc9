// ModelValue: a model as a value of the language (`model`, `fit`, `import_torch` produce and train it).
import ECGKit
import Foundation
import Script

/// A model in the language. Wraps a `TrainedModel` by reference: `fit(m, data)` trains `m` in place.
public struct ModelValue: ScriptObject {
    /// The model with its training state, history and threshold.
    public let trained: TrainedModel

    /// Wraps `trained`.
    public init(_ trained: TrainedModel) {
        self.trained = trained
    }

    /// `model`: what `type(m)` returns and `help model` documents.
    public var typeName: String { "model" }

    /// `model vae-mha small  176,138 parameters  trained 5 epochs  threshold p95 = 0.812`.
    public var summary: String {
        var parts = ["model \(trained.kind.rawValue) \(trained.sizeName)",
                     "\(trained.model.parameterCount.formatted(.number.grouping(.automatic))) parameters"]
        let epochs = trained.trainingState?.epoch ?? 0
        parts.append(epochs == 0 ? (trained.origin.hasPrefix("import_torch") ? "imported weights" : "untrained") : "trained \(plural(epochs, "epoch"))")
        if let threshold = trained.threshold {
            parts.append("threshold \(threshold.label) = \(formatNumber(threshold.value))")
        }
        return parts.joined(separator: "  ")
    }

    /// Parameters are float32: 4 bytes each.
    public var byteCount: Int { trained.model.parameterCount * 4 }

    /// Two models are equal when they are the same object or hold bit-identical weights of the same configuration.
    public func isEqual(to other: any ScriptObject) -> Bool {
        guard let other = other as? ModelValue else { return false }
        if other.trained === trained { return true }
        guard other.trained.configuration == trained.configuration else { return false }
        let mine = trained.model.stateDict()
        let theirs = other.trained.model.stateDict()
        guard mine.count == theirs.count else { return false }
        for ((key, tensor), (twinKey, twin)) in zip(mine, theirs) {
            guard key == twinKey, twin.shape == tensor.shape else { return false }
            let same = zip(tensor.scalars, twin.scalars).allSatisfy { (left: Float, right: Float) in left.bitPattern == right.bitPattern }
            if !same { return false }
        }
        return true
    }
}

// ScoreValue: what `score(m, record | dataset)` returns — one record's full result or a dataset's scores.
import ECGKit
import Script

/// A score result in the language.
public struct ScoreValue: ScriptObject {
    /// One record's result (traces, attention, …) or a dataset's per-record scores.
    public enum Content: Sendable {
        case record(ScoreResult)
        case dataset(DatasetScores)
    }

    /// The wrapped result.
    public var content: Content

    /// Wraps `content`.
    public init(_ content: Content) {
        self.content = content
    }

    /// `score`: what `type(s)` returns and `help score` documents.
    public var typeName: String { "score" }

    /// `score A3794 by cae (mse): 0.0123` or `scores of 120 records by vae (elbo)`.
    public var summary: String {
        switch content {
        case .record(let result):
            "score \(result.recordName) by \(result.modelKind.rawValue) (\(result.method.rawValue)): \(formatNumber(result.score))"
        case .dataset(let scores):
            "scores of \(scores.scores.count) records" + (scores.modelKind.map { " by \($0.rawValue)" } ?? "")
        }
    }
}

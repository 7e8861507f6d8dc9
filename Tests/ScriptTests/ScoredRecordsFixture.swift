// Real scored records for the figure, report and show tests: CPSC 2018 A0001-A0020 preprocessed by the
// reference chain and scored (with saliency) by the published CAE, threshold at the median score.
import ECGKit
import Evaluation
import Formats
import Foundation
import Models
import Script
import TensorCore
import TestSupport
import Commands

enum ScoredRecords {
    /// The thesis' published CAE weights (best_cae_model.pth), loaded strictly.
    static func publishedModel() throws -> CAE {
        let checkpoint = try TorchCheckpoint.read(from: TestPaths.shared("seed/best_cae_model.pth"))
        var dict: [String: Tensor] = [:]
        for named in checkpoint.tensors {
            dict[named.key] = try Tensor(shape: named.array.shape, scalars: named.array.floats())
        }
        let model = try CAE()
        try model.loadStateDict(dict, strict: true)
        model.eval()
        return model
    }

    /// The records' names, A0001 ... A0020.
    static let names = (1...20).map { String(format: "A%04d", $0) }

    /// The 20 results, each with the median of the 20 scores as its threshold (so both verdicts occur).
    static let results: Result<[ScoreResult], any Error> = Result {
        let model = try publishedModel()
        var results = try names.map { name in
            let record = try RecordLoader.load(TestPaths.shared("ecg12/cpsc2018/\(name).hea").path).preprocessed()
            return try Scorer.score(model, record: record, options: ScoringOptions(saliency: true))
        }
        let threshold = try Threshold.percentile(of: results.map(\.score), p: 50)
        for index in results.indices {
            results[index].threshold = threshold
            results[index].label = 1
        }
        return results
    }

    /// An interpreter with every command, writing into `output`, with `values` defined as variables.
    static func session(_ values: [String: Value], output: any Output = CapturedOutput()) -> Interpreter {
        let interpreter = Interpreter(registry: makeCommandRegistry(), output: output, interruption: Interruption())
        for (name, value) in values { interpreter.variables[name] = value }
        return interpreter
    }

    /// Runs `text` as a script in `interpreter`.
    static func run(_ interpreter: Interpreter, _ text: String) throws {
        try interpreter.run(Source(name: "test", text: text))
    }

    /// Row `lead` of an `[L, T']` tensor, its first `count` values.
    static func row(_ tensor: Tensor, _ lead: Int, count: Int) -> [Double] {
        let width = tensor.shape[1]
        return tensor.scalars[(lead * width)..<(lead * width + count)].map(Double.init)
    }

    /// Half-open index runs where `values` exceed `threshold`, written here independently of Render;
    /// a run starting less than `gap` samples after the previous one ended joins it.
    static func runsAbove(_ values: [Double], _ threshold: Double, mergingGapsBelow gap: Double = 0) -> [Range<Int>] {
        var runs: [Range<Int>] = [], start: Int?
        func close(_ run: Range<Int>) {
            if let last = runs.last, Double(run.lowerBound - last.upperBound) < gap {
                runs[runs.count - 1] = last.lowerBound..<run.upperBound
            } else {
                runs.append(run)
            }
        }
        for (index, value) in values.enumerated() {
            if value > threshold, start == nil { start = index }
            if !(value > threshold), let first = start { close(first..<index); start = nil }
        }
        if let first = start { close(first..<values.count) }
        return runs
    }
}

// Workspace round trips of the composite kinds: dataset, model (with training state and threshold),
// score_result, dataset_scores, metric_table and threshold. Each comes back equal (floats bit for
// bit), save → load → save gives byte-identical files, and the listing summarises each from metadata.
@testable import ECGKit
import Evaluation
import Foundation
import Models
import Optim
import Testing
import TensorCore
import TestSupport
@testable import Formats

/// Values of every composite kind, built with the library API (small sizes so a debug run is quick).
enum WorkspaceKindSamples {
    /// 6 synthetic records (1.2 s at 500 Hz), labels 0, 1 and unknown, diagnoses, skipped files,
    /// a seeded split and windows.
    static func dataset() throws -> Dataset {
        let records = TrainingTestData.records(count: 6, seed: 11)
        let base = Dataset(source: "synthetic (seed 11)", records: records, labels: [0, 1, nil, 0, 0, 1],
                           diagnoses: [["NORM"], ["MI", "STTC"], [], ["NORM"], ["NORM", "SR"], ["426783006"]],
                           skipped: ["bad/A9999.hea: truncated signal file", "bad/Ü.npy: not a NumPy file"])
        return try base.split(validationFraction: 0.34, seed: 42).windowed(length: 200, stride: 150, layout: .leadsByTime)
    }

    /// A tiny VAE trained 2 epochs (Adam state, history, best weights), with a percentile threshold.
    static func trainedModel() throws -> TrainedModel {
        let (training, validation) = try TrainingTestData.windows()
        let model = try ModelFactory.make(TrainingTestData.tinyVAE, seed: 2)
        let options = TrainingOptions(epochs: 2, batchSize: 32, learningRate: 1e-2, gradientClip: nil,
                                      betaSchedule: .delayedRamp(start: 1e-8, end: 1e-2, firstEpoch: 2, lastEpoch: 9),
                                      validationWindows: 20, earlyStoppingPatience: 3, seed: UInt64.max - 4)
        let result = try Trainer.fit(model, training: training, validation: validation, options: options)
        return TrainedModel(model, sizeName: "custom", origin: "model(\"vae\", seed=2)", trainingOptions: options,
                            trainingState: result.state, trainingData: "synthetic: 10 records (8 train, 2 val)",
                            threshold: Threshold(method: .peaksOverThreshold, value: 812.25,
                                                 parameters: ["u": 700.5, "gamma": -0.125, "q": 1e-3], sampleCount: 120))
    }

    /// The model's score of one record with input, label and threshold, sigma and lead strips.
    static func scoreResult(_ trained: TrainedModel) throws -> ScoreResult {
        let record = TrainingTestData.records(count: 1, duration: 1.0, seed: 3)[0]
        var result = try Scorer.score(trained.model, record: record,
                                      options: ScoringOptions(window: 200, stride: 100, latentSampling: .mean))
        result.input = try Tensor(shape: [record.leadCount, record.sampleCount], scalars: record.samples.map(Float.init))
        result.label = 1
        result.threshold = trained.threshold
        return result
    }

    /// Scores of the sample dataset with every record's details.
    static func datasetScores(_ trained: TrainedModel) throws -> DatasetScores {
        var scores = try Scorer.score(trained.model, dataset: try dataset(),
                                      options: ScoringOptions(window: 200, stride: 100, latentSampling: .mean),
                                      keepDetails: true)
        scores.modelKind = trained.kind
        scores.method = .negativeELBO
        scores.threshold = trained.threshold
        return scores
    }

    static func metricTable() throws -> MetricTable {
        let scores = [0.1, 0.4, 0.35, 0.8, 0.05, 0.9, 0.6]
        let labels = [false, false, true, true, false, true, false]
        return MetricTable(rows: [
            try EvaluationRow(name: "cae (published)", scores: scores, labels: labels,
                              threshold: try Threshold.percentile(of: scores, p: 95)),
            try EvaluationRow(name: "vae small", scores: scores.map { $0 * $0 }, labels: labels,
                              threshold: try Threshold.maximizingF1(scores: scores.map { $0 * $0 }, labels: labels)),
        ])
    }
}

@Suite("Workspace kinds", .serialized)
struct WorkspaceKindTests {
    /// Saves `variables`, loads them back, saves again: returns the loaded values; the files must be equal.
    private func roundTrip(_ variables: [(name: String, value: WorkspaceValue)], folder name: String)
        throws -> [(name: String, value: WorkspaceValue)] {
        let folder = try ScratchFolder.folder(name)
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = folder.appendingPathComponent("first.h5"), second = folder.appendingPathComponent("second.h5")
        try Workspace.save(variables, session: WorkspaceSamples.session, to: first)
        let loaded = try Workspace.load(from: first)
        #expect(loaded.formatVersion == WorkspaceFormatVersion(major: 1, minor: 1))
        #expect(loaded.variables.map(\.name) == variables.map(\.name))
        try Workspace.save(loaded.variables, session: loaded.session, to: second)
        let firstBytes = try Data(contentsOf: first), secondBytes = try Data(contentsOf: second)
        #expect(firstBytes == secondBytes, "save → load → save changed the file (\(firstBytes.count) vs \(secondBytes.count) bytes)")
        let differences = try Workspace.differences(between: first, and: second, names: variables.map(\.name))
        #expect(differences.values.allSatisfy { $0.isEmpty }, "\(differences)")
        return loaded.variables
    }

    private func object<T>(_ value: WorkspaceValue, as type: T.Type) throws -> T {
        guard case .object(let stored) = value, let typed = stored as? T else {
            throw WorkspaceError(.malformed, file: "test", "expected a \(T.self), got \(value.typeName)")
        }
        return typed
    }

    @Test("a dataset (records, labels incl. unknown, diagnoses, skipped, split, windows) survives save → load")
    func datasetRoundTrip() throws {
        let dataset = try WorkspaceKindSamples.dataset()
        let empty = Dataset(source: "", records: [])
        let loaded = try roundTrip([("d", .object(dataset)), ("empty", .object(empty))], folder: "kind-dataset")
        let back = try object(loaded[0].value, as: Dataset.self)
        #expect(back.source == dataset.source)
        #expect(back.records == dataset.records)
        #expect(back.records.flatMap(\.samples).map(\.bitPattern) == dataset.records.flatMap(\.samples).map(\.bitPattern))
        #expect(back.labels == [0, 1, nil, 0, 0, 1])
        #expect(back.diagnoses == dataset.diagnoses && back.skipped == dataset.skipped)
        #expect(back.split == dataset.split && back.split?.validation.count == 3)
        #expect(back.windowSet == dataset.windowSet)
        #expect(back.windowSet?.shape == [18, 12, 200] && back.windowSet?.layout == .leadsByTime)
        let emptyBack = try object(loaded[1].value, as: Dataset.self)
        #expect(emptyBack.count == 0 && emptyBack.split == nil && emptyBack.windowSet == nil)
    }

    @Test("a trained model comes back with bit-identical weights, options, training state, history and threshold")
    func modelRoundTrip() throws {
        let trained = try WorkspaceKindSamples.trainedModel()
        let untrained = TrainedModel(try ModelFactory.make(.cae, preset: .small, seed: 9), sizeName: "small",
                                     origin: "model(\"cae\", size=\"small\", seed=9)")
        let mha = TrainedModel(try ModelFactory.make(ModelConfiguration(kind: .vaeMHA, encoderHidden: [8, 6], decoderHidden: [6, 8],
                                                                        latent: 8, temporalHeads: 2, leadHeads: 4,
                                                                        inputNoise: .dropout(probability: 0.01),
                                                                        mlpDropout: 0.2), seed: 3),
                               sizeName: "custom", origin: "import_torch(\"x.pth\")")
        mha.scoreMethod = .attentionWeighted
        // A state before any epoch (what a fit interrupted in its first epoch leaves): empty weights and history.
        let fresh = TrainedModel(try ModelFactory.make(.maVAE, preset: .small, seed: 5), sizeName: "small", origin: "test",
                                 trainingOptions: TrainingOptions(gradientClip: nil, betaSchedule: .maVAE(total: 8, grace: 2, mode: .monotonic)),
                                 trainingState: TrainingState())
        let loaded = try roundTrip([("m", .object(trained)), ("cae", .object(untrained)), ("mha", .object(mha)),
                                    ("fresh", .object(fresh))], folder: "kind-model")
        for (original, value) in zip([trained, untrained, mha, fresh], loaded.map(\.value)) {
            let back = try object(value, as: TrainedModel.self)
            #expect(back !== original)
            #expect(back.configuration == original.configuration)
            #expect(back.sizeName == original.sizeName && back.origin == original.origin)
            #expect(back.trainingData == original.trainingData && back.threshold == original.threshold)
            #expect(back.scoreMethod == original.scoreMethod)
            let mine = original.model.stateDict(), theirs = back.model.stateDict()
            #expect(mine.map(\.key) == theirs.map(\.key))
            for (left, right) in zip(mine, theirs) {
                #expect(left.value.shape == right.value.shape)
                #expect(left.value.scalars.map(\.bitPattern) == right.value.scalars.map(\.bitPattern), "\(left.key)")
            }
            #expect(back.trainingState == original.trainingState)
            #expect(back.trainingOptions?.betaSchedule == original.trainingOptions?.betaSchedule)
            #expect(back.trainingOptions?.seed == original.trainingOptions?.seed)
            #expect(back.trainingOptions?.gradientClip == original.trainingOptions?.gradientClip)
            #expect(back.trainingOptions?.validationWindows == original.trainingOptions?.validationWindows)
            #expect(back.trainingOptions?.earlyStoppingPatience == original.trainingOptions?.earlyStoppingPatience)
            #expect(back.trainingOptions?.learningRate == original.trainingOptions?.learningRate)
        }
        let back = try object(loaded[0].value, as: TrainedModel.self)
        #expect(back.history.count == 2 && back.trainingState?.optimizer?.steps.allSatisfy { $0 > 0 } == true)
        #expect(back.trainingOptions?.seed == UInt64.max - 4)
        // The reloaded model scores a record exactly as the original.
        let record = TrainingTestData.records(count: 1, duration: 1.0, seed: 3)[0]
        let options = ScoringOptions(window: 200, stride: 100, latentSampling: .mean)
        let expected = try Scorer.score(trained.model, record: record, options: options)
        let actual = try Scorer.score(back.model, record: record, options: options)
        #expect(actual.score.bitPattern == expected.score.bitPattern)
    }

    @Test("a model group whose parameters do not fit its configuration is refused by name")
    func modelWithWrongParametersIsRefused() throws {
        let folder = try ScratchFolder.folder("kind-model-bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("w.h5")
        let model = TrainedModel(try ModelFactory.make(.cae, preset: .small), sizeName: "small", origin: "test")
        try Workspace.save([("m", .object(model))], session: WorkspaceSamples.session, to: url)
        let file = try HDF5File.open(at: url, writable: true)
        let parameters = try file.root().openGroup("variables/m/parameters")
        try parameters.setAttribute("parameter_order", .strings(["encoder.0.weight"]))
        try file.close()
        #expect {
            try Workspace.load(from: url)
        } throws: { error in
            let text = String(describing: error)
            return text.contains("/variables/m: 'parameters' do not fit a cae model") && text.contains("missing")
        }
    }

    @Test("score results (with input, label, threshold, sigma) and dataset scores with details survive save → load")
    func scoresRoundTrip() throws {
        let trained = try WorkspaceKindSamples.trainedModel()
        let result = try WorkspaceKindSamples.scoreResult(trained)
        let scores = try WorkspaceKindSamples.datasetScores(trained)
        var bare = scores
        bare.details = nil
        bare.modelKind = nil
        bare.method = nil
        bare.threshold = nil
        let loaded = try roundTrip([("s", .object(result)), ("all", .object(scores)), ("bare", .object(bare))],
                                   folder: "kind-scores")
        let back = try object(loaded[0].value, as: ScoreResult.self)
        expectSame(back, result)
        #expect(back.sigma != nil && back.saliency == nil && back.temporalAttention == nil)
        for (index, value) in loaded.dropFirst().map(\.value).enumerated() {
            let original = index == 0 ? scores : bare
            let copy = try object(value, as: DatasetScores.self)
            #expect(copy.names == original.names && copy.labels == original.labels)
            #expect(copy.scores.map(\.bitPattern) == original.scores.map(\.bitPattern))
            #expect(copy.heartRates.map(\.bitPattern) == original.heartRates.map(\.bitPattern))
            #expect(copy.windowScores.map { $0.map(\.bitPattern) } == original.windowScores.map { $0.map(\.bitPattern) })
            #expect(copy.modelKind == original.modelKind && copy.method == original.method)
            #expect(copy.threshold == original.threshold)
            #expect(copy.details?.count == original.details?.count)
            for (left, right) in zip(copy.details ?? [], original.details ?? []) { expectSame(left, right) }
        }
        #expect(scores.labels == [0, 1, nil, 0, 0, 1] && scores.details?.count == 6)
    }

    @Test("metric tables and thresholds survive save → load; the table's columns hold the metrics")
    func metricsRoundTrip() throws {
        let table = try WorkspaceKindSamples.metricTable()
        let threshold = try Threshold.peaksOverThreshold(scores: (0..<200).map { sin(Double($0)) * Double($0 % 17) })
        let loaded = try roundTrip([("e", .object(table)), ("t", .object(threshold)),
                                    ("plain", .object(Threshold(method: .percentile, value: -0.0, sampleCount: 0)))],
                                   folder: "kind-metrics")
        #expect(try object(loaded[0].value, as: MetricTable.self) == table)
        #expect(try object(loaded[1].value, as: Threshold.self) == threshold)
        let plain = try object(loaded[2].value, as: Threshold.self)
        #expect(plain.value.sign == .minus && plain.parameters.isEmpty)
        // Row 0 at the 95th percentile (0.87) flags only 0.9: TP 1, FP 0, TN 4, FN 2.
        let row = table.rows[0].evaluation.confusion
        #expect((row.truePositives, row.falsePositives, row.trueNegatives, row.falseNegatives) == (1, 0, 4, 2))
    }

    @Test("the listing describes every composite kind from metadata")
    func listingSummaries() throws {
        let folder = try ScratchFolder.folder("kind-listing")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("w.h5")
        let trained = try WorkspaceKindSamples.trainedModel()
        try Workspace.save([("d", .object(try WorkspaceKindSamples.dataset())), ("m", .object(trained)),
                            ("s", .object(try WorkspaceKindSamples.scoreResult(trained))),
                            ("e", .object(try WorkspaceKindSamples.metricTable())),
                            ("t", .object(Threshold(method: .percentile, value: 0.5, parameters: ["p": 95], sampleCount: 40)))],
                           session: WorkspaceSamples.session, to: url)
        let entries = try Workspace.contents(of: url).entries
        #expect(entries.map(\.typeName) == ["dataset", "model", "score_result", "metric_table", "threshold"])
        #expect(entries[0].summary == "6 records (3 normal, 2 abnormal), split 3/3, 18 windows")
        #expect(entries[0].shape == [6] && entries[0].bytes == 6 * 12 * 600 * 8 + 18 * 12 * 200 * 4)
        #expect(entries[1].summary == "vae custom, \(trained.model.parameterCount) parameters, trained 2 epochs, "
                + "threshold pot = 812.25 (from 120 scores)")
        #expect(entries[2].summary.hasPrefix("synthetic-3-0 by vae (elbo): "))
        #expect(entries[2].shape == [12, 500])
        #expect(entries[3].summary.hasPrefix("2 rows: cae (published) F1 0.500, vae small F1 "))
        #expect(entries[4].summary == "p95 = 0.5 (from 40 scores)")
    }
}

/// Every field of two score results equal, floats bit for bit.
func expectSame(_ left: ScoreResult, _ right: ScoreResult, sourceLocation: SourceLocation = #_sourceLocation) {
    func bits(_ tensor: Tensor?) -> [UInt32]? { tensor?.scalars.map(\.bitPattern) }
    #expect(left.recordName == right.recordName && left.modelKind == right.modelKind && left.method == right.method,
            sourceLocation: sourceLocation)
    #expect(left.score.bitPattern == right.score.bitPattern && left.scoreSource == right.scoreSource,
            sourceLocation: sourceLocation)
    #expect(left.windowedScore.bitPattern == right.windowedScore.bitPattern
            && left.heartRate.bitPattern == right.heartRate.bitPattern, sourceLocation: sourceLocation)
    #expect(left.windowScores.map(\.bitPattern) == right.windowScores.map(\.bitPattern)
            && left.windowStarts == right.windowStarts, sourceLocation: sourceLocation)
    for (name, a, b) in [("reconstruction", left.reconstruction, right.reconstruction),
                         ("squaredError", left.squaredError, right.squaredError),
                         ("anomalyTrace", left.anomalyTrace, right.anomalyTrace)] {
        #expect(a.shape == b.shape && bits(a) == bits(b), "\(name)", sourceLocation: sourceLocation)
    }
    for (name, a, b) in [("sigma", left.sigma, right.sigma), ("temporalAttention", left.temporalAttention, right.temporalAttention),
                         ("leadWeights", left.leadWeights, right.leadWeights), ("leadStrips", left.leadStrips, right.leadStrips),
                         ("saliency", left.saliency, right.saliency), ("input", left.input, right.input)] {
        #expect(a?.shape == b?.shape && bits(a) == bits(b), "\(name)", sourceLocation: sourceLocation)
    }
    #expect(left.label == right.label && left.threshold == right.threshold, sourceLocation: sourceLocation)
}

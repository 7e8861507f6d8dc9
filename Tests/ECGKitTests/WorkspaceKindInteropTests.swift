// Interoperability of the format-1.1 kinds: h5py reads a saved model, dataset, scores and metrics
// as documented and PyTorch loads the model's parameters with load_state_dict(strict=True); the
// kinds h5py writes from the docs (model from a PyTorch state_dict, dataset, metrics, score) load.
@testable import ECGKit
import Evaluation
import Foundation
import Models
import Testing
import TensorCore
import TestSupport

@Suite("Workspace kinds interoperability", .serialized)
struct WorkspaceKindInteropTests {
    @Test("interop: h5py reads the new kinds as documented; PyTorch loads the model's parameters strictly",
          .enabled(if: ReferenceClients.hasH5py, "python3 with h5py is not available (pip install failed); skipped"))
    func h5pyAndTorchReadOurKinds() throws {
        let folder = try ScratchFolder.folder("h5py-kinds")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("ours.h5")
        let trained = try WorkspaceKindSamples.trainedModel()
        let dataset = try WorkspaceKindSamples.dataset()
        let score = try WorkspaceKindSamples.scoreResult(trained)
        let table = try WorkspaceKindSamples.metricTable()
        try Workspace.save([("m", .object(trained)), ("d", .object(dataset)), ("s", .object(score)),
                            ("e", .object(table)), ("t", .object(table.rows[0].threshold))],
                           session: WorkspaceSamples.session, to: url)
        let result = try ReferenceClients.run("python3", [WorkspaceInteropTests.script, "dump", url.path])
        try #require(result.status == 0, "\(result.error)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let stored = try #require(json["variables"] as? [String: [String: Any]])

        let model = try #require(stored["m"])
        #expect(model["torch_load"] as? String == "ok")
        let configuration = try #require(model["configuration"] as? [String: Any])
        #expect(configuration["kind"] as? String == "vae" && configuration["latent"] as? Int == 4)
        #expect(configuration["encoder_hidden"] as? [Int] == [8, 8])
        let parameters = try #require(model["parameters"] as? [String: [String: Any]])
        let stateDict = trained.model.stateDict()
        #expect(model["parameter_order"] as? [String] == stateDict.map(\.key))
        for (key, tensor) in stateDict {
            #expect(parameters[key]?["shape"] as? [Int] == tensor.shape, "\(key)")
            #expect(parameters[key]?["dtype"] as? String == "float32")
            #expect(parameters[key]?["bits"] as? [String] == WorkspaceInteropTests.hexBits(tensor.scalars), "\(key)")
        }
        #expect(stateDict.contains { $0.key == "enc_lstm1.weight_ih_l0_reverse" })
        let state = try #require(model["training_state"] as? [String: Any])
        let history = try #require(state["history"] as? [String: Any])
        #expect(history["epoch"] as? [Int] == [1, 2])
        // Foundation's JSON parser may round the last digit of Python's shortest repr: compare to 1e-12.
        for (column, expected) in [("validation_loss", trained.history.map(\.validationLoss)),
                                   ("beta", trained.history.map(\.beta)), ("seconds", trained.history.map(\.seconds))] {
            let values = try #require(history[column] as? [Double], "\(column)")
            #expect(values.count == expected.count && zip(values, expected).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) },
                    "\(column): \(values) vs \(expected)")
        }
        let optimizer = try #require(state["optimizer"] as? [String: Any])
        #expect(optimizer["keys"] as? [String] == stateDict.map(\.key))
        #expect((optimizer["exp_avg_shapes"] as? [String: [Int]])?["enc_lstm1.weight_ih_l0"] == [32, 12])
        #expect((model["threshold"] as? [String: Any])?["method"] as? String == "pot")
        #expect((model["training_options"] as? [String: Any])?["beta_schedule"] as? String == "delayed_ramp")

        let storedDataset = try #require(stored["d"])
        #expect(storedDataset["labels"] as? [Int] == [0, 1, -1, 0, 0, 1])
        #expect(storedDataset["diagnosis_codes"] as? [String] == dataset.diagnoses.flatMap { $0 })
        #expect(storedDataset["diagnosis_counts"] as? [Int] == [1, 2, 0, 1, 2, 1])
        #expect(((storedDataset["records"] as? [String: Any])?["items"] as? [Any])?.count == 6)
        let split = try #require(storedDataset["split"] as? [String: Any])
        #expect(split["validation"] as? [Int] == dataset.split?.validation)
        let windows = try #require(storedDataset["windows"] as? [String: Any])
        #expect((windows["data"] as? [String: Any])?["shape"] as? [Int] == [18, 12, 200])

        let storedScore = try #require(stored["s"])
        #expect(storedScore["window_starts"] as? [Int] == score.windowStarts)
        #expect(storedScore["reconstruction_bits"] as? [String] == WorkspaceInteropTests.hexBits(score.reconstruction.scalars))
        let arrays = try #require(storedScore["arrays"] as? [String: [String: Any]])
        #expect(arrays["sigma"]?["shape"] as? [Int] == [12, 500])
        #expect(arrays["input"]?["attrs"] as? [String: String] == ["dims": "lead,time"])
        #expect(arrays["saliency"] == nil)

        let columns = try #require(stored["e"]?["columns"] as? [String: Any])
        #expect(columns["name"] as? [String] == ["cae (published)", "vae small"])
        #expect(columns["true_positives"] as? [Int] == table.rows.map(\.evaluation.confusion.truePositives))
        #expect(columns["f1"] as? [Double] == table.rows.map(\.evaluation.f1))
        #expect(stored["t"]?["parameters"] as? [String: Double] == ["p": 95])
    }

    @Test("interop: a model h5py wrote from a PyTorch state_dict, a dataset, metrics and a score load in ecgs",
          .enabled(if: ReferenceClients.hasH5py, "python3 with h5py is not available (pip install failed); skipped"))
    func ecgsLoadsH5pyKinds() throws {
        let folder = try ScratchFolder.folder("h5py-kinds-write")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("theirs.h5")
        let result = try ReferenceClients.run("python3", [WorkspaceInteropTests.script, "write", url.path])
        try #require(result.status == 0, "\(result.error)")
        let loaded = try Workspace.load(from: url, names: ["th", "m", "d", "e", "sr"])
        let values = loaded.variables.map(\.value)

        guard case .object(let thresholdObject) = values[0], let threshold = thresholdObject as? Threshold,
              case .object(let modelObject) = values[1], let model = modelObject as? TrainedModel,
              case .object(let datasetObject) = values[2], let dataset = datasetObject as? Dataset,
              case .object(let tableObject) = values[3], let table = tableObject as? MetricTable,
              case .object(let scoreObject) = values[4], let score = scoreObject as? ScoreResult else {
            Issue.record("the h5py kinds did not load as their types: \(values.map(\.typeName))")
            return
        }
        #expect(threshold == Threshold(method: .percentile, value: 0.8125, parameters: ["p": 95], sampleCount: 40))

        // Parameter i (state_dict order) holds ((arange + i) % 101) / 1000 - 0.05 as float32.
        #expect(model.configuration == ModelConfiguration(kind: .vae, encoderHidden: [8, 8], decoderHidden: [8, 8], latent: 4,
                                                          temporalHeads: 2, leadHeads: 2, inputNoise: .none, mlpDropout: 0.1))
        for (index, (key, tensor)) in model.model.stateDict().enumerated() {
            let expected = (0..<tensor.count).map { Float((Double(($0 + index) % 101) / 1000 - 0.05)) }
            #expect(tensor.scalars == expected, "\(key)")
        }
        #expect(model.origin.hasPrefix("torch 2.") && model.trainingState == nil)
        #expect(model.threshold == Threshold(method: .f1, value: 1.5, parameters: ["f1": 0.75], sampleCount: 10))

        #expect(dataset.count == 2 && dataset.labels == [1, nil] && dataset.diagnoses == [["MI", "STTC"], []])
        #expect(dataset.records[1].samples == Array(repeating: 1.5, count: 300) && dataset.records[1].samplingRate == 100)
        #expect(dataset.split == DatasetSplit(seed: 42, validationFraction: 0.5, training: [1], validation: [0]))

        // Youden at 0.5 on these scores: flags 0.9, 0.7, 0.6 → TP 2, FP 1, TN 3, FN 0.
        let confusion = try #require(table.rows.first?.evaluation.confusion)
        #expect((confusion.truePositives, confusion.falsePositives, confusion.trueNegatives, confusion.falseNegatives)
                == (2, 1, 3, 0))
        #expect(table.rows.first?.name == "h5py row")

        #expect(score.recordName == "r0" && score.modelKind == .cae && score.method == .mse && score.score == 0.25)
        #expect(score.windowStarts == [0, 150] && score.reconstruction.shape == [1, 300] && score.sigma == nil)
        #expect(score.label == nil && score.threshold == nil && score.heartRate == 72)
    }
}

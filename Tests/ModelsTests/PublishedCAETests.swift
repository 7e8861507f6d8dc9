// The thesis' published CAE weights (best_cae_model.pth) on record A3794 against PyTorch's outputs
// (shared/data/reference, computed by PyTorch 2.15 in float32).
import Foundation
import Formats
import Models
import NN
import TensorCore
import Testing
import TestSupport

@Suite struct PublishedCAETests {
    static let reference = TestPaths.shared("reference")

    /// The published model, loaded through the state-dict API from the .pth file.
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

    /// `A3794.npy` ([5000, 12] float64) transposed to [12, 5000] and cast to float32.
    static func record() throws -> Tensor {
        let raw = try NPY.read(contentsOf: TestPaths.shared("seed/A3794.npy").path)
        #expect(raw.shape == [5000, 12])
        return try Tensor(shape: raw.shape, scalars: raw.doubles().map(Float.init)).transposed(0, 1).contiguous()
    }

    static func referenceArray(_ name: String) throws -> Tensor {
        let array = try NPYFixture(contentsOf: reference.appendingPathComponent(name))
        return try Tensor(shape: array.shape, scalars: array.values)
    }

    static func referenceScores() throws -> [String: Any] {
        let data = try Data(contentsOf: reference.appendingPathComponent("cae_A3794.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(json["scores"] as? [String: Any])
    }

    @Test func wholeRecordReconstructionEncodingAndScore() throws {
        let model = try Self.publishedModel()
        let record = try Self.record()
        expectClose(record, try Self.referenceArray("cae_input_A3794.npy"), rtol: 0, atol: 0, "input")
        let batch = try record.unsqueezed(axis: 0)
        let encoded = try withNoGrad { try model.encode(batch) }.squeezed(axis: 0)
        let encodedDifference = expectClose(encoded, try Self.referenceArray("cae_encoded_A3794.npy"),
                                            rtol: 0, atol: 1e-4, "encoded")
        let (perLead, overall, reconstruction) = try model.reconstructionError(record: record)
        let reconstructionDifference = expectClose(reconstruction, try Self.referenceArray("cae_recon_A3794.npy"),
                                                   rtol: 0, atol: 1e-4, "reconstruction")
        let scores = try Self.referenceScores()
        let expectedMSE = try #require(scores["mse_full_record"] as? Double)
        #expect(abs(overall - expectedMSE) / expectedMSE < 1e-6, "MSE \(overall) vs \(expectedMSE)")
        let expectedPerLead = try #require(scores["mse_per_lead_full_record"] as? [Double])
        #expect(firstMismatch(perLead, expectedPerLead, rtol: 1e-5) == nil)
        print("published CAE: encoded max |diff| \(encodedDifference), reconstruction max |diff| \(reconstructionDifference), "
              + "MSE \(overall) vs \(expectedMSE) (rel \(abs(overall - expectedMSE) / expectedMSE))")
    }

    @Test func windowedReconstructionAndScore() throws {
        let model = try Self.publishedModel()
        let record = try Self.record()
        let windows = try Tensor.stack((0..<19).map { try record.sliced(axis: 1, start: 250 * $0, end: 250 * $0 + 500) },
                                       axis: 0)
        let reconstruction = try withNoGrad { try model.forward(windows) }
        let difference = expectClose(reconstruction, try Self.referenceArray("cae_recon_windows_A3794.npy"),
                                     rtol: 0, atol: 1e-4, "window reconstructions")
        let x = windows.scalars, y = reconstruction.scalars
        var perWindow = [Double](repeating: 0, count: 19)
        for w in 0..<19 {
            var sum = 0.0
            for i in (w * 6000)..<((w + 1) * 6000) { sum += Double(x[i] - y[i]) * Double(x[i] - y[i]) }
            perWindow[w] = sum / 6000
        }
        let score = perWindow.reduce(0, +) / 19
        let scores = try Self.referenceScores()
        let expected = try #require(scores["ecg_score_windowed"] as? Double)
        #expect(abs(score - expected) / expected < 1e-5, "windowed score \(score) vs \(expected)")
        let expectedPerWindow = try #require(scores["mse_per_window"] as? [Double])
        #expect(firstMismatch(perWindow, expectedPerWindow, rtol: 1e-5) == nil)
        print("published CAE windows: max |diff| \(difference), score \(score) vs \(expected)")
    }

    @Test func saliencyMatchesPyTorch() throws {
        let model = try Self.publishedModel()
        let saliency = try model.saliency(record: try Self.record())
        let expected = try Self.referenceArray("cae_saliency_A3794.npy")
        // Normalised to [0, 1]; the gradient sums thousands of float32 products per element, so the
        // comparison is absolute on the normalised scale.
        let difference = expectClose(saliency, expected, rtol: 0, atol: 1e-4, "saliency")
        print("published CAE saliency: max |diff| \(difference)")
    }
}

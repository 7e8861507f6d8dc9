// Scorer: the published CAE on record A3794 against PyTorch's reference outputs, and a small random
// VAE-BiLSTM-MHA checked field by field against direct computations and the per-lead strip twin.
import Foundation
@testable import ECGKit
import Formats
import Models
import NN
import Signal
import TensorCore
import Testing
import TestSupport

@Suite struct ScoringTests {
    static let reference = TestPaths.shared("reference")

    static func publishedCAE() throws -> CAE {
        let checkpoint = try TorchCheckpoint.read(from: TestPaths.shared("seed/best_cae_model.pth"))
        var dictionary: [String: Tensor] = [:]
        for named in checkpoint.tensors {
            dictionary[named.key] = try Tensor(shape: named.array.shape, scalars: named.array.floats())
        }
        let model = try CAE()
        try model.loadStateDict(dictionary, strict: true)
        return model
    }

    /// `cae_input_A3794.npy`, the [12, 5000] float32 model input, as a 500 Hz record.
    static func recordA3794() throws -> Record {
        let input = try NPYFixture(contentsOf: reference.appendingPathComponent("cae_input_A3794.npy"))
        #expect(input.shape == [12, 5000])
        return Record(name: "A3794", samplingRate: 500, leadNames: canonicalLeadNames,
                      units: Array(repeating: "mV", count: 12), samples: input.values.map(Double.init),
                      sampleCount: 5000, source: "reference", sourceFormat: "npy")
    }

    static func referenceArray(_ name: String) throws -> [Float] {
        try NPYFixture(contentsOf: reference.appendingPathComponent(name)).values
    }

    static func referenceScores() throws -> [String: Any] {
        let data = try Data(contentsOf: reference.appendingPathComponent("cae_A3794.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(json["scores"] as? [String: Any])
    }

    @Test func publishedCAEWholeRecordScoreAndSaliency() throws {
        let result = try Scorer.score(try Self.publishedCAE(), record: try Self.recordA3794(),
                                      options: ScoringOptions(saliency: true))
        let scores = try Self.referenceScores()
        let wholeRecordMSE = try #require(scores["mse_full_record"] as? Double)
        #expect(result.scoreSource == .wholeRecord)
        #expect(result.method == .mse && result.modelKind == .cae)
        #expect(abs(result.score - wholeRecordMSE) / wholeRecordMSE < 1e-6, "score \(result.score) vs \(wholeRecordMSE)")
        let windowed = try #require(scores["ecg_score_windowed"] as? Double)
        #expect(abs(result.windowedScore - windowed) / windowed < 1e-5, "windowed \(result.windowedScore) vs \(windowed)")
        let perWindow = try #require(scores["mse_per_window"] as? [Double])
        #expect(firstMismatch(result.windowScores, perWindow, rtol: 1e-5) == nil)
        #expect(result.windowStarts == Array(stride(from: 0, through: 4500, by: 250)))
        let reconstruction = try Self.referenceArray("cae_recon_A3794.npy")
        #expect(result.reconstruction.shape == [12, 5000])
        #expect(maxAbsDifference(result.reconstruction.scalars, reconstruction) < 1e-4)
        let saliency = try #require(result.saliency)
        #expect(saliency.shape == [12, 5000])
        #expect(maxAbsDifference(saliency.scalars, try Self.referenceArray("cae_saliency_A3794.npy")) < 1e-4)
        // Squared error and trace are the point-wise (x - recon)^2 of the whole-record pass.
        let input = try Self.referenceArray("cae_input_A3794.npy")
        let squared = zip(input, result.reconstruction.scalars).map { ($0 - $1) * ($0 - $1) }
        #expect(firstMismatch(result.squaredError.scalars, squared, rtol: 1e-6, atol: 1e-12) == nil)
        #expect(result.anomalyTrace.scalars == result.squaredError.scalars)
        #expect(result.sigma == nil && result.temporalAttention == nil && result.leadStrips == nil)
    }

    @Test func publishedCAEWindowedReconstruction() throws {
        let result = try Scorer.score(try Self.publishedCAE(), record: try Self.recordA3794(),
                                      options: ScoringOptions(caePass: .windows))
        let scores = try Self.referenceScores()
        let windowed = try #require(scores["ecg_score_windowed"] as? Double)
        #expect(result.scoreSource == .windowMean)
        #expect(abs(result.score - windowed) / windowed < 1e-5)
        #expect(abs(windowed - 2.7848452e-05) < 1e-12)
        let expected = try Self.referenceArray("cae_recon_windows_full_A3794.npy")
        #expect(maxAbsDifference(result.reconstruction.scalars, expected) < 1e-4)
        #expect(result.saliency == nil)
    }

    static func smallVAEMHA(seed: UInt64 = 3) throws -> any AnomalyModel {
        try ModelFactory.make(TrainingTestData.tinyVAEMHA, seed: seed)
    }

    @Test func vaeMHAFieldsShapesAndFormulas() throws {
        let model = try Self.smallVAEMHA()
        let record = TrainingTestData.records(count: 1, duration: 2)[0]
        let options = ScoringOptions(window: 200, stride: 100, latentSampling: .mean, leadStrips: true)
        let result = try Scorer.score(model, record: record, options: options)
        let (leads, steps, windows) = (12, 1000, 9)
        #expect(result.modelKind == .vaeMHA && result.method == .weighted && result.scoreSource == .windowMean)
        #expect(result.windowScores.count == windows && result.windowStarts == Array(stride(from: 0, through: 800, by: 100)))
        #expect(abs(result.score - result.windowScores.reduce(0, +) / Double(windows)) < 1e-9)
        for field in [result.reconstruction, result.squaredError, result.anomalyTrace] { #expect(field.shape == [leads, steps]) }
        let sigma = try #require(result.sigma)
        #expect(sigma.shape == [leads, steps])
        #expect(result.temporalAttention?.shape == [windows, 200, 200])
        #expect(result.leadWeights?.shape == [windows, 200, leads])
        #expect(result.leadStrips?.shape == [leads, steps])

        // Direct computation: the model on the windows with z = mu, overlap-averaged by hand.
        let x = record.samples.map(Float.init)
        var windowValues = [Float](repeating: 0, count: windows * 200 * leads)
        for w in 0..<windows {
            for t in 0..<200 { for l in 0..<leads { windowValues[(w * 200 + t) * leads + l] = x[l * steps + w * 100 + t] } }
        }
        let vae = try #require(model as? VAEBiLSTM)
        let output = try withNoGrad {
            try vae.forward(try Tensor(shape: [windows, 200, leads], scalars: windowValues),
                            latentNoise: Tensor.zeros([windows, 200, 8]))
        }
        let mean = output.xMean.scalars, logVariance = output.xLogVariance.scalars
        var reconstruction = [Double](repeating: 0, count: leads * steps)
        var deviation = [Double](repeating: 0, count: leads * steps)
        var counts = [Double](repeating: 0, count: steps)
        for w in 0..<windows {
            for t in 0..<200 {
                counts[w * 100 + t] += 1
                for l in 0..<leads {
                    reconstruction[l * steps + w * 100 + t] += Double(mean[(w * 200 + t) * leads + l])
                    deviation[l * steps + w * 100 + t] += exp(0.5 * Double(logVariance[(w * 200 + t) * leads + l]))
                }
            }
        }
        for l in 0..<leads {
            for t in 0..<steps {
                reconstruction[l * steps + t] /= counts[t]
                deviation[l * steps + t] /= counts[t]
            }
        }
        #expect(firstMismatch(result.reconstruction.scalars, reconstruction, rtol: 1e-5, atol: 1e-6) == nil)
        #expect(firstMismatch(sigma.scalars, deviation, rtol: 1e-5, atol: 1e-6) == nil)
        let trace = (0..<(leads * steps)).map { i -> Double in
            let d = Double(x[i]) - reconstruction[i]
            return 0.7 * d * d + 0.3 * log(deviation[i] * deviation[i] + 1e-6)
        }
        #expect(firstMismatch(result.anomalyTrace.scalars, trace, rtol: 1e-4, atol: 1e-5) == nil)
        #expect(maxAbsDifference(result.temporalAttention?.scalars ?? [], output.attention?.scalars ?? [1]) == 0)
        // Window 0's weighted score: 0.4 sum(d^2 / (e^lv + 1e-6)) + 0.6 sum(lv) + 0.6 sum KL.
        var scaled = 0.0, logSum = 0.0, kl = 0.0
        for i in 0..<(200 * leads) {
            let d = Double(windowValues[i]) - Double(mean[i]), lv = Double(logVariance[i])
            scaled += d * d / (exp(lv) + 1e-6)
            logSum += lv
        }
        let mu = output.mu.scalars, latentLogVariance = output.logVariance.scalars
        for i in 0..<(200 * 8) {
            kl += -0.5 * (1 + Double(latentLogVariance[i]) - Double(mu[i]) * Double(mu[i]) - exp(Double(latentLogVariance[i])))
        }
        let expectedFirst = 0.4 * scaled + 0.6 * logSum + 0.6 * kl
        #expect(abs(result.windowScores[0] - expectedFirst) <= 1e-4 * abs(expectedFirst))
    }

    @Test func batchedLeadStripsEqualThePerLeadTwin() throws {
        let adapter = try ModelAdapter(try Self.smallVAEMHA(seed: 5))
        adapter.model.eval()
        let record = TrainingTestData.records(count: 1, duration: 2, seed: 3)[0]
        let input = Scorer.paddedSamples(record, steps: 1000)
        for reduction in ScoringOptions.StripReduction.allCases {
            let options = ScoringOptions(stripReduction: reduction)
            let batched = try LeadStrips.batched(adapter, input: input, leads: 12, steps: 1000, options: options)
            let twin = try LeadStrips.perLeadReference(adapter, input: input, leads: 12, steps: 1000, options: options)
            #expect(batched.shape == [12, 1000])
            #expect(maxAbsDifference(batched.scalars, twin.scalars) < 1e-6, "\(reduction)")
            if reduction == .windowMean {
                // Softmax rows sum to 1, so the mean weight of a 100 x 100 window is 1/100 everywhere.
                #expect(maxAbsDifference(batched.scalars, [Float](repeating: 0.01, count: 12_000)) < 1e-6)
            } else {
                #expect(Set(batched.scalars).count > 100)
            }
        }
    }

    @Test func sampledLatentIsSeededPerRecord() throws {
        let model = try ModelFactory.make(TrainingTestData.tinyVAE, seed: 1)
        let records = TrainingTestData.records(count: 2, duration: 1.2, seed: 4)
        let options = ScoringOptions(window: 200, stride: 100)
        let first = try Scorer.score(model, record: records[0], options: options)
        let again = try Scorer.score(model, record: records[0], options: options)
        #expect(first.windowScores == again.windowScores)
        #expect(first.method == .negativeELBO && first.temporalAttention == nil)
        let deterministic = try Scorer.score(model, record: records[0],
                                             options: ScoringOptions(window: 200, stride: 100, latentSampling: .mean))
        #expect(deterministic.windowScores != first.windowScores)

        let dataset = Dataset(source: "synthetic", records: records, labels: [0, 1])
        var reported: [Int] = []
        let scores = try Scorer.score(model, dataset: dataset, options: options, progress: { done, _ in reported.append(done) })
        #expect(reported == [1, 2])
        #expect(scores.scores[0] == first.score && scores.details == nil)
        #expect(scores.labelledScores.labels == [false, true])
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try Scorer.score(model, dataset: dataset, options: options, checkCancellation: { throw Stop() })
        }
    }

    @Test func heartRateFromLeadII() throws {
        // Lead II: unit spikes every 400 samples at 500 Hz (0.8 s apart: 75 beats per minute); lead I has
        // spikes every 250 samples, which must not be used.
        var samples = [Double](repeating: 0, count: 12 * 5000)
        for t in stride(from: 100, to: 5000, by: 400) { samples[5000 + t] = 1 }
        for t in stride(from: 100, to: 5000, by: 250) { samples[t] = 1 }
        let record = Record(name: "spikes", samplingRate: 500, leadNames: canonicalLeadNames,
                            units: Array(repeating: "mV", count: 12), samples: samples, sampleCount: 5000,
                            source: "test", sourceFormat: "test")
        let result = try Scorer.score(try CAE(), record: record)
        #expect(abs(result.heartRate - 75) < 1e-9)
        let renamed = Record(name: "no lead II", samplingRate: 500, leadNames: (1...12).map { "C\($0)" },
                             units: Array(repeating: "mV", count: 12), samples: samples, sampleCount: 5000,
                             source: "test", sourceFormat: "test")
        #expect(try Scorer.score(try CAE(), record: renamed).heartRate.isNaN)
    }

    @Test func scoringRejectsMismatchedInput() throws {
        let cae = try CAE()
        let record = TrainingTestData.records(count: 1)[0].selectingLeads(Array(0..<8))
        #expect(throws: ScoringError.leadCount(record: record.name, expected: 12, actual: 8)) {
            try Scorer.score(cae, record: record)
        }
        let full = TrainingTestData.records(count: 1)[0]
        #expect(throws: ScoringError.self) { try Scorer.score(cae, record: full, options: ScoringOptions(method: .weighted)) }
        let vae = try ModelFactory.make(TrainingTestData.tinyVAE)
        #expect(throws: ScoringError.self) {
            try Scorer.score(vae, record: full, options: ScoringOptions(method: .attentionWeighted))
        }
    }

    @Test func briefTrainingScoresAnomalousRecordsHigher() throws {
        // A CAE trained for a few epochs on normal synthetic records reconstructs unseen normal records
        // better than records with PVCs and wide QRS complexes.
        let normal = Dataset(source: "synthetic", records: TrainingTestData.records(count: 12, duration: 2, seed: 21))
        let model = try CAE(seed: 3)
        _ = try Trainer.fit(model, training: try normal.windows(length: 200, stride: 50, records: Array(0..<10)),
                            validation: try normal.windows(length: 200, stride: 100, records: [10, 11]),
                            options: TrainingOptions(epochs: 6, batchSize: 16, learningRate: 2e-3, seed: 1))
        let options = ScoringOptions(window: 200, stride: 100)
        let testNormal = TrainingTestData.records(count: 4, duration: 2, seed: 22)
        let anomalous = TrainingTestData.records(count: 4, duration: 2, seed: 23, anomalies: [.wideQRS, .pvc])
        let normalScores = try testNormal.map { try Scorer.score(model, record: $0, options: options).score }
        let anomalousScores = try anomalous.map { try Scorer.score(model, record: $0, options: options).score }
        // Measured: normal 0.019-0.028, anomalous 0.14-0.44; every anomalous record scores above every normal one.
        let lowestAnomalous = try #require(anomalousScores.min()), highestNormal = try #require(normalScores.max())
        #expect(lowestAnomalous > 2 * highestNormal, "normal \(normalScores), anomalous \(anomalousScores)")
    }
}

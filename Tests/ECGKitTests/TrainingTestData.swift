// Small training data for the Trainer and Scorer tests: synthetic normal 12-lead records (z-scored per
// lead) and tiny model configurations that train in a debug test run.
@testable import ECGKit
import Models
import TensorCore

enum TrainingTestData {
    /// `count` synthetic normal records of `duration` seconds at 500 Hz, z-scored per lead.
    static func records(count: Int, duration: Double = 1.2, seed: UInt64 = 7, anomalies: [SyntheticAnomaly] = [])
        -> [Record] {
        var generator = RandomStream(seed: seed, stream: "synthetic")
        var options = SyntheticECGOptions()
        options.duration = duration
        return (0..<count).map { index in
            let ecg = SyntheticECGGenerator.generate(anomalies: anomalies, options: options, using: &generator)
            let samples = ecg.signal.flatMap { lead -> [Double] in
                let mean = lead.reduce(0, +) / Double(lead.count)
                let variance = lead.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(lead.count)
                return lead.map { ($0 - mean) / (variance.squareRoot() + 1e-8) }
            }
            return Record(name: "synthetic-\(seed)-\(index)", samplingRate: 500, leadNames: canonicalLeadNames,
                          units: Array(repeating: "mV", count: 12), samples: samples,
                          sampleCount: ecg.signal[0].count, source: "synthetic", sourceFormat: "synthetic")
        }
    }

    /// Windows of 64 samples (stride 32) from 8 training and 2 validation records.
    static func windows(layout: WindowLayout = .timeByLeads) throws -> (training: WindowSet, validation: WindowSet) {
        let dataset = Dataset(source: "synthetic", records: records(count: 10))
        let training = try dataset.windows(length: 64, stride: 32, layout: layout, records: Array(0..<8))
        let validation = try dataset.windows(length: 64, stride: 32, layout: layout, records: [8, 9])
        return (training, validation)
    }

    static let tinyVAE = ModelConfiguration(kind: .vae, encoderHidden: [8, 8], decoderHidden: [8, 8], latent: 4)
    static let tinyVAEMHA = ModelConfiguration(kind: .vaeMHA, encoderHidden: [8, 8], decoderHidden: [8, 8], latent: 8,
                                               temporalHeads: 2, leadHeads: 2)

    /// The model's state_dict as plain arrays.
    static func weights(_ model: any AnomalyModel) -> [String: [Float]] {
        Dictionary(uniqueKeysWithValues: model.stateDict().map { ($0.key, $0.value.scalars) })
    }

    /// A history entry without its wall-clock seconds (which differ between identical runs).
    static func timeless(_ entries: [TrainingEpoch]) -> [TrainingEpoch] {
        entries.map { entry in
            var copy = entry
            copy.seconds = 0
            return copy
        }
    }
}

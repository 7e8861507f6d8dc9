// Training and scoring benchmark at the library level: Scorer.score per 10 s record (with the dashboard's
// per-lead strips) and Trainer.fit throughput, for the CAE and the small VAE presets.
import ECGKit
import Foundation
import Models
import NN
import TensorCore

/// `ecgs-bench training [--repeats N] [--reference]`: median seconds of `Scorer.score` on one synthetic
/// 10 s record (CAE with saliency; VAE-BiLSTM and VAE-BiLSTM-MHA small, the latter with lead strips),
/// of the lead strips alone (small, and reference size with `--reference`; PyTorch's dashboard loop
/// takes 15.4 s per record at reference size, models.md), and of one `Trainer.fit` epoch over 640
/// windows of 500 samples at batch 64 (10 optimizer steps plus validation on 128 windows), reported per
/// step. One JSON line per case.
enum TrainingBench {
    static func run(_ args: [String]) throws {
        var repeats = 3
        var reference = false
        var index = 0
        while index < args.count {
            switch args[index] {
            case "--repeats" where index + 1 < args.count:
                repeats = Int(args[index + 1]) ?? repeats
                index += 1
            case "--reference":
                reference = true
            default:
                break
            }
            index += 1
        }
        BLAS.setThreads(2)
        let records = syntheticRecords(count: 12)
        let record = records[0]
        let dataset = Dataset(source: "synthetic", records: records)

        let cae = try CAE(seed: 0)
        let small = try ModelFactory.make(.vae, preset: .small)
        let smallMHA = try ModelFactory.make(.vaeMHA, preset: .small)
        try report("score cae (whole record, saliency)", repeats) {
            _ = try Scorer.score(cae, record: record, options: ScoringOptions(saliency: true))
        }
        try report("score vae small", repeats) { _ = try Scorer.score(small, record: record) }
        try report("score vae-mha small (no strips)", repeats) { _ = try Scorer.score(smallMHA, record: record) }
        try report("score vae-mha small (with strips)", repeats) {
            _ = try Scorer.score(smallMHA, record: record, options: ScoringOptions(leadStrips: true))
        }
        if reference {
            let large = try ModelFactory.make(.vaeMHA, preset: .reference)
            try report("score vae-mha reference (with strips)", 1) {
                _ = try Scorer.score(large, record: record, options: ScoringOptions(leadStrips: true))
            }
        }

        let training = try dataset.windows(length: 500, stride: 125, records: Array(0..<10))
        let validation = try dataset.windows(length: 500, stride: 250, records: [10, 11])
        let options = TrainingOptions(epochs: 1, batchSize: 64, trainingWindows: 640, validationWindows: 128)
        for (name, model) in [("cae", cae as any AnomalyModel), ("vae small", small), ("vae-mha small", smallMHA)] {
            let seconds = try median(repeats) {
                _ = try Trainer.fit(model, training: training, validation: validation, options: options)
            }
            line("fit epoch \(name), per step (10 steps + validation)", seconds / 10)
        }
    }

    static func report(_ name: String, _ repeats: Int, _ body: () throws -> Void) throws {
        let seconds = try median(repeats, body)
        line(name, seconds)
    }

    /// One JSON line, written unbuffered so each case shows up as soon as it is measured.
    static func line(_ name: String, _ seconds: Double) {
        FileHandle.standardOutput.write(Data("{\"case\": \"\(name)\", \"seconds\": \(seconds)}\n".utf8))
    }

    /// Median wall-clock seconds of `repeats` runs (at least one) after one warm-up.
    static func median(_ repeats: Int, _ body: () throws -> Void) throws -> Double {
        try ModelBench.medianSeconds(max(1, repeats), body).wall
    }

    /// Synthetic 10 s normal records, z-scored per lead.
    static func syntheticRecords(count: Int) -> [Record] {
        var generator = RandomStream(seed: 1, stream: "training bench")
        return (0..<count).map { index in
            let ecg = SyntheticECGGenerator.generate(using: &generator)
            let samples = ecg.signal.flatMap { lead -> [Double] in
                let mean = lead.reduce(0, +) / Double(lead.count)
                let deviation = (lead.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(lead.count)).squareRoot()
                return lead.map { ($0 - mean) / (deviation + 1e-8) }
            }
            return Record(name: "bench-\(index)", samplingRate: 500, leadNames: canonicalLeadNames,
                          units: Array(repeating: "mV", count: 12), samples: samples, sampleCount: ecg.signal[0].count,
                          source: "synthetic", sourceFormat: "synthetic")
        }
    }
}

// RecordsBench: read + full reference preprocessing of the 10 s 12-lead 500 Hz records of ecg12/
// (WFDB .hea + .mat) in records per second, on one core and on two. Python side:
// scripts/bench/python_read_preprocess.py (wfdb-python + SciPy), measured the same two ways.
import ECGKit
import Formats
import Foundation

enum RecordsBench {
    /// Arguments: `[shared-data-folder] [rounds]`; the folder defaults to `$ECGS_SHARED_DATA` or
    /// `../shared/data`. Prints (1) the median time per record over every record of every round, one
    /// core, which shrugs off time lost to other processes on a busy machine, and (2) the median
    /// throughput of whole rounds with 1 and 2 workers, which includes that time.
    static func run(_ args: [String]) throws {
        let environment = ProcessInfo.processInfo.environment["ECGS_SHARED_DATA"]
        let shared = args.first ?? environment ?? "../shared/data"
        let rounds = args.count > 1 ? Int(args[1]) ?? 7 : 7
        let all = try WFDBRecord.headerPaths(in: (shared as NSString).appendingPathComponent("ecg12"), recursive: true)
        let paths = try all.filter { path in
            let header = try WFDBHeader.read(contentsOf: path)
            return header.signalCount == 12 && header.samplingFrequency == 500 && header.sampleCount == 5000
                && header.signals.allSatisfy { $0.fileName.hasSuffix(".mat") }
        }
        print("records bench: \(paths.count) records (12 leads, 500 Hz, 5000 samples, .hea + .mat), \(rounds) rounds")
        var parallelLeads = PreprocessingOptions.reference
        parallelLeads.parallelLeads = true
        let raw = try paths.map { try RecordLoader.load($0) }
        let perRecord: [(String, (Int) throws -> Int)] = [
            ("read only", { try RecordLoader.load(paths[$0]).sampleCount }),
            ("preprocess only (record in memory)", { try raw[$0].preprocessed().sampleCount }),
            ("read + preprocess", { try RecordLoader.load(paths[$0]).preprocessed().sampleCount }),
            ("read + preprocess, 4-lead groups on 2 threads", { try RecordLoader.load(paths[$0]).preprocessed(parallelLeads).sampleCount }),
        ]
        for (label, work) in perRecord {
            var times: [Double] = []
            for _ in 0..<rounds {
                for index in paths.indices {
                    let start = DispatchTime.now().uptimeNanoseconds
                    guard try work(index) > 0 else { throw DatasetError("records bench", "empty record") }
                    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                }
            }
            times.sort()
            let median = times[times.count / 2]
            print(String(format: "per record, 1 core, %@: median %.3f ms/record = %.1f records/s", label, median, 1000 / median))
        }
        for workers in [1, 2] {
            var rates: [Double] = []
            for _ in 0..<rounds {
                let start = DispatchTime.now().uptimeNanoseconds
                let dataset = try Dataset.records(at: paths, options: DatasetLoadOptions(preprocessing: .reference, workers: workers))
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                guard dataset.count == paths.count else { throw DatasetError("records bench", "loaded \(dataset.count) of \(paths.count)") }
                rates.append(Double(paths.count) / seconds)
            }
            rates.sort()
            print(String(format: "whole rounds, read + preprocess, %d worker(s): median %.1f records/s (min %.1f, max %.1f)",
                         workers, rates[rates.count / 2], rates.first ?? 0, rates.last ?? 0))
        }
    }
}

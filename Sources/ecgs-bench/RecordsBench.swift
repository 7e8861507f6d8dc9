// RecordsBench: read + full reference preprocessing of the 10 s 12-lead 500 Hz records of ecg12/
// (WFDB .hea + .mat) in records per second, on one core and on two. Python side:
// scripts/bench/python_read_preprocess.py (wfdb-python + SciPy), measured the same two ways.
import ECGKit
import Formats
import Foundation

enum RecordsBench {
    /// Arguments: `[shared-data-folder] [rounds]`; the folder defaults to `$ECGS_SHARED_DATA` or
    /// `../shared/data`. Prints (1) the median time per record over every record of every round, one
    /// core, which shrugs off time lost to other processes on a busy machine (with the median thread CPU
    /// time beside it), and (2) the median throughput of whole rounds with 1 and 2 workers, which
    /// includes that time.
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
        // The third field: the work runs on the calling thread only, so its thread CPU time is all of it.
        let perRecord: [(String, (Int) throws -> Int, Bool)] = [
            ("read only", { try RecordLoader.load(paths[$0]).sampleCount }, true),
            ("preprocess only (record in memory)", { try raw[$0].preprocessed().sampleCount }, true),
            ("read + preprocess", { try RecordLoader.load(paths[$0]).preprocessed().sampleCount }, true),
            ("read + preprocess, 4-lead groups on 2 threads", { try RecordLoader.load(paths[$0]).preprocessed(parallelLeads).sampleCount }, false),
        ]
        for (label, work, oneThread) in perRecord {
            var times: [Double] = [], cpuTimes: [Double] = []
            for _ in 0..<rounds {
                for index in paths.indices {
                    let start = DispatchTime.now().uptimeNanoseconds, cpuStart = threadCPUNanoseconds()
                    guard try work(index) > 0 else { throw DatasetError("records bench", "empty record") }
                    cpuTimes.append(Double(threadCPUNanoseconds() - cpuStart) / 1e6)
                    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                }
            }
            times.sort()
            cpuTimes.sort()
            let median = times[times.count / 2], cpuMedian = cpuTimes[cpuTimes.count / 2]
            let cpu = !oneThread ? "" : String(format: " (thread CPU time: median %.3f ms)", cpuMedian)
            print(String(format: "per record, 1 core, %@: median %.3f ms/record = %.1f records/s", label, median, 1000 / median) + cpu)
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

    /// CPU time of the calling thread (`CLOCK_THREAD_CPUTIME_ID`): unlike wall time it leaves out the
    /// slices other processes take on a loaded machine, which hit long per-record times more often.
    static func threadCPUNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}

// ReadBench: how many 10 s 12-lead WFDB records (Challenge .hea + .mat) per second
// `WFDBRecord.read` loads; the Python side is scripts/bench/wfdb_read.py (wfdb.rdrecord).
import Foundation
import Formats

enum ReadBench {
    /// Arguments: `[shared-data-folder] [rounds]`; the folder defaults to `$ECGS_SHARED_DATA`
    /// or `../shared/data`. Prints the median records per second over the rounds.
    static func run(_ args: [String]) throws {
        let environment = ProcessInfo.processInfo.environment["ECGS_SHARED_DATA"]
        let shared = args.first ?? environment ?? "../shared/data"
        let rounds = args.count > 1 ? Int(args[1]) ?? 7 : 7
        let all = try WFDBRecord.headerPaths(in: (shared as NSString).appendingPathComponent("ecg12"), recursive: true)
        let records = try all.filter { path in
            let header = try WFDBHeader.read(contentsOf: path)
            return header.signalCount == 12 && header.signals.allSatisfy { $0.fileName.hasSuffix(".mat") }
                && header.sampleCount.map { Double($0) == 10 * header.samplingFrequency } == true
        }.map { String($0.dropLast(4)) }
        var rates: [Double] = []
        var checksum = 0.0
        for _ in 0..<rounds {
            let start = DispatchTime.now().uptimeNanoseconds
            for path in records {
                let record = try WFDBRecord.read(path)
                checksum += record.physical[0][0]
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            rates.append(Double(records.count) / seconds)
        }
        rates.sort()
        let median = rates[rates.count / 2]
        print("ReadBench: \(records.count) records x \(rounds) rounds, median \(String(format: "%.1f", median)) records/s "
              + "(min \(String(format: "%.1f", rates[0])), max \(String(format: "%.1f", rates[rates.count - 1]))), check \(checksum)")
    }
}

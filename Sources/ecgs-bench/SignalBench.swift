// Benchmark of the reference preprocessing (band-pass + notch + z-score) of one 12 x 5000 record:
// records per second, one thread and parallel over leads. Python side: scripts/bench/scipy_preprocess.py.
import Foundation
import Signal

enum SignalBench {
    /// `ecgs-bench signal [repetitions]`: prints median milliseconds per record and records per second.
    static func run(_ args: [String]) throws {
        let repetitions = args.first.flatMap { Int($0) } ?? 200
        let leads = 12, samples = 5000
        // The same deterministic input as scripts/bench/scipy_preprocess.py.
        let record = (0..<leads).flatMap { lead in
            (0..<samples).map { t -> Double in
                let time = Double(t) / 500
                return sin(2 * Double.pi * 1.2 * time + Double(lead)) + 0.3 * sin(2 * Double.pi * 50 * time)
                    + 0.2 * sin(2 * Double.pi * 0.2 * time) + 0.05 * sin(2 * Double.pi * 97 * time * Double(lead + 1))
            }
        }
        let preprocessor = try Preprocessor(samplingRate: 500, notchFrequency: 50)
        let sosPreprocessor = try Preprocessor(samplingRate: 500, notchFrequency: 50, form: .secondOrderSections)
        var buffer = record
        func median(_ parallel: Bool, _ preprocessor: Preprocessor) throws -> Double {
            var times: [Double] = []
            for _ in 0..<repetitions {
                buffer = record
                let start = DispatchTime.now().uptimeNanoseconds
                try buffer.withUnsafeMutableBufferPointer { try preprocessor.process($0, leads: leads, parallel: parallel) }
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            times.sort()
            return times[times.count / 2]
        }
        _ = try median(false, preprocessor)
        for (label, parallel, chosen) in [("ba filtfilt, 1 thread", false, preprocessor), ("ba filtfilt, parallel leads", true, preprocessor),
                                          ("sos filtfilt, 1 thread", false, sosPreprocessor), ("sos filtfilt, parallel leads", true, sosPreprocessor)] {
            let milliseconds = try median(parallel, chosen)
            print(String(format: "signal preprocess 12x5000 %@: median %.3f ms/record, %.1f records/s (%d reps)",
                         label, milliseconds, 1000 / milliseconds, repetitions))
        }
    }
}

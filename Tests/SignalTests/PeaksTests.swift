// find_peaks against SciPy, the dashboard heart rate on a real record, and the R-peak detector
// against the MIT-BIH Arrhythmia Database record 100 beat annotations.
import Foundation
import Testing
import TestSupport
@testable import Signal

@Suite struct PeaksTests {
    @Test func findPeaksMatchesSciPy() throws {
        let fixture = try SignalFixtures.json("peaks.json")
        let x = try fixture.doubles("x")
        let cases = try fixture.objects("cases")
        #expect(cases.count == 5)
        for entry in cases {
            let arguments = try #require(entry["arguments"] as? [String: Any])
            let found = try Peaks.findPeaks(x, height: arguments["height"] as? Double, distance: arguments["distance"] as? Double,
                                            prominence: arguments["prominence"] as? Double)
            #expect(found.indices == (try entry.integers("peaks")), "find_peaks \(arguments)")
            #expect(found.leftBases == (try entry.integers("left_bases")), "left bases \(arguments)")
            #expect(found.rightBases == (try entry.integers("right_bases")), "right bases \(arguments)")
            expectClose(found.prominences, try entry.doubles("prominences"), rtol: 0, atol: 0, "prominences \(arguments)")
        }
        // A plateau counts once, at its middle (rounded down); ends never count.
        #expect(try Peaks.findPeaks([3, 1, 2, 2, 2, 2, 1, 5]).indices == [3])
        #expect(throws: SignalError.self) { try Peaks.findPeaks(x, distance: 0.5) }
    }

    @Test func dashboardHeartRateOnCPSC2018RecordA0001() throws {
        let fixture = try SignalFixtures.json("peaks.json")
        let digital = try SignalFixtures.npy("a0001_digital.npy")
        let processed = try Preprocessor(samplingRate: 500).process(digital.values.map { $0 / 1000.0 }, leads: 3)
        let leadII = Array(processed[5000..<10000])
        let peaks = try Peaks.findPeaks(leadII, distance: 0.4 * 500).indices
        #expect(peaks == (try fixture.integers("a0001_lead_ii_peaks")))
        let rate = try Peaks.dashboardHeartRate(lead: leadII, samplingRate: 500)
        #expect(abs(rate - (try fixture.number("a0001_bpm"))) < 1e-9, "BPM \(rate)")
        // The QRS detector on the raw lead finds the (negative) QRS complexes where the dashboard's
        // highest-peak rule lands on the T waves (plus two edge maxima): the median RR agrees.
        let rawLeadII = Array(digital.values[5000..<10000]).map { $0 / 1000.0 }
        let qrs = try RPeakDetector(samplingRate: 500).detect(rawLeadII)
        #expect(qrs.count == 16)
        let medianInterval = { (peaks: [Int]) -> Int in
            let intervals = zip(peaks.dropFirst(), peaks).map { $0 - $1 }.sorted()
            return intervals[intervals.count / 2]
        }
        #expect(abs(medianInterval(qrs) - medianInterval(peaks)) <= 3, "detector \(qrs) vs dashboard \(peaks)")
        #expect(Peaks.heartRate(peaks: [10], samplingRate: 500).isNaN)
        #expect(Peaks.heartRate(peaks: [0, 500, 1000], samplingRate: 500) == 60)
    }

    /// MIT-BIH record 100 (360 Hz, 30 min, format 212): every annotated beat must be found within 50 ms
    /// (the AAMI EC57 / `wfdb.processing.compare_annotations` window) and every detection must match a beat.
    @Test func rPeaksMatchMITBIHRecord100Annotations() throws {
        let signal = try readMLIIOfRecord100()
        let beats = try readBeatAnnotations("wfdb/target-output/ann-1")
        #expect(beats.count == 2273)
        let detections = try RPeakDetector(samplingRate: 360).detect(signal)
        let (sensitivity, positivePredictivity) = scoreDetections(detections, beats: beats, tolerance: Int((0.05 * 360).rounded()))
        #expect(sensitivity > 0.995, "record 100 sensitivity \(sensitivity)")
        #expect(positivePredictivity > 0.995, "record 100 PPV \(positivePredictivity)")
        print("MIT-BIH 100: sensitivity \(sensitivity), PPV \(positivePredictivity), \(detections.count) detections, \(beats.count) beats")
    }

    /// Greedy one-to-one matching of detections to beats within `tolerance` samples (nearest first):
    /// returns sensitivity (matched / beats) and positive predictivity (matched / detections).
    private func scoreDetections(_ detections: [Int], beats: [Int], tolerance: Int) -> (Double, Double) {
        var matched = 0, detectionIndex = 0
        var used = Set<Int>()
        for beat in beats {
            while detectionIndex < detections.count && detections[detectionIndex] < beat - tolerance { detectionIndex += 1 }
            var best: Int?
            var probe = detectionIndex
            while probe < detections.count && detections[probe] <= beat + tolerance {
                if !used.contains(probe), best.map({ abs(detections[probe] - beat) < abs(detections[$0] - beat) }) ?? true { best = probe }
                probe += 1
            }
            if let best {
                used.insert(best)
                matched += 1
            }
        }
        return (Double(matched) / Double(max(beats.count, 1)), Double(matched) / Double(max(detections.count, 1)))
    }

    /// Channel 0 (MLII) of `wfdb/sample-data/100.dat`: format 212 packs two 12-bit two's-complement samples
    /// in 3 bytes (byte 1 low nibble = high bits of sample 0, high nibble = high bits of sample 1);
    /// channels interleave. Units are ADC counts (gain 200/mV, baseline 1024 per 100.hea).
    private func readMLIIOfRecord100() throws -> [Double] {
        let data = try Data(contentsOf: TestPaths.shared("wfdb/sample-data/100.dat"))
        let bytes = [UInt8](data)
        #expect(bytes.count == 650_000 * 3)
        var samples = [Double](repeating: 0, count: 650_000)
        for frame in 0..<650_000 {
            let low = Int(bytes[3 * frame]), middle = Int(bytes[3 * frame + 1])
            var value = low | ((middle & 0x0F) << 8)
            if value >= 2048 { value -= 4096 }
            samples[frame] = Double(value - 1024) / 200
        }
        return samples
    }

    /// Beat annotations (sample numbers) from an rdann listing (time, sample, code, ...), skipping
    /// non-beat codes such as rhythm changes (`+`).
    private func readBeatAnnotations(_ path: String) throws -> [Int] {
        let text = try String(contentsOf: TestPaths.shared(path), encoding: .utf8)
        let beatCodes: Set<String> = ["N", "L", "R", "B", "A", "a", "J", "S", "V", "r", "F", "e", "j", "n", "E", "/", "f", "Q", "?"]
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 3, beatCodes.contains(String(fields[2])) else { return nil }
            return Int(fields[1])
        }
    }
}

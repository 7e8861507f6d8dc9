// WFDBWriter: writes a record as a WFDB header plus one format-16 signal file, the way
// wfdb-python's `wrsamp(..., fmt=["16"] * n)` does (same gains/baselines, rounding, header text).
//
// Output: `<name>.hea` (record line `name n_signals fs n_samples`, one signal line per channel
// `name.dat 16 gain(baseline)/units 16 0 init_value checksum 0 signal_name`, then `# comment`
// lines) and `<name>.dat` (int16 little-endian, frame-interleaved). NaN is stored as -32768.
// Non-goals: other formats, multi-frequency or multi-segment output.
import Foundation

/// Writes WFDB records in format 16. Reference: wfdb-python `wfdb.wrsamp`, `SignalMixin.adc`,
/// `calc_adc_gain_baseline`, `Record.wr_header_file`.
public enum WFDBWriter {
    /// Smallest and largest storable format-16 values (-32768 is the invalid sentinel).
    static let digitalRange: ClosedRange<Int32> = -32767...32767

    /// Writes physical signals `physical: [C][T]` as `<directory>/<recordName>.hea/.dat`.
    ///
    /// Gains and baselines default to wfdb-python's choice per channel: the signal's
    /// [min, max] is mapped onto [-32767, 32767] (`calc_adc_gain_baseline`). Digital values are
    /// `round_half_even(p * gain + baseline)`; NaN becomes -32768. Returns the header written.
    @discardableResult
    public static func write(recordName: String, directory: String, physical: [[Double]],
                             samplingFrequency: Double, signalNames: [String], units: [String]? = nil,
                             gains: [Double]? = nil, baselines: [Int]? = nil,
                             comments: [String] = []) throws -> WFDBHeader {
        let headerPath = (directory as NSString).appendingPathComponent(recordName + ".hea")
        try checkShapes(count: physical.count, signalNames: signalNames, units: units, gains: gains,
                        baselines: baselines, lengths: physical.map(\.count), file: headerPath)
        var chosenGains: [Double] = [], chosenBaselines: [Int] = []
        var digital: [[Int32]] = []
        for (channel, values) in physical.enumerated() {
            let (gain, baseline) = gains.map { ($0[channel], baselines?[channel] ?? 0) } ?? adcParameters(values)
            chosenGains.append(gain)
            chosenBaselines.append(baseline)
            var samples = [Int32](repeating: Int32(Int16.min), count: values.count)
            for (t, value) in values.enumerated() where !value.isNaN {
                let scaled = (value * gain + Double(baseline)).rounded(.toNearestOrEven)
                guard scaled >= Double(digitalRange.lowerBound), scaled <= Double(digitalRange.upperBound) else {
                    throw WFDBError(.write, file: headerPath,
                                    "signal '\(signalNames[channel])' sample \(t): \(value) x gain \(gain) + baseline \(baseline) = \(scaled) does not fit format 16 (-32767...32767)")
                }
                samples[t] = Int32(scaled)
            }
            digital.append(samples)
        }
        return try writeDigital(recordName: recordName, directory: directory, digital: digital,
                                samplingFrequency: samplingFrequency, signalNames: signalNames, units: units,
                                gains: chosenGains, baselines: chosenBaselines, comments: comments)
    }

    /// Writes digital signals `digital: [C][T]` (already in ADC units) with the given calibration.
    @discardableResult
    public static func writeDigital(recordName: String, directory: String, digital: [[Int32]],
                                    samplingFrequency: Double, signalNames: [String], units: [String]? = nil,
                                    gains: [Double], baselines: [Int], comments: [String] = []) throws -> WFDBHeader {
        let headerPath = (directory as NSString).appendingPathComponent(recordName + ".hea")
        try checkShapes(count: digital.count, signalNames: signalNames, units: units, gains: gains,
                        baselines: baselines, lengths: digital.map(\.count), file: headerPath)
        guard !recordName.isEmpty, recordName.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw WFDBError(.write, file: headerPath, "record name '\(recordName)' must be letters, digits, '_' or '-'")
        }
        let length = digital.first?.count ?? 0
        let fileName = recordName + ".dat"
        var signals: [WFDBSignalSpec] = []
        for (channel, samples) in digital.enumerated() {
            if let bad = samples.firstIndex(where: { $0 < Int32(Int16.min) || $0 > Int32(Int16.max) }) {
                throw WFDBError(.write, file: headerPath,
                                "signal '\(signalNames[channel])' sample \(bad): digital value \(samples[bad]) does not fit format 16")
            }
            // wfdb-python writes the checksum as the sum modulo 65536 (0...65535).
            let sum = samples.reduce(Int64(0)) { $0 + Int64($1) }
            let checksum = Int(((sum % 65536) + 65536) % 65536)
            signals.append(WFDBSignalSpec(fileName: fileName, format: 16, gain: gains[channel], baseline: baselines[channel],
                                          units: units?[channel] ?? "mV", adcResolution: 16, adcZero: 0,
                                          initialValue: Int(samples.first ?? 0), checksum: checksum,
                                          blockSize: 0, description: signalNames[channel]))
        }
        let header = WFDBHeader(recordName: recordName, signalCount: digital.count, samplingFrequency: samplingFrequency,
                                sampleCount: length, signals: signals, comments: comments)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(2 * length * digital.count)
        var frame = [Int32](repeating: 0, count: digital.count)
        for t in 0..<length {
            for channel in digital.indices { frame[channel] = digital[channel][t] }
            WFDBSignalFormat.encode16(frame, into: &bytes)
        }
        let datPath = (directory as NSString).appendingPathComponent(fileName)
        guard FileManager.default.createFile(atPath: datPath, contents: Data(bytes)) else {
            throw WFDBError(.write, file: datPath, "cannot create signal file")
        }
        guard FileManager.default.createFile(atPath: headerPath, contents: Data(headerText(header).utf8)) else {
            throw WFDBError(.write, file: headerPath, "cannot create header file")
        }
        return header
    }

    /// The header text wfdb-python writes for `header` (numbers in Python's shortest repr).
    public static func headerText(_ header: WFDBHeader) -> String {
        var lines = ["\(header.recordName) \(header.signalCount) \(number(header.samplingFrequency)) \(header.sampleCount ?? 0)"]
        for signal in header.signals {
            // Swift's `description` is the shortest round-trip form, like Python's `repr(float)`.
            let gain = signal.gain.description
            var line = "\(signal.fileName) \(signal.format) \(gain)(\(signal.baseline))/\(signal.units) \(signal.adcResolution)"
            line += " \(signal.adcZero) \(signal.initialValue) \(signal.checksum ?? 0) \(signal.blockSize)"
            if !signal.description.isEmpty { line += " " + signal.description }
            lines.append(line)
        }
        lines += header.comments.map { "# " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }

    /// wfdb-python `calc_adc_gain_baseline` for format 16: map [min, max] onto [-32767, 32767],
    /// baseline rounded away from the range so the maximum never overshoots.
    public static func adcParameters(_ values: [Double]) -> (gain: Double, baseline: Int) {
        let finite = values.filter { !$0.isNaN }
        guard let minimum = finite.min(), let maximum = finite.max() else { return (1, 1) }
        let digitalMinimum = Double(digitalRange.lowerBound), digitalMaximum = Double(digitalRange.upperBound)
        if minimum == maximum {
            return minimum == 0 ? (1, 1) : (abs(1 / minimum), 0)
        }
        var gain = (digitalMaximum - digitalMinimum) / (maximum - minimum)
        let exactBaseline = digitalMinimum - gain * minimum
        let baseline = Int(minimum > 0 ? exactBaseline.rounded(.up) : exactBaseline.rounded(.down))
        if Double(baseline) != digitalMinimum {
            gain = (digitalMinimum - Double(baseline)) / minimum
        }
        return (gain, baseline)
    }

    /// Sampling frequency as wfdb-python writes an integral `fs` given as a number.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : value.description
    }

    static func checkShapes(count: Int, signalNames: [String], units: [String]?, gains: [Double]?, baselines: [Int]?,
                            lengths: [Int], file: String) throws {
        guard count > 0 else { throw WFDBError(.write, file: file, "no signals to write") }
        guard Set(lengths).count == 1 else {
            throw WFDBError(.write, file: file, "signals have different lengths \(lengths)")
        }
        let checks: [(String, Int?)] = [("signal names", signalNames.count), ("units", units?.count),
                                        ("gains", gains?.count), ("baselines", baselines?.count)]
        for (what, given) in checks {
            if let given, given != count {
                throw WFDBError(.write, file: file, "\(given) \(what) for \(count) signals")
            }
        }
        for name in signalNames where name.contains("\n") || name.contains("\r") {
            throw WFDBError(.write, file: file, "signal name '\(name)' contains a line break")
        }
        if let units {
            for unit in units where unit.isEmpty || unit.contains(where: \.isWhitespace) {
                throw WFDBError(.write, file: file, "units '\(unit)' must be non-empty without spaces")
            }
        }
    }
}

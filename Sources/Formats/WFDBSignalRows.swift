// WFDBSignalRows: every frame of chosen signals of a WFDB record as physical values in one [C, T]
// array, decoded straight from the file bytes into their output rows for ordinary records.
import Foundation

/// Physical values of selected signals of a WFDB record, in one channel-major array.
///
/// Layout: `values` is `[C, T]` row-major, row `c` holding signal `signals[c]`;
/// `values[c * sampleCount + t]` equals `WFDBRecord.read(path, channels:).physical[c][t]` bit for bit
/// (wfdb-python `rdrecord(...).p_signal.T`).
public struct WFDBSignalRows: Sendable {
    /// The record's header (the master header for multi-segment records).
    public var header: WFDBHeader
    /// The selected signals in output (row) order.
    public var signals: [WFDBSignalSpec]
    /// Frames per signal, `T`.
    public var sampleCount: Int
    /// `[C, T]` physical values; NaN marks invalid samples and gaps.
    public var values: [Double]
    /// Non-fatal findings such as checksum mismatches, as `WFDBRecord.read` reports them.
    public var warnings: [WFDBWarning]
}

extension WFDBRecord {
    /// Reads every frame of the signals `channels` (header signal indices, in output order; all signals
    /// when nil) of the record whose parsed header is `header`: `[C, T]` physical values in one array.
    ///
    /// Single-segment records whose files are uncompressed, with one sample per frame and no skew (the
    /// Challenge `.mat` and PTB-XL `.dat` layouts) are decoded from the file bytes straight into their
    /// rows, checksums checked in the same pass; other records go through `read` and are flattened.
    /// - Parameter headerPath: the `.hea` path the header was read from (its folder holds the signal files).
    /// - Throws: `WFDBError` as `read` does.
    public static func readRows(header: WFDBHeader, headerPath: String, channels: [Int]? = nil) throws -> WFDBSignalRows {
        if !header.isMultiSegment {
            let directory = (headerPath as NSString).deletingLastPathComponent
            let reader = WFDBSingleSegmentReader(header: header, headerPath: headerPath, directory: directory)
            if let rows = try reader.readRowsDirectly(channels: channels ?? Array(header.signals.indices)) { return rows }
        }
        let record = try read(header: header, headerPath: headerPath, channels: channels)
        return WFDBSignalRows(header: header, signals: record.signals, sampleCount: record.sampleCount,
                              values: record.physical.flatMap { $0 }, warnings: record.warnings)
    }
}

extension WFDBSingleSegmentReader {
    /// The direct decode of `WFDBRecord.readRows`; nil when a file involved has several samples per
    /// frame, skew, difference format 8 or FLAC compression (then `read` handles it).
    func readRowsDirectly(channels: [Int]) throws -> WFDBSignalRows? {
        let involved = files.filter { $0.signalIndices.contains(where: channels.contains) }
        let direct = involved.allSatisfy { file in
            file.signalIndices.allSatisfy { index in
                let spec = header.signals[index]
                return spec.samplesPerFrame == 1 && spec.skew == 0 && spec.format != 8
                    && WFDBSignalFormat.supported.contains(spec.format)
            }
        }
        guard direct else { return nil }
        let total = try totalFrames()
        try Self.checkChannels(channels, signalCount: header.signals.count, headerPath: headerPath)
        var warnings: [WFDBWarning] = []
        let values = try [Double](unsafeUninitializedCapacity: channels.count * total) { output, initialized in
            guard let rows = output.baseAddress else { return }
            for file in involved {
                let specs = file.signalIndices.map { header.signals[$0] }
                let (bytes, _) = try readUncompressedBytes(path(of: file), fileName: file.name, specs: specs, total: total,
                                                           from: 0, lastFrame: total)
                let targets = file.signalIndices.map { headerIndex in
                    channels.indices.filter { channels[$0] == headerIndex }.map { rows + $0 * total }
                }
                let sums = Self.decodeRows(bytes, specs: specs, frames: total, into: targets)
                warnings += zip(specs, sums).compactMap { Self.checksumWarning($0, sum: $1, fileName: file.name) }
            }
            initialized = channels.count * total
        }
        return WFDBSignalRows(header: header, signals: channels.map { header.signals[$0] }, sampleCount: total,
                              values: values, warnings: warnings)
    }

    /// Decodes the frame-interleaved samples of one file (one sample per frame per signal, starting at
    /// frame 0) a cache-sized chunk of frames at a time; signal `k`'s physical values go to every row
    /// pointer in `targets[k]`. Returns each signal's sum of digital values (for the checksums).
    static func decodeRows(_ bytes: [UInt8], specs: [WFDBSignalSpec], frames: Int,
                           into targets: [[UnsafeMutablePointer<Double>]]) -> [Int64] {
        let format = specs[0].format, signals = specs.count
        let (blockSamples, blockBytes) = WFDBSignalFormat.block(format: format)
        // A whole number of blocks per chunk, so every chunk starts on a block boundary.
        let chunkFrames = 512 * blockSamples
        let physical = specs.map { spec in
            (invalid: WFDBSignalFormat.invalidSample(format: spec.format), baseline: Double(spec.baseline), gain: spec.gain)
        }
        var sums = [Int64](repeating: 0, count: signals)
        var chunk = [Int32](repeating: 0, count: chunkFrames * signals)
        bytes.withUnsafeBytes { raw in
            chunk.withUnsafeMutableBufferPointer { chunk in
                guard let digital = chunk.baseAddress else { return }
                for first in stride(from: 0, to: frames, by: chunkFrames) {
                    let count = min(chunkFrames, frames - first)
                    let startByte = first * signals / blockSamples * blockBytes
                    WFDBSignalFormat.decode(format: format, bytes: UnsafeRawBufferPointer(rebasing: raw[startByte...]),
                                            count: count * signals, into: digital)
                    for signal in 0..<signals {
                        let (invalid, baseline, gain) = physical[signal]
                        var sum: Int64 = 0
                        if let target = targets[signal].first.map({ $0 + first }) {
                            sum = convert(digital + signal, stride: signals, count: count, into: target,
                                          baseline: baseline, gain: gain, invalid: invalid)
                            for other in targets[signal].dropFirst() { (other + first).update(from: target, count: count) }
                        } else {
                            for frame in 0..<count { sum &+= Int64(digital[frame * signals + signal]) }
                        }
                        sums[signal] &+= sum
                    }
                }
            }
        }
        return sums
    }

    /// `count` digital samples `digital[i * stride]` to physical values in `target`, four at a time in
    /// SIMD lanes: per lane exactly `WFDBRecord.physicalValue` (`(Double(d) - baseline) / gain`, NaN for
    /// the invalid sentinel), so the values equal the scalar conversion bit for bit while the divisions
    /// run four per instruction. Returns the sum of the digital values.
    static func convert(_ digital: UnsafePointer<Int32>, stride: Int, count: Int, into target: UnsafeMutablePointer<Double>,
                        baseline: Double, gain: Double, invalid: Int32?) -> Int64 {
        let baselines = SIMD4<Double>(repeating: baseline), gains = SIMD4<Double>(repeating: gain)
        var sums = SIMD4<Int64>(repeating: 0)
        var frame = 0
        while frame + 4 <= count {
            let source = digital + frame * stride
            let values = SIMD4<Int32>(source[0], source[stride], source[2 * stride], source[3 * stride])
            let wide = SIMD4<Int64>(truncatingIfNeeded: values)
            sums &+= wide
            var physical = (SIMD4<Double>(values) - baselines) / gains
            if let invalid { physical.replace(with: .nan, where: wide .== SIMD4(repeating: Int64(invalid))) }
            target[frame] = physical[0]; target[frame + 1] = physical[1]
            target[frame + 2] = physical[2]; target[frame + 3] = physical[3]
            frame += 4
        }
        var sum = sums.wrappedSum()
        while frame < count {
            let value = digital[frame * stride]
            sum &+= Int64(value)
            target[frame] = WFDBRecord.physicalValue(value, baseline: baseline, gain: gain, invalid: invalid)
            frame += 1
        }
        return sum
    }
}

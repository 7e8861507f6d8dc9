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
        let directory = (headerPath as NSString).deletingLastPathComponent
        if !header.isMultiSegment {
            let reader = WFDBSingleSegmentReader(header: header, headerPath: headerPath, directory: directory)
            if let rows = try reader.readRowsDirectly(channels: channels ?? Array(header.signals.indices)) { return rows }
        }
        let record = header.isMultiSegment
            ? try WFDBMultiSegmentReader(header: header, headerPath: headerPath, directory: directory)
                .read(from: 0, to: nil, channels: channels, expanded: false)
            : try WFDBSingleSegmentReader(header: header, headerPath: headerPath, directory: directory)
                .read(from: 0, to: nil, channels: channels, expanded: false)
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
        for channel in channels where !header.signals.indices.contains(channel) {
            throw WFDBError(.request, file: headerPath, "channel \(channel) does not exist (record has \(header.signals.count) signals)")
        }
        var warnings: [WFDBWarning] = []
        let values = try [Double](unsafeUninitializedCapacity: channels.count * total) { output, initialized in
            guard let rows = output.baseAddress else { return }
            for file in involved {
                let specs = file.signalIndices.map { header.signals[$0] }
                let (flat, _) = try readUncompressed(path(of: file), fileName: file.name, specs: specs, total: total,
                                                     from: 0, lastFrame: total)
                flat.withUnsafeBufferPointer { flat in
                    for (position, headerIndex) in file.signalIndices.enumerated() {
                        let targets = channels.indices.filter { channels[$0] == headerIndex }.map { rows + $0 * total }
                        if let warning = Self.convert(flat, signal: position, of: specs, frames: total, file: file.name, into: targets) {
                            warnings.append(warning)
                        }
                    }
                }
            }
            initialized = channels.count * total
        }
        return WFDBSignalRows(header: header, signals: channels.map { header.signals[$0] }, sampleCount: total,
                              values: values, warnings: warnings)
    }

    /// Signal `signal` of the frame-interleaved digital samples `flat` (one sample per frame) to
    /// physical values in each of `targets`, checking the header checksum on the way; the checksum
    /// mismatch warning, if any.
    static func convert(_ flat: UnsafeBufferPointer<Int32>, signal: Int, of specs: [WFDBSignalSpec], frames: Int,
                        file: String, into targets: [UnsafeMutablePointer<Double>]) -> WFDBWarning? {
        let spec = specs[signal], stride = specs.count
        let invalid = WFDBSignalFormat.invalidSample(format: spec.format)
        let baseline = Double(spec.baseline), gain = spec.gain
        var sum: Int64 = 0
        if let target = targets.first {
            for frame in 0..<frames {
                let digital = flat[frame * stride + signal]
                sum &+= Int64(digital)
                target[frame] = WFDBRecord.physicalValue(digital, baseline: baseline, gain: gain, invalid: invalid)
            }
            for other in targets.dropFirst() { other.update(from: target, count: frames) }
        } else {
            for frame in 0..<frames { sum &+= Int64(flat[frame * stride + signal]) }
        }
        guard let checksum = spec.checksum,
              Int16(truncatingIfNeeded: checksum) != Int16(truncatingIfNeeded: sum) else { return nil }
        return WFDBWarning(signalName: spec.description,
                           message: "checksum mismatch in \(file): header says \(checksum), samples sum to \(Int16(truncatingIfNeeded: sum))")
    }
}

// WFDBRecord: reading a WFDB record (header + signal files, single- or multi-segment) into
// digital and physical samples, laid out [channel][sample] = [L, T] as the domain layer wants.
//
// Reading rules (wfdb-python 4.3 `rdrecord` semantics): samples of a file are interleaved frame by
// frame; a signal with skew s takes frame t from file frame t + s (frames past the end are invalid);
// several samples per frame are averaged per frame ("smooth": int64 sum / spf, truncated toward
// zero, as wfdb-python's `smooth_frames`) or kept ("expanded"); physical = (d - baseline) / gain in
// Double, NaN where d is the format's invalid sentinel. Reads are bounded: only the requested
// frames are read, after checking the file holds every frame the header declares.
import Foundation

/// A WFDB record read from disk.
///
/// Layout: `physical[c][t]` and `digital[c][t]` are `[C, T]` (channel-major, one array per
/// selected channel, `T = endSample - startSample` frames). `expandedPhysical[c]` holds
/// `T * signals[c].samplesPerFrame` samples at the channel's own rate (only when read with
/// `expanded: true`). Reference: wfdb-python `wfdb.rdrecord` (`p_signal` is `[T, C]`; this is its transpose).
public struct WFDBRecord: Sendable {
    /// The record's own header (for multi-segment records, the master header).
    public var header: WFDBHeader
    /// The selected signals, in output order (for multi-segment records, from the layout or first segment).
    public var signals: [WFDBSignalSpec]
    /// First frame read (inclusive).
    public var startSample: Int
    /// Frame after the last frame read.
    public var endSample: Int
    /// Physical values `[C, T]`; NaN marks invalid samples and gaps.
    public var physical: [[Double]]
    /// Digital values `[C, T]` (frame-averaged when a signal has several samples per frame).
    /// For multi-segment records gaps hold the channel's invalid sentinel, and segments of a
    /// variable-layout record may use different gains.
    public var digital: [[Int32]]
    /// Per-channel physical values at each channel's own rate, `[C][T * spf_c]`; nil unless asked for.
    public var expandedPhysical: [[Double]]?
    /// Per-channel digital values at each channel's own rate; nil unless asked for.
    public var expandedDigital: [[Int32]]?
    /// Non-fatal findings such as checksum mismatches.
    public var warnings: [WFDBWarning]

    /// Record name from the header.
    public var recordName: String { header.recordName }
    /// Frames per second (Hz).
    public var samplingFrequency: Double { header.samplingFrequency }
    /// Frames in the whole record (not just the part read).
    public var totalSampleCount: Int
    /// Time of sample 0 of the record.
    public var baseTime: WFDBTime? { header.baseTime }
    /// Date of sample 0 of the record.
    public var baseDate: WFDBDate? { header.baseDate }
    /// Header comments without `#` (e.g. `Dx: 426783006`, `Age: 74`).
    public var comments: [String] { header.comments }
    /// Names (descriptions) of the selected signals, e.g. `I`, `aVR`.
    public var signalNames: [String] { signals.map(\.description) }
    /// Physical units of the selected signals (`mV` by default).
    public var units: [String] { signals.map(\.units) }
    /// ADC units per physical unit of the selected signals.
    public var gains: [Double] { signals.map(\.gain) }
    /// Digital value of physical zero of the selected signals.
    public var baselines: [Int] { signals.map(\.baseline) }
    /// Frames read, `T`.
    public var sampleCount: Int { endSample - startSample }

    /// Reads a record.
    ///
    /// - Parameters:
    ///   - path: the record path with or without `.hea` (e.g. `data/A0001` or `data/A0001.hea`).
    ///   - from: first frame (default 0); `to`: frame after the last (default: the record length).
    ///   - channels: signal indices to read in output order (default all).
    ///   - expanded: also return every sample of multi-rate signals (`smooth_frames=False`).
    /// - Throws: `WFDBError` naming the file and line or byte offset.
    public static func read(_ path: String, from: Int = 0, to: Int? = nil, channels: [Int]? = nil,
                            expanded: Bool = false) throws -> WFDBRecord {
        let headerPath = path.hasSuffix(".hea") ? path : path + ".hea"
        let header = try WFDBHeader.read(contentsOf: headerPath)
        return try read(header: header, headerPath: headerPath, from: from, to: to, channels: channels, expanded: expanded)
    }

    /// Reads the record whose parsed header is `header`, dispatching to the single- or multi-segment reader.
    ///
    /// - Parameters:
    ///   - headerPath: the `.hea` path the header was read from (its folder holds the signal files).
    ///   - from, to, channels, expanded: as in `read(_:from:to:channels:expanded:)`.
    /// - Throws: `WFDBError` naming the file and line or byte offset.
    public static func read(header: WFDBHeader, headerPath: String, from: Int = 0, to: Int? = nil,
                            channels: [Int]? = nil, expanded: Bool = false) throws -> WFDBRecord {
        let directory = (headerPath as NSString).deletingLastPathComponent
        if header.isMultiSegment {
            return try WFDBMultiSegmentReader(header: header, headerPath: headerPath, directory: directory)
                .read(from: from, to: to, channels: channels, expanded: expanded)
        }
        return try WFDBSingleSegmentReader(header: header, headerPath: headerPath, directory: directory)
            .read(from: from, to: to, channels: channels, expanded: expanded)
    }

    /// Reads the signals with these names (case-insensitive, e.g. `["I", "avr"]`), in that order.
    /// Throws a `.request` error naming the first name the record lacks.
    public static func read(_ path: String, from: Int = 0, to: Int? = nil, channelNames: [String],
                            expanded: Bool = false) throws -> WFDBRecord {
        // A zero-length read gives the output signal names for single- and multi-segment records.
        let names = try read(path, from: 0, to: 0).signalNames
        let indices = try channelIndices(named: channelNames, in: names, file: path)
        return try read(path, from: from, to: to, channels: indices, expanded: expanded)
    }

    /// Indices of the signals with these names, compared case-insensitively (lead `aVR` = `AVR`).
    /// Throws a `.request` error naming the first name not found.
    public func channelIndices(named names: [String]) throws -> [Int] {
        try WFDBRecord.channelIndices(named: names, in: signalNames, file: header.recordName)
    }

    static func channelIndices(named names: [String], in available: [String], file: String) throws -> [Int] {
        let lowered = available.map { $0.lowercased() }
        return try names.map { name in
            guard let index = lowered.firstIndex(of: name.lowercased()) else {
                throw WFDBError(.request, file: file, "no signal named '\(name)' (signals: \(available.joined(separator: ", ")))")
            }
            return index
        }
    }

    /// Paths of the `.hea` files directly in `folder` (or below it when `recursive`), sorted.
    public static func headerPaths(in folder: String, recursive: Bool = false) throws -> [String] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw WFDBError(.missingFile, file: folder, "folder not found")
        }
        let names = recursive ? (manager.subpaths(atPath: folder) ?? []) : try manager.contentsOfDirectory(atPath: folder)
        return names.filter { $0.hasSuffix(".hea") }.sorted().map { (folder as NSString).appendingPathComponent($0) }
    }

    /// Physical value of one digital sample: `(d - baseline) / gain`, NaN for the invalid sentinel
    /// (wfdb-python `SignalMixin.dac`).
    @inline(__always)
    static func physicalValue(_ digital: Int32, baseline: Double, gain: Double, invalid: Int32?) -> Double {
        digital == invalid ? .nan : (Double(digital) - baseline) / gain
    }

    /// Physical values of one channel.
    static func physicalValues(_ digital: [Int32], spec: WFDBSignalSpec) -> [Double] {
        let invalid = WFDBSignalFormat.invalidSample(format: spec.format)
        let baseline = Double(spec.baseline), gain = spec.gain
        return digital.map { physicalValue($0, baseline: baseline, gain: gain, invalid: invalid) }
    }
}

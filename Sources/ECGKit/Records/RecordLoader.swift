// RecordLoader: one ECG file -> Record, whatever its format (NumPy .npy, or a WFDB record named
// by its .hea, .dat or .mat file or by its path without extension).
import Foundation
import Formats

/// A file that cannot be read as an ECG record; `description` names the file and what was expected,
/// e.g. `data/A0001.mat: no WFDB header data/A0001.hea next to it (a .mat or .dat signal file is
/// read through its header)`. Errors of the underlying readers (`WFDBError`, `NPYError`) are thrown
/// unchanged: they name the file and the line or byte offset.
public struct RecordLoadError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The path as given.
    public var file: String
    /// What was wrong and what was expected.
    public var message: String

    /// An error about `file`.
    public init(file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}

/// Reads ECG records from disk.
public enum RecordLoader {
    /// The file name extensions `load` recognises.
    public static let knownExtensions = ["npy", "hea", "dat", "mat"]

    /// Reads one record: `path` -> `Record` with `samples: [L, T]` in physical units.
    ///
    /// - `.npy`: a 2-D array `[T, L]` or `[L, T]` (the axis of length 12 holds the leads; otherwise
    ///   the longer axis is time, see `NPY.orientation`) or a 1-D single lead. The orientation found
    ///   is written into `sourceFormat` (`npy <f8 [5000, 12] time x leads`). NumPy files carry no
    ///   sampling rate: `samplingRate` (default 500 Hz) is used and marked "given" there. With 12
    ///   leads the names are the canonical I, II, III, aVR, aVL, aVF, V1-V6; otherwise `lead1`, ...
    ///   Units are "" (unknown).
    /// - WFDB (`wfdb.rdrecord` semantics): `X.hea`, `X.dat`, `X.mat` or `X` (when `X.hea` exists).
    ///   When the 12 standard leads are all present (names compared case-insensitively) they are put
    ///   first, in canonical order and with canonical names; other signals follow unchanged (e.g.
    ///   PTB's Frank leads vx, vy, vz). Records without them (MIT-BIH's MLII, V5) keep their order.
    ///   Header comments are kept; checksum mismatches become `warnings`.
    /// - A file with another extension is read as NumPy when it starts with the NPY magic.
    ///
    /// - Throws: `RecordLoadError` for a missing file, a folder or an unknown kind of file;
    ///   `WFDBError` / `NPYError` from the readers.
    public static func load(_ path: String, samplingRate: Double = 500) throws -> Record {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = manager.fileExists(atPath: path, isDirectory: &isDirectory)
        if exists && isDirectory.boolValue {
            throw RecordLoadError(file: path, "is a folder, not a record (load a folder of records as a dataset)")
        }
        let fileExtension = (path as NSString).pathExtension.lowercased()
        let base = (path as NSString).deletingPathExtension
        switch fileExtension {
        case "npy":
            guard exists else { throw RecordLoadError(file: path, "no such file (expected a NumPy .npy array)") }
            return try loadNPY(path, samplingRate: samplingRate)
        case "hea":
            guard exists else { throw RecordLoadError(file: path, "no such file (expected a WFDB header)") }
            return try loadWFDB(path)
        case "dat", "mat":
            guard exists else { throw RecordLoadError(file: path, "no such file (expected a WFDB signal file)") }
            guard manager.fileExists(atPath: base + ".hea") else {
                throw RecordLoadError(file: path, "no WFDB header \(base).hea next to it (a .\(fileExtension) signal file is read through its header)")
            }
            return try loadWFDB(base + ".hea")
        default:
            if manager.fileExists(atPath: path + ".hea") { return try loadWFDB(path + ".hea") }
            if exists && startsWithNPYMagic(path) { return try loadNPY(path, samplingRate: samplingRate) }
            if !exists && manager.fileExists(atPath: path + ".npy") { return try loadNPY(path + ".npy", samplingRate: samplingRate) }
            if exists {
                throw RecordLoadError(file: path, "not a recognised ECG file: expected a NumPy .npy array or a WFDB record (.hea with its .dat or .mat)")
            }
            throw RecordLoadError(file: path, "no such file or record (looked for \(path), \(path).hea and \(path).npy)")
        }
    }

    static func startsWithNPYMagic(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: NPY.magic.count)) ?? Data()
        return [UInt8](head) == NPY.magic
    }

    static func loadWFDB(_ headerPath: String) throws -> Record {
        let header = try WFDBHeader.read(contentsOf: headerPath)
        guard !header.isMultiSegment else {
            // The signals of a multi-segment record are known only once its segments are read.
            let read = try WFDBRecord.read(headerPath)
            return Record(name: read.recordName, samplingRate: read.samplingFrequency, leadNames: read.signalNames,
                          units: read.units, samples: read.physical.flatMap { $0 }, sampleCount: read.sampleCount,
                          source: headerPath, sourceFormat: wfdbSourceFormat(read.signals), comments: read.comments,
                          warnings: read.warnings.map(\.description)).standardLeadsFirst()
        }
        // The 12 standard leads are read straight into the first rows in canonical order
        // (`standardLeadsFirst`), so the samples are laid out once.
        let names = header.signalNames
        let standard = LeadOrder.standardFirst(names)
        let others = standard?.others ?? Array(names.indices)
        let rows = try WFDBRecord.readRows(header: header, headerPath: headerPath, channels: standard?.order ?? others)
        return Record(
            name: header.recordName, samplingRate: header.samplingFrequency,
            leadNames: (standard == nil ? [] : canonicalLeadNames) + others.map { names[$0] },
            units: rows.signals.map(\.units), samples: rows.values, sampleCount: rows.sampleCount, source: headerPath,
            sourceFormat: wfdbSourceFormat(header.signals), comments: header.comments, warnings: rows.warnings.map(\.description))
    }

    /// `wfdb/16` or `wfdb/212,16`: the storage formats of the signals in order of first appearance.
    static func wfdbSourceFormat(_ signals: [WFDBSignalSpec]) -> String {
        let formats = signals.map { String($0.format) }
        let uniqueFormats = formats.enumerated().filter { formats.firstIndex(of: $0.element) == $0.offset }.map(\.element)
        return "wfdb/" + uniqueFormats.joined(separator: ",")
    }

    static func loadNPY(_ path: String, samplingRate: Double) throws -> Record {
        guard samplingRate > 0, samplingRate.isFinite else {
            throw RecordLoadError(file: path, "sampling rate must be positive, got \(samplingRate)")
        }
        let array = try NPY.read(contentsOf: path)
        let leads: [[Double]]
        let layout: String
        switch array.shape.count {
        case 1:
            leads = [array.doubles()]
            layout = "one lead"
        case 2:
            let resolved = try NPY.leadsByTime(array, file: path)
            leads = resolved.leads
            layout = resolved.orientation == .timeByLeads ? "time x leads" : "leads x time"
        default:
            throw RecordLoadError(file: path, "expected a 2-D ECG array [T, L] or [L, T] (or 1-D, one lead), got shape \(array.shape)")
        }
        let sampleCount = leads.first?.count ?? 0
        guard !leads.isEmpty, sampleCount > 0 else {
            throw RecordLoadError(file: path, "the array holds no samples (shape \(array.shape))")
        }
        let names = leads.count == canonicalLeadNames.count ? canonicalLeadNames : (1...leads.count).map { "lead\($0)" }
        let shape = "[" + array.shape.map(String.init).joined(separator: ", ") + "]"
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return Record(
            name: name, samplingRate: samplingRate, leadNames: names, units: names.map { _ in "" },
            samples: leads.flatMap { $0 }, sampleCount: sampleCount, source: path,
            sourceFormat: "npy \(array.dtypeName) \(shape) \(layout), \(formatNumber(samplingRate)) Hz given")
    }
}

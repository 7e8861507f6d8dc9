// WFDBSingleSegmentReader: reads the signal files of one ordinary (single-segment) WFDB record:
// groups signals by file, checks sizes, reads the requested frames, applies skew, frame
// averaging, checksums and the digital-to-physical conversion.
import Foundation

/// Signals that share one signal file (consecutive in the header; same format and byte offset).
struct WFDBSignalFile {
    var name: String
    /// Header indices of the signals in this file, in frame order.
    var signalIndices: [Int]
}

struct WFDBSingleSegmentReader {
    let header: WFDBHeader
    let headerPath: String
    let directory: String
    /// Signal files in order of first appearance.
    let files: [WFDBSignalFile]

    init(header: WFDBHeader, headerPath: String, directory: String) {
        self.header = header
        self.headerPath = headerPath
        self.directory = directory
        self.files = Self.signalFiles(of: header)
    }

    /// Groups the header's signals by file name, files in order of first appearance.
    static func signalFiles(of header: WFDBHeader) -> [WFDBSignalFile] {
        var result: [WFDBSignalFile] = []
        for (index, spec) in header.signals.enumerated() {
            if let position = result.firstIndex(where: { $0.name == spec.fileName }) {
                result[position].signalIndices.append(index)
            } else {
                result.append(WFDBSignalFile(name: spec.fileName, signalIndices: [index]))
            }
        }
        return result
    }

    /// Throws a `.request` error naming the first of `channels` that is not an index into `count` signals.
    static func checkChannels(_ channels: [Int], signalCount count: Int, headerPath: String) throws {
        for channel in channels where !(0..<count).contains(channel) {
            throw WFDBError(.request, file: headerPath, "channel \(channel) does not exist (record has \(count) signals)")
        }
    }

    /// The checksum-mismatch warning for `spec` when its header checksum differs from the low 16 bits
    /// of `sum` (the signal's digital samples summed over the whole file), else nil.
    static func checksumWarning(_ spec: WFDBSignalSpec, sum: Int64, fileName: String) -> WFDBWarning? {
        guard let checksum = spec.checksum else { return nil }
        let stored = Int16(truncatingIfNeeded: checksum), computed = Int16(truncatingIfNeeded: sum)
        guard stored != computed else { return nil }
        return WFDBWarning(signalName: spec.description,
                           message: "checksum mismatch in \(fileName): header says \(checksum), samples sum to \(computed)")
    }

    func path(of file: WFDBSignalFile) -> String {
        (directory as NSString).appendingPathComponent(file.name)
    }

    func checkFormat(_ format: Int, file: WFDBSignalFile) throws {
        guard WFDBSignalFormat.supported.contains(format) || WFDBSignalFormat.flac.contains(format) else {
            throw WFDBError(.unsupportedFormat, file: path(of: file),
                            "unsupported format \(format) (supported: 8, 16, 24, 32, 61, 80, 160, 212, 310, 311, 508, 516, 524)")
        }
    }

    /// Frames in the record: from the header, or inferred from the first signal file's size.
    func totalFrames() throws -> Int {
        if let count = header.sampleCount { return count }
        guard let file = files.first else { return 0 }
        let first = header.signals[file.signalIndices[0]]
        try checkFormat(first.format, file: file)
        guard !WFDBSignalFormat.flac.contains(first.format) else {
            throw WFDBError(.header, file: headerPath, "the record line gives no sample count, which FLAC signal files need")
        }
        let size = try Self.signalFileSize(path(of: file))
        let samplesPerFrame = file.signalIndices.reduce(0) { $0 + header.signals[$1].samplesPerFrame }
        let samples = WFDBSignalFormat.sampleCount(format: first.format, bytes: max(0, size - first.byteOffset))
        return samples / max(samplesPerFrame, 1)
    }

    func read(from: Int, to: Int?, channels: [Int]?, expanded: Bool) throws -> WFDBRecord {
        let total = try totalFrames()
        let end = to ?? total
        guard from >= 0, from <= end, end <= total else {
            throw WFDBError(.request, file: headerPath, "sample range \(from)..<\(end) is outside the record (0..<\(total))")
        }
        let wanted = channels ?? Array(header.signals.indices)
        try Self.checkChannels(wanted, signalCount: header.signals.count, headerPath: headerPath)
        var expandedDigital = [[Int32]](repeating: [], count: wanted.count)
        var warnings: [WFDBWarning] = []
        for file in files where file.signalIndices.contains(where: wanted.contains) {
            try readFile(file, total: total, from: from, to: end, wanted: wanted,
                         into: &expandedDigital, warnings: &warnings)
        }
        let specs = wanted.map { header.signals[$0] }
        var digital: [[Int32]] = []
        var physical: [[Double]] = []
        digital.reserveCapacity(wanted.count)
        physical.reserveCapacity(wanted.count)
        for (position, spec) in specs.enumerated() {
            let smoothed = Self.smooth(expandedDigital[position], samplesPerFrame: spec.samplesPerFrame)
            digital.append(smoothed)
            physical.append(WFDBRecord.physicalValues(smoothed, spec: spec))
        }
        var record = WFDBRecord(header: header, signals: specs, startSample: from, endSample: end,
                                physical: physical, digital: digital, warnings: warnings, totalSampleCount: total)
        if expanded {
            record.expandedDigital = expandedDigital
            record.expandedPhysical = zip(expandedDigital, specs).map { WFDBRecord.physicalValues($0, spec: $1) }
        }
        return record
    }

    /// Frame averages of a channel with `samplesPerFrame` samples per frame: int64 sum divided
    /// in Double and truncated toward zero, exactly as wfdb-python's `smooth_frames("digital")`.
    static func smooth(_ samples: [Int32], samplesPerFrame: Int) -> [Int32] {
        guard samplesPerFrame > 1 else { return samples }
        let frames = samples.count / samplesPerFrame
        return (0..<frames).map { frame in
            var sum: Int64 = 0
            for j in 0..<samplesPerFrame { sum += Int64(samples[frame * samplesPerFrame + j]) }
            return Int32((Double(sum) / Double(samplesPerFrame)).rounded(.towardZero))
        }
    }

    /// Reads frames `from..<to` of one signal file into the expanded output of its wanted channels.
    func readFile(_ file: WFDBSignalFile, total: Int, from: Int, to: Int, wanted: [Int],
                  into output: inout [[Int32]], warnings: inout [WFDBWarning]) throws {
        let specs = file.signalIndices.map { header.signals[$0] }
        let format = specs[0].format
        try checkFormat(format, file: file)
        let filePath = path(of: file)
        let samplesPerFileFrame = specs.reduce(0) { $0 + $1.samplesPerFrame }
        let maxSkew = specs.map(\.skew).max() ?? 0
        let lastFrame = min(to + maxSkew, total)
        let frameCount = max(lastFrame, from) - from
        let (flat, lead): ([Int32], Int)
        if WFDBSignalFormat.flac.contains(format) {
            flat = try readFLAC(filePath, specs: specs, from: from, frames: frameCount, format: format)
            lead = 0
        } else {
            (flat, lead) = try readUncompressed(filePath, fileName: file.name, specs: specs, total: total,
                                                from: from, lastFrame: lastFrame)
        }
        let invalid = WFDBSignalFormat.invalidSample(format: format) ?? 0
        var offsetInFrame = 0
        for (position, headerIndex) in file.signalIndices.enumerated() {
            let spec = specs[position]
            let samplesPerFrame = spec.samplesPerFrame
            defer { offsetInFrame += samplesPerFrame }
            if from == 0 && lastFrame == total, spec.checksum != nil {
                var sum: Int64 = 0
                for frame in 0..<frameCount {
                    for j in 0..<samplesPerFrame { sum &+= Int64(flat[lead + frame * samplesPerFileFrame + offsetInFrame + j]) }
                }
                if let warning = Self.checksumWarning(spec, sum: sum, fileName: file.name) { warnings.append(warning) }
            }
            for (outputIndex, channel) in wanted.enumerated() where channel == headerIndex {
                var samples = [Int32](repeating: invalid, count: (to - from) * samplesPerFrame)
                let available = max(0, min(to, frameCount + from - spec.skew) - from)
                for t in 0..<available {
                    let source = lead + (t + spec.skew) * samplesPerFileFrame + offsetInFrame
                    for j in 0..<samplesPerFrame { samples[t * samplesPerFrame + j] = flat[source + j] }
                }
                output[outputIndex] = samples
            }
        }
    }

    /// Checks an uncompressed file's size (and `.mat` header) against the header and reads the bytes
    /// of frames `from..<lastFrame`, starting at the block boundary at or before `from`; returns them
    /// and the index of the first sample they hold in the file's interleaved sample sequence.
    func readUncompressedBytes(_ filePath: String, fileName: String, specs: [WFDBSignalSpec], total: Int,
                               from: Int, lastFrame: Int) throws -> (bytes: [UInt8], firstSample: Int) {
        let format = specs[0].format, byteOffset = specs[0].byteOffset
        let size = try Self.signalFileSize(filePath)
        let samplesPerFileFrame = specs.reduce(0) { $0 + $1.samplesPerFrame }
        // Absurd sample counts must fail as errors, not as arithmetic overflow traps.
        let (declaredSamples, overflow) = total.multipliedReportingOverflow(by: samplesPerFileFrame)
        guard !overflow, declaredSamples < Int.max / 8 else {
            throw WFDBError(.truncatedSignalFile, file: filePath, "the header declares \(total) samples of \(samplesPerFileFrame) value(s) per frame, more than any file can hold")
        }
        let required = byteOffset + WFDBSignalFormat.byteCount(format: format, samples: declaredSamples)
        guard size >= required else {
            throw WFDBError(.truncatedSignalFile, file: filePath, byteOffset: size,
                            "signal file too short: the header declares \(total) samples of \(samplesPerFileFrame) value(s) per frame in format \(format), which need \(required) bytes (offset \(byteOffset) included), but the file has \(size) bytes")
        }
        if (fileName as NSString).pathExtension.lowercased() == "mat", byteOffset > 0 {
            try WFDBMatFile.validate(path: filePath, format: format, rows: samplesPerFileFrame, columns: total, dataOffset: byteOffset)
        }
        let (blockSamples, blockBytes) = WFDBSignalFormat.block(format: format)
        let flatStart = from * samplesPerFileFrame, flatEnd = max(lastFrame, from) * samplesPerFileFrame
        let alignedStart = flatStart / blockSamples * blockSamples
        let startByte = byteOffset + alignedStart / blockSamples * blockBytes
        let byteLength = WFDBSignalFormat.byteCount(format: format, samples: flatEnd - alignedStart)
        return (try Self.readBytes(filePath, offset: startByte, length: byteLength), alignedStart)
    }

    /// Reads and decodes the interleaved samples of frames `from..<lastFrame` of an uncompressed
    /// file after checking its size against the header; returns them and how many leading
    /// samples belong to the block before `from`.
    func readUncompressed(_ filePath: String, fileName: String, specs: [WFDBSignalSpec], total: Int,
                          from: Int, lastFrame: Int) throws -> ([Int32], Int) {
        let format = specs[0].format
        let samplesPerFileFrame = specs.reduce(0) { $0 + $1.samplesPerFrame }
        let (bytes, alignedStart) = try readUncompressedBytes(filePath, fileName: fileName, specs: specs, total: total,
                                                              from: from, lastFrame: lastFrame)
        let flatStart = from * samplesPerFileFrame, flatEnd = max(lastFrame, from) * samplesPerFileFrame
        var flat = [Int32](repeating: 0, count: flatEnd - alignedStart)
        bytes.withUnsafeBytes { raw in
            flat.withUnsafeMutableBufferPointer { buffer in
                if let base = buffer.baseAddress {
                    WFDBSignalFormat.decode(format: format, bytes: raw, count: buffer.count, into: base)
                }
            }
        }
        let lead = flatStart - alignedStart
        if format == 8 { Self.integrateDifferences(&flat, lead: lead, specs: specs, frames: flatEnd / samplesPerFileFrame - from) }
        return (flat, lead)
    }

    /// Decodes a FLAC signal file (formats 508/516/524: one FLAC channel per signal, all with the
    /// same samples per frame) into interleaved frames `from..<from + frames`, as wfdb-python's
    /// `_rd_compressed_file` does; the header's byte offset counts samples to skip.
    func readFLAC(_ filePath: String, specs: [WFDBSignalSpec], from: Int, frames: Int, format: Int) throws -> [Int32] {
        let samplesPerFrame = specs[0].samplesPerFrame
        guard specs.allSatisfy({ $0.samplesPerFrame == samplesPerFrame }) else {
            throw WFDBError(.unsupportedFormat, file: filePath, "all signals of a FLAC file need the same samples per frame")
        }
        guard let data = FileManager.default.contents(atPath: filePath) else {
            throw WFDBError(.missingFile, file: filePath, "signal file not found")
        }
        let skip = specs[0].byteOffset
        let end = skip + (from + frames) * samplesPerFrame
        let stream = try WFDBFLAC.decode([UInt8](data), file: filePath, minimumSamples: end)
        guard stream.channels.count == specs.count else {
            throw WFDBError(.unsupportedFormat, file: filePath,
                            "FLAC stream has \(stream.channels.count) channels, the header puts \(specs.count) signals in this file")
        }
        guard stream.bitsPerSample <= format - 500 else {
            throw WFDBError(.unsupportedFormat, file: filePath,
                            "FLAC stream has \(stream.bitsPerSample) bits per sample, format \(format) allows \(format - 500)")
        }
        let available = stream.channels[0].count
        guard available >= end else {
            throw WFDBError(.truncatedSignalFile, file: filePath,
                            "FLAC stream holds \(available) samples per signal, the read needs \(end)")
        }
        let samplesPerFileFrame = samplesPerFrame * specs.count
        var flat = [Int32](repeating: 0, count: frames * samplesPerFileFrame)
        for frame in 0..<frames {
            for (channel, samples) in stream.channels.enumerated() {
                for k in 0..<samplesPerFrame {
                    flat[frame * samplesPerFileFrame + channel * samplesPerFrame + k] = samples[skip + (from + frame) * samplesPerFrame + k]
                }
            }
        }
        return flat
    }

    /// Format 8 stores first differences; each signal's running sum starts at its initial value
    /// at the first frame read (as the WFDB library and wfdb-python do).
    static func integrateDifferences(_ flat: inout [Int32], lead: Int, specs: [WFDBSignalSpec], frames: Int) {
        let samplesPerFileFrame = specs.reduce(0) { $0 + $1.samplesPerFrame }
        var offsetInFrame = 0
        for spec in specs {
            var value = Int32(truncatingIfNeeded: spec.initialValue)
            for frame in 0..<frames {
                for j in 0..<spec.samplesPerFrame {
                    let index = lead + frame * samplesPerFileFrame + offsetInFrame + j
                    value &+= flat[index]
                    flat[index] = value
                }
            }
            offsetInFrame += spec.samplesPerFrame
        }
    }

    /// Size in bytes of a signal file; a missing file is a `.missingFile` error naming the path.
    static func signalFileSize(_ path: String) throws -> Int {
        var status = stat()
        guard stat(path, &status) == 0 else { throw WFDBError(.missingFile, file: path, "signal file not found") }
        return Int(status.st_size)
    }

    /// Reads exactly `length` bytes at `offset` (POSIX `pread`, no Foundation file objects on the hot
    /// path of dataset loading); a short read names the file and offset.
    static func readBytes(_ path: String, offset: Int, length: Int) throws -> [UInt8] {
        guard length > 0 else { return [] }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw WFDBError(.missingFile, file: path, "signal file not found or unreadable") }
        defer { close(descriptor) }
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            while initialized < length {
                let count = pread(descriptor, buffer.baseAddress.map { $0 + initialized }, length - initialized,
                                  off_t(offset + initialized))
                if count < 0 && errno == EINTR { continue }
                if count < 0 { failure = errno }
                guard count > 0 else { break }
                initialized += count
            }
        }
        if failure != 0 {
            throw WFDBError(.truncatedSignalFile, file: path, byteOffset: offset, "read failed: \(String(cString: strerror(failure)))")
        }
        guard bytes.count == length else {
            throw WFDBError(.truncatedSignalFile, file: path, byteOffset: offset + bytes.count,
                            "expected \(length) bytes from offset \(offset), read \(bytes.count)")
        }
        return bytes
    }
}

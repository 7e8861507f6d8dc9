// WFDBHeader: the `.hea` text of a WFDB record (record line, segment lines, signal lines,
// comments) parsed into values, following WFDB spec v10 and wfdb-python's header regexes.
//
// Layout (one item per line, UTF-8, LF or CRLF; blank lines ignored; `#` lines are comments):
//   record line:  name[/n_segments] n_signals [fs[/counter_freq[(base_counter)]] [n_samples [base_time [base_date]]]]
//   segment line: segment_name n_samples          (n_segments of them; `~` is a null segment)
//   signal line:  file format[xSPF][:skew][+byte_offset] [gain[(baseline)][/units] [adc_res [adc_zero
//                 [init_value [checksum [block_size [description...]]]]]]]
// Supported: everything above; base_time `HH:MM:SS[.ffffff]`; base_date `DD/MM/YYYY` and the
// Challenge variant `DD-Mon-YYYY` (either order after n_samples). Non-goals: header-embedded
// `#wfdb` version lines are kept as ordinary comments; nothing is fetched from PhysioNet.
import Foundation

/// Clock time of the first sample, `HH:MM:SS[.ffffff]`.
public struct WFDBTime: Equatable, Sendable {
    /// Hours, 0-23 (WFDB does not bound it).
    public var hours: Int
    /// Minutes, 0-59.
    public var minutes: Int
    /// Seconds with the fractional part (`.ffffff`).
    public var seconds: Double

    /// Creates a time of day.
    public init(hours: Int, minutes: Int, seconds: Double) {
        self.hours = hours
        self.minutes = minutes
        self.seconds = seconds
    }
}

/// Calendar date of the first sample.
public struct WFDBDate: Equatable, Sendable {
    /// Day of the month, 1-31.
    public var day: Int
    /// Month, 1-12.
    public var month: Int
    /// Year, four digits.
    public var year: Int

    /// Creates a date.
    public init(day: Int, month: Int, year: Int) {
        self.day = day
        self.month = month
        self.year = year
    }
}

/// One signal line of a header: where the samples are and how to turn them into physical units.
public struct WFDBSignalSpec: Equatable, Sendable {
    /// Signal file name relative to the header's folder (`~` in variable-layout headers).
    public var fileName: String
    /// Storage format number (16, 212, ...; see `WFDBSignalFormat`).
    public var format: Int
    /// Samples of this signal in each frame (`xN`), 1 when absent.
    public var samplesPerFrame: Int
    /// Frames by which this signal lags in its file (`:N`), 0 when absent.
    public var skew: Int
    /// Bytes to skip at the start of the file (`+N`), 0 when absent.
    public var byteOffset: Int
    /// ADC units per physical unit; 200 when the header gives 0 or nothing.
    public var gain: Double
    /// False when the header gave no gain or gain 0 (then `gain` is WFDB's 200 default).
    public var isCalibrated: Bool
    /// Digital value of physical zero; defaults to `adcZero`.
    public var baseline: Int
    /// Physical units, `mV` when absent.
    public var units: String
    /// ADC resolution in bits (default 12, 10 for formats 310/311).
    public var adcResolution: Int
    /// Digital value at the ADC's midpoint (default 0).
    public var adcZero: Int
    /// First sample value (used by difference format 8); defaults to `adcZero`.
    public var initialValue: Int
    /// 16-bit signed sum of all samples, nil when the header has none.
    public var checksum: Int?
    /// Block size in bytes (0 for ordinary files).
    public var blockSize: Int
    /// Signal name / description (rest of the line; may contain spaces).
    public var description: String

    /// Creates a signal line; defaults are the header defaults except `isCalibrated`.
    public init(fileName: String, format: Int, samplesPerFrame: Int = 1, skew: Int = 0, byteOffset: Int = 0,
                gain: Double = 200, isCalibrated: Bool = true, baseline: Int = 0, units: String = "mV",
                adcResolution: Int = 12, adcZero: Int = 0, initialValue: Int = 0, checksum: Int? = nil,
                blockSize: Int = 0, description: String = "") {
        self.fileName = fileName
        self.format = format
        self.samplesPerFrame = samplesPerFrame
        self.skew = skew
        self.byteOffset = byteOffset
        self.gain = gain
        self.isCalibrated = isCalibrated
        self.baseline = baseline
        self.units = units
        self.adcResolution = adcResolution
        self.adcZero = adcZero
        self.initialValue = initialValue
        self.checksum = checksum
        self.blockSize = blockSize
        self.description = description
    }
}

/// One segment line of a multi-segment header.
public struct WFDBSegmentSpec: Equatable, Sendable {
    /// Segment record name; `~` marks a null segment (a gap read as NaN).
    public var name: String
    /// Frames in the segment (0 for a variable-layout layout segment).
    public var sampleCount: Int

    /// Creates a segment line.
    public init(name: String, sampleCount: Int) {
        self.name = name
        self.sampleCount = sampleCount
    }

    /// True for `~` segments, which have no files.
    public var isNull: Bool { name == "~" }
}

/// A parsed `.hea` file. Reference: WFDB spec v10 `HEADERS.md`; wfdb-python `wfdb/io/_header.py`.
public struct WFDBHeader: Equatable, Sendable {
    /// Record name from the record line (without `/n_segments`).
    public var recordName: String
    /// Number of segments for a multi-segment record (`name/N`), nil for a single-segment record.
    public var segmentCount: Int?
    /// Signals per frame (for a multi-segment record, of the whole record).
    public var signalCount: Int
    /// Sampling frequency in Hz (frames per second), 250 when absent.
    public var samplingFrequency: Double
    /// Counter frequency (`fs/counter_freq`), nil when absent.
    public var counterFrequency: Double?
    /// Counter value of sample 0 (`(base_counter)`), nil when absent.
    public var baseCounter: Double?
    /// Samples per signal (frames), nil when absent or 0 (unknown; inferred from the file size).
    public var sampleCount: Int?
    /// Time of the first sample, nil when absent.
    public var baseTime: WFDBTime?
    /// Date of the first sample, nil when absent.
    public var baseDate: WFDBDate?
    /// Signal lines in order (empty for multi-segment master headers).
    public var signals: [WFDBSignalSpec]
    /// Segment lines in order (empty for single-segment records).
    public var segments: [WFDBSegmentSpec]
    /// Comment lines without `#` and surrounding blanks, in file order (e.g. `Dx: 426783006`).
    public var comments: [String]

    /// Creates a header value (used by the writer and tests).
    public init(recordName: String, segmentCount: Int? = nil, signalCount: Int, samplingFrequency: Double,
                counterFrequency: Double? = nil, baseCounter: Double? = nil, sampleCount: Int?,
                baseTime: WFDBTime? = nil, baseDate: WFDBDate? = nil, signals: [WFDBSignalSpec],
                segments: [WFDBSegmentSpec] = [], comments: [String] = []) {
        self.recordName = recordName
        self.segmentCount = segmentCount
        self.signalCount = signalCount
        self.samplingFrequency = samplingFrequency
        self.counterFrequency = counterFrequency
        self.baseCounter = baseCounter
        self.sampleCount = sampleCount
        self.baseTime = baseTime
        self.baseDate = baseDate
        self.signals = signals
        self.segments = segments
        self.comments = comments
    }

    /// True for a header with segment lines.
    public var isMultiSegment: Bool { segmentCount != nil }

    /// Signal names (descriptions) in header order.
    public var signalNames: [String] { signals.map(\.description) }

    /// Largest header accepted; real headers are a few kB, so anything bigger is the wrong file.
    public static let maximumSize = 1 << 20

    /// Reads and parses a header file; errors name the file and line.
    public static func read(contentsOf path: String) throws -> WFDBHeader {
        var status = stat()
        guard stat(path, &status) == 0 else { throw WFDBError(.missingFile, file: path, "header file not found") }
        let size = Int(status.st_size)
        guard size <= maximumSize else {
            throw WFDBError(.header, file: path, "header file is \(size) bytes; WFDB headers are text of at most \(maximumSize) bytes")
        }
        guard let data = try? WFDBSingleSegmentReader.readBytes(path, offset: 0, length: size) else {
            throw WFDBError(.missingFile, file: path, "header file not readable")
        }
        if let nul = data.firstIndex(of: 0) {
            throw WFDBError(.header, file: path, byteOffset: nul, "not a text header (NUL byte)")
        }
        // Headers are UTF-8; Latin-1 is the fallback for old headers with accented comments.
        guard let text = String(bytes: data, encoding: .utf8) ?? String(bytes: data, encoding: .isoLatin1) else {
            throw WFDBError(.header, file: path, "header is neither UTF-8 nor Latin-1 text")
        }
        return try parse(text, file: path)
    }

    /// Parses header text. `file` is only used to name the source in errors.
    public static func parse(_ text: String, file: String) throws -> WFDBHeader {
        var parser = WFDBHeaderParser(file: file)
        return try parser.parse(text)
    }
}

extension WFDBHeader {
    /// The lines of `text`: LF, CRLF and a lone CR each end one line (an empty last line is kept, as
    /// `split(omittingEmptySubsequences: false)` keeps it). Scans UTF-8 bytes: the separators are ASCII.
    static func lines(of text: String) -> [Substring] {
        let bytes = text.utf8
        var lines: [Substring] = []
        var start = bytes.startIndex, index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else {
                index = bytes.index(after: index)
                continue
            }
            lines.append(text[start..<index])
            index = bytes.index(after: index)
            if byte == UInt8(ascii: "\r"), index != bytes.endIndex, bytes[index] == UInt8(ascii: "\n") {
                index = bytes.index(after: index)
            }
            start = index
        }
        lines.append(text[start..<bytes.endIndex])
        return lines
    }
}

private struct WFDBHeaderParser {
    let file: String
    var lineNumber = 0

    init(file: String) { self.file = file }

    func fail(_ message: String) -> WFDBError {
        WFDBError(.header, file: file, line: lineNumber, message)
    }

    mutating func parse(_ text: String) throws -> WFDBHeader {
        var header: WFDBHeader?
        var comments: [String] = []
        // End-of-header errors point at the last line that had content.
        var lastContentLine = 1
        let lines = WFDBHeader.lines(of: text)
        for (index, line) in lines.enumerated() {
            lineNumber = index + 1
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.allSatisfy({ $0.isWhitespace }) { continue }
            lastContentLine = lineNumber
            if trimmed.first == "#" {
                comments.append(trimmingWhitespace(trimmed.dropFirst()))
                continue
            }
            guard var current = header else {
                header = try parseRecordLine(trimmed)
                continue
            }
            if let segmentCount = current.segmentCount, current.segments.count < segmentCount {
                current.segments.append(try parseSegmentLine(trimmed))
            } else if current.signals.count < current.signalCount {
                current.signals.append(try parseSignalLine(trimmed))
            } else {
                throw fail("unexpected line after \(current.signalCount) signal lines: '\(trimmed)'")
            }
            header = current
        }
        lineNumber = lastContentLine
        guard var result = header else {
            throw fail("no record line (expected 'name n_signals [fs [n_samples]]')")
        }
        if let segmentCount = result.segmentCount, result.segments.count != segmentCount {
            throw fail("record line declares \(segmentCount) segments but the header has \(result.segments.count) segment lines")
        }
        if !result.isMultiSegment && result.signals.count != result.signalCount {
            throw fail("record line declares \(result.signalCount) signals but the header has \(result.signals.count) signal lines")
        }
        result.comments = comments
        return result
    }

    /// `text` without leading and trailing tabs and space separators (Unicode Zs), the set Foundation's
    /// `CharacterSet.whitespaces` trims, without bridging through NSString for every header line.
    func trimmingWhitespace(_ text: Substring) -> String {
        func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
            scalar == " " || scalar == "\t" || (!scalar.isASCII && scalar.properties.generalCategory == .spaceSeparator)
        }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isWhitespace($0) }),
              let last = scalars.lastIndex(where: { !isWhitespace($0) }) else { return "" }
        return String(scalars[first...last])
    }

    func tokens(_ line: Substring) -> [Substring] {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
    }

    func parseRecordLine(_ line: Substring) throws -> WFDBHeader {
        let fields = tokens(line)
        let expected = "expected record line 'name[/segments] n_signals [fs [n_samples [time [date]]]]'"
        guard fields.count >= 2 else { throw fail("\(expected), got '\(line)'") }
        var name = fields[0]
        var segmentCount: Int?
        if let slash = name.firstIndex(of: "/") {
            guard let count = Int(name[name.index(after: slash)...]), count > 0 else {
                throw fail("expected 'name/n_segments' with a positive count, got '\(name)'")
            }
            segmentCount = count
            name = name[..<slash]
        }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw fail("expected a record name of letters, digits and '_', got '\(name)'")
        }
        guard let signalCount = Int(fields[1]), signalCount >= 0 else {
            throw fail("expected an integer number of signals, got '\(fields[1])'")
        }
        var header = WFDBHeader(recordName: String(name), segmentCount: segmentCount, signalCount: signalCount,
                                samplingFrequency: 250, sampleCount: nil, signals: [])
        if fields.count > 2 { try parseFrequency(fields[2], into: &header) }
        if fields.count > 3 {
            guard let count = Int(fields[3]), count >= 0 else {
                throw fail("expected an integer number of samples, got '\(fields[3])'")
            }
            header.sampleCount = count == 0 ? nil : count
        }
        for field in fields.dropFirst(4) {
            if field.contains(":") {
                guard header.baseTime == nil else { throw fail("two base times: '\(field)'") }
                header.baseTime = try parseTime(field)
            } else {
                guard header.baseDate == nil else { throw fail("two base dates: '\(field)'") }
                header.baseDate = try parseDate(field)
            }
        }
        return header
    }

    func parseFrequency(_ field: Substring, into header: inout WFDBHeader) throws {
        let expected = "expected 'fs[/counter_freq[(base_counter)]]'"
        var rest = field
        var counterPart: Substring?
        if let slash = rest.firstIndex(of: "/") {
            counterPart = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        guard let fs = Double(rest), fs.isFinite, fs > 0 else { throw fail("\(expected), got '\(field)'") }
        header.samplingFrequency = fs
        guard var counter = counterPart else { return }
        if let open = counter.firstIndex(of: "(") {
            guard counter.last == ")", let base = Double(counter[counter.index(after: open)..<counter.index(before: counter.endIndex)]) else {
                throw fail("\(expected), got '\(field)'")
            }
            header.baseCounter = base
            counter = counter[..<open]
        }
        guard let counterFrequency = Double(counter), counterFrequency.isFinite else {
            throw fail("\(expected), got '\(field)'")
        }
        header.counterFrequency = counterFrequency
    }

    func parseTime(_ field: Substring) throws -> WFDBTime {
        let parts = field.split(separator: ":", omittingEmptySubsequences: false)
        let expected = "expected base time 'HH:MM:SS[.ffffff]', got '\(field)'"
        // WFDB allows MM:SS and SS forms too; fill from the right.
        guard (1...3).contains(parts.count), let seconds = Double(parts[parts.count - 1]), seconds >= 0, seconds < 61 else {
            throw fail(expected)
        }
        var hours = 0, minutes = 0
        if parts.count >= 2 {
            guard let value = Int(parts[parts.count - 2]), (0..<60).contains(value) else { throw fail(expected) }
            minutes = value
        }
        if parts.count == 3 {
            guard let value = Int(parts[0]), value >= 0 else { throw fail(expected) }
            hours = value
        }
        return WFDBTime(hours: hours, minutes: minutes, seconds: seconds)
    }

    func parseDate(_ field: Substring) throws -> WFDBDate {
        let expected = "expected base date 'DD/MM/YYYY', got '\(field)'"
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        let slashParts = field.split(separator: "/", omittingEmptySubsequences: false)
        let dashParts = field.split(separator: "-", omittingEmptySubsequences: false)
        var day: Int?, month: Int?, year: Int?
        if slashParts.count == 3 {
            day = Int(slashParts[0]); month = Int(slashParts[1]); year = Int(slashParts[2])
        } else if dashParts.count == 3, let index = months.firstIndex(of: dashParts[1].lowercased()) {
            // Challenge 2020/2021 headers write `05-Feb-2020`.
            day = Int(dashParts[0]); month = index + 1; year = Int(dashParts[2])
        }
        guard let day, let month, let year, (1...31).contains(day), (1...12).contains(month) else {
            throw fail(expected)
        }
        return WFDBDate(day: day, month: month, year: year)
    }

    func parseSegmentLine(_ line: Substring) throws -> WFDBSegmentSpec {
        let fields = tokens(line)
        guard fields.count == 2, let count = Int(fields[1]), count >= 0 else {
            throw fail("expected segment line 'segment_name n_samples', got '\(line)'")
        }
        return WFDBSegmentSpec(name: String(fields[0]), sampleCount: count)
    }

    func integer(_ field: Substring, _ what: String) throws -> Int {
        guard let value = Int(field) else { throw fail("expected integer \(what), got '\(field)'") }
        return value
    }

    func parseSignalLine(_ line: Substring) throws -> WFDBSignalSpec {
        let fields = tokens(line)
        guard fields.count >= 2 else {
            throw fail("expected signal line 'file format [gain [adc_res [adc_zero [init_value [checksum [block_size [description]]]]]]]', got '\(line)'")
        }
        var spec = WFDBSignalSpec(fileName: String(fields[0]), format: 0)
        try parseFormat(fields[1], into: &spec)
        spec.adcResolution = [310, 311].contains(spec.format) ? 10 : 12
        var baseline: Int?
        if fields.count > 2 {
            baseline = try parseGain(fields[2], into: &spec)
        } else {
            spec.isCalibrated = false
        }
        if fields.count > 3 { spec.adcResolution = try integer(fields[3], "adc_res") }
        if fields.count > 4 { spec.adcZero = try integer(fields[4], "adc_zero") }
        spec.initialValue = fields.count > 5 ? try integer(fields[5], "init_value") : spec.adcZero
        if fields.count > 6 { spec.checksum = try integer(fields[6], "checksum") }
        if fields.count > 7 { spec.blockSize = try integer(fields[7], "block_size") }
        spec.baseline = baseline ?? spec.adcZero
        if fields.count > 8 {
            // The description is the rest of the line, inner spaces kept.
            spec.description = trimmingWhitespace(line[fields[8].startIndex...])
        }
        return spec
    }

    func parseFormat(_ field: Substring, into spec: inout WFDBSignalSpec) throws {
        let expected = "expected 'format[xspf][:skew][+byte_offset]', got '\(field)'"
        var rest = field
        func leadingInteger() -> Int? {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let value = Int(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            return value
        }
        guard let format = leadingInteger() else { throw fail(expected) }
        spec.format = format
        while let marker = rest.first {
            rest = rest.dropFirst()
            guard let value = leadingInteger() else { throw fail(expected) }
            switch marker {
            case "x":
                guard value > 0 else { throw fail(expected) }
                spec.samplesPerFrame = value
            case ":": spec.skew = value
            case "+": spec.byteOffset = value
            default: throw fail(expected)
            }
        }
    }

    /// Parses `gain[(baseline)][/units]`; returns the baseline when given.
    func parseGain(_ field: Substring, into spec: inout WFDBSignalSpec) throws -> Int? {
        let expected = "expected 'gain(baseline)/units', got '\(field)'"
        var rest = field
        var baseline: Int?
        if let slash = rest.firstIndex(of: "/") {
            let units = rest[rest.index(after: slash)...]
            // wfdb-python accepts [\w^\-?%/] in units.
            guard !units.isEmpty, units.allSatisfy({ $0.isLetter || $0.isNumber || "_^-?%/".contains($0) }) else {
                throw fail(expected)
            }
            spec.units = String(units)
            rest = rest[..<slash]
        }
        if let open = rest.firstIndex(of: "(") {
            guard rest.last == ")", let value = Int(rest[rest.index(after: open)..<rest.index(before: rest.endIndex)]) else {
                throw fail(expected)
            }
            baseline = value
            rest = rest[..<open]
        }
        guard let gain = Double(rest), gain.isFinite, rest.first != "+" || rest.count > 1 else { throw fail(expected) }
        if gain == 0 {
            spec.gain = 200
            spec.isCalibrated = false
        } else {
            spec.gain = gain
        }
        return baseline
    }
}

// WFDBError: the error thrown by the WFDB header parser, signal reader and writer,
// and WFDBWarning: the non-fatal findings (checksum mismatches) attached to a read.
import Foundation

/// A failure to parse or read a WFDB record, naming the file and the line or byte offset.
///
/// `description` reads like `A0001.hea line 3: expected 'gain(baseline)/units', got 'x/mV'`
/// or `A0001.mat: truncated signal file: expected at least 180024 bytes, found 1000`.
public struct WFDBError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, for callers that branch on it.
    public enum Kind: String, Sendable {
        /// The `.hea` text does not follow the header grammar.
        case header
        /// A header or signal file does not exist.
        case missingFile
        /// A signal file holds fewer bytes than the header requires.
        case truncatedSignalFile
        /// A signal format this reader does not decode (FLAC 5xx, unknown numbers).
        case unsupportedFormat
        /// A MATLAB `.mat` signal file whose header disagrees with the WFDB header.
        case matFile
        /// A read request outside the record (sample range, channel index, channel name).
        case request
        /// A record that cannot be written (values out of range, bad names).
        case write
        /// Multi-segment structure problems (segment lengths, signals missing from the layout).
        case segment
    }

    /// The category, for branching without parsing text.
    public var kind: Kind
    /// The file concerned, as a path.
    public var file: String
    /// 1-based line number in a header, when the problem is on one line.
    public var line: Int?
    /// Byte offset in a binary file, when the problem is at one place.
    public var byteOffset: Int?
    /// What was expected and what was found.
    public var message: String

    /// Creates an error; `file` is a path, `line` 1-based.
    public init(_ kind: Kind, file: String, line: Int? = nil, byteOffset: Int? = nil, _ message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.byteOffset = byteOffset
        self.message = message
    }

    /// `file[ line N][ byte N]: message`; missing files are named by full path.
    public var description: String {
        // Missing files are named in full so the user sees where we looked.
        var text = kind == .missingFile ? file : (file as NSString).lastPathComponent
        if let line { text += " line \(line)" }
        if let byteOffset { text += " byte \(byteOffset)" }
        return text + ": " + message
    }
}

/// A non-fatal problem found while reading, e.g. a stored checksum that does not match the samples.
public struct WFDBWarning: CustomStringConvertible, Equatable, Sendable {
    /// The signal (channel) name the warning is about.
    public var signalName: String
    /// What was found.
    public var message: String

    /// Creates a warning about one signal.
    public init(signalName: String, message: String) {
        self.signalName = signalName
        self.message = message
    }

    /// `signal 'II': message`.
    public var description: String { "signal '\(signalName)': \(message)" }
}

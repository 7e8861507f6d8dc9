// HDF5Error: every failure of the HDF5 layer, naming the operation, the object path
// inside the file, the file, and the innermost libhdf5 messages from its error stack.

/// A failed HDF5 operation.
///
/// `description` reads like
/// `HDF5: /tmp/w.h5: cannot open file: not an HDF5 file (no HDF5 signature found; 5 bytes)`
/// or
/// `HDF5: /tmp/w.h5: /variables/x/names: cannot read dataset: found strings (read them with readStrings)`.
public struct HDF5Error: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, coarsely, so callers can branch on it.
    public enum Kind: Sendable, Equatable {
        /// libhdf5 reported a failure; `messages` holds its error stack.
        case library
        /// The file does not exist or cannot be read.
        case fileNotFound
        /// The file exists but is not an HDF5 file (empty, foreign, or damaged signature).
        case notHDF5
        /// A group, dataset or attribute of that name does not exist.
        case objectNotFound
        /// The stored type or shape differs from what the caller asked for.
        case typeMismatch
        /// The caller passed something the file cannot hold (bad name, wrong element count).
        case invalidArgument
        /// Writing, syncing or renaming the file failed at the operating-system level.
        case io
    }

    public var kind: Kind
    /// The verb phrase of the failed step, e.g. "open file", "write dataset".
    public var operation: String
    /// The object's path inside the file ("/" for the file itself).
    public var objectPath: String
    /// The file's path as given by the caller.
    public var fileName: String
    /// libhdf5's messages, innermost first, or this layer's own explanation.
    public var messages: [String]

    public init(kind: Kind, operation: String, objectPath: String, fileName: String, messages: [String]) {
        self.kind = kind
        self.operation = operation
        self.objectPath = objectPath
        self.fileName = fileName
        self.messages = messages
    }

    public var description: String {
        let place = objectPath == "/" || objectPath.isEmpty ? fileName : "\(fileName): \(objectPath)"
        let detail = messages.isEmpty ? "unknown HDF5 failure" : messages.joined(separator: "; ")
        return "HDF5: \(place): cannot \(operation): \(detail)"
    }
}

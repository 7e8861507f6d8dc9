// WorkspaceError: every refusal of a workspace save or load, naming the file, the object
// inside it and what was expected; libhdf5 failures are folded in with their messages.
import Formats

/// A workspace that cannot be written or read.
///
/// `description` reads like
/// `/tmp/w.h5: not an ecgs workspace: the file has no 'format' attribute (written by another program?)`
/// or `/tmp/w.h5: /variables/m: variable 'm' has type 'model', which this ecgs cannot read (...)`.
public struct WorkspaceError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, coarsely, so callers can branch on it.
    public enum Kind: Sendable, Equatable {
        /// The HDF5 layer failed: missing, empty, foreign or damaged file, or an I/O error.
        case storage
        /// A valid HDF5 file that is not an ecgs workspace (no or another `format` attribute).
        case notWorkspace
        /// Written by a newer ecgs with a higher major `format_version`.
        case newerFormat
        /// A workspace whose layout breaks the format (missing dataset, wrong shape, bad version text).
        case malformed
        /// A variable group whose `type` attribute names no registered kind.
        case unknownType
        /// `load` asked for variables the file does not hold.
        case unknownVariable
        /// `save` was given a variable name HDF5 cannot hold, a duplicate, or an unstorable value.
        case invalidVariable
    }

    public var kind: Kind
    /// The workspace file's path.
    public var file: String
    /// The object inside the file ("/variables/x"), or nil for the file as a whole.
    public var objectPath: String?
    /// What was wrong and what was expected.
    public var message: String
    /// The HDF5 layer's error, when one caused this.
    public var underlying: HDF5Error?

    public init(_ kind: Kind, file: String, objectPath: String? = nil, _ message: String,
                underlying: HDF5Error? = nil) {
        self.kind = kind
        self.file = file
        self.objectPath = objectPath
        self.message = message
        self.underlying = underlying
    }

    /// Wraps an HDF5 layer failure, keeping its operation, object path and libhdf5 messages.
    public init(_ error: HDF5Error) {
        let detail = error.messages.isEmpty ? "unknown HDF5 failure" : error.messages.joined(separator: "; ")
        self.init(error.kind == .objectNotFound || error.kind == .typeMismatch ? .malformed : .storage,
                  file: error.fileName, objectPath: error.objectPath == "/" ? nil : error.objectPath,
                  "cannot \(error.operation): \(detail)", underlying: error)
    }

    /// A layout error for `group` (used by value kinds when decoding).
    public static func malformed(_ group: HDF5Object, _ message: String) -> WorkspaceError {
        WorkspaceError(.malformed, file: group.file.path, objectPath: group.path, message)
    }

    public var description: String {
        let place = objectPath.map { "\(file): \($0)" } ?? file
        return "\(place): \(message)"
    }
}

extension WorkspaceError {
    /// Runs `body`, turning HDF5 layer failures into `WorkspaceError`s.
    static func wrapping<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as HDF5Error {
            throw WorkspaceError(error)
        }
    }
}

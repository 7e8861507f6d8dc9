// TorchCheckpointError: every failure reading or writing a PyTorch .pth file, naming the
// file, the place (zip entry and byte offset where known) and what was expected.

/// A failed `.pth` read or write.
///
/// `description` reads like
/// `best.pth: data.pkl byte 128: global 'torch.nn.modules.linear.Linear' is not allowed
/// (only state_dict contents are loaded, as with torch.load(weights_only=True))`.
public struct TorchCheckpointError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The file is missing or unreadable.
        case io
        /// Not a zip-format checkpoint (legacy pre-1.6 serialisation or a foreign file).
        case unsupportedContainer
        /// A required zip entry (`data.pkl`, `data/<key>`) is missing.
        case missingEntry
        /// The pickle stream is malformed or uses an opcode outside the supported set.
        case malformedPickle
        /// The pickle names a global outside the allowlist (a pickled module, optimizer class, ...).
        case forbiddenGlobal
        /// A tensor's storage, dtype, shape or strides are inconsistent or unsupported.
        case badTensor
        /// The requested key is absent, or the object is not a state_dict.
        case notStateDict
        /// The data cannot be written (too large for a non-ZIP64 archive, bad names).
        case unwritable
    }

    public var kind: Kind
    /// The checkpoint's path.
    public var fileName: String
    /// Where inside the file, e.g. "data.pkl byte 128" or "data/3"; empty for the whole file.
    public var location: String
    public var message: String

    public init(kind: Kind, fileName: String, location: String = "", message: String) {
        self.kind = kind
        self.fileName = fileName
        self.location = location
        self.message = message
    }

    public var description: String {
        location.isEmpty ? "\(fileName): \(message)" : "\(fileName): \(location): \(message)"
    }
}

// WorkspaceFormat: the names every workspace file shares (root attributes, groups) and
// the major.minor format version with its compatibility rule.

/// The version of the workspace layout, written as the root attribute `format_version`.
///
/// A reader accepts any file of its own major version: minor versions only add optional
/// attributes, datasets or value kinds, which older readers ignore or refuse per variable.
/// A new major version marks an incompatible layout, which older readers refuse.
public struct WorkspaceFormatVersion: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Parses "major.minor" (two non-negative decimal integers); nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]),
              major >= 0, minor >= 0, parts.allSatisfy({ $0.allSatisfy(\.isASCII) }) else { return nil }
        self.init(major: major, minor: minor)
    }

    public var description: String { "\(major).\(minor)" }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }
}

/// Names and constants of the workspace layout (see docs/workspace-format.md).
public enum WorkspaceFormat {
    /// The value of the root attribute `format`.
    public static let name = "ecgs-workspace"
    /// The version this ecgs writes; it reads every `1.x`.
    public static let version = WorkspaceFormatVersion(major: 1, minor: 1)

    /// Root attribute names.
    public static let formatAttribute = "format"
    public static let versionAttribute = "format_version"
    public static let ecgsVersionAttribute = "ecgs_version"
    public static let createdAttribute = "created_utc"
    public static let seedAttribute = "seed"

    /// The group holding one group per variable.
    public static let variablesGroup = "variables"
    /// The group holding the replayable script and the build that ran it.
    public static let sessionGroup = "session"
    public static let scriptDataset = "script"
    public static let buildDataset = "ecgs_build"

    /// The attribute naming a value group's kind ("number", "tensor", "record", ...).
    public static let typeAttribute = "type"
}

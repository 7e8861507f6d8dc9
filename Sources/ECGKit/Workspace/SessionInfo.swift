// SessionInfo: what a workspace records about the session that made it: the replayable
// script, the ecgs version and build, the seed and the creation time (kept as text).
import Foundation

/// The session a workspace came from.
///
/// `createdUTC` is text, not a `Date`, so a loaded workspace saved again carries exactly the
/// same attribute: a save → load → save round trip then gives byte-identical files.
public struct SessionInfo: Sendable, Equatable {
    /// The statements that produced the variables, as a runnable script.
    public var script: String
    /// The ecgs release, e.g. "0.1.0" (root attribute `ecgs_version`).
    public var ecgsVersion: String
    /// The build that ran the script, e.g. "ecgs 0.1.0 (swift 6.3.1, hdf5 1.10.8, linux x86_64)".
    public var ecgsBuild: String
    /// The session seed (root attribute `seed`, int64); nil when the file has none.
    public var seed: Int64?
    /// ISO 8601 UTC time of creation, e.g. "2026-11-25T17:22:43Z" (root attribute `created_utc`).
    public var createdUTC: String

    public init(script: String, ecgsVersion: String, ecgsBuild: String, seed: Int64?, createdUTC: String) {
        self.script = script
        self.ecgsVersion = ecgsVersion
        self.ecgsBuild = ecgsBuild
        self.seed = seed
        self.createdUTC = createdUTC
    }

    /// A session created at `created` (now by default), stamped to the second in UTC.
    public init(script: String, ecgsVersion: String, ecgsBuild: String, seed: Int64?, created: Date = Date()) {
        self.init(script: script, ecgsVersion: ecgsVersion, ecgsBuild: ecgsBuild, seed: seed,
                  createdUTC: Self.timestamp(created))
    }

    /// `date` as ISO 8601 in UTC to the second: "2026-11-25T17:22:43Z".
    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

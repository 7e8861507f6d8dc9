// Where tests find their fixtures and the shared reference data.
import Foundation

/// Locations of test inputs, derived from the test file's own path so that tests
/// run the same from any working directory (CI clones the package elsewhere).
public enum TestPaths {
    /// The package root: the folder holding `Package.swift`.
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
            url.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// `../shared/data` beside the checkout, or `$ECGS_SHARED_DATA` when set.
    public static let sharedData: URL = {
        if let env = ProcessInfo.processInfo.environment["ECGS_SHARED_DATA"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    }()

    /// A file under the shared data folder, e.g. `shared("wfdb/sample-data/100.hea")`.
    public static func shared(_ relativePath: String) -> URL {
        sharedData.appendingPathComponent(relativePath)
    }

    /// The `Fixtures` folder next to the calling test file.
    public static func fixtures(file: String = #filePath) -> URL {
        URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Fixtures")
    }
}

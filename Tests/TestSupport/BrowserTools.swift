// Runs the real headless Chromium and ImageMagick for the browser tests: finding them, running with a
// timeout, screenshots, DOM dumps and RGB pixel crops of PNG files.

import Foundation

/// A failure of an external tool the browser tests run (exit status, timeout, unreadable output).
public struct BrowserToolError: Error, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}

/// The external tools, located once on PATH; nil when missing (the tests then skip).
public enum BrowserTools {
    public static let chromium: String? = executable(named: ["chromium", "chromium-browser"])
    /// The first `convert` on PATH that says it is ImageMagick (a stand-in of the same name is passed over).
    public static let convert: String? = executables(named: "convert").first { candidate in
        let folder = FileManager.default.temporaryDirectory
        let version = (try? run(candidate, ["-version"], in: folder, timeout: 20)) ?? Data()
        return String(decoding: version, as: UTF8.self).contains("ImageMagick")
    }

    /// True when both Chromium and ImageMagick's `convert` are on PATH.
    public static let available = chromium != nil && convert != nil

    public static let skipMessage = "headless Chromium (chromium or chromium-browser) and ImageMagick (convert) must be on PATH; "
        + "install them with scripts/setup-test-tools.sh"

    public static func executable(named names: [String]) -> String? {
        names.lazy.compactMap { executables(named: $0).first }.first
    }

    /// Every executable file called `name` in the PATH folders, in PATH order.
    public static func executables(named name: String) -> [String] {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.filter { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A fresh temporary folder for one test's files (Chromium profile, page copies, screenshots).
    public static func temporaryFolder(_ label: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("ecgs-browser-\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Runs `executable` with `arguments`, killing it after `timeout` seconds; returns its standard output.
    /// Output goes through a file, so a large DOM dump cannot fill a pipe and block the child.
    public static func run(_ executable: String, _ arguments: [String], in folder: URL, timeout: TimeInterval = 60) throws -> Data {
        let outputURL = folder.appendingPathComponent("stdout-\(UUID().uuidString).txt")
        let errorURL = folder.appendingPathComponent("stderr-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL)
        let errors = try FileHandle(forWritingTo: errorURL)
        defer {
            try? output.close()
            try? errors.close()
            try? FileManager.default.removeItem(at: outputURL)
            try? FileManager.default.removeItem(at: errorURL)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw BrowserToolError(description: "\(executable) did not finish within \(timeout) s: \(arguments.joined(separator: " "))")
        }
        let data = (try? Data(contentsOf: outputURL)) ?? Data()
        guard process.terminationStatus == 0 else {
            let stderr = String(decoding: (try? Data(contentsOf: errorURL)) ?? Data(), as: UTF8.self)
            throw BrowserToolError(description: "\(executable) exited with \(process.terminationStatus): "
                                   + "\(arguments.joined(separator: " "))\n\(stderr.suffix(2000))")
        }
        return data
    }

    /// The flags of every Chromium run: headless as root without GPU, its own profile (tests run in
    /// parallel), device pixels = CSS pixels, no scrollbars, and every host name unresolvable so the
    /// page cannot reach a network even if it tried.
    public static func chromiumArguments(profile: URL, windowWidth: Int, windowHeight: Int) -> [String] {
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--mute-audio",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--hide-scrollbars", "--force-device-scale-factor=1",
         "--user-data-dir=\(profile.path)", "--window-size=\(windowWidth),\(windowHeight)"]
    }

    /// Takes a `width` x `height` screenshot of `page` (a local file) and returns the PNG's URL.
    public static func screenshot(of page: URL, width: Int, height: Int, in folder: URL) throws -> URL {
        guard let chromium else { throw BrowserToolError(description: skipMessage) }
        let shot = folder.appendingPathComponent(page.deletingPathExtension().lastPathComponent + ".png")
        let profile = folder.appendingPathComponent("profile-shot", isDirectory: true)
        _ = try run(chromium, chromiumArguments(profile: profile, windowWidth: width, windowHeight: height)
                    + ["--screenshot=\(shot.path)", page.absoluteString], in: folder)
        guard FileManager.default.fileExists(atPath: shot.path) else {
            throw BrowserToolError(description: "Chromium wrote no screenshot at \(shot.path)")
        }
        return shot
    }

    /// Loads `page` in Chromium, lets its scripts run, and returns the serialized DOM. With a
    /// `virtualTimeBudget` (ms) timers run on virtual time; with nil the page runs on the real clock
    /// (what a load-time measurement needs) and the DOM is dumped after the load event.
    public static func dumpDOM(of page: URL, width: Int, height: Int, in folder: URL,
                               virtualTimeBudget: Int? = 5000) throws -> String {
        guard let chromium else { throw BrowserToolError(description: skipMessage) }
        let profile = folder.appendingPathComponent("profile-dom", isDirectory: true)
        let budget = virtualTimeBudget.map { ["--virtual-time-budget=\($0)"] } ?? []
        let data = try run(chromium, chromiumArguments(profile: profile, windowWidth: width, windowHeight: height)
                           + ["--dump-dom"] + budget + [page.absoluteString], in: folder)
        return String(decoding: data, as: UTF8.self)
    }

    /// ImageMagick's mean and standard deviation of the whole image (channels averaged, in [0, 1]).
    public static func meanAndDeviation(of image: URL, in folder: URL) throws -> (mean: Double, deviation: Double, width: Int, height: Int) {
        guard let convert else { throw BrowserToolError(description: skipMessage) }
        let text = String(decoding: try run(convert, [image.path, "-format", "%[fx:mean] %[fx:standard_deviation] %w %h", "info:"],
                                            in: folder), as: UTF8.self)
        let fields = text.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        guard fields.count == 4, let mean = Double(fields[0]), let deviation = Double(fields[1]),
              let width = Int(fields[2]), let height = Int(fields[3]) else {
            throw BrowserToolError(description: "unexpected ImageMagick statistics '\(text)'")
        }
        return (mean, deviation, width, height)
    }

    /// The pixels of a crop of `image` as 8-bit RGB, read through ImageMagick's raw `rgb:` output.
    public static func pixels(of image: URL, x: Int, y: Int, width: Int, height: Int, in folder: URL) throws -> RGBImage {
        guard let convert else { throw BrowserToolError(description: skipMessage) }
        let data = try run(convert, [image.path, "-crop", "\(width)x\(height)+\(x)+\(y)", "+repage",
                                     "-alpha", "off", "-depth", "8", "rgb:-"], in: folder)
        guard data.count == width * height * 3 else {
            throw BrowserToolError(description: "crop \(width)x\(height)+\(x)+\(y) of \(image.lastPathComponent) gave \(data.count) bytes, "
                                   + "expected \(width * height * 3)")
        }
        return RGBImage(width: width, height: height, bytes: [UInt8](data))
    }
}

/// An 8-bit RGB raster, row-major.
public struct RGBImage {
    public var width: Int
    public var height: Int
    public var bytes: [UInt8]

    public init(width: Int, height: Int, bytes: [UInt8]) {
        self.width = width
        self.height = height
        self.bytes = bytes
    }

    public func pixel(_ x: Int, _ y: Int) -> (r: Int, g: Int, b: Int) {
        let offset = 3 * (y * width + x)
        return (Int(bytes[offset]), Int(bytes[offset + 1]), Int(bytes[offset + 2]))
    }

    /// How many pixels satisfy `predicate`.
    public func count(where predicate: ((r: Int, g: Int, b: Int)) -> Bool) -> Int {
        var total = 0
        for y in 0..<height {
            for x in 0..<width where predicate(pixel(x, y)) { total += 1 }
        }
        return total
    }
}

/// Colour classes of the figure's pixels (sRGB, with room for anti-aliasing).
public enum PixelColor {
    /// The black original signal.
    public static func isDark(_ p: (r: Int, g: Int, b: Int)) -> Bool { p.r < 90 && p.g < 90 && p.b < 90 }
    /// The red reconstruction, #d62728.
    public static func isRed(_ p: (r: Int, g: Int, b: Int)) -> Bool { p.r > 170 && p.g < 90 && p.b < 90 }
    /// The orange anomaly trace, #ff7f0e.
    public static func isOrange(_ p: (r: Int, g: Int, b: Int)) -> Bool { p.r > 220 && (95...165).contains(p.g) && p.b < 80 }
    /// The highlight, #ff7f0e at opacity 0.3 over white: about (255, 216, 183).
    public static func isHighlight(_ p: (r: Int, g: Int, b: Int)) -> Bool {
        p.r > 245 && (200...230).contains(p.g) && (165...200).contains(p.b)
    }
    public static func isWhite(_ p: (r: Int, g: Int, b: Int)) -> Bool { p.r == 255 && p.g == 255 && p.b == 255 }
}

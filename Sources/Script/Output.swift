// Output: where commands write. Commands never touch stdout, so tests capture what they print.
import Foundation

/// A text sink for command output.
public protocol Output: AnyObject {
    /// Writes text as is (add your own newline).
    func write(_ text: String)
    /// True when the sink is an interactive terminal: long work may draw progress bars
    /// (with `\r`) there, and must print plain log lines otherwise.
    var isTerminal: Bool { get }
}

extension Output {
    /// Writes one line followed by a newline.
    public func writeLine(_ line: String) { write(line + "\n") }
}

/// Writes to a file descriptor (standard output by default), unbuffered so output
/// interleaves correctly with libedit's prompt and with stderr.
public final class FileDescriptorOutput: Output {
    private let descriptor: Int32
    public let isTerminal: Bool

    public init(descriptor: Int32 = 1) {
        self.descriptor = descriptor
        self.isTerminal = isatty(descriptor) == 1
    }

    public func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                Foundation.write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}

/// Collects everything written, for tests and the golden-script harness.
public final class CapturedOutput: Output {
    public private(set) var text = ""
    public let isTerminal = false

    public init() {}

    public func write(_ text: String) { self.text += text }

    /// Returns what was written since the last call and forgets it.
    public func take() -> String {
        defer { text = "" }
        return text
    }
}

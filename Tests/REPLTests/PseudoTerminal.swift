// A child process on a pseudo-terminal, for testing the libedit REPL as a user sees it.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `ecgs` started as the session leader of a new pseudo-terminal (so Ctrl-C sends SIGINT).
final class PseudoTerminal {
    private let master: Int32
    private let child: pid_t
    /// Everything the child wrote so far.
    private(set) var transcript = ""
    /// Offset in `transcript` up to which `expect` has matched.
    private var matchedUpTo: String.Index

    init(binary: String, arguments: [String] = [], environment: [String: String]) throws {
        let pty = try PseudoTerminalFunctions()
        master = pty.openMaster(O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0, pty.grant(master) == 0, pty.unlock(master) == 0, let name = pty.slaveName(master) else {
            throw TerminalError("cannot open a pseudo-terminal")
        }
        let slavePath = String(cString: name)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Opened after setsid in the child, the terminal becomes its controlling terminal.
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A new session (POSIX_SPAWN_SETSID, 0x80), with no signal blocked (SETSIGMASK, 0x08)
        // and SIGINT at its default (SETSIGDEF, 0x04), whatever the test runner's threads use.
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var interruptSignal = sigset_t()
        sigemptyset(&interruptSignal)
        sigaddset(&interruptSignal, SIGINT)
        posix_spawnattr_setsigdefault(&attributes, &interruptSignal)
        posix_spawnattr_setflags(&attributes, Int16(0x80 | 0x08 | 0x04))
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, binary, &actions, &attributes, argv, envp)
        guard status == 0 else { throw TerminalError("posix_spawn failed: \(status)") }
        child = pid
        matchedUpTo = transcript.startIndex
    }

    deinit {
        kill(child, SIGKILL)
        var status: Int32 = 0
        waitpid(child, &status, 0)
        close(master)
    }

    /// Types bytes as if at the keyboard.
    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Reads output until `text` appears after the previous match; throws after `timeout` seconds.
    func expect(_ text: String, timeout: Double = 10) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let range = transcript.range(of: text, range: matchedUpTo..<transcript.endIndex) {
                matchedUpTo = range.upperBound
                return
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else {
                throw TerminalError("timed out waiting for \(text.debugDescription); got \(transcript[matchedUpTo...].debugDescription); whole transcript: \(transcript.debugDescription)")
            }
            readAvailable(waitingUpTo: min(remaining, 0.2))
        }
    }

    /// Reads output until `prompt` appears, then waits until the line editor has switched the
    /// terminal out of canonical mode, so keys sent next reach libedit rather than the tty's
    /// own line discipline (which would echo them and queue Ctrl-C before el_gets runs).
    func expectPrompt(_ prompt: String = "ecgs> ", timeout: Double = 10) throws {
        try expect(prompt, timeout: timeout)
        let deadline = Date().addingTimeInterval(timeout)
        var settings = termios()
        while Date() < deadline {
            if tcgetattr(master, &settings) == 0, settings.c_lflag & tcflag_t(ICANON) == 0 { return }
            readAvailable(waitingUpTo: 0.01)
        }
        throw TerminalError("the terminal never left canonical mode after \(prompt.debugDescription)")
    }

    private func readAvailable(waitingUpTo seconds: Double) {
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, Int32(seconds * 1000)) > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(master, &buffer, buffer.count)
        if count > 0 { transcript += String(decoding: buffer[0..<count], as: UTF8.self) }
    }

    /// Waits for the child to exit and returns its exit status (nil on timeout or signal).
    func waitForExit(timeout: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            readAvailable(waitingUpTo: 0.05)
            var status: Int32 = 0
            if waitpid(child, &status, WNOHANG) == child {
                let exited = status & 0x7F == 0
                return exited ? (status >> 8) & 0xFF : nil
            }
        }
        return nil
    }
}

/// posix_openpt, grantpt, unlockpt and ptsname, looked up at run time: Swift's Glibc module
/// leaves them out (they need _XOPEN_SOURCE), but every glibc exports them.
private struct PseudoTerminalFunctions {
    let openMaster: @convention(c) (Int32) -> Int32
    let grant: @convention(c) (Int32) -> Int32
    let unlock: @convention(c) (Int32) -> Int32
    let slaveName: @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?

    init() throws {
        let handle = dlopen(nil, RTLD_NOW)
        func look<T>(_ name: String, as type: T.Type) throws -> T {
            guard let symbol = dlsym(handle, name) else { throw TerminalError("libc lacks \(name)") }
            return unsafeBitCast(symbol, to: type)
        }
        openMaster = try look("posix_openpt", as: (@convention(c) (Int32) -> Int32).self)
        grant = try look("grantpt", as: (@convention(c) (Int32) -> Int32).self)
        unlock = try look("unlockpt", as: (@convention(c) (Int32) -> Int32).self)
        slaveName = try look("ptsname", as: (@convention(c) (Int32) -> UnsafeMutablePointer<CChar>?).self)
    }
}

struct TerminalError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

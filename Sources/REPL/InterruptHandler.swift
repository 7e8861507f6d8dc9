// SIGINT handling: the handler (installed without SA_RESTART) sets `Interruption.process`,
// so running work stops at its next check, and writes a byte to a wake-up pipe, so a
// prompt waiting for a key sees the Ctrl-C even if it arrived just before the wait began.
import Foundation
import Script
import Synchronization

/// The write end of the wake-up pipe (-1 until installed), read by the signal handler.
private let wakeWriteDescriptor = Atomic<Int32>(-1)
/// The read end of the wake-up pipe.
private let wakeReadDescriptor = Atomic<Int32>(-1)

/// Installs the process's SIGINT handler and owns the wake-up pipe.
public enum InterruptHandler {
    /// Installs the handler. Three Ctrl-C presses that a running command does not answer
    /// (stuck in a long C call) end the process with status 130, like sqlite3's shell.
    public static func install() {
        // Touch the globals now so no lazy initialisation happens inside the handler.
        Interruption.process.clear()
        if wakeReadDescriptor.load(ordering: .acquiring) < 0 {
            var descriptors: [Int32] = [-1, -1]
            if pipe(&descriptors) == 0 {
                for descriptor in descriptors {
                    _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
                    _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
                }
                wakeReadDescriptor.store(descriptors[0], ordering: .releasing)
                wakeWriteDescriptor.store(descriptors[1], ordering: .releasing)
            }
        }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            let unanswered = Interruption.signalReceived()
            var byte: UInt8 = 3
            let descriptor = wakeWriteDescriptor.load(ordering: .relaxed)
            if descriptor >= 0 { _ = write(descriptor, &byte, 1) }
            if unanswered >= 3 {
                let message: StaticString = "\necgs: interrupted 3 times without stopping; exiting\n"
                _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
                _exit(130)
            }
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        // A parent may have started us with SIGINT blocked; Ctrl-C must still reach the handler.
        var interruptOnly = sigset_t()
        sigemptyset(&interruptOnly)
        sigaddset(&interruptOnly, SIGINT)
        sigprocmask(SIG_UNBLOCK, &interruptOnly, nil)
    }

    /// The descriptor that becomes readable after each Ctrl-C (-1 before `install()`).
    static var wakeDescriptor: Int32 { wakeReadDescriptor.load(ordering: .acquiring) }

    /// Empties the wake-up pipe; returns true when a Ctrl-C was waiting in it.
    @discardableResult
    static func drainWakeups() -> Bool {
        let descriptor = wakeDescriptor
        guard descriptor >= 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 64)
        var sawAny = false
        while read(descriptor, &buffer, buffer.count) > 0 { sawAny = true }
        return sawAny
    }
}

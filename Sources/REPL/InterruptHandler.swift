// SIGINT handling: a handler installed without SA_RESTART, so a read at the prompt returns
// EINTR (the REPL clears the line) and running work sees `Interruption` at its next check.
import Foundation
import Script

/// Installs the process's SIGINT handler.
public enum InterruptHandler {
    /// Installs the handler. Three Ctrl-C presses that a running command does not answer
    /// (stuck in a long C call) end the process with status 130, like sqlite3's shell.
    public static func install() {
        // Touch the flags now so no lazy global initialisation happens inside the handler.
        Interruption.process.clear()
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            if Interruption.signalReceived() >= 3 {
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
}

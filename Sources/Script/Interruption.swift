// Interruption: "stop at the next safe point" flags. The process-wide one is set by the
// SIGINT handler; long loops call `try interruption.check()`, which throws `Interrupted`.
import Synchronization

/// Ctrl-C presses not yet answered by a `check()` while a command runs.
private let pendingInterrupts = Atomic<Int>(0)
/// True while a statement runs (as opposed to waiting at the prompt).
private let isBusy = Atomic<Bool>(false)

/// Thrown by `Interruption.check()` after Ctrl-C: the statement stops, the session goes on.
public struct Interrupted: Error, CustomStringConvertible, Sendable {
    public init() {}
    public var description: String { "interrupted" }
}

/// An interruption flag. Commands poll it at safe points (between epochs, batches, records):
/// `try interpreter.interruption.check()`.
///
/// `Interruption.process` is the one the SIGINT handler sets (a lock-free atomic store,
/// safe in a signal handler); tests give an interpreter its own flag.
public final class Interruption: Sendable {
    /// The flag Ctrl-C sets.
    public static let process = Interruption()

    private let requested = Atomic<Bool>(false)

    public init() {}

    /// Throws `Interrupted` (and clears the request) when one was made since the last check.
    public func check() throws {
        if requested.exchange(false, ordering: .acquiringAndReleasing) {
            if self === Interruption.process { pendingInterrupts.store(0, ordering: .relaxed) }
            throw Interrupted()
        }
    }

    /// True when an interrupt is pending, without clearing it.
    public var isRequested: Bool { requested.load(ordering: .acquiring) }

    /// Asks running work to stop at its next check.
    public func request() { requested.store(true, ordering: .releasing) }

    /// Forgets a pending request (before a new entry starts, or at the prompt).
    public func clear() {
        requested.store(false, ordering: .releasing)
        if self === Interruption.process { pendingInterrupts.store(0, ordering: .relaxed) }
    }

    /// The SIGINT handler's side: requests a stop on `process` and returns how many presses
    /// went unanswered while busy (for the "three ignored interrupts exit" safety valve).
    /// Uses only atomics, so it is safe in a signal handler.
    public static func signalReceived() -> Int {
        process.request()
        guard isBusy.load(ordering: .relaxed) else { return 0 }
        return pendingInterrupts.add(1, ordering: .relaxed).newValue
    }

    /// Marks whether a statement is running.
    public static func setBusy(_ busy: Bool) { isBusy.store(busy, ordering: .relaxed) }
}

// Interruption: the process-wide "stop at the next safe point" flag that SIGINT sets.
// Long loops call `try interruption.check()`; it throws `Interrupted` once per request.
import Synchronization

/// Set by the SIGINT handler (async-signal-safe: a lock-free atomic store).
private let interruptRequested = Atomic<Bool>(false)
/// Ctrl-C presses not yet answered by a `check()` while a command runs.
private let pendingInterrupts = Atomic<Int>(0)
/// True while a statement runs (as opposed to waiting at the prompt).
private let isBusy = Atomic<Bool>(false)

/// Thrown by `Interruption.check()` after Ctrl-C: the statement stops, the session goes on.
public struct Interrupted: Error, CustomStringConvertible, Sendable {
    public init() {}
    public var description: String { "interrupted" }
}

/// Access to the process-wide interruption flag.
///
/// Commands poll it at safe points (between epochs, batches, records):
/// `try context.interruption.check()`.
public struct Interruption: Sendable {
    public init() {}

    /// Throws `Interrupted` (and clears the request) when Ctrl-C was pressed since the last check.
    public func check() throws {
        if interruptRequested.exchange(false, ordering: .acquiringAndReleasing) {
            pendingInterrupts.store(0, ordering: .relaxed)
            throw Interrupted()
        }
    }

    /// True when an interrupt is pending, without clearing it.
    public var isRequested: Bool { interruptRequested.load(ordering: .acquiring) }

    /// Records one Ctrl-C; returns how many went unanswered while busy (for the
    /// "three ignored interrupts exit" safety valve). Safe to call from a signal handler.
    @discardableResult
    public static func request() -> Int {
        interruptRequested.store(true, ordering: .releasing)
        guard isBusy.load(ordering: .relaxed) else { return 0 }
        return pendingInterrupts.add(1, ordering: .relaxed).newValue
    }

    /// Clears any pending request (before a new statement starts or at the prompt).
    public static func clear() {
        interruptRequested.store(false, ordering: .releasing)
        pendingInterrupts.store(0, ordering: .relaxed)
    }

    /// Marks whether a statement is running.
    public static func setBusy(_ busy: Bool) { isBusy.store(busy, ordering: .relaxed) }
}

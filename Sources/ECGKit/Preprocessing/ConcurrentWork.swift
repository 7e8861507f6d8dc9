// Helpers for running independent jobs (lead groups, records) on concurrent threads: keeping the
// first error, and an ordered parallel map.
import Dispatch
import Foundation

/// Collects the first error thrown by concurrent jobs.
final class FirstFailure: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Error?

    func record(_ newError: Error) {
        lock.lock()
        if stored == nil { stored = newError }
        lock.unlock()
    }

    var error: Error? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

/// `inputs.map(transform)` on `workers` threads taking the next input in turn, results in input
/// order; rethrows the first error (the other workers stop taking inputs). One worker runs on the
/// calling thread.
func concurrentMap<Input: Sendable, Output: Sendable>(_ inputs: [Input], workers: Int,
                                                      _ transform: @escaping @Sendable (Input) throws -> Output) throws -> [Output] {
    if workers <= 1 || inputs.count <= 1 { return try inputs.map(transform) }
    let results = ResultSlots<Output>(count: inputs.count)
    let failures = FirstFailure()
    let next = NextIndex()
    DispatchQueue.concurrentPerform(iterations: min(workers, inputs.count)) { _ in
        while failures.error == nil, let index = next.take(below: inputs.count) {
            do { results.set(index, try transform(inputs[index])) } catch { failures.record(error) }
        }
    }
    if let error = failures.error { throw error }
    return try results.values()
}

/// A shared counter handing out 0, 1, 2, ... to concurrent workers.
private final class NextIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// Output slots written by concurrent jobs, each job its own index.
private final class ResultSlots<Output: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Output?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Output) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    func values() throws -> [Output] {
        lock.lock()
        defer { lock.unlock() }
        return try slots.map { slot in
            guard let slot else { throw PreprocessingError("parallel", "a job finished without a result") }
            return slot
        }
    }
}

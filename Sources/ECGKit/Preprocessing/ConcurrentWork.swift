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

/// `inputs.map(transform)` with one concurrent job per input (callers pass at most as many inputs as
/// they want threads), results in input order; rethrows the first error (jobs not yet started after
/// it are skipped).
func concurrentMap<Input: Sendable, Output: Sendable>(_ inputs: [Input],
                                                      _ transform: @escaping @Sendable (Input) throws -> Output) throws -> [Output] {
    if inputs.count <= 1 { return try inputs.map(transform) }
    let results = ResultSlots<Output>(count: inputs.count)
    let failures = FirstFailure()
    DispatchQueue.concurrentPerform(iterations: inputs.count) { index in
        guard failures.error == nil else { return }
        do { results.set(index, try transform(inputs[index])) } catch { failures.record(error) }
    }
    if let error = failures.error { throw error }
    return try results.values()
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

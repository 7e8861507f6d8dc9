// HDF5Library: the one gate every libhdf5 call goes through (a process-wide recursive lock),
// one-time initialisation that silences HDF5's stderr error printing, and the
// conversion of HDF5's error stack into `HDF5Error` values.
import CHDF5
import Foundation

/// Serialises all libhdf5 calls of the process.
///
/// Debian's libhdf5 1.10.8 is built thread-safe, but that build is one global lock
/// with no concurrency and upstream's default build is not thread-safe at all
/// (h5py takes its own global lock for the same reason), so every call made by
/// this module runs inside `HDF5Library.withLock`. The lock is recursive because
/// wrappers nest (a dataset write opens spaces and types inside the same call).
enum HDF5Library {
    /// Replaced only in a freshly forked child (see `forkHoldingLock`), which has one thread.
    nonisolated(unsafe) private static var lock = NSRecursiveLock()

    /// Initialises the library once (`H5open`).
    private static let initialised: Bool = {
        H5open()
        return true
    }()

    /// Runs `body` holding the HDF5 lock, after the one-time initialisation.
    ///
    /// The thread-safe build keeps the error-printing setting per thread, so
    /// `H5Eset_auto2(H5E_DEFAULT, nil, nil)` runs on every entry (it is a cheap store):
    /// HDF5 never prints "HDF5-DIAG" traces; failures are thrown instead.
    static func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        _ = initialised
        H5Eset_auto2(chdf5_error_default(), nil, nil)
        return try body()
    }

    /// `fork()` taken while holding the HDF5 lock, so that no other thread is inside libhdf5
    /// (whose own internal mutex would stay locked forever in the child); the child gets a
    /// fresh lock because the inherited one belongs to a thread that does not exist there.
    /// Used by crash-consistency tests that kill a child in the middle of a save.
    static func forkHoldingLock() -> pid_t {
        lock.lock()
        let child = fork()
        if child == 0 {
            lock = NSRecursiveLock()
        } else {
            lock.unlock()
        }
        return child
    }

    /// The innermost entries of the current thread's HDF5 error stack, innermost first, as
    /// "function: description" lines; the stack is cleared afterwards.
    /// Call it inside `withLock`, right after the failing call.
    static func drainErrorStack() -> [String] {
        final class Collector { var lines: [String] = [] }
        let collector = Collector()
        let context = Unmanaged.passUnretained(collector).toOpaque()
        H5Ewalk2(chdf5_error_default(), H5E_WALK_UPWARD, { _, description, clientData in
            guard let description, let clientData else { return 0 }
            let collector = Unmanaged<Collector>.fromOpaque(clientData).takeUnretainedValue()
            let function = description.pointee.func_name.map { String(cString: $0) } ?? "?"
            let text = description.pointee.desc.map { String(cString: $0) } ?? ""
            collector.lines.append("\(function): \(text)")
            return 0
        }, context)
        H5Eclear2(chdf5_error_default())
        return Array(collector.lines.prefix(innermostMessageCount))
    }

    /// How many of the innermost error-stack entries are kept: the cause is innermost, the
    /// outer entries only repeat "unable to ..." up the call chain.
    static let innermostMessageCount = 3

    /// Throws an `HDF5Error` carrying the drained error stack when `status` is negative.
    @discardableResult
    static func check<Status: BinaryInteger>(
        _ status: Status, _ operation: String, path: String, file: String
    ) throws -> Status {
        if status < 0 {
            throw HDF5Error(kind: .library, operation: operation, objectPath: path, fileName: file,
                            messages: drainErrorStack())
        }
        return status
    }
}

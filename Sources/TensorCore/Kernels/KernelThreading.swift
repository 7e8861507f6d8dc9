// KernelThreading: running kernel work on both cores while OpenBLAS stays single-threaded inside.
// Two concurrent callers each running a multi-threaded OpenBLAS would oversubscribe the 2 cores.
import CBLAS
import Dispatch

/// Thread controls shared by the fused kernels.
public enum KernelThreading {
    /// Number of workers the kernels split independent work over (the machine's 2 cores).
    public static let workerCount = 2

    /// Runs `body(worker)` for `worker` in `0..<count` concurrently, with OpenBLAS limited to one
    /// thread for the duration (the previous thread count is restored afterwards). With `count`
    /// 1 it runs inline and leaves OpenBLAS as it is.
    public static func concurrentlyWithSingleThreadedBLAS(_ count: Int, _ body: (Int) -> Void) {
        guard count > 1 else { return concurrently(count, body) }
        let previous = openblas_get_num_threads()
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(previous) }
        concurrently(count, body)
    }

    /// Runs `body(worker)` for `worker` in `0..<count` concurrently (no BLAS inside).
    public static func concurrently(_ count: Int, _ body: (Int) -> Void) {
        if count <= 1 {
            if count == 1 { body(0) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            let box = KernelSendableBox(escapable)
            DispatchQueue.concurrentPerform(iterations: count) { worker in box.value(worker) }
        }
    }

    /// The half-open range of `total` items that worker `worker` of `workers` handles.
    public static func share(_ total: Int, worker: Int, of workers: Int) -> Range<Int> {
        let start = total * worker / workers
        let end = total * (worker + 1) / workers
        return start..<end
    }
}

/// Carries a value across the concurrent workers; the kernels guarantee the workers write
/// disjoint memory, which the compiler cannot see through raw pointers.
@usableFromInline
struct KernelSendableBox<Value>: @unchecked Sendable {
    @usableFromInline let value: Value
    @usableFromInline init(_ value: Value) { self.value = value }
}

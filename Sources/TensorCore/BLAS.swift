// OpenBLAS access: thread count control and the sgemm call that every matrix product goes through.
import CBLAS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thread control for the BLAS library (OpenBLAS).
///
/// The default is `ECGS_THREADS` from the environment, else 2, applied before the first product.
/// With a fixed thread count and seed, results are bit-identical run to run.
public enum BLAS {
    private static let configured: Bool = {
        let fromEnvironment = getenv("ECGS_THREADS").flatMap { Int(String(cString: $0)) }
        openblas_set_num_threads(Int32(Swift.max(1, fromEnvironment ?? 2)))
        return true
    }()

    /// Applies the default thread count once (cheap after the first call).
    @inline(__always)
    static func ensureConfigured() { _ = configured }

    /// Sets the number of BLAS threads (`openblas_set_num_threads`).
    public static func setThreads(_ count: Int) {
        ensureConfigured()
        openblas_set_num_threads(Int32(Swift.max(1, count)))
    }

    /// The number of BLAS threads in use (`openblas_get_num_threads`).
    public static var threads: Int {
        ensureConfigured()
        return Int(openblas_get_num_threads())
    }
}

/// How a 2-d strided view can be handed to BLAS: row-major with leading dimension `ld`, either as is
/// or transposed. Nil when neither axis has unit stride (the caller copies first).
struct MatrixOperand {
    var transposed: Bool
    var leadingDimension: Int

    init?(rows: Int, columns: Int, rowStride: Int, columnStride: Int) {
        if columnStride == 1 || columns == 1 {
            let ld = rows == 1 ? Swift.max(columns, 1) : rowStride
            if ld >= Swift.max(columns, 1) {
                transposed = false
                leadingDimension = ld
                return
            }
        }
        if rowStride == 1 || rows == 1 {
            let ld = columns == 1 ? Swift.max(rows, 1) : columnStride
            if ld >= Swift.max(rows, 1) {
                transposed = true
                leadingDimension = ld
                return
            }
        }
        return nil
    }
}

extension BLAS {
    /// Products of fewer multiply-adds (`m*n*k`, about 1.3 ms on one core) run on one OpenBLAS
    /// thread. Waking OpenBLAS's second thread costs little, but afterwards that thread
    /// busy-waits (sched_yield) for about 0.1 s, competing with the fused kernels' own two
    /// threads: in the small VAE-BiLSTM's inference the spinning was 23 % of all CPU samples.
    static let singleThreadedWork = 1 << 26
}

/// `C = alpha * op(A) op(B) + beta * C`, row-major, through `cblas_sgemm` (on one thread below
/// `BLAS.singleThreadedWork`; partitioning by thread does not change the sums, so the result is
/// the same either way).
@inline(__always)
func sgemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
           a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
           beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    BLAS.ensureConfigured()
    let threads = openblas_get_num_threads()
    let singleThreaded = threads > 1 && m * n * k < BLAS.singleThreadedWork
    if singleThreaded { openblas_set_num_threads(1) }
    defer { if singleThreaded { openblas_set_num_threads(threads) } }
    cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

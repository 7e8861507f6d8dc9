// Process-wide malloc tuning for the executables: keep large numeric buffers in the heap
// instead of returning them to the kernel after every record.

#if canImport(Glibc)
/// glibc's `int mallopt(int param, int value)` from <malloc.h>, which the Glibc module does not export.
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
/// <malloc.h>: M_TRIM_THRESHOLD and M_MMAP_THRESHOLD.
private let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3
#endif

public enum AllocatorTuning {
    /// Raises glibc's mmap threshold (32 MiB, its maximum) and trim threshold (256 MiB).
    ///
    /// By default glibc serves blocks above 128 KiB with fresh mmaps and unmaps them on free, so
    /// processing record after record (each a few hundred KiB of Double samples and filter
    /// buffers) pays page faults every time; measured on reading and preprocessing the 10 s
    /// records of shared/data this halves the read time (notes/BENCH-records.md). Only the
    /// executables call this: a library should not change its host's allocator.
    public static func keepLargeBuffers() {
        #if canImport(Glibc)
        _ = glibcMallopt(mmapThreshold, 32 << 20)
        _ = glibcMallopt(trimThreshold, 256 << 20)
        #endif
    }
}

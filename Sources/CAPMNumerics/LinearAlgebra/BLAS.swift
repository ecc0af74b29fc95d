import CLapack
import Synchronization

/// Process-wide control of OpenBLAS and raw BLAS kernels for hot loops over caller-owned buffers.
///
/// OpenBLAS runs its own thread pool. When CAPM code is already parallel (k-means blocks, bootstraps), call
/// BLAS with one thread inside those loops, as OpenBLAS advises for multi-threaded programs; otherwise let it
/// use every core. `OPENBLAS_NUM_THREADS` is read once when the library loads; ``threads`` changes the count
/// afterwards.
public enum BLAS {
    /// Serializes changes of OpenBLAS' process-wide thread count with the calls that must not see one
    /// (``singleThreaded(_:)``).
    private static let gate = Mutex<Void>(())

    /// The number of threads OpenBLAS uses for one call (`openblas_get_num_threads`/`openblas_set_num_threads`).
    ///
    /// Setting a value below 1 sets 1. The count is process-wide: a change waits while a ``singleThreaded(_:)``
    /// call runs.
    public static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set { gate.withLock { _ in openblas_set_num_threads(Int32(Swift.max(1, newValue))) } }
    }

    /// Runs `body` — a LAPACK call whose rounding depends on how many threads OpenBLAS splits it over (e.g.
    /// `dgetrf`'s parallel panel factorization) — on one OpenBLAS thread, with no other thread able to change the
    /// count meanwhile. Without this, two solves running concurrently in one process (each limiting OpenBLAS to
    /// one thread and restoring the count afterwards) could change each other's LAPACK threading and give
    /// answers that differ in the last bits. Calls from different threads take turns.
    /// - Complexity: `body`'s, plus an uncontended lock and at most two thread-count changes.
    public static func singleThreaded(_ body: () -> Void) {
        gate.withLock { _ in
            let previous = openblas_get_num_threads()
            if previous != 1 { openblas_set_num_threads(1) }
            body()
            if previous != 1 { openblas_set_num_threads(previous) }
        }
    }

    /// The number of processors OpenBLAS detected (`openblas_get_num_procs`).
    public static var processors: Int { Int(openblas_get_num_procs()) }

    /// OpenBLAS's build configuration string (`openblas_get_config`), e.g. `"OpenBLAS 0.3.21 DYNAMIC_ARCH …"`.
    public static var configuration: String {
        guard let text = openblas_get_config() else { return "unknown" }
        return String(cString: text)
    }

    /// Runs `body` with OpenBLAS limited to `count` threads, restoring the previous count afterwards.
    public static func withThreads<R, E: Error>(_ count: Int, _ body: () throws(E) -> R) throws(E) -> R {
        let previous = threads
        threads = count
        defer { threads = previous }
        return try body()
    }

    /// Row-major single-precision `C ← α·A·Bᵀ + β·C` on raw buffers (BLAS `sgemm`), for blocked distance
    /// kernels where `A` is a block of points (m × k) and `B` the centroids (n × k), both row-major.
    ///
    /// - Precondition: the buffers hold at least m·k, n·k and m·n elements.
    @inlinable
    public static func gemmABt(
        m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, b: UnsafePointer<Float>, beta: Float,
        c: UnsafeMutablePointer<Float>
    ) {
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k), alpha, a, Int32(k), b,
            Int32(k), beta, c, Int32(n))
    }

    /// Row-major double-precision `C ← α·A·Bᵀ + β·C` on raw buffers (BLAS `dgemm`); see the `Float` overload.
    ///
    /// - Precondition: the buffers hold at least m·k, n·k and m·n elements.
    @inlinable
    public static func gemmABt(
        m: Int, n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, b: UnsafePointer<Double>, beta: Double,
        c: UnsafeMutablePointer<Double>
    ) {
        cblas_dgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k), alpha, a, Int32(k), b,
            Int32(k), beta, c, Int32(n))
    }
}

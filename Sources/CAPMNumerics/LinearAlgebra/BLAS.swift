import CLapack

/// Process-wide control of OpenBLAS and raw BLAS kernels for hot loops over caller-owned buffers.
///
/// OpenBLAS runs its own thread pool. When CAPM code is already parallel (k-means blocks, bootstraps), call
/// BLAS with one thread inside those loops, as OpenBLAS advises for multi-threaded programs; otherwise let it
/// use every core. `OPENBLAS_NUM_THREADS` is read once when the library loads; ``threads`` changes the count
/// afterwards.
public enum BLAS {
    /// The number of threads OpenBLAS uses for one call (`openblas_get_num_threads`/`openblas_set_num_threads`).
    ///
    /// Setting a value below 1 sets 1.
    public static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(Swift.max(1, newValue))) }
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

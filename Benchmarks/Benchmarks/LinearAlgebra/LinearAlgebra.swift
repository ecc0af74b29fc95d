import Benchmark
import CAPM

/// Dense kernels through OpenBLAS/LAPACK: a 1000 × 1000 GEMM (2 GFLOP) and Cholesky factorization.
let benchmarks: @Sendable () -> Void = {
    let n = 1000
    var rng = Xoshiro256(seed: 1)
    var a = Matrix(rows: n, columns: n)
    for i in 0..<n { for j in 0..<n { a[i, j] = rng.nextOpenUnit() } }
    let spd = a.gram() + Double(n) * Matrix.identity(n)

    Benchmark("dgemm 1000×1000", configuration: .init(metrics: [.wallClock], maxDuration: .seconds(3))) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try a.multiplied(by: a))
        }
    }
    Benchmark("dpotrf 1000×1000", configuration: .init(metrics: [.wallClock], maxDuration: .seconds(3))) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try CholeskyFactorization(spd))
        }
    }
}

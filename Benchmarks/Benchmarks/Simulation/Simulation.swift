import Benchmark
import CAPM

/// Simulating BG/NBD + Gamma-Gamma transaction logs.
let benchmarks: @Sendable () -> Void = {
    Benchmark(
        "TransactionSimulator 1M customers",
        configuration: .init(metrics: [.wallClock, .peakMemoryResident], maxDuration: .seconds(5), maxIterations: 5)
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try TransactionSimulator().simulate(customers: 1_000_000, seed: 1))
        }
    }
}

import Benchmark
import CAPM
import Foundation

/// Reading a simulated transaction log of 200,000 customers (about 550,000 rows) into typed columns.
let benchmarks: @Sendable () -> Void = {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capm-bench-csv")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent("transactions-200k.csv")
    if !FileManager.default.fileExists(atPath: url.path) {
        do { try TransactionSimulator().simulate(customers: 200_000, seed: 1).write(to: url) } catch {
            print("cannot prepare \(url.path): \(error)")
            return
        }
    }
    let bytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0

    Benchmark(
        "TransactionLog.read 200k customers (\(bytes / 1_000_000) MB)",
        configuration: .init(metrics: [.wallClock, .throughput, .peakMemoryResident], maxDuration: .seconds(5))
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try TransactionLog.read(contentsOf: url))
        }
    }
}

import Foundation

/// One size of the benchmark data: a transaction log written once by `Benchmarks/scripts/pipeline/make_data.sh`
/// (`capm generate --customers N --seed 11`) into the cache directory.
struct DataSize: Sendable {
    /// Short name used in the file and benchmark names: 100k, 1m, 5m.
    let name: String
    /// Simulated customers in the file.
    let customers: Int
    /// Iterations per benchmark (the sizes are big; every iteration is a whole step on the whole file).
    let maxIterations: Int
    /// Warm-up iterations (none for the big sizes: one pass over 5M customers is its own warm-up).
    let warmupIterations: Int

    /// The sizes the suite knows, smallest first.
    static let all = [
        DataSize(name: "100k", customers: 100_000, maxIterations: 10, warmupIterations: 1),
        DataSize(name: "1m", customers: 1_000_000, maxIterations: 3, warmupIterations: 0),
        DataSize(name: "5m", customers: 5_000_000, maxIterations: 2, warmupIterations: 0),
    ]

    /// `$CAPM_BENCH_DIR`, or `/tmp/capm-bench`.
    static var directory: URL {
        let path = ProcessInfo.processInfo.environment["CAPM_BENCH_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        return URL(fileURLWithPath: path ?? "/tmp/capm-bench")
    }

    /// The transaction log of this size.
    var url: URL { Self.directory.appendingPathComponent("tx-\(name).csv") }

    /// Whether the file is there.
    var isAvailable: Bool { FileManager.default.fileExists(atPath: url.path) }

    /// What to do when the file is missing.
    var missingMessage: String {
        "SegmentRunSteps: skipping the \(name) benchmarks: \(url.path) is missing. Generate it once from the repository root "
            + "with `swift build -c release --product capm && Benchmarks/scripts/pipeline/make_data.sh \(name)` "
            + "(or point CAPM_BENCH_DIR at a directory holding tx-\(name).csv).\n"
    }
}

/// The repository root, found from this file's path (Benchmarks/Benchmarks/SegmentRunSteps/BenchmarkData.swift).
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Seconds of a `Duration`.
func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

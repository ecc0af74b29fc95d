import Benchmark
import CAPM
import Foundation

/// The steps of a segment run (read → RFM summary → BG/NBD and Gamma-Gamma fits → predictions → features and
/// k-means → allocation) at 100k, 1M and 5M customers, each on its own with the previous steps' outputs prepared
/// in the benchmark's setup, and the full run (`SegmentRun` with k fixed, writing its output directory under
/// the temporary directory). Files: `tx-<size>.csv` in `$CAPM_BENCH_DIR` (default `/tmp/capm-bench`), written by
/// `Benchmarks/scripts/pipeline/make_data.sh`; a missing size is skipped with a message saying how to make it.
///
///     cd Benchmarks && swift package --allow-writing-to-package-directory benchmark --target SegmentRunSteps
///     cd Benchmarks && swift package benchmark --target SegmentRunSteps --filter '.* 1m'
///
/// Metrics: wall clock, customers per second (custom metric, customers of the file ÷ the step's wall time) and
/// peak resident memory of the benchmark process (inputs included).
let benchmarks: @Sendable () -> Void = {
    let throughput = BenchmarkMetric.custom("customers/s", polarity: .prefersLarger, useScalingFactor: false)
    for size in DataSize.all {
        guard size.isAvailable else {
            FileHandle.standardError.write(Data(size.missingMessage.utf8))
            continue
        }
        for step in Step.allCases {
            let inputs = StepInputs()
            Benchmark(
                "\(step.rawValue) \(size.name)",
                configuration: .init(
                    metrics: [.wallClock, throughput, .peakMemoryResident], warmupIterations: size.warmupIterations,
                    maxDuration: .seconds(60), maxIterations: size.maxIterations),
                closure: { benchmark in
                    let clock = ContinuousClock()
                    for _ in benchmark.scaledIterations {
                        let started = clock.now
                        try run(step, size: size, inputs: inputs)
                        let elapsed = seconds(clock.now - started)
                        benchmark.measurement(throughput, Int(Double(size.customers) / max(elapsed, 1e-9)))
                    }
                },
                setup: { try inputs.prepare(for: step, size: size) }
            )
        }
    }
}

/// One step on the prepared inputs; the results go to `blackHole`.
func run(_ step: Step, size: DataSize, inputs: StepInputs) throws {
    func missing() -> PreparationError { PreparationError(step: step, reason: "inputs not prepared") }
    switch step {
    case .read:
        blackHole(try TransactionLog.read(contentsOf: size.url))
    case .summary:
        guard let log = inputs.log else { throw missing() }
        let summary = try CustomerSummary(transactions: log)
        blackHole(RepeatPatterns(summary))
    case .fitBGNBD:
        guard let patterns = inputs.patterns else { throw missing() }
        blackHole(try BGNBD.fit(patterns).requireConverged())
    case .fitGammaGamma:
        guard let summary = inputs.summary else { throw missing() }
        blackHole(try GammaGamma.fit(GammaGamma.SpendData(summary)).requireConverged())
    case .predict:
        guard let summary = inputs.summary, let patterns = inputs.patterns, let model = inputs.purchaseModel,
            let spend = inputs.spendModel
        else { throw missing() }
        blackHole(
            try CustomerPredictions(
                model: model, summary: summary, spend: .gammaGamma(spend),
                valuation: Valuation(horizon: RunParameters.horizon, discountRate: 0), patterns: patterns))
    case .segment:
        guard let summary = inputs.summary else { throw missing() }
        let features = try StepInputs.featureMatrix(summary, inputs.predictions)
        let scaler = try FeatureScaler.fit(
            features, names: RunParameters.features, method: .zscore, logColumns: RunParameters.logFeatures)
        let result = try KMeans(clusterCount: RunParameters.clusterCount, seed: RunParameters.seed)
            .fit(try scaler.transform(features))
        blackHole(result)
    case .allocate:
        guard let problem = inputs.problem else { throw missing() }
        blackHole(try Allocator.solve(problem, scenario: AllocationScenario(kind: .maxUplift, budget: RunParameters.budget)))
    case .run:
        var segmentRun = SegmentRun(
            input: .transactions(size.url), plan: .file(repositoryRoot.appendingPathComponent("Examples/plan.yaml")),
            budget: RunParameters.budget,
            outputDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("capm-bench-run-\(size.name)"))
        segmentRun.clusterCount = .fixed(RunParameters.clusterCount)
        segmentRun.horizon = RunParameters.horizon
        segmentRun.seed = RunParameters.seed
        blackHole(try segmentRun.run())
    }
}

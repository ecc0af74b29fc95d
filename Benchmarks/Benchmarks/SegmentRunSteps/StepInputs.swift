import CAPM
import Foundation

/// The steps of a segment run, in run order, each benchmarked on its own with its inputs prepared beforehand.
enum Step: String, CaseIterable, Sendable {
    case read
    case summary
    case fitBGNBD = "fit bgnbd"
    case fitGammaGamma = "fit gamma-gamma"
    case predict
    case segment = "features+kmeans"
    case allocate
    /// The whole run (`SegmentRun`, the library call behind `capm run`), writing its output directory.
    case run = "full run"
}

/// The segment-run parameters the step benchmarks use (the `capm run` defaults, with k fixed).
enum RunParameters {
    /// Prediction horizon in weeks.
    static let horizon = 52.0
    /// Segments (fixed: `capm run`'s default `--k auto` fits every k of 2…8 and scores each by silhouette).
    static let clusterCount = 4
    /// k-means seed.
    static let seed: UInt64 = 0
    /// The feature columns of `SegmentRun` (CLV, P(alive), RFM), `log1p` on the money columns, then z-scores.
    static let features = ["clv", "p_alive", "frequency", "recency", "T", "monetary_value"]
    static let logFeatures: Set<String> = ["clv", "monetary_value"]
    /// The allocation budget.
    static let budget = 250_000.0
}

/// Why a step's inputs could not be prepared.
struct PreparationError: Error, CustomStringConvertible {
    let step: Step
    let reason: String
    var description: String { "preparing the inputs of '\(step.rawValue)': \(reason)" }
}

/// The outputs of the steps before the one being measured, computed once per benchmark process in the
/// benchmark's setup (package-benchmark runs every benchmark in a process of its own, so the peak resident
/// memory a step reports includes the inputs held for it, as in a real run).
final class StepInputs: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var log: TransactionLog?
    private(set) var summary: CustomerSummary?
    private(set) var patterns: RepeatPatterns?
    private(set) var purchaseModel: BGNBD?
    private(set) var spendModel: GammaGamma?
    private(set) var predictions: CustomerPredictions?
    private(set) var problem: AllocationProblem?

    /// Computes everything `step` needs from the file of `size`.
    func prepare(for step: Step, size: DataSize) throws {
        lock.lock()
        defer { lock.unlock() }
        let order = Step.allCases
        guard step != .run, let position = order.firstIndex(of: step) else { return }
        let needed = order[..<position]
        do {
            if step == .allocate {
                // The allocation LP depends on the segments only through their sizes and values: the plan's
                // segments and templates (Examples/plan.yaml), as `capm allocate` reads them.
                problem = try AllocationProblem.load(contentsOf: repositoryRoot.appendingPathComponent("Examples/plan.yaml"))
                return
            }
            if needed.contains(.read) { log = try TransactionLog.read(contentsOf: size.url) }
            if needed.contains(.summary), let log {
                let s = try CustomerSummary(transactions: log)
                summary = s
                patterns = RepeatPatterns(s)
                self.log = nil
            }
            if needed.contains(.fitBGNBD), let patterns {
                purchaseModel = try BGNBD.fit(patterns).requireConverged().model
            }
            if needed.contains(.fitGammaGamma), let summary {
                spendModel = try GammaGamma.fit(GammaGamma.SpendData(summary)).requireConverged().model
            }
            if needed.contains(.predict), let summary, let patterns, let purchaseModel, let spendModel {
                predictions = try CustomerPredictions(
                    model: purchaseModel, summary: summary, spend: .gammaGamma(spendModel),
                    valuation: Valuation(horizon: RunParameters.horizon, discountRate: 0), patterns: patterns)
            }
        } catch {
            throw PreparationError(step: step, reason: "\(error)")
        }
    }

    /// The k-means input of a run: one column per ``RunParameters/features`` name, in that order.
    static func featureMatrix(_ summary: CustomerSummary, _ predictions: CustomerPredictions?) throws -> FeatureMatrix {
        guard let predictions else { throw PreparationError(step: .segment, reason: "no predictions") }
        let monetary = summary.monetaryValue ?? [Double](repeating: 0, count: summary.count)
        return try FeatureMatrix(columns: [
            predictions.lifetimeValue, predictions.probabilityAlive, summary.frequency.map(Double.init), summary.recency,
            summary.age, monetary,
        ])
    }
}

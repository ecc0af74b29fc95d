import Allocation
import CAPMData
import CAPMNumerics
import CustomerValue
import Foundation
import Segmentation

/// `run.json`: what a ``SegmentRun`` read, with which parameters and version, how long each step took, what it
/// counted and which files it wrote. Keys are snake_case and sorted. Everything but ``timings`` and ``threads`` is
/// the same for the same inputs, parameters and seed.
public struct RunManifest: Sendable, Codable, Equatable {
    /// An input file.
    public struct InputFile: Sendable, Codable, Equatable {
        /// What it is: `transactions`, `summary`, `attributes`, `journey` or `plan`.
        public var role: String
        /// The path as given.
        public var path: String
        /// Size in bytes.
        public var bytes: Int
        /// SHA-256 of the contents, lowercase hex.
        public var sha256: String
    }

    /// An output file.
    public struct OutputFile: Sendable, Codable, Equatable {
        /// File name inside the output directory.
        public var name: String
        /// Size in bytes.
        public var bytes: Int
        /// SHA-256 of the contents, lowercase hex.
        public var sha256: String
    }

    /// Seconds spent in a step (or in a part of one, e.g. `segment.seeding`).
    public struct Timing: Sendable, Codable, Equatable {
        /// Step name (``PipelineStep`` raw value), or `step.part`.
        public var step: String
        /// Wall-clock seconds.
        public var seconds: Double
    }

    /// The parameters of the run.
    public struct Parameters: Sendable, Codable, Equatable {
        /// `transactions` or `summary`.
        public var input: String
        /// Purchase model.
        public var model: String
        /// Spend model.
        public var spend: String
        /// Time unit.
        public var timeUnit: String
        /// Observation end (YYYY-MM-DD), when given.
        public var observationEnd: String?
        /// Horizon in time units.
        public var horizon: Double
        /// Discount rate per period.
        public var discountRate: Double
        /// Discount period in time units.
        public var discountPeriod: Double
        /// Margin.
        public var margin: Double
        /// `N` or `auto`.
        public var k: String
        /// Candidate range for `auto`.
        public var kRange: String?
        /// k selection rule for `auto`.
        public var selectionRule: String?
        /// k-means restarts.
        public var restarts: Int
        /// Seed.
        public var seed: UInt64
        /// Silhouette sample size.
        public var silhouetteSample: Int
        /// Features, in order.
        public var features: [String]
        /// Features passed through log1p.
        public var log1pFeatures: [String]
        /// Budget.
        public var budget: Double
        /// Sweep budgets.
        public var sweep: SweepRange
        /// Whether bad rows were skipped.
        public var skipBadRows: Bool
    }

    /// The sweep's budgets.
    public struct SweepRange: Sendable, Codable, Equatable {
        /// Lowest budget.
        public var from: Double
        /// Highest budget.
        public var to: Double
        /// Number of budgets.
        public var steps: Int
    }

    /// What the run counted.
    public struct Counts: Sendable, Codable, Equatable {
        /// Customers (rows of customers.csv).
        public var customers: Int
        /// Transaction rows read (nil for a summary input).
        public var transactions: Int?
        /// Bad rows skipped, with reasons.
        public var skippedRows: Int
        /// Skipped rows by reason.
        public var skippedByReason: [SkippedRows.Reason]
        /// Segments.
        public var segments: Int
        /// The attributes join (nil without attributes).
        public var attributes: CustomerAttributes.Join?
        /// Journey customers missing from the run's customers (nil without a journey log).
        public var journeyCustomersWithoutValue: Int?
        /// Bad journey-log rows skipped (nil without a journey log).
        public var journeySkippedRows: Int?
        /// Skipped journey-log rows by reason (nil without a journey log).
        public var journeySkippedByReason: [SkippedRows.Reason]?
    }

    /// A fitted model's estimates.
    public struct FitSummary: Sendable, Codable, Equatable {
        /// Model name.
        public var model: String
        /// Parameters by name.
        public var parameters: [String: Double]
        /// Standard errors by name (nil when the Hessian is not positive definite).
        public var standardErrors: [String: Double]?
        /// Log-likelihood at the estimates.
        public var logLikelihood: Double
        /// Observations (customers, or repeat buyers for the spend model).
        public var observations: Double
        /// Whether the optimiser converged.
        public var converged: Bool
        /// Why the optimiser stopped (`converged`, `lineSearchFailed`, `iterationLimit`, …).
        public var status: String
        /// Optimiser iterations.
        public var iterations: Int
    }

    /// The headline numbers of the allocation.
    public struct AllocationSummary: Sendable, Codable, Equatable {
        /// Status.
        public var status: String
        /// Optimal spend.
        public var spend: Double
        /// Optimal uplift.
        public var uplift: Double
        /// Uplift over the current plan's.
        public var upliftVsCurrent: Double
        /// uplift / spend.
        public var roi: Double?
        /// Value of the next dollar of budget.
        public var nextDollar: Double?
    }

    /// `capm` version.
    public var capmVersion: String
    /// Inputs.
    public var inputs: [InputFile]
    /// Parameters.
    public var parameters: Parameters
    /// Worker threads.
    public var threads: Int
    /// Seconds per step, in run order.
    public var timings: [Timing]
    /// Counts.
    public var counts: Counts
    /// Model fits.
    public var fits: [FitSummary]
    /// Allocation headline.
    public var allocation: AllocationSummary
    /// Output files (without run.json itself).
    public var outputs: [OutputFile]
    /// Warnings of the run (e.g. a model fit at the edge of its parameter space); empty when there were none.
    public var warnings: [String]

    /// The manifest of `result`.
    public init(_ result: SegmentRunResult) {
        let c = result.configuration
        capmVersion = CAPMVersion.string
        inputs = result.inputs
        var k = "auto", range: String?, rule: String?
        switch c.clusterCount {
        case .fixed(let n): k = "\(n)"
        case .automatic(let r, let ru):
            range = "\(r.lowerBound)...\(r.upperBound)"
            rule = ru.rawValue
        }
        let inputKind: String
        switch c.input {
        case .transactions: inputKind = "transactions"
        case .summary: inputKind = "summary"
        }
        parameters = Parameters(
            input: inputKind, model: c.model.rawValue, spend: c.spend.rawValue, timeUnit: c.timeUnit.rawValue,
            observationEnd: c.observationEnd.map { CivilDate.isoString(days: Int($0)) }, horizon: c.horizon,
            discountRate: c.discountRate, discountPeriod: c.discountPeriod, margin: c.margin, k: k, kRange: range,
            selectionRule: rule, restarts: c.restarts, seed: c.seed, silhouetteSample: c.silhouetteSample, features: result.featureNames,
            log1pFeatures: result.featureNames.filter { SegmentRun.moneyFeatures.contains($0) }, budget: result.budget,
            sweep: SweepRange(
                from: c.sweep.fromFactor * result.budget, to: c.sweep.toFactor * result.budget, steps: c.sweep.steps),
            skipBadRows: c.skipBadRows)
        threads = c.threads
        timings = result.timings
        counts = Counts(
            customers: result.summary.count, transactions: result.transactions, skippedRows: result.skippedRows.total,
            skippedByReason: result.skippedRows.reasons, segments: result.segmentation.k,
            attributes: result.attributes?.join, journeyCustomersWithoutValue: result.journey?.coverage.missingValue,
            journeySkippedRows: result.journey.map { _ in result.journeySkippedRows.total },
            journeySkippedByReason: result.journey.map { _ in result.journeySkippedRows.reasons })
        fits = result.fits.map { fit in
            FitSummary(
                model: fit.model, parameters: Dictionary(uniqueKeysWithValues: zip(fit.parameterNames, fit.parameters)),
                standardErrors: fit.standardErrors.map { Dictionary(uniqueKeysWithValues: zip(fit.parameterNames, $0)) },
                logLikelihood: fit.logLikelihood, observations: fit.observations, converged: fit.converged,
                status: fit.status.rawValue, iterations: fit.iterations)
        }
        let a = result.allocation
        allocation = AllocationSummary(
            status: a.status.rawValue, spend: a.spend, uplift: a.uplift, upliftVsCurrent: a.upliftVsCurrent, roi: a.roi,
            nextDollar: a.shadowPrice?.value)
        outputs = result.outputs
        warnings = result.warnings
    }

    /// The manifest as JSON: snake_case keys, sorted, pretty-printed, non-finite numbers as strings.
    /// - Throws: ``PipelineError/output(step:_:)`` when encoding fails.
    public func json() throws(PipelineError) -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
        } catch {
            throw .output(step: .write, .writeFailed(path: "run.json", reason: "cannot encode: \(error)"))
        }
    }
}

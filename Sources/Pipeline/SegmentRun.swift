import Allocation
import CAPMData
import CustomerValue
import Foundation
import Journey
import Segmentation

/// A whole segment run: transactions in, valued and segmented customers and a budget plan out — the library form
/// of `capm run`, so a finance or marketing tool links the pipeline without the command line.
///
/// Steps (``PipelineStep``): read the transaction log (or an RFM summary file) → RFM summary → purchase-model fit
/// (BG/NBD, Fader, Hardie & Lee 2005; Pareto/NBD, Schmittlein, Morrison & Colombo 1987; MBG/NBD, Batislam,
/// Denizel & Filiztekin 2007) and Gamma-Gamma spend (Fader, Hardie & Lee 2005, "RFM and CLV") → per-customer
/// expected purchases, P(alive), expected spend and discounted CLV → features (CLV, P(alive), RFM and the numeric
/// columns of an optional attributes file) → k-means segments with CAPM profiles and value × risk labels
/// (``CustomerSegmentation``) → the plan's cells for those segments (``Plan/withSegments(from:)``) and the
/// max-uplift allocation of the budget (``Allocator``) → a warm-started budget sweep around the budget →
/// optional journey analytics → the output directory (see `Docs/pipeline.md`).
///
/// ```swift
/// var run = SegmentRun(input: .transactions(URL(fileURLWithPath: "tx.csv")), plan: .file(planURL), budget: 250_000)
/// run.outputDirectory = URL(fileURLWithPath: "out")
/// let result = try run.run()
/// print(result.allocation.uplift)
/// ```
///
/// Deterministic: the same inputs, parameters and seed give byte-identical output files for any ``threads``
/// (only `run.json`'s timings and thread count differ).
public struct SegmentRun: Sendable {
    /// Where the customers come from.
    public enum Input: Sendable, Equatable {
        /// A transaction log (`customer_id,date,amount` by default; see ``TransactionLog/ReadOptions``).
        case transactions(URL, TransactionLog.ReadOptions = TransactionLog.ReadOptions())
        /// An RFM summary file `customer_id,frequency,recency,T[,monetary_value]` (in ``SegmentRun/timeUnit``s).
        case summary(URL)

        /// The file.
        public var url: URL {
            switch self {
            case .transactions(let url, _), .summary(let url): return url
            }
        }
    }

    /// Where the plan (moments, channels, templates, constraints) comes from.
    public enum PlanSource: Sendable, Equatable {
        /// A plan file (YAML or JSON, `Docs/plan-format.md`).
        case file(URL)
        /// A plan in memory.
        case plan(Plan)
        /// A plan's YAML or JSON text (e.g. ``ExamplePlan/yaml``); `name` stands for the file in messages and in
        /// `run.json`, which records the text's size and SHA-256 like a file's.
        case text(String, name: String)
    }

    /// The purchase model (BG/NBD, Pareto/NBD, MBG/NBD).
    public typealias Model = PurchaseModelKind

    /// The expected spend per future purchase (Gamma-Gamma, observed mean, none).
    public typealias Spend = SpendEstimate

    /// The budget sweep: `steps` budgets from `fromFactor × budget` to `toFactor × budget`.
    public struct Sweep: Sendable, Equatable, Codable {
        /// Lowest budget as a multiple of the budget (≥ 0).
        public var fromFactor: Double
        /// Highest budget as a multiple of the budget (> fromFactor).
        public var toFactor: Double
        /// Number of budgets (2…10,000).
        public var steps: Int

        /// A sweep; the default is 0.25× to 2× the budget in 15 steps (every 0.125×).
        public init(fromFactor: Double = 0.25, toFactor: Double = 2, steps: Int = 15) {
            self.fromFactor = fromFactor
            self.toFactor = toFactor
            self.steps = steps
        }
    }

    /// The customers.
    public var input: Input
    /// Optional customer attributes CSV: an id column and numeric columns, joined to the customers by id; its
    /// numeric columns become extra features.
    public var attributes: URL?
    /// The id column of ``attributes``.
    public var attributesIDColumn: String
    /// Optional journey event log (`capm journey --events` format), analysed with the run's CLV and segments.
    public var journey: URL?
    /// The plan whose templates are applied to the segments.
    public var plan: PlanSource
    /// The budget (nil: the plan's `budget.amount`); must be > 0.
    public var budget: Double?
    /// The purchase model.
    public var model: Model
    /// The spend model.
    public var spend: Spend
    /// The time unit of recency, T and the horizon.
    public var timeUnit: TimeUnit
    /// Last observed day (days since 1970-01-01); nil: the log's last transaction day. Later transactions are
    /// ignored.
    public var observationEnd: Int32?
    /// Prediction horizon in time units.
    public var horizon: Double
    /// Discount rate per ``discountPeriod``.
    public var discountRate: Double
    /// Length of a discount period in time units.
    public var discountPeriod: Double
    /// Margin as a fraction of spend.
    public var margin: Double
    /// Fixed k or k chosen over a range.
    public var clusterCount: CustomerSegmentation.ClusterCount
    /// k-means restarts (the lowest inertia is kept).
    public var restarts: Int
    /// Random seed of k-means (and the silhouette sample).
    public var seed: UInt64
    /// Worker threads of k-means and the silhouette (results do not depend on it).
    public var threads: Int
    /// Customers above which the silhouette is computed on a seeded sample of this size.
    public var silhouetteSample: Int
    /// The budget sweep.
    public var sweep: Sweep
    /// Whether bad transaction rows are skipped (and counted by reason) instead of stopping the run.
    public var skipBadRows: Bool
    /// Where the output files go (created if missing); nil: nothing is written.
    public var outputDirectory: URL?

    /// The feature columns every run uses, in order; `log1p` is applied to the money columns among them.
    public static let baseFeatures = ["clv", "p_alive", "frequency", "recency", "T", "monetary_value"]
    /// Features passed through `log1p` before z-scoring (heavy-tailed money amounts).
    public static let moneyFeatures: Set<String> = ["clv", "monetary_value"]

    /// A run with the defaults of `capm run`: BG/NBD with Gamma-Gamma spend, weeks, a 52-week horizon, no
    /// discounting, margin 1, k chosen by silhouette over 2…8, seed 0, all cores.
    public init(
        input: Input, plan: PlanSource, budget: Double? = nil, attributes: URL? = nil, journey: URL? = nil,
        outputDirectory: URL? = nil
    ) {
        self.input = input
        self.plan = plan
        self.budget = budget
        self.attributes = attributes
        attributesIDColumn = "customer_id"
        self.journey = journey
        model = .bgnbd
        spend = .gammaGamma
        timeUnit = .week
        observationEnd = nil
        horizon = 52
        discountRate = 0
        discountPeriod = 1
        margin = 1
        clusterCount = .automatic(range: 2...8, rule: .silhouette)
        restarts = 1
        seed = 0
        threads = ProcessInfo.processInfo.activeProcessorCount
        silhouetteSample = 5_000
        sweep = Sweep()
        skipBadRows = false
        self.outputDirectory = outputDirectory
    }

    /// Checks the parameters before any step runs.
    /// - Throws: ``PipelineError/invalidParameter(name:value:reason:)``.
    public func validate() throws(PipelineError) {
        func bad(_ name: String, _ value: Any, _ reason: String) -> PipelineError {
            .invalidParameter(name: name, value: "\(value)", reason: reason)
        }
        if let budget, !(budget.isFinite && budget > 0) { throw bad("budget", budget, "must be a finite number > 0") }
        guard horizon.isFinite, horizon > 0 else { throw bad("horizon", horizon, "must be > 0") }
        guard discountRate.isFinite, discountRate > -1 else { throw bad("discount rate", discountRate, "must be > −1") }
        guard discountPeriod.isFinite, discountPeriod > 0 else { throw bad("discount period", discountPeriod, "must be > 0") }
        guard margin.isFinite, margin >= 0 else { throw bad("margin", margin, "must be ≥ 0") }
        guard restarts >= 1 else { throw bad("restarts", restarts, "must be ≥ 1") }
        guard threads >= 1 else { throw bad("threads", threads, "must be ≥ 1") }
        guard silhouetteSample >= 2 else { throw bad("silhouette sample", silhouetteSample, "must be ≥ 2") }
        switch clusterCount {
        case .fixed(let k): guard k >= 1 else { throw bad("k", k, "must be ≥ 1") }
        case .automatic(let range, _): guard range.lowerBound >= 1 else { throw bad("k range", range, "must start at ≥ 1") }
        }
        guard sweep.fromFactor.isFinite, sweep.toFactor.isFinite, sweep.fromFactor >= 0, sweep.toFactor > sweep.fromFactor
        else { throw bad("sweep", "\(sweep.fromFactor)…\(sweep.toFactor)", "need 0 ≤ from < to (multiples of the budget)") }
        guard (2...10_000).contains(sweep.steps) else { throw bad("sweep steps", sweep.steps, "must be in 2…10000") }
        if case .summary(let url) = input {
            if skipBadRows { throw bad("skip bad rows", url.path, "applies to a transaction log, not a summary file") }
            if let observationEnd {
                throw bad("observation end", observationEnd, "applies to a transaction log, not a summary file")
            }
        }
    }
}

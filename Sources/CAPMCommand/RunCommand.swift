import ArgumentParser
import CAPM
import Foundation

/// `capm run`: the whole segment run — transactions in, valued and segmented customers and a budget plan out —
/// by one call of the library's ``SegmentRun``. This command only parses, calls and prints.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Segment run end to end: RFM, CLV fit, features, k-means segments, allocation, outputs in a directory.",
        discussion: """
            Steps: read --transactions (or --summary) → RFM summary → --model fit with Gamma-Gamma spend → \
            per-customer purchases, P(alive), CLV over --horizon → features (clv, p_alive, frequency, recency, T, \
            monetary_value, plus the numeric columns of --attributes joined by id) → k-means segments (log1p on \
            money columns, z-score) with profiles and labels → the plan's templates for those segments and the \
            max-uplift allocation of --budget → a budget sweep (0.25x-2x) → outputs in --output-dir: customers.csv, \
            segments.json, plan.json, allocation.json, sweep.json, summary.txt, run.json (and journey.json with \
            --journey). A failing step is named with the file, line and column of its cause. See Docs/pipeline.md.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }
    enum Model: String, ExpressibleByArgument, CaseIterable {
        case bgnbd, pareto = "pareto-nbd", mbgnbd
        init?(argument: String) {
            if argument == "pareto" { self = .pareto } else { self.init(rawValue: argument) }
        }
    }
    enum Spend: String, ExpressibleByArgument, CaseIterable { case gammaGamma = "gamma-gamma", observed, none }

    @Option(help: "Transaction file (customer_id,date,amount).") var transactions: String?
    @Option(help: "Summary file (customer_id,frequency,recency,T[,monetary_value]) instead of transactions.")
    var summary: String?
    @Option(help: "Customer id column of --transactions.") var customerColumn = "customer_id"
    @Option(help: "Date column of --transactions (YYYY-MM-DD or YYYYMMDD).") var dateColumn = "date"
    @Option(help: "Amount column of --transactions.") var amountColumn = "amount"
    @Option(help: "Field delimiter of --transactions: comma, tab, whitespace, or one character.") var delimiter = "comma"
    @Option(help: "Last observed day (YYYY-MM-DD); default: the last transaction date.") var observationEnd: String?
    @Flag(help: "Skip bad transaction rows and count them by reason (default: stop at the first).") var skipBadRows = false
    @Flag(help: "Also write the HTML report of the run to DIR/report.html (as capm report --run DIR).") var report = false
    @Option(help: "Customer attributes CSV (id column plus numeric columns used as extra features).")
    var attributes: String?
    @Option(help: "Id column of --attributes.") var attributesIdColumn = "customer_id"
    @Option(help: "Journey event log (as for capm journey --events); writes journey.json.") var journey: String?
    @Option(help: "Budget (default: the plan's budget.amount).") var budget: Double?
    @Option(help: "Plan file (YAML or JSON) whose templates apply to the segments. Default: the built-in example plan (Examples/plan.yaml).")
    var plan: String?
    @Option(help: "Number of segments, or 'auto' to choose over --k-range.") var k = "auto"
    @Option(help: "Candidate k for --k auto, as LOW...HIGH.") var kRange = "2...8"
    @Option(help: "Rule that picks k: silhouette, calinski-harabasz, davies-bouldin.")
    var selectionRule: KSelection.Rule = .silhouette
    @Option(help: "Purchase model: bgnbd, pareto-nbd or mbgnbd.") var model: Model = .bgnbd
    @Option(help: "Spend per purchase: gamma-gamma, observed or none.") var spend: Spend = .gammaGamma
    @Option(help: "Time unit: day, week, month or year.") var timeUnit: TimeUnit = .week
    @Option(help: "Prediction horizon in time units.") var horizon: Double = 52
    @Option(help: "Discount rate per discount period.") var discountRate: Double = 0
    @Option(help: "Length of a discount period in time units.") var discountPeriod: Double = 1
    @Option(help: "Margin as a fraction of spend.") var margin: Double = 1
    @Option(help: "Random seed of k-means.") var seed: UInt64 = 0
    @Option(help: "k-means restarts (the lowest inertia is kept).") var restarts = 1
    @Option(help: "Customers above which the silhouette is computed on a seeded sample.") var silhouetteSample = 5_000
    @Option(help: "Worker threads (results do not depend on it).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Budget sweep FROM:TO:STEPS as multiples of the budget.") var sweep = "0.25:2:15"
    @Option(help: "Output directory (created if missing).") var outputDir: String
    @Option(help: "What to print: table (the summary) or json (run.json).") var format: Format = .table

    func validate() throws {
        guard (transactions == nil) != (summary == nil) else {
            throw ValidationError("give exactly one of --transactions FILE and --summary FILE")
        }
        if skipBadRows && transactions == nil { throw ValidationError("--skip-bad-rows needs --transactions FILE") }
        if observationEnd != nil && transactions == nil { throw ValidationError("--observation-end needs --transactions FILE") }
        if k != "auto" {
            guard let n = Int(k), n >= 1 else { throw ValidationError("--k must be a whole number ≥ 1 or 'auto', got '\(k)'") }
        }
        _ = try parsedRange()
        _ = try parsedSweep()
        if let budget, !(budget.isFinite && budget > 0) { throw ValidationError("--budget must be a finite number > 0") }
        if !(horizon.isFinite && horizon > 0) { throw ValidationError("--horizon must be > 0") }
        if !(discountRate.isFinite && discountRate > -1) { throw ValidationError("--discount-rate must be > -1") }
        if !(discountPeriod.isFinite && discountPeriod > 0) { throw ValidationError("--discount-period must be > 0") }
        if !(margin.isFinite && margin >= 0) { throw ValidationError("--margin must be ≥ 0") }
        if restarts < 1 { throw ValidationError("--restarts must be at least 1") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if silhouetteSample < 2 { throw ValidationError("--silhouette-sample must be at least 2") }
        if let observationEnd { _ = try parseDay(observationEnd, option: "--observation-end") }
        _ = try parseDelimiter(delimiter)
    }

    /// `--k-range` as a range.
    func parsedRange() throws -> ClosedRange<Int> {
        let parts = kRange.replacingOccurrences(of: "...", with: "-").replacingOccurrences(of: "..", with: "-")
            .split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let low = parts[0], let high = parts[1], low >= 1, low <= high else {
            throw ValidationError("--k-range must look like 2...8 (1 ≤ low ≤ high), got '\(kRange)'")
        }
        return low...high
    }

    /// `--sweep` as factors of the budget.
    func parsedSweep() throws -> SegmentRun.Sweep {
        let parts = sweep.split(separator: ":").map(String.init)
        guard parts.count == 3, let from = Double(parts[0]), let to = Double(parts[1]), let steps = Int(parts[2]),
            from.isFinite, to.isFinite, from >= 0, to > from, (2...10_000).contains(steps)
        else {
            throw ValidationError("--sweep must be FROM:TO:STEPS with 0 ≤ FROM < TO (multiples of the budget), 2 ≤ STEPS ≤ 10000, got '\(sweep)'")
        }
        return SegmentRun.Sweep(fromFactor: from, toFactor: to, steps: steps)
    }

    /// The library configuration these arguments describe.
    func makeRun() throws -> SegmentRun {
        let input: SegmentRun.Input
        if let transactions {
            input = .transactions(
                URL(fileURLWithPath: transactions),
                TransactionLog.ReadOptions(
                    customerColumn: customerColumn, dateColumn: dateColumn, amountColumn: amountColumn,
                    format: CSVFormat(delimiter: try parseDelimiter(delimiter))))
        } else {
            input = .summary(URL(fileURLWithPath: summary ?? ""))
        }
        // Without --plan: the example plan built into the library (Examples/plan.yaml), from any directory.
        let planSource: SegmentRun.PlanSource =
            plan.map { .file(URL(fileURLWithPath: $0)) } ?? .text(ExamplePlan.yaml, name: ExamplePlan.name)
        var run = SegmentRun(
            input: input, plan: planSource, budget: budget, attributes: attributes.map { URL(fileURLWithPath: $0) },
            journey: journey.map { URL(fileURLWithPath: $0) }, outputDirectory: URL(fileURLWithPath: outputDir))
        run.attributesIDColumn = attributesIdColumn
        run.model = SegmentRun.Model(rawValue: model.rawValue) ?? .bgnbd
        run.spend = SegmentRun.Spend(rawValue: spend.rawValue) ?? .gammaGamma
        run.timeUnit = timeUnit
        run.observationEnd = try observationEnd.map { Int32(try parseDay($0, option: "--observation-end")) }
        run.horizon = horizon
        run.discountRate = discountRate
        run.discountPeriod = discountPeriod
        run.margin = margin
        run.clusterCount = Int(k).map { .fixed($0) } ?? .automatic(range: try parsedRange(), rule: selectionRule)
        run.restarts = restarts
        run.seed = seed
        run.threads = threads
        run.silhouetteSample = silhouetteSample
        run.sweep = try parsedSweep()
        run.skipBadRows = skipBadRows
        return run
    }

    func run() throws {
        let configuration = try makeRun()
        let progress = Progress()
        // report.html is made from the written directory before run.json, so run.json lists it (its run-details
        // table shows run.json as it stands without the report's own entry).
        let extras = report
            ? [ExtraOutput(name: "report.html") { directory, manifest in
                var page = try RunReport.load(runDirectory: directory)
                page.manifest = Report.RunManifest(data: Data(manifest.utf8))
                return Array(page.html().utf8)
            }] : []
        let result = try configuration.run(
            progress: { event in progress.step("\(event.step.rawValue): \(event.message)") }, extraOutputs: extras)
        let written = result.outputs.map(\.name) + ["run.json"]
        switch format {
        case .json: print(try RunManifest(result).json(), terminator: "")
        case .table:
            print(result.summaryText(), terminator: "")
            print("\noutputs in \(outputDir): \(written.joined(separator: ", "))")
        }
        // Every output is written; a plan without an optimum still fails the command (Docs/cli.md, exit status).
        if let exit = ModelExit.exit(for: result.allocation, subject: plan ?? ExamplePlan.name) { throw exit }
    }
}

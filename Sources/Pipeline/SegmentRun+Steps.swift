import Allocation
import CAPMData
import CustomerValue
import Foundation
import Journey
import Segmentation

/// What a running ``SegmentRun`` reports: a step starting, or a message within it (e.g. one candidate k).
public struct PipelineProgress: Sendable, Equatable {
    /// The step.
    public var step: PipelineStep
    /// What happens.
    public var message: String
}

extension SegmentRun {
    /// Runs every step and, when ``outputDirectory`` is set, writes the output directory.
    ///
    /// Nothing is written until every computing step has succeeded, and every file is written atomically
    /// (``AtomicFile``): a run that fails or is killed leaves each output file either as it was or complete (see
    /// `Docs/pipeline.md`, "Failures").
    ///
    /// - Parameters:
    ///   - progress: called when a step starts and within long steps (from the calling thread).
    ///   - extraOutputs: files made from the written directory just before `run.json` (which lists them), e.g.
    ///     `report.html`; ignored without ``outputDirectory``.
    /// - Throws: ``PipelineError`` naming the step, wrapping the engine's typed error.
    /// - Complexity: O(transactions) to read and summarise, O(patterns) per likelihood evaluation,
    ///   O(iterations·N·k·d) per k-means fit, an LP over the plan's cells, O(customers) to write.
    public func run(
        progress: (PipelineProgress) -> Void = { _ in }, extraOutputs: [ExtraOutput] = []
    ) throws(PipelineError) -> SegmentRunResult {
        try validate()
        for extra in extraOutputs { try extra.validate() }
        var clock = StepClock()
        func start(_ step: PipelineStep, _ message: String) {
            clock.start(step)
            progress(PipelineProgress(step: step, message: message))
        }

        // read
        start(.read, "reading \(input.url.path)")
        var inputs: [RunManifest.InputFile] = []
        func checksum(_ role: String, _ url: URL) throws(PipelineError) {
            let (hex, bytes) = try SHA256.file(url)
            inputs.append(RunManifest.InputFile(role: role, path: url.path, bytes: bytes, sha256: hex))
        }
        // The main input (tens to hundreds of megabytes) is hashed on another thread while the model steps run
        // (measured ~75–90 MB/s per core here); its manifest entry is filled in before the result is built.
        let mainChecksum = BackgroundChecksum(url: input.url)
        var transactionCount: Int?
        var skipped = SkippedRows()
        var log: TransactionLog?
        var summaryFile: CustomerSummary?
        switch input {
        case .transactions(let url, let options):
            do {
                let read = try TransactionLog.read(contentsOf: url, options: options, badRows: skipBadRows ? .skip : .fail)
                (log, skipped, transactionCount) = (read.log, read.skipped, read.log.count)
            } catch { throw .data(step: .read, error) }
            inputs.append(RunManifest.InputFile(role: "transactions", path: url.path, bytes: 0, sha256: ""))
            mainChecksum.start()
        case .summary(let url):
            do { summaryFile = try CustomerSummary.read(contentsOf: url) } catch { throw .customerValue(step: .read, error) }
            inputs.append(RunManifest.InputFile(role: "summary", path: url.path, bytes: 0, sha256: ""))
            mainChecksum.start()
        }
        if let attributes { try checksum("attributes", attributes) }
        if let journey { try checksum("journey", journey) }
        // The plan is read (and the budget settled) before the expensive steps, so a plan typo costs nothing.
        var givenPlan: Plan
        var locator = PlanLocator.none()
        var baseDirectory: URL?
        var planFile: URL?
        switch plan {
        case .file(let url):
            planFile = url
            try checksum("plan", url)
            do {
                let read = try PlanReader.read(contentsOf: url)
                (givenPlan, locator) = (read.plan, read.locator)
            } catch { throw .allocation(step: .read, error) }
            baseDirectory = url.deletingLastPathComponent()
        case .plan(let p):
            givenPlan = p
        case .text(let text, let name):
            inputs.append(RunManifest.InputFile(role: "plan", path: name, bytes: text.utf8.count, sha256: SHA256.hex(text.utf8)))
            do {
                let read = try PlanReader.read(text: text, file: name)
                (givenPlan, locator) = (read.plan, read.locator)
            } catch { throw .allocation(step: .read, error) }
        }
        guard let amount = budget ?? givenPlan.budget?.amount else {
            throw .invalidParameter(name: "budget", value: "none", reason: "give a budget (the plan has no budget.amount)")
        }
        guard amount.isFinite, amount > 0 else {
            throw .invalidParameter(name: "budget", value: "\(amount)", reason: "must be a finite number > 0")
        }
        givenPlan.budget = Plan.Budget(amount: amount, mode: givenPlan.budget?.mode)
        clock.stop()

        // summary
        let summary: CustomerSummary
        if let transactions = log {
            start(.summary, "summarising \(transactions.count) transactions of \(transactions.customerCount) customers")
            do {
                summary = try CustomerSummary(transactions: transactions, observationEnd: observationEnd, unit: timeUnit)
            } catch { throw .customerValue(step: .summary, error) }
            log = nil  // the transactions are not needed any more
            clock.stop()
        } else if let summaryFile {
            summary = summaryFile
        } else {
            throw .invalidParameter(name: "input", value: input.url.path, reason: "no customers were read")
        }

        // fit
        start(.fit, "fitting \(model.rawValue) to \(summary.count) customers")
        // The spend model (Gamma-Gamma on the repeat buyers) does not depend on the purchase model: it is fitted on
        // another thread while this one compresses the patterns and fits the purchase model. Each fit is
        // deterministic on its own, so the result does not depend on the overlap.
        let spendFit = BackgroundSpendFit()
        let spendGroup = DispatchGroup()
        let (spendChoice, summaryForSpend) = (spend, summary)
        DispatchQueue.global().async(group: spendGroup) {
            do throws(CustomerValueError) { spendFit.value = .success(try spendChoice.fit(summaryForSpend)) } catch {
                spendFit.value = .failure(error)
            }
        }
        let patterns = RepeatPatterns(summary)
        let valuation: Valuation
        do {
            valuation = try Valuation(
                horizon: horizon, discountRate: discountRate, discountPeriod: discountPeriod, margin: margin,
                timing: .continuous)
        } catch {
            spendGroup.wait()
            throw .customerValue(step: .fit, error)
        }
        var fits: [ModelFit] = []
        let fitted: any PurchaseModel
        let spendModel: SpendModel
        var warnings: [String] = []
        var boundaryFits: [ModelFit] = []
        do throws(CustomerValueError) {
            let purchases: (model: any PurchaseModel, fit: ModelFit)
            do throws(CustomerValueError) { purchases = try model.fit(patterns) } catch {
                spendGroup.wait()
                throw error
            }
            fitted = purchases.model
            fits.append(purchases.fit)
            spendGroup.wait()
            let spending: (model: SpendModel, fit: ModelFit?)
            if let outcome = spendFit.value { spending = try outcome.get() } else { spending = try spend.fit(summary) }
            if let fit = spending.fit { fits.append(fit) }
            spendModel = spending.model
            // A fit that ran to the edge of the parameter space (a limiting model: no dropout, no heterogeneity, …)
            // is used with a warning; any other failure to converge stops the step.
            for fit in fits {
                switch FitCheck(fit) {
                case .converged: break
                case .convergedWithoutStandardErrors(let warning): warnings.append(warning)
                case .atBoundary(let warning):
                    warnings.append(warning)
                    boundaryFits.append(fit)
                case .failed: try fit.requireConverged()
                }
            }
        } catch { throw .customerValue(step: .fit, error) }
        clock.stop()

        // predict
        start(.predict, "predicting \(summary.count) customers over \(horizon) \(timeUnit.rawValue)s")
        let predictions: CustomerPredictions
        do {
            predictions = try CustomerPredictions(
                anyModel: fitted, summary: summary, spend: spendModel, valuation: valuation, patterns: patterns)
        } catch {
            if let fit = boundaryFits.first {
                throw .fitAtBoundary(
                    step: .predict, model: fit.model, parameters: FitCheck.parameterText(fit),
                    reason: "its predictions fail: \(error)")
            }
            throw .customerValue(step: .predict, error)
        }
        if let fit = boundaryFits.first {
            // A boundary fit is usable only if every prediction is a number.
            let columns = [predictions.expectedPurchases, predictions.probabilityAlive, predictions.expectedSpend,
                predictions.lifetimeValue]
            let bad = (0..<summary.count).filter { i in columns.contains { !$0[i].isFinite } }
            if let first = bad.first {
                throw .fitAtBoundary(
                    step: .predict, model: fit.model, parameters: FitCheck.parameterText(fit),
                    reason: "gives non-finite predictions for \(bad.count) customers (first: '\(summary.customerIDs[first])')")
            }
        }
        clock.stop()

        // features
        start(.features, "assembling features")
        var attributeTable: CustomerAttributes?
        if let attributes {
            let table = try CustomerAttributes.read(attributes, idColumn: attributesIDColumn, customerIDs: summary.customerIDs)
            let reserved = Set(CustomerPredictions.csvHeader + ["segment", "label"])
            if let clash = table.names.first(where: { reserved.contains($0) }) {
                throw .attributes(path: attributes.path, line: 1, reason: "column '\(clash)' clashes with a computed column")
            }
            attributeTable = table
        }
        let monetary = summary.monetaryValue ?? [Double](repeating: 0, count: summary.count)
        var names = Self.baseFeatures
        var columns: [[Double]] = [
            predictions.lifetimeValue, predictions.probabilityAlive, summary.frequency.map(Double.init), summary.recency,
            summary.age, monetary,
        ]
        if let attributeTable {
            for j in attributeTable.names.indices {
                names.append(attributeTable.names[j])
                columns.append(attributeTable.imputedColumn(j))
            }
        }
        let matrix: FeatureMatrix
        do { matrix = try FeatureMatrix(columns: columns) } catch { throw .segmentation(step: .features, error) }
        clock.stop()

        // segment
        start(.segment, "k-means on \(summary.count) customers × \(names.count) features")
        let kMeans = KMeans(clusterCount: 1, restarts: restarts, seed: seed, threads: threads)
        let profileColumns = CustomerColumns(
            clv: predictions.lifetimeValue, pAlive: predictions.probabilityAlive,
            numeric: [
                ("frequency", columns[2]), ("recency", summary.recency), ("T", summary.age), ("monetary_value", monetary),
                ("expected_purchases", predictions.expectedPurchases), ("expected_spend", predictions.expectedSpend),
            ] + names.dropFirst(Self.baseFeatures.count).enumerated().map { (j, name) in
                (name, columns[Self.baseFeatures.count + j])
            })
        let segmentation = CustomerSegmentation(
            scaling: .zscore, logColumns: Self.moneyFeatures, kMeans: kMeans, clusterCount: clusterCount,
            silhouetteSample: silhouetteSample)
        let outcome: CustomerSegmentation.Outcome
        // Iteration lines at most once a second: a long fit shows it is moving without flooding the callback.
        var throttle = ProgressThrottle()
        do {
            outcome = try segmentation.run(
                features: matrix, names: names, customers: profileColumns,
                onIteration: { step in
                    if throttle.admits() { progress(PipelineProgress(step: .segment, message: step.description)) }
                },
                onFit: { k, fit in
                    progress(PipelineProgress(
                        step: .segment, message: String(format: "k = %d fitted: inertia %.6g", k, fit.inertia)))
                }
            ) { candidate in
                progress(PipelineProgress(
                    step: .segment,
                    message: String(
                        format: "k = %d: inertia %.6g, silhouette %.4f", candidate.k, candidate.inertia,
                        candidate.silhouette)))
            }
        } catch { throw .segmentation(step: .segment, error) }
        clock.stop()
        clock.record("segment.seeding", outcome.report.run.seedingSeconds)
        clock.record("segment.iterations", outcome.report.run.iterationSeconds.reduce(0, +))

        // allocate
        start(.allocate, "allocating over the plan's cells")
        let effective: Plan
        do { effective = try givenPlan.withSegments(from: outcome.report) } catch {
            throw .allocation(step: .allocate, error)
        }
        // Errors name the effective plan's entries; point them at the user's plan file instead.
        let planMap = EffectivePlanMap(given: givenPlan, effective: effective, file: planFile)
        let problem: AllocationProblem
        let allocation: AllocationResult
        do {
            problem = try AllocationProblem(plan: effective, locator: locator, baseDirectory: baseDirectory)
            allocation = try Allocator.solve(problem, scenario: AllocationScenario())
        } catch { throw .allocation(step: .allocate, planMap.map(error)) }
        clock.stop()
        clock.record("allocate.solver", allocation.solverSeconds)

        // sweep
        let range = (from: sweep.fromFactor * amount, to: sweep.toFactor * amount, steps: sweep.steps)
        start(.sweep, "sweeping \(range.steps) budgets from \(range.from) to \(range.to)")
        let sweepResult: AllocationResult
        do {
            sweepResult = try Allocator.solve(problem, scenario: AllocationScenario(kind: .sweep, sweep: range))
        } catch { throw .allocation(step: .sweep, error) }
        clock.stop()

        // journey
        var journeyAnalysis: JourneyAnalysis?
        var journeySkipped = SkippedRows()
        if let journey {
            start(.journey, "analysing the journey log \(journey.path)")
            do {
                let read = try JourneyLog.read(contentsOf: journey, badRows: skipBadRows ? .skip : .fail)
                let events = read.log
                journeySkipped = read.skipped
                let labels = outcome.report.profiles?.map { $0.label?.rawValue ?? "" } ?? []
                let names = outcome.result.labels.map { s -> String in
                    let label = Int(s) < labels.count ? labels[Int(s)] : ""
                    return label.isEmpty ? "\(s)" : "\(s) \(label)"
                }
                journeyAnalysis = try JourneyAnalysis.analyze(
                    events, values: CustomerValues(ids: summary.customerIDs, values: predictions.lifetimeValue),
                    segments: CustomerSegments(ids: summary.customerIDs, names: names))
            } catch { throw .journey(step: .journey, error) }
            clock.stop()
        }

        let main = try mainChecksum.wait()
        inputs[0].bytes = main.bytes
        inputs[0].sha256 = main.hex
        var result = SegmentRunResult(
            configuration: self, inputs: inputs, transactions: transactionCount, skippedRows: skipped, summary: summary,
            fits: fits, predictions: predictions, attributes: attributeTable, featureNames: names,
            segmentation: outcome.report.reproducible, segments: outcome.result.labels, plan: effective, budget: amount,
            allocation: allocation.reproducible, sweep: sweepResult.reproducible, journey: journeyAnalysis,
            timings: [], outputs: [])
        result.journeySkippedRows = journeySkipped
        result.warnings = warnings

        // write
        if let outputDirectory {
            start(.write, "writing \(outputDirectory.path)")
            result.timings = clock.timings
            try result.write(to: outputDirectory, extraOutputs: extraOutputs, finishing: &clock)
        }
        result.timings = clock.timings
        return result
    }
}

/// Wall-clock seconds per step.
struct StepClock {
    let clock = ContinuousClock()
    var current: (step: PipelineStep, started: ContinuousClock.Instant)?
    var timings: [RunManifest.Timing] = []

    mutating func start(_ step: PipelineStep) {
        stop()
        current = (step, clock.now)
    }

    mutating func stop() {
        guard let current else { return }
        let d = clock.now - current.started
        let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        timings.append(RunManifest.Timing(step: current.step.rawValue, seconds: seconds))
        self.current = nil
    }

    mutating func record(_ name: String, _ seconds: Double) {
        timings.append(RunManifest.Timing(step: name, seconds: seconds))
    }
}

/// The spend-model fit run on another thread (written before `DispatchGroup.leave`, read after `wait`).
private final class BackgroundSpendFit: @unchecked Sendable {
    var value: Result<(model: SpendModel, fit: ModelFit?), CustomerValueError>?
}

/// The SHA-256 of one file computed on a background thread: ``start()`` launches it, ``wait()`` joins and returns
/// it (or the error reading the file).
private final class BackgroundChecksum: @unchecked Sendable {
    let url: URL
    private let group = DispatchGroup()
    // Written by the background thread before `group.leave()`, read after `group.wait()`.
    private var outcome: Result<(hex: String, bytes: Int), PipelineError>?

    init(url: URL) { self.url = url }

    func start() {
        DispatchQueue.global().async(group: group) { [self] in
            do throws(PipelineError) { outcome = .success(try SHA256.file(url)) } catch { outcome = .failure(error) }
        }
    }

    func wait() throws(PipelineError) -> (hex: String, bytes: Int) {
        group.wait()
        switch outcome {
        case .success(let value): return value
        case .failure(let error): throw error
        case nil: return try SHA256.file(url)
        }
    }
}

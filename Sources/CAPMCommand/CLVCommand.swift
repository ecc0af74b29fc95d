import ArgumentParser
import CAPM
import Foundation

/// `capm clv`: fits a purchase model (and optionally Gamma-Gamma spend) and writes per-customer predictions and
/// discounted lifetime values; `--model sbg` fits contractual retention to a cohort survival table.
struct CLVCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clv",
        abstract: "Fit BG/NBD, Pareto/NBD, MBG/NBD (+ Gamma-Gamma) or sBG and predict customer lifetime value.",
        discussion: """
            Input: --transactions FILE (customer_id,date,amount; see the column options) or --summary FILE \
            (customer_id,frequency,recency,T[,monetary_value]); for --model sbg, --survival FILE with a column of \
            survivors per period (first row = cohort size). Times are in --time-unit; --horizon, --discount-period \
            are in that unit; --discount-rate is per discount period. CLV = margin × expected spend × discounted \
            expected purchases over the horizon (see Docs/lifetime-value.md). Prints the fit (parameters, standard \
            errors, log-likelihood, AIC/BIC, convergence); per-customer predictions go to --output, or to stdout \
            with --format csv. A fit that does not converge is printed and the command fails.
            """)

    enum Model: String, ExpressibleByArgument, CaseIterable {
        case bgnbd, pareto = "pareto-nbd", mbgnbd, sbg
        init?(argument: String) {
            if argument == "pareto" { self = .pareto } else { self.init(rawValue: argument) }
        }
    }
    enum Spend: String, ExpressibleByArgument, CaseIterable { case gammaGamma = "gamma-gamma", observed, none }
    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv }
    enum Timing: String, ExpressibleByArgument, CaseIterable { case continuous, endOfPeriod = "end-of-period" }

    @Option(help: "Transaction file (customer_id,date,amount).") var transactions: String?
    @Option(help: "Summary file (customer_id,frequency,recency,T[,monetary_value]).") var summary: String?
    @Option(help: "Cohort survival file for --model sbg.") var survival: String?
    @Option(help: "Column of --survival holding survivors (counts or percentages).") var survivalColumn: String?
    @Option(help: "Use only the first N periods of --survival for the fit.") var calibrationPeriods: Int?
    @Option(help: "Customer id column of --transactions.") var customerColumn = "customer_id"
    @Option(help: "Date column of --transactions (YYYY-MM-DD or YYYYMMDD).") var dateColumn = "date"
    @Option(help: "Amount column of --transactions.") var amountColumn = "amount"
    @Option(help: "Field delimiter of --transactions: comma, tab, whitespace, or one character.") var delimiter = "comma"
    @Option(help: "Last observed day (YYYY-MM-DD); default: the last transaction date.") var observationEnd: String?
    @Option(help: "Fit on transactions up to this day (YYYY-MM-DD) and report the forecast of the holdout after it.")
    var calibrationEnd: String?
    @Option(help: "Time unit: day, week, month or year.") var timeUnit: TimeUnit = .week
    @Option(help: "Model: bgnbd, pareto-nbd, mbgnbd or sbg.") var model: Model = .bgnbd
    @Option(help: "Spend per purchase: gamma-gamma, observed (mean repeat spend) or none (1 per purchase). Default: gamma-gamma when the input has amounts (transactions, or a summary with monetary_value), none otherwise.")
    var spend: Spend?
    @Option(help: "Prediction horizon in time units (periods for sbg).") var horizon: Double = 52
    @Option(help: "Discount rate per discount period.") var discountRate: Double = 0
    @Option(help: "Length of a discount period in time units.") var discountPeriod: Double = 1
    @Option(help: "Discounting: continuous or end-of-period.") var timing: Timing = .continuous
    @Option(help: "Margin as a fraction of spend.") var margin: Double = 1
    @Option(help: "Output format: table, json or csv (csv: per-customer predictions).") var format: Format = .table
    @Option(name: .shortAndLong, help: "Per-customer predictions CSV file (written atomically).") var output: String?
    @Flag(help: "Print the time of each step on stderr (read, summary, fit, predict, write).") var timings = false

    /// Step timer for --timings.
    /// Step timings on stderr with `--timings`; otherwise, when stderr is a terminal and `announces` is set, each
    /// finished step as a progress line (a 10-million-row log takes seconds per step).
    final class Stopwatch {
        let enabled: Bool
        let progress: Progress?
        let clock = ContinuousClock()
        var last: ContinuousClock.Instant
        init(enabled: Bool, announces: Bool = true) {
            self.enabled = enabled
            progress = !enabled && announces ? Progress() : nil
            last = clock.now
        }
        func lap(_ step: String) {
            let now = clock.now
            if enabled { FileHandle.standardError.write(Data("time \(step) \(seconds(now - last)) s\n".utf8)) }
            progress?.step("done: \(step)")
            last = now
        }
    }

    func validate() throws {
        if model == .sbg {
            guard survival != nil else { throw ValidationError("--model sbg needs --survival FILE") }
        } else {
            guard (transactions == nil) != (summary == nil) else {
                throw ValidationError("give exactly one of --transactions FILE and --summary FILE")
            }
            if calibrationEnd != nil && transactions == nil {
                throw ValidationError("--calibration-end needs --transactions FILE")
            }
        }
    }

    func run() throws {
        if model == .sbg { return try runShiftedBetaGeometric() }
        let watch = Stopwatch(enabled: timings)
        let (customers, holdout) = try loadSummary(watch)
        let patterns = RepeatPatterns(customers)
        watch.lap("patterns (\(patterns.count))")
        let valuation = try Valuation(
            horizon: horizon, discountRate: discountRate, discountPeriod: discountPeriod, margin: margin,
            timing: timing == .continuous ? .continuous : .endOfPeriod)
        let kind: PurchaseModelKind
        switch model {
        case .bgnbd: kind = .bgnbd
        case .pareto: kind = .paretoNBD
        case .mbgnbd: kind = .mbgnbd
        case .sbg: return
        }
        let fitted = try kind.fit(patterns)
        try predict(fitted.model, fitted.fit, customers, patterns, valuation, holdout, watch)
    }

    private func loadSummary(_ watch: Stopwatch) throws -> (CustomerSummary, CalibrationHoldout?) {
        if let summary {
            let s = try CustomerSummary.read(contentsOf: URL(fileURLWithPath: summary))
            watch.lap("read summary")
            return (s, nil)
        }
        let options = TransactionLog.ReadOptions(
            customerColumn: customerColumn, dateColumn: dateColumn, amountColumn: amountColumn,
            format: CSVFormat(delimiter: try parseDelimiter(delimiter)))
        let log = try TransactionLog.read(contentsOf: URL(fileURLWithPath: transactions ?? ""), options: options)
        watch.lap("read transactions")
        let end = try observationEnd.map { Int32(try parseDay($0, option: "--observation-end")) }
        if let calibrationEnd {
            let split = try CalibrationHoldout(
                transactions: log, calibrationEnd: Int32(try parseDay(calibrationEnd, option: "--calibration-end")),
                observationEnd: end, unit: timeUnit)
            watch.lap("summary")
            return (split.calibration, split)
        }
        let s = try CustomerSummary(transactions: log, observationEnd: end, unit: timeUnit)
        watch.lap("summary")
        return (s, nil)
    }

    /// Holdout check: actual repeat purchases after the calibration end vs. the fitted model's
    /// Σ E[X(holdout length) | x, tₓ, T].
    private func holdoutForecast<M: PurchaseModel>(_ model: M, _ split: CalibrationHoldout) throws -> (actual: Int, predicted: Double) {
        let c = split.calibration
        var predicted = 0.0
        for i in 0..<c.count {
            guard let e = model.expectedPurchases(split.holdoutDuration, frequency: Double(c.frequency[i]), recency: c.recency[i], age: c.age[i])
            else {
                throw CustomerValueError.predictionFailed(customer: c.customerIDs[i], reason: "holdout forecast did not converge")
            }
            predicted += e
        }
        return (split.holdoutFrequency.reduce(0, +), predicted)
    }

    private func predict<M: PurchaseModel>(
        _ fittedModel: M, _ fit: ModelFit, _ customers: CustomerSummary, _ patterns: RepeatPatterns, _ valuation: Valuation,
        _ holdout: CalibrationHoldout?, _ watch: Stopwatch
    ) throws {
        watch.lap("fit \(M.name)")
        var fits = [fit]
        // CLV in money whenever the input carries money: an analyst reading "clv" expects currency, not purchases.
        let choice = spend ?? (customers.monetaryValue != nil ? .gammaGamma : .none)
        let spending = try (SpendEstimate(rawValue: choice.rawValue) ?? .none).fit(customers)
        if let spendFit = spending.fit {
            fits.append(spendFit)
            watch.lap("fit gamma-gamma")
        }
        let spendModel = spending.model
        let forecast = try holdout.map { try holdoutForecast(fittedModel, $0) }
        report(fits, customers: customers.count, patterns: patterns.count, holdout: forecast.map { ($0.actual, $0.predicted, holdout?.holdoutDuration ?? 0) })
        for fit in fits { try fit.requireConverged() }
        let predictions = try CustomerPredictions(
            model: fittedModel, summary: customers, spend: spendModel, valuation: valuation, patterns: patterns)
        watch.lap("predict")
        defer { watch.lap("write") }
        if let output {
            try predictions.writeCSV(summary: customers, to: URL(fileURLWithPath: output))
        } else if format == .csv {
            try predictions.writeCSV(summary: customers, to: nil)
        }
        if format == .table {
            let total = predictions.lifetimeValue.reduce(0, +)
            let purchases = predictions.expectedPurchases.reduce(0, +)
            print("horizon         \(horizon) \(timeUnit.rawValue)s; expected purchases \(fixed(purchases, 1)); total CLV \(fixed(total, 2))")
            if let output { print("predictions     \(output)") }
        }
    }

    /// Prints the fits: a table, JSON on stdout, or (with csv on stdout) a table on stderr.
    private func report(_ fits: [ModelFit], customers: Int, patterns: Int, holdout: (actual: Int, predicted: Double, duration: Double)? = nil) {
        switch format {
        case .json:
            var object: [String: Any] = [:]
            for (k, fit) in fits.enumerated() {
                var entry: [String: Any] = [
                    "model": fit.model,
                    "parameters": Dictionary(uniqueKeysWithValues: zip(fit.parameterNames, fit.parameters)),
                    "logLikelihood": fit.logLikelihood, "aic": fit.aic, "bic": fit.bic,
                    "customers": k == 0 ? customers : Int(fit.observations), "converged": fit.converged,
                    "status": fit.status.rawValue, "iterations": fit.iterations, "gradientNorm": fit.gradientNorm,
                    "hessianPositiveDefinite": fit.hessianPositiveDefinite,
                ]
                entry["standardErrors"] =
                    fit.standardErrors.map { Dictionary(uniqueKeysWithValues: zip(fit.parameterNames, $0)) } ?? NSNull()
                if k == 0 {
                    entry["patterns"] = patterns
                    object = entry
                } else {
                    object["spend"] = entry
                }
            }
            if let holdout {
                object["holdout"] = ["duration": holdout.duration, "actualPurchases": holdout.actual, "predictedPurchases": holdout.predicted]
            }
            if let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]) {
                print(String(decoding: data, as: UTF8.self))
            }
        case .table, .csv:
            var text = ""
            for fit in fits {
                text += "\(fit.model): \(fit.converged ? "converged" : "NOT CONVERGED (\(fit.status.rawValue))") in \(fit.iterations) iterations; "
                text += "\(Int(fit.observations)) observations\n"
                for (i, name) in fit.parameterNames.enumerated() {
                    let se = fit.standardErrors.map { fixed($0[i], 4) } ?? "n/a"
                    text += "  \(name.padding(toLength: 8, withPad: " ", startingAt: 0)) \(fixed(fit.parameters[i], 4))  (SE \(se))\n"
                }
                text += "  log-likelihood \(fixed(fit.logLikelihood, 2))  AIC \(fixed(fit.aic, 2))  BIC \(fixed(fit.bic, 2))\n"
                if !fit.hessianPositiveDefinite {
                    text += "  warning: the Hessian is not positive definite (an estimate at the boundary of the parameter space or "
                    text += "not identified); standard errors are unavailable\n"
                }
            }
            if let holdout {
                text += "holdout         \(fixed(holdout.duration, 2)) \(timeUnit.rawValue)s: actual repeat purchases \(holdout.actual), "
                text += "predicted \(fixed(holdout.predicted, 1))\n"
            }
            if format == .csv && output == nil {
                FileHandle.standardError.write(Data(text.utf8))
            } else {
                print(text, terminator: "")
            }
        }
    }

    private func runShiftedBetaGeometric() throws {
        guard discountRate.isFinite, discountRate > -1 else {
            throw ValidationError("--discount-rate must be greater than -1")
        }
        guard horizon.isFinite, horizon >= 1, horizon <= 1_000_000 else {
            throw ValidationError("--horizon for sbg is a number of periods between 1 and 1,000,000")
        }
        let url = URL(fileURLWithPath: survival ?? "")
        let header = try CSVTable.header(of: url)
        guard let column = survivalColumn ?? header.last(where: { $0 != "period" && $0 != "year" }) else {
            throw ValidationError("--survival: no survivor column")
        }
        let table = try CSVTable.read(contentsOf: url, columns: [ColumnSpec(name: column, type: .double, nonNegative: true)])
        var alive = try table.doubles(column)
        if let n = calibrationPeriods {
            guard n >= 1 else { throw ValidationError("--calibration-periods must be at least 1") }
            alive = Array(alive.prefix(n + 1))
        }
        let fitted = try ShiftedBetaGeometric.fit(alive: alive)
        report([fitted.fit], customers: Int(alive.first ?? 0), patterns: alive.count)
        _ = try fitted.requireConverged()
        let m = fitted.model
        let periods = max(1, Int(horizon.rounded()))
        // Expected discounted lifetime of a new customer paying now and at each renewal, over `periods` payments:
        // DEL = 1 + Σ_{t=1}^{periods−1} S(t)/(1+d)^t = 1 + DERL(d | 1)/(1+d) (Fader & Hardie 2010).
        let derl = periods > 1
            ? m.discountedExpectedResidualLifetime(discountRate: discountRate, periodsActive: 1, horizon: periods - 1) : 0
        let del = 1 + derl / (1 + discountRate)
        if format == .table {
            print("period  survival  retention")
            for t in 1...min(periods, 50) {
                print("\(String(t).padding(toLength: 6, withPad: " ", startingAt: 0))  \(fixed(m.survival(t), 4))    \(fixed(m.retentionRate(t), 4))")
            }
            print("expected discounted lifetime of a new customer over \(periods) periods: \(fixed(del, 4)) payments")
            print("expected value of a new customer (margin \(margin) per period, first payment now): \(fixed(margin * del, 4))")
        }
    }

    private func fixed(_ v: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", v) }
}

extension TimeUnit: ExpressibleByArgument {}

import Allocation
import CAPMNumerics
import Foundation
import Segmentation

extension SegmentRunResult {
    /// `summary.txt`: customers and transactions (with skipped rows by reason), the model fits, the segment table,
    /// the allocation headline (budget, spend, uplift, ROI, value of the next dollar) and the journey coverage.
    /// Contains no timings, so identical runs give identical files.
    public func summaryText() -> String {
        // Fixed decimals as people read money; beyond 1e15 (a budget of 1e300) the exponent form, not 300 digits.
        func f(_ x: Double, _ digits: Int = 2) -> String {
            abs(x) < 1e15 ? String(format: "%.\(digits)f", x) : String(format: "%.6e", x)
        }
        func g(_ x: Double) -> String { String(format: "%.4g", x) }
        var out = "CAPM segment run (capm \(CAPMVersion.string))\n\n"
        out += "customers        \(summary.count)"
        if let transactions { out += " from \(transactions) transactions" }
        out += "\n"
        if configuration.skipBadRows {
            out += "skipped rows     \(skippedRows.total)\n"
            for r in skippedRows.reasons { out += "  \(r.count)  \(r.reason) (first: \(r.first))\n" }
            if journey != nil {
                out += "skipped journey rows \(journeySkippedRows.total)\n"
                for r in journeySkippedRows.reasons { out += "  \(r.count)  \(r.reason) (first: \(r.first))\n" }
            }
        }
        if let a = attributes?.join {
            out += "attributes       \(a.numericColumns.joined(separator: ", ")): \(a.matchedCustomers) customers matched, "
            out += "\(a.customersWithoutAttributes) without a row (column means used), \(a.unknownIdentifiers) unknown ids"
            if !a.unknownIdentifierExamples.isEmpty { out += " (e.g. \(a.unknownIdentifierExamples.joined(separator: ", ")))" }
            out += "\n"
            if !a.ignoredColumns.isEmpty { out += "                 ignored non-numeric: \(a.ignoredColumns.joined(separator: ", "))\n" }
        }
        out += "\nmodels\n"
        for fit in fits {
            let parameters = zip(fit.parameterNames, fit.parameters).map { "\($0) \(f($1, 4))" }.joined(separator: ", ")
            out += "  \(fit.model): \(parameters); log-likelihood \(f(fit.logLikelihood)); \(Int(fit.observations)) observations\n"
        }
        for warning in warnings { out += "  warning: \(warning)\n" }
        let c = configuration
        out += "  CLV: horizon \(g(c.horizon)) \(c.timeUnit.rawValue)s, discount rate \(g(c.discountRate)) per \(g(c.discountPeriod)), "
        out += "margin \(g(c.margin)); total CLV \(f(predictions.lifetimeValue.reduce(0, +)))\n"
        out += "\nsegments (features: \(featureNames.joined(separator: ", ")); log1p on "
        out += "\(featureNames.filter { SegmentRun.moneyFeatures.contains($0) }.joined(separator: ", ")); z-score)\n"
        out += segmentation.profileTable().split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
        let a = allocation
        let currency = a.currency.map { " \($0)" } ?? ""
        out += "\nallocation (\(a.plan))\n"
        out += "  budget         \(f(budget))\(currency)\n"
        out += "  status         \(a.status.rawValue)\n"
        if a.status == .optimal {
            out += "  spend          \(f(a.spend))\(currency)\n"
            out += "  uplift         \(f(a.uplift))\(currency)\n"
            out += "  current plan   spend \(f(a.currentSpend)), uplift \(f(a.currentUplift)); optimum vs current "
            out += String(format: "%+.2f", a.upliftVsCurrent) + "\n"
            out += "  ROI            \(a.roi.map { f($0, 3) } ?? "-")\n"
            if let p = a.shadowPrice {
                out += "  next dollar    \(f(p.value, 4))"
                if let from = p.validFrom, let to = p.validTo { out += " for budgets \(f(from))…\(f(to))" }
                out += "\n"
            }
        } else {
            out += "  \(a.message)\n"
        }
        if let points = sweep.sweep, let first = points.first, let last = points.last {
            out += "  sweep          \(points.count) budgets \(f(first.budget))…\(f(last.budget)): uplift \(f(first.uplift))…\(f(last.uplift))\n"
        }
        if let j = journey {
            let cov = j.coverage
            out += "\njourney          \(cov.events) events, \(cov.journeyCustomers) customers; \(cov.missingValue) missing from the run's "
            out += "customers (valued at \(f(cov.imputedValue)))\n"
            if let top = j.moments.first {
                out += "  top moment     \(top.stage.name)/\(top.touchpoint): value at stake \(f(top.valueAtStake))\n"
            }
        }
        return out
    }
}

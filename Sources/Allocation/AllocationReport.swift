import Foundation

/// Renders an ``AllocationResult`` as the table an analyst reads, as JSON (stable field names) or as CSV
/// (one row per cell, or per sweep point).
public enum AllocationReport {
    /// JSON with sorted keys, pretty-printed; `nil` fields left out; non-finite numbers as the strings `inf`,
    /// `-inf`, `nan` (written by ``ReportJSONEncoder``; decodes with `JSONDecoder` and
    /// `.convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")`).
    /// - Complexity: O(size of the result).
    public static func json(_ result: AllocationResult) -> String {
        (try? ReportJSONEncoder().encode(result)) ?? "{}\n"
    }

    /// CSV: sweep points for a sweep, else one row per cell.
    public static func csv(_ result: AllocationResult) -> String {
        func n(_ v: Double?) -> String { v.map { $0.isFinite ? "\($0)" : "" } ?? "" }
        func q(_ s: String) -> String { s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        var out = ""
        if let sweep = result.sweep {
            out = "budget,spend,uplift,shadow_price,left,right,valid_from,valid_to,iterations\n"
            for p in sweep {
                let s = p.shadowPrice
                out += [n(p.budget), n(p.spend), n(p.uplift), n(s?.value), n(s?.left), n(s?.right), n(s?.validFrom), n(s?.validTo), "\(p.iterations)"].joined(separator: ",") + "\n"
            }
            return out
        }
        out = "cell,segment,label,moment,stage,channel,current,spend,units,uplift,current_uplift,average_roi,marginal_roi_left,marginal_roi_right\n"
        for c in result.cells {
            out += [q(c.id), q(c.segment), c.label ?? "", q(c.moment), c.stage, q(c.channel), n(c.current), n(c.spend), n(c.units),
                    n(c.uplift), n(c.currentUplift), n(c.averageROI), n(c.marginalROILeft), n(c.marginalROIRight)].joined(separator: ",") + "\n"
        }
        return out
    }

    /// The human-readable report: headline, next-dollar value, binding constraints, unfunded cells, allocation
    /// by segment × moment, roll-up by stage and channel.
    public static func table(_ r: AllocationResult) -> String {
        var out = ""
        let cur = r.currency.map { " \($0)" } ?? ""
        out += "CAPM allocation — \(r.plan) (\(r.scenario)"
        if let b = r.budget { out += ", budget \(money(b))\(cur) \(r.budgetMode == "exactly" ? "exactly" : "at most")" }
        out += ")\n\n"
        switch r.status {
        case .infeasible:
            out += "INFEASIBLE: no allocation satisfies every constraint.\n"
            if let why = r.infeasibility {
                if !why.conflicts.isEmpty {
                    out += "\nConflicts\n"
                    for c in why.conflicts { out += "  • \(c)\n" }
                }
                if !why.certificateRows.isEmpty {
                    out += "\nThe solver's proof of infeasibility (Farkas certificate) combines: \(why.certificateRows.joined(separator: ", "))\n"
                }
                if !why.relaxations.isEmpty {
                    out += "\nSmallest relaxation that makes the plan feasible\n"
                    for x in why.relaxations {
                        out += "  • \(x.constraint): change \(money(x.bound)) to \(money(x.relaxedBound)) (by \(money(x.amount)))\n"
                    }
                }
            }
            return out
        case .failed:
            return out + "FAILED: \(r.message)\n"
        case .optimal: break
        }
        let roi = r.roi.map { String(format: "%.2f", $0) } ?? "–"
        let change = r.currentUplift > 0 ? String(format: " (%+.1f%%)", 100 * r.upliftVsCurrent / r.currentUplift) : ""
        let target = r.constraints.first { $0.kind == "uplift_target" }
        if let target {
            out += "Cheapest plan reaching an uplift of \(money(target.lower ?? 0))\(cur): spend \(money(r.spend))\(cur) → uplift \(money(r.uplift)), ROI \(roi)\n"
            out += "Current plan: spend \(money(r.currentSpend)) → uplift \(money(r.currentUplift))\n"
            out += "\nNext dollar of uplift: costs \(ratio(target.dual)) of spend (marginal cost of the target)\n"
        } else {
            out += "Optimal plan: spend \(money(r.spend))\(cur) → uplift \(money(r.uplift))\(cur) in customer value, ROI \(roi)\n"
            out += "Current plan: spend \(money(r.currentSpend)) → uplift \(money(r.currentUplift)); the optimum adds \(signed(r.upliftVsCurrent))\(change)\n"
        }
        if let p = r.shadowPrice, target == nil || abs(p.value) > 1e-9 {
            out += "\nNext dollar of budget: worth \(ratio(p.value)) of customer value"
            if let from = p.validFrom {
                out += ", for budgets from \(money(from)) to \(p.validTo.map(money) ?? "any amount")"
            }
            out += "\n"
            if let l = p.left, let rt = p.right, abs(l - rt) > 1e-9 * max(1, abs(l)) {
                out += "  (the budget sits at a breakpoint: the last dollar earned \(ratio(l)), the next one earns \(ratio(rt)))\n"
            }
        }
        if let b = r.bracket, b.upper > b.lower {
            out += "Smooth response curves: the plan yields \(money(b.curveUplift)); no plan can beat \(money(b.upper)) (chord bound)\n"
        }
        let binding = r.constraints.filter { $0.binding && abs($0.dual) > 1e-9 }
        if !binding.isEmpty {
            out += "\nBinding constraints\n"
            let width = min(40, binding.map(\.name.count).max() ?? 0)
            for c in binding { out += "  \(pad(c.name, width))  \(c.explanation)\n" }
        }
        if !r.unfunded.isEmpty {
            out += "\nUnfunded cells (\(r.unfunded.count))\n"
            let shown = r.unfunded.sorted { $0.marginalROI > $1.marginalROI }.prefix(8)
            let width = shown.map(\.id.count).max() ?? 0
            for u in shown { out += "  \(pad(u.id, width))  \(u.reason)\n" }
            if r.unfunded.count > shown.count { out += "  … and \(r.unfunded.count - shown.count) more (see --format json)\n" }
        }
        // Segment × moment matrix of spend.
        let moments = r.moments.map(\.id)
        let segments = r.segments.map(\.id)
        if moments.count <= 16 && segments.count <= 60 {
            var spend: [String: Double] = [:]
            for c in r.cells { spend["\(c.segment)\u{1}\(c.moment)", default: 0] += c.spend }
            let labels = Dictionary(r.cells.map { ($0.segment, $0.label ?? "") }, uniquingKeysWith: { a, _ in a })
            let stageOf = Dictionary(r.cells.map { ($0.moment, $0.stage) }, uniquingKeysWith: { a, _ in a })
            out += "\nSpend by segment × moment of truth\n"
            let first = max(7, segments.map { $0.count + (labels[$0].map { $0.isEmpty ? 0 : $0.count + 3 } ?? 0) }.max() ?? 0)
            let colWidths = moments.map { max(8, $0.count) }
            var header = "  " + pad("segment", first)
            var stageLine = "  " + pad("", first)
            for (m, w) in zip(moments, colWidths) {
                header += "  " + lpad(m, w)
                stageLine += "  " + lpad(shortStage(stageOf[m] ?? ""), w)
            }
            header += "  " + lpad("total", 8) + "  " + lpad("uplift", 8) + "  " + lpad("ROI", 5)
            out += stageLine + "\n" + header + "\n"
            for s in segments {
                let label = labels[s].map { $0.isEmpty ? "" : " (\($0.replacingOccurrences(of: "_", with: " ")))" } ?? ""
                var line = "  " + pad(s + label, first)
                for (m, w) in zip(moments, colWidths) {
                    let v = spend["\(s)\u{1}\(m)"]
                    line += "  " + lpad(v.map { $0 > 0.5 ? money($0, compact: true) : "·" } ?? "", w)
                }
                let roll = r.segments.first { $0.id == s }
                let sroi = (roll?.spend ?? 0) > 0 ? String(format: "%.2f", (roll?.uplift ?? 0) / (roll?.spend ?? 1)) : "–"
                line += "  " + lpad(money(roll?.spend ?? 0, compact: true), 8) + "  " + lpad(money(roll?.uplift ?? 0, compact: true), 8) + "  " + lpad(sroi, 5)
                out += line + "\n"
            }
            var totalLine = "  " + pad("total", first)
            for (roll, w) in zip(r.moments, colWidths) { totalLine += "  " + lpad(money(roll.spend, compact: true), w) }
            totalLine += "  " + lpad(money(r.spend, compact: true), 8) + "  " + lpad(money(r.uplift, compact: true), 8) + "  " + lpad(roi, 5)
            out += totalLine + "\n"
        }
        out += "\nBy stage                 current   optimal    change    uplift\n"
        for s in r.stages {
            out += "  " + pad(s.id.replacingOccurrences(of: "_", with: "-"), 20) + lpad(money(s.current, compact: true), 10) + lpad(money(s.spend, compact: true), 10)
                + lpad(signedCompact(s.spend - s.current), 10) + lpad(money(s.uplift, compact: true), 10) + "\n"
        }
        out += "\nBy channel               current   optimal    change    uplift\n"
        for s in r.channels {
            out += "  " + pad(s.id, 20) + lpad(money(s.current, compact: true), 10) + lpad(money(s.spend, compact: true), 10)
                + lpad(signedCompact(s.spend - s.current), 10) + lpad(money(s.uplift, compact: true), 10) + "\n"
        }
        if let sweep = r.sweep {
            out += "\nValue curve (budget sweep)\n       budget        uplift   next dollar   valid from → to\n"
            for p in sweep {
                let s = p.shadowPrice
                var price = s.map { ratio($0.right ?? $0.value) } ?? "–"
                if let l = s?.left, let rt = s?.right, abs(l - rt) > 1e-9 * max(1, abs(l)) { price = "\(ratio(l))|\(ratio(rt))" }
                let range = s.map { "\(money($0.validFrom ?? 0, compact: true)) → \($0.validTo.map { money($0, compact: true) } ?? "∞")" } ?? ""
                out += lpad(money(p.budget), 13) + lpad(money(p.uplift), 14) + lpad(price, 14) + "   " + range + "\n"
            }
            if let bps = r.breakpoints, !bps.isEmpty {
                out += "\nBreakpoints of the value curve (the next dollar's value drops)\n"
                for b in bps { out += "  at \(money(b.budget)): \(ratio(b.left)) → \(ratio(b.right)) (uplift \(money(b.uplift)))\n" }
                if r.breakpointsTruncated == true { out += "  … (walk stopped at its limit)\n" }
            }
        }
        for w in r.warnings { out += "warning: \(w)\n" }
        return out
    }

    static func shortStage(_ s: String) -> String {
        switch s {
        case "awareness": "aware"
        case "consideration": "consider"
        case "decision": "decide"
        case "purchase": "purchase"
        case "post_purchase": "post"
        default: s
        }
    }

    static func money(_ v: Double) -> String { fmtMoney(v) }

    static func money(_ v: Double, compact: Bool) -> String {
        guard compact else { return fmtMoney(v) }
        let a = abs(v)
        let sign = v < 0 ? "-" : ""
        if a < 1_000 { return sign + String(format: "%.0f", a) }
        if a < 1_000_000 { return sign + String(format: a < 10_000 ? "%.1fk" : "%.0fk", a / 1_000) }
        return sign + String(format: a < 10_000_000 ? "%.2fM" : "%.1fM", a / 1_000_000)
    }

    static func signed(_ v: Double) -> String { (v >= 0 ? "+" : "") + fmtMoney(v) }
    static func signedCompact(_ v: Double) -> String { abs(v) < 0.5 ? "0" : (v > 0 ? "+" : "") + money(v, compact: true) }
    static func ratio(_ v: Double) -> String { String(format: "%.2f", abs(v) < 0.005 ? 0 : v) }
    static func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
    static func lpad(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }
}

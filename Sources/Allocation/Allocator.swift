import Foundation
import LinearProgramming

/// Solves allocation scenarios with ``LPSolver`` and turns the LP's primal, duals, reduced costs and RHS ranges
/// into the report a marketing analyst reads (see `Docs/allocation.md`).
public enum Allocator {
    /// Solves `scenario` on `problem`.
    /// - Throws: ``AllocationError`` for bad scenario parameters or an LP that cannot be built.
    /// - Complexity: one dual simplex solve (plus up to two warm-started re-solves for the left/right shadow
    ///   prices at a breakpoint, one RHS ranging, and for sweeps one warm-started solve per grid point and
    ///   breakpoint).
    public static func solve(_ problem: AllocationProblem, scenario: AllocationScenario) throws(AllocationError) -> AllocationResult {
        try scenario.validate()
        if scenario.kind == .sweep { return try sweep(problem, scenario: scenario) }
        let budget = scenario.budget ?? problem.budget
        if scenario.kind == .maxUplift && budget == nil {
            throw .invalidParameter(name: "budget", value: "none", reason: "max-uplift needs a budget (plan budget.amount or --budget)")
        }
        let lp = try AllocationLP(problem: problem, scenario: scenario, budget: budget)
        let solution = try run(lp.model, warmStart: nil)
        return try report(problem, scenario: scenario, lp: lp, solution: solution, budget: budget)
    }

    static func run(_ model: LinearProgram, warmStart: Basis?) throws(AllocationError) -> LPSolution {
        do {
            return try LPSolver.solve(model, warmStart: warmStart)
        } catch {
            throw .solver(error.description)
        }
    }

    /// The optimal value and budget dual at budget `b` (warm-started), for left/right slopes and sweeps.
    static func resolve(_ lp: AllocationLP, budget b: Double, warmStart: Basis?) throws(AllocationError) -> LPSolution? {
        guard let row = lp.budgetRow else { return nil }
        var model = lp.model
        let exact = model.rowLower[row] == model.rowUpper[row]
        do { try model.setRowBounds(row, lower: exact ? b : -.infinity, upper: b) } catch { throw .solver(error.description) }
        let s = try run(model, warmStart: warmStart)
        return s.status == .optimal ? s : nil
    }

    /// The budget's shadow price with its range, and its left/right values when the budget sits at a breakpoint.
    static func shadowPrice(_ lp: AllocationLP, solution: LPSolution, budget b: Double) throws(AllocationError) -> ShadowPrice? {
        guard let row = lp.budgetRow, let basis = solution.basis else { return nil }
        let y = solution.rowDuals[row]
        var from: Double? = nil
        var to: Double? = nil
        if let r = budgetRange(lp.model, row: row, solution: solution, basis: basis) {
            from = r.lowerBound.isFinite ? max(0, r.lowerBound) : 0
            to = r.upperBound.isFinite ? r.upperBound : nil
        }
        let tol = 1e-9 * max(1, b)
        let h = max(1e-6 * max(b, 1), 1e-6)
        var left: Double? = b > 0 ? y : nil
        var right: Double? = y
        if b > 0, from.map({ $0 >= b - tol }) ?? true {
            left = try resolve(lp, budget: max(0, b - h), warmStart: basis).map { $0.rowDuals[row] } ?? y
        }
        if to.map({ $0 <= b + tol }) ?? false {
            right = try resolve(lp, budget: b + h, warmStart: basis).map { $0.rowDuals[row] } ?? y
        }
        return ShadowPrice(value: y, left: left, right: right, validFrom: from, validTo: to)
    }

    /// The RHS range of `row` at the optimal `basis`.
    ///
    /// `LPSolver.ranging` also ranges every cost, one pivot row over all columns per basic column — on a plan of
    /// 500,000 pieces that is seconds. The RHS range depends only on the basic variables, so it is computed on
    /// the model restricted to the basic columns, with the nonbasic columns fixed at their values and moved into
    /// the row bounds (the basis, and hence B⁻¹ and the basic variables' bounds, are unchanged); the range is
    /// then shifted back by the nonbasic contribution to the row.
    static func budgetRange(_ model: LinearProgram, row: Int, solution: LPSolution, basis: Basis) -> ClosedRange<Double>? {
        let a = model.matrix
        var shift = [Double](repeating: 0, count: model.rowCount)
        var reduced = LinearProgram(name: model.name, sense: model.sense)
        for j in 0..<model.columnCount where basis.columns[j] != .basic {
            let v = solution.primal[j]
            if v == 0 { continue }
            for k in a.columnStarts[j]..<a.columnStarts[j + 1] { shift[Int(a.rowIndices[k])] += a.values[k] * v }
        }
        do {
            for i in 0..<model.rowCount {
                try reduced.addRow(name: model.rowNames[i], lower: model.rowLower[i] - shift[i], upper: model.rowUpper[i] - shift[i])
            }
            var statuses: [BasisStatus] = []
            for j in 0..<model.columnCount where basis.columns[j] == .basic {
                var entries: [(row: Int, value: Double)] = []
                for k in a.columnStarts[j]..<a.columnStarts[j + 1] { entries.append((Int(a.rowIndices[k]), a.values[k])) }
                try reduced.addColumn(
                    name: model.columnNames[j], cost: model.objective[j], lower: model.columnLower[j],
                    upper: model.columnUpper[j], coefficients: entries)
                statuses.append(.basic)
            }
            if reduced.columnCount == 0 {
                // A slack basis: every row is basic; add a fixed dummy column so the model validates.
                try reduced.addColumn(name: "DUMMY", cost: 0, lower: 0, upper: 0)
                statuses.append(.atLower)
            }
            let ranging = try LPSolver.ranging(of: reduced, basis: Basis(columns: statuses, rows: basis.rows))
            let r = ranging.rhsRanges[row]
            return (r.lowerBound + shift[row])...(r.upperBound + shift[row])
        } catch {
            return nil
        }
    }

    static func report(
        _ problem: AllocationProblem, scenario: AllocationScenario, lp: AllocationLP, solution: LPSolution, budget: Double?
    ) throws(AllocationError) -> AllocationResult {
        let mode = (scenario.budgetMode ?? problem.budgetMode).rawValue
        var currentSpend = 0.0
        var currentUplift = 0.0
        for cell in problem.cells {
            currentSpend += cell.current
            currentUplift += cell.response.value(at: cell.current)
        }
        var result = AllocationResult(
            plan: problem.name, currency: problem.currency, status: .failed, scenario: scenario.kind.rawValue,
            message: solution.message, budget: budget, budgetMode: mode, spend: 0, uplift: 0, currentSpend: currentSpend,
            currentUplift: currentUplift, upliftVsCurrent: 0, roi: nil, objective: solution.objective, shadowPrice: nil,
            cells: [], segments: [], moments: [], stages: [], channels: [], constraints: [], unfunded: [], bracket: nil,
            infeasibility: nil, sweep: nil, breakpoints: nil, breakpointsTruncated: nil, warnings: problem.warnings,
            iterations: solution.iterations, solverSeconds: solution.seconds, lpRows: lp.model.rowCount,
            lpColumns: lp.model.columnCount)
        switch solution.status {
        case .optimal: break
        case .infeasible:
            result.status = .infeasible
            result.infeasibility = try Infeasibility.explain(problem, scenario: scenario, lp: lp, solution: solution, budget: budget)
            result.message = "infeasible: " + (result.infeasibility?.relaxations.map { "relax \($0.constraint) by \(fmtPlain(roundTo($0.amount)))" }.joined(separator: "; ") ?? "")
            return result
        default:
            result.status = .failed
            return result
        }
        result.status = .optimal
        // Cells.
        var spends = [Double](repeating: 0, count: problem.cells.count)
        for (c, range) in lp.cellColumns.enumerated() {
            var s = 0.0
            for j in range { s += solution.primal[j] }
            spends[c] = s
        }
        if let closest = spendsClosestToCurrent(problem, lp: lp, solution: solution) { spends = closest }
        var total = 0.0
        var totalUplift = 0.0
        var curveTotal = 0.0
        var chordErrors = 0.0
        var anyCurve = false
        for (c, cell) in problem.cells.enumerated() {
            let s = spends[c]
            let u = cell.response.value(at: s)
            total += s
            totalUplift += u
            let curveU = cell.curve?.value(at: s)
            if cell.curve != nil { anyCurve = true }
            curveTotal += curveU ?? u
            chordErrors += cell.chordError
            let m = cell.response.marginal(at: s)
            let seg = problem.segments[cell.segment]
            let moment = problem.moments[cell.moment]
            let channel = problem.channels[cell.channel]
            result.cells.append(CellAllocation(
                id: cell.id, segment: seg.id, label: seg.label?.rawValue, moment: moment.id, stage: moment.stage.rawValue,
                channel: channel.id, current: cell.current, spend: s, units: s / (channel.unitCost ?? 1), uplift: u,
                currentUplift: cell.response.value(at: cell.current), curveUplift: curveU,
                averageROI: s > 1e-9 ? u / s : nil, marginalROILeft: m.left, marginalROIRight: m.right,
                lower: cell.lower, upper: cell.upper))
        }
        result.spend = total
        result.uplift = totalUplift
        result.upliftVsCurrent = totalUplift - currentUplift
        result.roi = total > 0 ? totalUplift / total : nil
        if anyCurve {
            result.bracket = LinearizationBracket(lower: totalUplift, upper: totalUplift + chordErrors, curveUplift: curveTotal)
        }
        result.segments = rollUp(result.cells, key: \.segment, order: problem.segments.map(\.id))
        result.moments = rollUp(result.cells, key: \.moment, order: problem.moments.sorted { $0.stage < $1.stage }.map(\.id))
        result.stages = rollUp(result.cells, key: \.stage, order: Plan.Stage.allCases.map(\.rawValue))
        result.channels = rollUp(result.cells, key: \.channel, order: problem.channels.map(\.id))
        if let b = budget { result.shadowPrice = try shadowPrice(lp, solution: solution, budget: b) }
        result.constraints = constraintReports(problem, scenario: scenario, lp: lp, solution: solution)
        result.unfunded = unfunded(problem, lp: lp, solution: solution, spends: spends)
        result.message = "optimal"
        return result
    }

    /// Sums per group, in the plan's order (groups without cells are left out).
    /// - Complexity: O(cells + groups): one dictionary look-up per distinct key run, not per cell field.
    static func rollUp(_ cells: [CellAllocation], key: KeyPath<CellAllocation, String>, order: [String]) -> [RollUp] {
        var slot: [String: Int] = [:]
        slot.reserveCapacity(order.count)
        for (i, id) in order.enumerated() where slot[id] == nil { slot[id] = i }
        var acc = order.map { RollUp(id: $0, current: 0, spend: 0, uplift: 0, currentUplift: 0) }
        var seen = [Bool](repeating: false, count: order.count)
        var lastKey = ""
        var last = -1
        for c in cells {
            let k = c[keyPath: key]
            if last < 0 || k != lastKey {
                guard let i = slot[k] else { continue }
                last = i
                lastKey = k
            }
            seen[last] = true
            acc[last].current += c.current
            acc[last].spend += c.spend
            acc[last].uplift += c.uplift
            acc[last].currentUplift += c.currentUplift
        }
        return acc.indices.filter { seen[$0] }.map { acc[$0] }
    }

    static func kindName(_ kind: AllocationLP.RowKind) -> String {
        switch kind {
        case .budget: "budget"
        case .group: "group"
        case .shareMin: "share_min"
        case .shareMax: "share_max"
        case .roiFloor: "roi_floor"
        case .upliftTarget: "uplift_target"
        case .frequencyCap: "frequency_cap"
        case .totalSpend: "total_spend"
        }
    }

    static func constraintReports(
        _ problem: AllocationProblem, scenario: AllocationScenario, lp: AllocationLP, solution: LPSolution
    ) -> [ConstraintReport] {
        let model = lp.model
        let noun = scenario.kind == .minSpend ? "of spend" : "of customer value"
        let maximize = model.sense == .maximize
        var reports: [ConstraintReport] = []
        for (i, row) in lp.rows.enumerated() where row.kind != .totalSpend {
            let lo = model.rowLower[i]
            let hi = model.rowUpper[i]
            let a = solution.rowActivity[i]
            let y = solution.rowDuals[i]
            let tol = 1e-7 * max(1, abs(a))
            let atLower = lo.isFinite && abs(a - lo) <= tol
            let atUpper = hi.isFinite && abs(a - hi) <= tol
            let binding = atLower || atUpper
            // Tightening a lower bound raises it (Δobj = y); tightening an upper bound lowers it (Δobj = −y).
            let tighten = atLower && !atUpper ? y : -y
            let loss = maximize ? -tighten : tighten
            var text: String
            let yAbs = fmtRatio(abs(y))
            switch row.kind {
            case .budget:
                if abs(y) > 1e-9 {
                    text = maximize
                        ? "each extra dollar of budget adds \(yAbs) \(noun)"
                        : "each extra dollar of budget changes the objective by \(fmtRatio(y))"
                } else {
                    text = "the budget is not fully needed (\(fmtPlain(roundTo(a))) of \(fmtPlain(hi)) spent)"
                }
            case .roiFloor(let k):
                // The row is Σ(g − k)x ≥ 0; raising k by δ tightens it by δ·Σx, so ∂obj/∂k = y·Σx.
                text = abs(y) > 1e-9
                    ? "the ROI floor of \(fmtRatio(k)) is binding: raising it by 0.1 costs about \(fmtMoney(0.1 * abs(y) * spendTotal(solution, lp))) \(noun)"
                    : "the ROI floor of \(fmtRatio(k)) is met with room to spare"
            default:
                let what = describeBound(row.kind, problem: problem, atLower: atLower, lo: lo, hi: hi)
                if binding && abs(y) > 1e-9 {
                    text = loss > 0
                        ? "\(what) costs \(fmtRatio(abs(y))) \(noun) per dollar"
                        : "\(what) is worth \(fmtRatio(abs(y))) \(noun) per dollar"
                } else if binding {
                    text = "\(what) is met exactly at no cost"
                } else {
                    text = "\(what) is not binding"
                }
            }
            reports.append(ConstraintReport(
                name: row.name, kind: kindName(row.kind), lower: lo.isFinite ? lo : nil, upper: hi.isFinite ? hi : nil,
                activity: a, dual: y, binding: binding, explanation: text))
        }
        return reports
    }

    static func spendTotal(_ solution: LPSolution, _ lp: AllocationLP) -> Double {
        var total = 0.0
        for range in lp.cellColumns { for j in range { total += solution.primal[j] } }
        return total
    }

    static func describeBound(_ kind: AllocationLP.RowKind, problem: AllocationProblem, atLower: Bool, lo: Double, hi: Double) -> String {
        switch kind {
        case .group(let g):
            let group = problem.groups[g]
            return atLower || !hi.isFinite
                ? "the \(group.selector.description) floor of \(fmtPlain(lo))"
                : "the \(group.selector.description) cap of \(fmtPlain(hi))"
        case .shareMin(let g):
            let group = problem.groups[g]
            return "the \(group.selector.description) minimum share of \(fmtPlain((group.minShare ?? 0) * 100))%"
        case .shareMax(let g):
            let group = problem.groups[g]
            return "the \(group.selector.description) maximum share of \(fmtPlain((group.maxShare ?? 1) * 100))%"
        case .upliftTarget: return "the uplift target of \(fmtPlain(lo))"
        case .frequencyCap(let f): return "the \(problem.frequencyCaps[f].name) (\(fmtPlain(hi)) units)"
        case .budget: return "the budget"
        case .totalSpend: return "the total spend"
        case .roiFloor(let k): return "the ROI floor \(k)"
        }
    }

    static func unfunded(_ problem: AllocationProblem, lp: AllocationLP, solution: LPSolution, spends: [Double]) -> [UnfundedCell] {
        var out: [UnfundedCell] = []
        let model = lp.model
        let maximize = model.sense == .maximize
        var upliftRowDual = 0.0
        for (i, row) in lp.rows.enumerated() {
            switch row.kind {
            case .roiFloor, .upliftTarget: upliftRowDual += solution.rowDuals[i]
            default: break
            }
        }
        for (c, cell) in problem.cells.enumerated() {
            guard spends[c] <= 1e-9 * max(1, cell.upper), cell.upper > 0, let j = lp.cellColumns[c].first else { continue }
            let slope = cell.response.slope(0)
            let d = solution.reducedCosts[j]
            // Reduced cost as a function of the slope g: d(g') = d + (∂d/∂g)(g' − g), with ∂c/∂g = 1 when the
            // objective contains the slope and ∂(a_ij)/∂g = 1 in the ROI/target rows.
            let derivative = (lp.objectiveHasSlope ? 1 : 0) - upliftRowDual
            var threshold = slope
            if abs(derivative) > 1e-12 { threshold = slope - d / derivative }
            // Only cells held out by the prices (not those whose first piece is exactly at the threshold).
            let heldOut = maximize ? d < -1e-9 : d > 1e-9
            guard heldOut else { continue }
            var charged: [String] = []
            let a = model.matrix
            for k in a.columnStarts[j]..<a.columnStarts[j + 1] {
                let i = Int(a.rowIndices[k])
                if abs(solution.rowDuals[i]) > 1e-9 && lp.rows[i].kind != .totalSpend { charged.append(lp.rows[i].name) }
            }
            let by = charged.isEmpty ? "" : " set by \(charged.joined(separator: ", "))"
            out.append(UnfundedCell(
                id: cell.id, marginalROI: slope, entryThreshold: threshold,
                reason: "first-dollar marginal ROI \(fmtRatio(slope)) is below the entry threshold \(fmtRatio(threshold))\(by)"))
        }
        return out
    }
}

/// Rounds to 6 significant digits for messages.
func roundTo(_ v: Double) -> Double {
    guard v != 0 && v.isFinite else { return v }
    let p = pow(10, 5 - floor(log10(abs(v))))
    return (v * p).rounded() / p
}

/// `1.8`, `0.173`.
func fmtRatio(_ v: Double) -> String { abs(v) >= 0.1 || v == 0 ? String(format: "%.2f", v) : String(format: "%.3g", v) }

/// `12,345` (whole units); beyond what 64-bit integers hold (a budget of `1e300`), `1.0e+300`.
func fmtMoney(_ v: Double) -> String {
    guard v.isFinite else { return v < 0 ? "-∞" : "∞" }
    let rounded = v.rounded()
    return abs(rounded) < 9e18 ? grouped(Int64(rounded)) : String(format: "%.1e", v)
}

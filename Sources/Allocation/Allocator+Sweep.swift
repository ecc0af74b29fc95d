import LinearProgramming

extension Allocator {
    /// Max-uplift at a grid of budgets, each a warm-started re-solve from the previous basis (only the budget
    /// row's bound changes, so the old basis stays dual feasible and the dual simplex needs few iterations), and
    /// the breakpoints of the concave piecewise-linear value curve `V(B)` in the range: starting from `from`,
    /// the RHS range `[lo, hi]` of the budget row gives the next breakpoint `hi`; a re-solve just above it gives
    /// the next slope (parametric RHS analysis; Gass & Saaty 1955, Murty *Linear Programming* 1983 ch. 8).
    ///
    /// Budgets below the least feasible budget (what fixed, minimum and change-limit spends need; see
    /// ``leastFeasibleBudget(_:upTo:)``) have no allocation: they are left out of the grid with a warning that
    /// names that budget, and the breakpoint walk starts there.
    static func sweep(_ problem: AllocationProblem, scenario: AllocationScenario) throws(AllocationError) -> AllocationResult {
        guard let range = scenario.sweep else { throw .invalidParameter(name: "sweep", value: "none", reason: "missing range") }
        var base = scenario
        base.kind = .maxUplift
        base.budget = range.to
        let lp = try AllocationLP(problem: problem, scenario: base, budget: range.to)
        let top = try run(lp.model, warmStart: nil)
        var result = try report(problem, scenario: base, lp: lp, solution: top, budget: range.to)
        result.scenario = AllocationScenario.Kind.sweep.rawValue
        guard top.status == .optimal else { return result }
        var points: [SweepPoint] = []
        var basis = top.basis
        let least = try leastFeasibleBudget(lp, upTo: range.to)
        var below: [Double] = []
        for s in 0..<range.steps {
            let b = range.from + (range.to - range.from) * Double(s) / Double(range.steps - 1)
            if let least, b < least - 1e-9 * max(1, least) {
                below.append(b)
                continue
            }
            guard let sol = try resolve(lp, budget: b, warmStart: basis) else {
                below.append(b)
                continue
            }
            basis = sol.basis ?? basis
            var model = lp.model
            if let row = lp.budgetRow { try? model.setRowBounds(row, lower: model.rowLower[row].isFinite ? b : -.infinity, upper: b) }
            var shifted = lp
            shifted.model = model
            let price = try shadowPrice(shifted, solution: sol, budget: b)
            let spend = sol.primal.reduce(0, +)
            points.append(SweepPoint(budget: b, spend: spend, uplift: sol.objective, shadowPrice: price, iterations: sol.iterations))
        }
        result.sweep = points
        if !below.isEmpty {
            let names = below.map(fmtPlain).joined(separator: ", ")
            let need = least.map { " (the plan's fixed, minimum and change-limit spends need at least \(fmtPlain($0)))" } ?? ""
            result.warnings.append("sweep: budget\(below.count == 1 ? "" : "s") \(names) infeasible\(need); left out")
        }
        // Breakpoint walk, from the first budget that has an allocation.
        var breakpoints: [ValueBreakpoint] = []
        var b = max(range.from, least ?? range.from)
        var truncated = false
        var warm = top.basis
        while b < range.to && scenario.maxBreakpoints > 0 {
            guard let sol = try resolve(lp, budget: b, warmStart: warm), let row = lp.budgetRow, let bs = sol.basis else { break }
            warm = bs
            var model = lp.model
            try? model.setRowBounds(row, lower: model.rowLower[row].isFinite ? b : -.infinity, upper: b)
            guard let rhs = budgetRange(model, row: row, solution: sol, basis: bs) else { break }
            let y = sol.rowDuals[row]
            let hi = rhs.upperBound
            guard hi.isFinite, hi < range.to, y > 1e-12 else { break }
            let step = max(1e-6 * max(hi, 1), 1e-6)
            let next = hi > b + step ? hi : b + step
            guard let after = try resolve(lp, budget: next + step, warmStart: bs), let atPoint = try resolve(lp, budget: next, warmStart: bs) else { break }
            let right = after.rowDuals[row]
            if abs(right - y) > 1e-9 * max(1, abs(y)) {
                if breakpoints.count >= scenario.maxBreakpoints {
                    truncated = true
                    break
                }
                breakpoints.append(ValueBreakpoint(budget: next, uplift: atPoint.objective, left: y, right: right))
            }
            warm = after.basis ?? bs
            b = next + step
        }
        result.breakpoints = breakpoints
        result.breakpointsTruncated = truncated
        result.message = "sweep of \(range.steps) budgets from \(fmtPlain(range.from)) to \(fmtPlain(range.to)); \(breakpoints.count) breakpoints"
        return result
    }

    /// The least budget with a feasible allocation: min Σ aᵢⱼ xⱼ over the budget row i subject to every other
    /// constraint, with the budget row capped at `upTo` (nil when there is no budget row or that LP has no optimum).
    static func leastFeasibleBudget(_ lp: AllocationLP, upTo: Double) throws(AllocationError) -> Double? {
        guard let row = lp.budgetRow else { return nil }
        var model = lp.model
        model.sense = .minimize
        model.objectiveConstant = 0
        let a = model.matrix
        do {
            for j in 0..<model.columnCount {
                var c = 0.0
                for k in a.columnStarts[j]..<a.columnStarts[j + 1] where Int(a.rowIndices[k]) == row { c += a.values[k] }
                try model.setCost(j, c)
            }
            try model.setRowBounds(row, lower: -.infinity, upper: upTo)
        } catch {
            throw .solver(error.description)
        }
        let s = try run(model, warmStart: nil)
        return s.status == .optimal ? s.objective : nil
    }
}

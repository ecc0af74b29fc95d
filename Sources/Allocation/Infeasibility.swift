import LinearProgramming

/// Explains an infeasible plan: direct conflicts first (floors above caps, capacity or budget), then an
/// elastic LP — every row `lo ≤ a·x ≤ hi` gets violation variables `e⁺, e⁻ ≥ 0` with `lo − e⁻ ≤ a·x + … ≤ hi + e⁺`
/// and the objective `min Σ (e⁺ + e⁻)/max(1, |bound|)` — whose positive violations say which constraints to
/// relax and by how much (Chinneck, *Feasibility and Infeasibility in Optimization*, Springer 2008, ch. 6:
/// elastic programming).
enum Infeasibility {
    static func explain(
        _ problem: AllocationProblem, scenario: AllocationScenario, lp: AllocationLP, solution: LPSolution, budget: Double?
    ) throws(AllocationError) -> InfeasibilityExplanation {
        var conflicts: [String] = []
        let cells = problem.cells
        let lowerSum = cells.reduce(0) { $0 + $1.lower }
        let capacity = cells.reduce(0) { $0 + $1.upper }
        let mode = scenario.budgetMode ?? problem.budgetMode
        if let b = budget {
            if lowerSum > b * (1 + 1e-9) {
                conflicts.append("the cells' minimum and fixed spends add up to \(fmtPlain(roundTo(lowerSum))), above the budget \(fmtPlain(b))")
            }
            if mode == .exactly && capacity < b * (1 - 1e-9) {
                conflicts.append("the budget \(fmtPlain(b)) must be spent exactly but the cells can take only \(fmtPlain(roundTo(capacity)))")
            }
        }
        var floorsByKind: [String: (sum: Double, names: [String])] = [:]
        for g in problem.groups {
            let cap = g.cells.reduce(0) { $0 + cells[$1].upper }
            let floor = g.cells.reduce(0) { $0 + cells[$1].lower }
            if let lo = g.min {
                if lo > cap * (1 + 1e-9) {
                    conflicts.append("\(g.name): the floor \(fmtPlain(lo)) exceeds what its cells can take (\(fmtPlain(roundTo(cap))))")
                }
                if let b = budget, lo > b * (1 + 1e-9) {
                    conflicts.append("\(g.name): the floor \(fmtPlain(lo)) exceeds the budget \(fmtPlain(b))")
                }
                if g.selector.kind != "tag" {
                    floorsByKind[g.selector.kind, default: (0, [])].sum += lo
                    floorsByKind[g.selector.kind, default: (0, [])].names.append(g.name)
                }
            }
            if let hi = g.max, hi < floor * (1 - 1e-9) {
                conflicts.append("\(g.name): the cap \(fmtPlain(hi)) is below its cells' minimum spends (\(fmtPlain(roundTo(floor))))")
            }
        }
        if let b = budget {
            for kind in floorsByKind.keys.sorted() {
                guard let entry = floorsByKind[kind], entry.names.count > 1, entry.sum > b * (1 + 1e-9) else { continue }
                let names = entry.names.count > 4 ? entry.names.prefix(3).joined(separator: ", ") + ", … (\(entry.names.count) in all)" : entry.names.joined(separator: ", ")
                conflicts.append("the \(kind) floors (\(names)) add up to \(fmtPlain(entry.sum)), above the budget \(fmtPlain(b))")
            }
        }
        var minShares: [String: Double] = [:]
        for g in problem.groups where g.selector.kind != "tag" { minShares[g.selector.kind, default: 0] += g.minShare ?? 0 }
        for kind in minShares.keys.sorted() where (minShares[kind] ?? 0) > 1 + 1e-12 {
            conflicts.append("the \(kind) minimum shares add up to \(fmtPlain((minShares[kind] ?? 0) * 100))%")
        }
        if scenario.kind == .minSpend, let t = scenario.targetUplift {
            let most = cells.reduce(0) { $0 + $1.response.value(at: $1.upper) }
            if t > most * (1 + 1e-9) {
                conflicts.append("the uplift target \(fmtPlain(t)) exceeds the most the cells can give (\(fmtPlain(roundTo(most))))")
            }
        }
        // Elastic LP.
        var elastic = lp.model
        elastic.sense = .minimize
        var relaxColumns: [(row: Int, up: Bool, column: Int)] = []
        do {
            for j in 0..<elastic.columnCount { try elastic.setCost(j, 0) }
            // Every plan row may be relaxed; the definition of the total spend column is not a constraint.
            for i in 0..<elastic.rowCount where lp.rows[i].kind != .totalSpend {
                let lo = elastic.rowLower[i]
                let hi = elastic.rowUpper[i]
                if hi.isFinite {
                    let c = try elastic.addColumn(name: "EUP\(i)", cost: 1 / max(1, abs(hi)), coefficients: [(i, -1)])
                    relaxColumns.append((i, true, c))
                }
                if lo.isFinite {
                    let c = try elastic.addColumn(name: "ELO\(i)", cost: 1 / max(1, abs(lo)), coefficients: [(i, 1)])
                    relaxColumns.append((i, false, c))
                }
            }
        } catch {
            throw .solver("elastic model: \(error)")
        }
        var relaxations: [Relaxation] = []
        // The elastic LP is a diagnosis: bounded in time so an explanation never costs more than the solve.
        var options = SolverOptions()
        options.timeLimit = max(10, 20 * solution.seconds)
        if let e = try? LPSolver.solve(elastic, options: options), e.status == .optimal {
            for (i, up, c) in relaxColumns where e.primal[c] > 1e-7 * max(1, abs(up ? elastic.rowUpper[i] : elastic.rowLower[i])) {
                let bound = up ? elastic.rowUpper[i] : elastic.rowLower[i]
                let v = e.primal[c]
                relaxations.append(Relaxation(constraint: lp.rows[i].name, bound: bound, relaxedBound: up ? bound + v : bound - v, amount: v))
            }
        }
        let certificateRows = solution.certificate?.rowMultipliers.compactMap { entry -> String? in
            guard let i = lp.model.rowNames.firstIndex(of: entry.name) else { return nil }
            return lp.rows[i].name
        } ?? []
        return InfeasibilityExplanation(conflicts: conflicts, relaxations: relaxations, certificateRows: certificateRows)
    }
}

import LinearProgramming

extension Allocator {
    /// Plans with at most this many cells get the tie-break pass.
    static let tieBreakCellLimit = 2_000

    /// Among the optimal allocations, the one closest to the current plan (in Σ_c |s_c − current_c|).
    ///
    /// The optimum of the allocation LP is unique in value, not always in spend: two pieces with the same slope
    /// can trade dollars. A second LP keeps the objective at its optimum, `c·x ≥ V*` (≤ for a minimization; the
    /// result is kept only if its objective is within 10⁻¹² of V*), and minimizes `Σ_c (u_c + v_c)` with `Σ_k x_ck − u_c + v_c = current_c`, `u, v ≥ 0`
    /// (the usual L1 linearization). The result is deterministic: the same plan gives the same spends.
    /// Duals, ranges and thresholds are those of the first solve (any optimal basis gives valid prices).
    /// - Returns: the cell spends of the tie-broken optimum, or nil (too many cells, or the pass failed).
    static func spendsClosestToCurrent(_ problem: AllocationProblem, lp: AllocationLP, solution: LPSolution) -> [Double]? {
        guard problem.cells.count <= tieBreakCellLimit, solution.status == .optimal else { return nil }
        var model = lp.model
        let optimum = solution.objective
        do {
            let objectiveRow = model.sense == .maximize
                ? try model.addRow(name: "OPTIMUM", lower: optimum, upper: .infinity)
                : try model.addRow(name: "OPTIMUM", lower: -.infinity, upper: optimum)
            // Move the objective into the new row: rebuild the columns' coefficients is not possible in place,
            // so the row gets its entries through a copy of the model with the extra coefficient per column.
            var tie = LinearProgram(name: model.name, sense: .minimize)
            for i in 0..<model.rowCount {
                try tie.addRow(name: model.rowNames[i], lower: model.rowLower[i], upper: model.rowUpper[i])
            }
            var cellRow = [Int](repeating: 0, count: problem.cells.count)
            for (c, cell) in problem.cells.enumerated() {
                cellRow[c] = try tie.addRow(name: "CUR\(c)", lower: cell.current, upper: cell.current)
            }
            let a = model.matrix
            for j in 0..<model.columnCount {
                var entries: [(row: Int, value: Double)] = []
                for k in a.columnStarts[j]..<a.columnStarts[j + 1] { entries.append((Int(a.rowIndices[k]), a.values[k])) }
                if model.objective[j] != 0 { entries.append((objectiveRow, model.objective[j])) }
                entries.append((cellRow[lp.columns[j].cell], 1))
                try tie.addColumn(name: model.columnNames[j], cost: 0, lower: model.columnLower[j], upper: model.columnUpper[j], coefficients: entries)
            }
            for c in problem.cells.indices {
                try tie.addColumn(name: "U\(c)", cost: 1, lower: 0, upper: .infinity, coefficients: [(cellRow[c], -1)])
                try tie.addColumn(name: "V\(c)", cost: 1, lower: 0, upper: .infinity, coefficients: [(cellRow[c], 1)])
            }
            let s = try LPSolver.solve(tie)
            guard s.status == .optimal else { return nil }
            var spends = [Double](repeating: 0, count: problem.cells.count)
            var value = model.objectiveConstant
            for (c, range) in lp.cellColumns.enumerated() {
                for j in range {
                    spends[c] += s.primal[j]
                    value += model.objective[j] * s.primal[j]
                }
            }
            // Accept only an allocation as good as the first one (to round-off).
            let tolerance = 1e-12 * max(1, abs(optimum))
            let asGood = model.sense == .maximize ? value >= optimum - tolerance : value <= optimum + tolerance
            return asGood ? spends : nil
        } catch {
            return nil
        }
    }
}

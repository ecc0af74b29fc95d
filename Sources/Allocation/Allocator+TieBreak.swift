import LinearProgramming

extension Allocator {
    /// The tie-break LP is given at most this many simplex iterations (deterministic, unlike a time limit);
    /// when it needs more, the solver's vertex is reported.
    static let tieBreakIterationFloor = 20_000

    /// Among the optimal allocations, the one closest to the current plan (in Σ_c |s_c − current_c|).
    ///
    /// The optimum of the allocation LP is unique in value, not always in spend: two pieces with the same slope
    /// can trade dollars. Every optimal solution lies on the **optimal face**: by complementary slackness with
    /// the optimal duals `y`, a column with a nonzero reduced cost `d_j` sits at the same bound in every optimal
    /// solution. So the second LP keeps those columns fixed (their contribution moves into the row bounds) and
    /// works only on the *free* columns (`|d_j| ≤ 10⁻⁷·max(1, |c_j|)`: the basic ones and the degenerate
    /// nonbasic ones) and the cells that own them; it keeps the objective at its optimum,
    /// `Σ_free c_j x_j ≥ V* − Σ_fixed c_j x_j` (≤ for a minimization), and minimizes `Σ_c (u_c + v_c)` with
    /// `Σ_{k free} x_ck − u_c + v_c = current_c − Σ_{k fixed} x_ck`, `u, v ≥ 0` (the usual L1 linearization).
    /// Its size is that of the basis plus the ties, not of the plan, so it runs on every plan. The result is
    /// kept only if its objective equals V* to 10⁻¹⁰ relative; it is deterministic (same plan, same spends).
    /// Duals, ranges and thresholds are those of the first solve (any optimal basis gives valid prices).
    /// - Returns: the cell spends of the tie-broken optimum, or nil (nothing free, or the pass failed).
    /// - Complexity: one LP with (rows + free cells) rows and (free columns + 2·free cells) columns; O(nonzeros)
    ///   to build.
    static func spendsClosestToCurrent(_ problem: AllocationProblem, lp: AllocationLP, solution: LPSolution) -> [Double]? {
        guard solution.status == .optimal else { return nil }
        let model = lp.model
        let a = model.matrix
        let n = model.columnCount
        var cellOf = [Int](repeating: -1, count: n)
        for (c, range) in lp.cellColumns.enumerated() { for j in range { cellOf[j] = c } }
        var free = [Bool](repeating: false, count: n)
        var cellHasFree = [Bool](repeating: false, count: problem.cells.count)
        var shift = [Double](repeating: 0, count: model.rowCount)
        var fixedValue = model.objectiveConstant
        var anyFree = false
        for j in 0..<n {
            let x = solution.primal[j]
            if abs(solution.reducedCosts[j]) <= 1e-7 * max(1, abs(model.objective[j])) && model.columnLower[j] < model.columnUpper[j] {
                free[j] = true
                anyFree = true
                if cellOf[j] >= 0 { cellHasFree[cellOf[j]] = true }
            } else {
                fixedValue += model.objective[j] * x
                if x != 0 { for k in a.columnStarts[j]..<a.columnStarts[j + 1] { shift[Int(a.rowIndices[k])] += a.values[k] * x } }
            }
        }
        guard anyFree else { return nil }
        let optimum = solution.objective
        do {
            var tie = LinearProgram(name: model.name, sense: .minimize)
            // Rows that hold a free column, with the fixed columns' activity moved into their bounds.
            var rowMap = [Int](repeating: -1, count: model.rowCount)
            for j in 0..<n where free[j] {
                for k in a.columnStarts[j]..<a.columnStarts[j + 1] { rowMap[Int(a.rowIndices[k])] = 0 }
            }
            for i in 0..<model.rowCount where rowMap[i] == 0 {
                rowMap[i] = try tie.addRow(name: model.rowNames[i], lower: model.rowLower[i] - shift[i], upper: model.rowUpper[i] - shift[i])
            }
            let rest = optimum - fixedValue
            let objectiveRow = model.sense == .maximize
                ? try tie.addRow(name: "OPTIMUM", lower: rest, upper: .infinity)
                : try tie.addRow(name: "OPTIMUM", lower: -.infinity, upper: rest)
            var cellRow = [Int](repeating: -1, count: problem.cells.count)
            var fixedSpend = [Double](repeating: 0, count: problem.cells.count)
            for (c, range) in lp.cellColumns.enumerated() {
                for j in range where !free[j] { fixedSpend[c] += solution.primal[j] }
            }
            for (c, cell) in problem.cells.enumerated() where cellHasFree[c] {
                let target = cell.current - fixedSpend[c]
                cellRow[c] = try tie.addRow(name: "CUR\(c)", lower: target, upper: target)
            }
            var tieColumn = [Int](repeating: -1, count: n)
            var entries: [(row: Int, value: Double)] = []
            for j in 0..<n where free[j] {
                entries.removeAll(keepingCapacity: true)
                for k in a.columnStarts[j]..<a.columnStarts[j + 1] { entries.append((rowMap[Int(a.rowIndices[k])], a.values[k])) }
                if model.objective[j] != 0 { entries.append((objectiveRow, model.objective[j])) }
                if cellOf[j] >= 0 { entries.append((cellRow[cellOf[j]], 1)) }
                tieColumn[j] = try tie.addColumn(
                    name: model.columnNames[j], cost: 0, lower: model.columnLower[j], upper: model.columnUpper[j], coefficients: entries)
            }
            for c in problem.cells.indices where cellHasFree[c] {
                try tie.addColumn(name: "U\(c)", cost: 1, lower: 0, upper: .infinity, coefficients: [(cellRow[c], -1)])
                try tie.addColumn(name: "V\(c)", cost: 1, lower: 0, upper: .infinity, coefficients: [(cellRow[c], 1)])
            }
            var options = SolverOptions()
            options.iterationLimit = max(tieBreakIterationFloor, 4 * solution.iterations)
            let s = try LPSolver.solve(tie, options: options)
            guard s.status == .optimal else { return nil }
            var spends = [Double](repeating: 0, count: problem.cells.count)
            var value = model.objectiveConstant
            for j in 0..<n {
                let x = free[j] ? s.primal[tieColumn[j]] : solution.primal[j]
                value += model.objective[j] * x
                if cellOf[j] >= 0 { spends[cellOf[j]] += x }
            }
            // Accept only an allocation as good as the first one (to round-off).
            let tolerance = 1e-10 * max(1, abs(optimum))
            let asGood = model.sense == .maximize ? value >= optimum - tolerance : value <= optimum + tolerance
            return asGood ? spends : nil
        } catch {
            return nil
        }
    }
}

/// A light presolve with postsolve: removes empty rows, fixed columns, empty columns (at their best finite
/// bound) and singleton rows (turned into column bounds), repeatedly until nothing changes.
///
/// Postsolve restores the removed values and recovers duals: a singleton row whose implied bound is the one
/// a nonbasic column ends at takes the column's reduced cost as its dual (`y_i = d_j / a_ij`, the column
/// becomes basic). Reference: Andersen & Andersen, *Presolving in linear programming*, Math. Prog. 71 (1995).
struct Presolve {
    enum Outcome {
        case reduced(LinearProgram)
        case infeasible(String)
    }

    private enum Step {
        case singletonRow(row: Int, column: Int, value: Double, previous: (Double, Double), implied: (Double, Double))
    }

    let original: LinearProgram
    private(set) var outcome: Outcome = .infeasible("not run")
    private var keptRows: [Int] = []
    private var keptColumns: [Int] = []
    private var fixedValue: [Double?] = []
    private var steps: [Step] = []
    /// Column bounds after tightening by singleton rows.
    private var columnLower: [Double] = []
    private var columnUpper: [Double] = []

    init(_ model: LinearProgram) {
        original = model
        let m = model.rowCount
        let n = model.columnCount
        let a = model.matrix
        // The row-wise copy is only needed once a row is removed or is a singleton: on models where presolve
        // finds nothing (the allocation LPs: 2.5 M nonzeros) it is never built.
        var rowWiseCache: (rowStarts: [Int], columnIndices: [Int32], values: [Double])? = nil
        func rowWise() -> (rowStarts: [Int], columnIndices: [Int32], values: [Double]) {
            if let cached = rowWiseCache { return cached }
            let built = a.rowWise()
            rowWiseCache = built
            return built
        }
        var rowActive = [Bool](repeating: true, count: m)
        var columnActive = [Bool](repeating: true, count: n)
        var rowLo = model.rowLower
        var rowHi = model.rowUpper
        columnLower = model.columnLower
        columnUpper = model.columnUpper
        fixedValue = [Double?](repeating: nil, count: n)
        var rowCount = [Int](repeating: 0, count: m)
        for r in a.rowIndices { rowCount[Int(r)] += 1 }
        var columnCount = (0..<n).map { a.columnStarts[$0 + 1] - a.columnStarts[$0] }
        let tol = 1e-9
        func removeColumn(_ j: Int, at value: Double) {
            columnActive[j] = false
            fixedValue[j] = value
            for k in a.columnStarts[j]..<a.columnStarts[j + 1] {
                let i = Int(a.rowIndices[k])
                guard rowActive[i] else { continue }
                rowLo[i] -= a.values[k] * value
                rowHi[i] -= a.values[k] * value
                rowCount[i] -= 1
            }
        }
        func removeRow(_ i: Int) {
            rowActive[i] = false
            let (rowStarts, rowColumns, _) = rowWise()
            for k in rowStarts[i]..<rowStarts[i + 1] where columnActive[Int(rowColumns[k])] {
                columnCount[Int(rowColumns[k])] -= 1
            }
        }
        var changed = true
        while changed {
            changed = false
            for j in 0..<n where columnActive[j] {
                if columnLower[j] > columnUpper[j] + tol * max(1, abs(columnLower[j])) {
                    outcome = .infeasible("infeasible: column '\(model.columnNames[j])' has lower bound \(columnLower[j]) above upper bound \(columnUpper[j]) after presolve")
                    return
                }
                if columnLower[j] >= columnUpper[j] {
                    removeColumn(j, at: columnLower[j])
                    changed = true
                } else if columnCount[j] == 0 {
                    let c = model.sense == .maximize ? -model.objective[j] : model.objective[j]
                    let value: Double?
                    if c > 0 { value = columnLower[j].isFinite ? columnLower[j] : nil } else if c < 0 {
                        value = columnUpper[j].isFinite ? columnUpper[j] : nil
                    } else {
                        value = columnLower[j].isFinite ? columnLower[j] : (columnUpper[j].isFinite ? columnUpper[j] : 0)
                    }
                    if let value {
                        removeColumn(j, at: value)
                        changed = true
                    }
                }
            }
            for i in 0..<m where rowActive[i] {
                if rowCount[i] == 0 {
                    if rowLo[i] > 1e-9 || rowHi[i] < -1e-9 {
                        outcome = .infeasible("infeasible: row '\(model.rowNames[i])' has no free variables left and its bounds [\(rowLo[i]), \(rowHi[i])] exclude its activity")
                        return
                    }
                    removeRow(i)
                    changed = true
                } else if rowCount[i] == 1 {
                    var j = -1
                    var v = 0.0
                    let (rowStarts, rowColumns, rowValues) = rowWise()
                    for k in rowStarts[i]..<rowStarts[i + 1] where columnActive[Int(rowColumns[k])] {
                        j = Int(rowColumns[k])
                        v = rowValues[k]
                    }
                    guard j >= 0, abs(v) > 1e-9 else { continue }
                    var lo = v > 0 ? rowLo[i] / v : rowHi[i] / v
                    var hi = v > 0 ? rowHi[i] / v : rowLo[i] / v
                    if lo.isNaN { lo = -.infinity }
                    if hi.isNaN { hi = .infinity }
                    let previous = (columnLower[j], columnUpper[j])
                    if lo > columnLower[j] { columnLower[j] = lo }
                    if hi < columnUpper[j] { columnUpper[j] = hi }
                    steps.append(.singletonRow(row: i, column: j, value: v, previous: previous, implied: (lo, hi)))
                    removeRow(i)
                    changed = true
                }
            }
        }
        keptRows = (0..<m).filter { rowActive[$0] }
        keptColumns = (0..<n).filter { columnActive[$0] }
        if keptColumns.isEmpty {
            // Nothing left: a trivial model with one fixed dummy column keeps the solver happy.
            var reduced = LinearProgram(name: model.name, sense: model.sense)
            _ = try? reduced.addColumn(name: "__presolve_dummy", cost: 0, lower: 0, upper: 0)
            keptRows = []
            outcome = .reduced(reduced)
            return
        }
        if keptRows.count == m && keptColumns.count == n {
            // Nothing removed: hand the model on unchanged (no copy of a 500,000-column matrix).
            outcome = .reduced(model)
            return
        }
        var newRow = [Int](repeating: -1, count: m)
        var reducedRowLower: [Double] = []
        var reducedRowUpper: [Double] = []
        for (t, i) in keptRows.enumerated() {
            newRow[i] = t
            reducedRowLower.append(rowLo[i])
            reducedRowUpper.append(max(rowHi[i], rowLo[i]))
        }
        var matrix = SparseColumnMatrix(rows: keptRows.count)
        for j in keptColumns {
            var entries: [(row: Int, value: Double)] = []
            for k in a.columnStarts[j]..<a.columnStarts[j + 1] where newRow[Int(a.rowIndices[k])] >= 0 {
                entries.append((newRow[Int(a.rowIndices[k])], a.values[k]))
            }
            matrix.appendColumn(entries)
        }
        let reduced = LinearProgram(
            name: model.name, sense: model.sense, objectiveName: model.objectiveName,
            objective: keptColumns.map { model.objective[$0] }, objectiveConstant: 0,
            columnLower: keptColumns.map { columnLower[$0] },
            columnUpper: keptColumns.map { max(columnUpper[$0], columnLower[$0]) }, rowLower: reducedRowLower,
            rowUpper: reducedRowUpper, columnNames: keptColumns.map { model.columnNames[$0] },
            rowNames: keptRows.map { model.rowNames[$0] }, matrix: matrix)
        outcome = .reduced(reduced)
    }

    /// Maps a solution of the reduced model back to the original model.
    func postsolve(_ inner: LPSolution) -> LPSolution {
        let model = original
        if steps.isEmpty && keptRows.count == model.rowCount && keptColumns.count == model.columnCount {
            // Nothing was removed: the inner solution is already one of this model.
            return inner
        }
        let m = model.rowCount
        let n = model.columnCount
        var x = [Double](repeating: 0, count: n)
        var y = [Double](repeating: 0, count: m)
        var columnStatus = [BasisStatus](repeating: .atLower, count: n)
        var rowStatus = [BasisStatus](repeating: .basic, count: m)
        let innerHasColumns = inner.primal.count == keptColumns.count
        for j in 0..<n { if let v = fixedValue[j] { x[j] = v } }
        if innerHasColumns {
            for (t, j) in keptColumns.enumerated() { x[j] = inner.primal[t] }
            if let b = inner.basis { for (t, j) in keptColumns.enumerated() { columnStatus[j] = b.columns[t] } }
        }
        if inner.rowDuals.count == keptRows.count {
            for (t, i) in keptRows.enumerated() { y[i] = inner.rowDuals[t] }
            if let b = inner.basis { for (t, i) in keptRows.enumerated() { rowStatus[i] = b.rows[t] } }
        }
        for j in 0..<n where fixedValue[j] != nil {
            let v = x[j]
            columnStatus[j] = v == model.columnUpper[j] && v != model.columnLower[j] ? .atUpper : .atLower
            if !model.columnLower[j].isFinite && !model.columnUpper[j].isFinite { columnStatus[j] = .free }
        }
        // Undo singleton rows in reverse order.
        for step in steps.reversed() {
            guard case .singletonRow(let i, let j, let v, let previous, let implied) = step else { continue }
            rowStatus[i] = .basic
            y[i] = 0
            // d_j with the current duals (minimization sign); the side it asks for must be a bound x_j sits on.
            var dj = model.objective[j]
            for k in model.matrix.columnStarts[j]..<model.matrix.columnStarts[j + 1] {
                dj -= model.matrix.values[k] * y[Int(model.matrix.rowIndices[k])]
            }
            let dd = model.sense == .maximize ? -dj : dj
            let tol = 1e-9 * max(1, abs(x[j]))
            guard abs(dd) > 1e-12 else { continue }
            let wantsLower = dd > 0
            let previousBound = wantsLower ? previous.0 : previous.1
            if previousBound.isFinite && abs(x[j] - previousBound) <= tol { continue }
            let impliedBound = wantsLower ? implied.0 : implied.1
            guard impliedBound.isFinite && abs(x[j] - impliedBound) <= 1e-7 * max(1, abs(impliedBound)) else { continue }
            y[i] = dj / v
            columnStatus[j] = .basic
            // Row bound active: the lower row bound when x_j at its lower side and v > 0 (or upper side, v < 0).
            rowStatus[i] = wantsLower == (v > 0) ? .atLower : .atUpper
        }
        // Columns whose bound came from a singleton row but stayed nonbasic at an original bound are fine;
        // a column nonbasic at a row-implied bound (no row took it, e.g. an inactive tie) is left as is.
        let activity = model.matrix.multiply(x)
        let at = model.matrix.multiplyTransposed(y)
        var reduced = [Double](repeating: 0, count: n)
        for j in 0..<n { reduced[j] = columnStatus[j] == .basic ? 0 : model.objective[j] - at[j] }
        var objective = model.objectiveConstant
        for j in 0..<n { objective += model.objective[j] * x[j] }
        var basis: Basis? = Basis(columns: columnStatus, rows: rowStatus)
        let basicCount = columnStatus.filter { $0 == .basic }.count + rowStatus.filter { $0 == .basic }.count
        if basicCount != m { basis = nil }
        var certificate = inner.certificate
        if inner.status == .infeasible, certificate != nil {
            // The reduced model's certificate names rows of the original; recompute it on the original model
            // (tightened column bounds make it a certificate for the reduced bounds only, so keep the gap).
            var v = [Double](repeating: 0, count: m)
            let index = Dictionary(uniqueKeysWithValues: model.rowNames.enumerated().map { ($1, $0) })
            for (name, value) in certificate?.rowMultipliers ?? [] { if let i = index[name] { v[i] = value } }
            certificate = LPSolver.farkas(model: model, multipliers: v) ?? certificate
        }
        return LPSolution(
            status: inner.status, objective: inner.status == .infeasible ? inner.objective : objective, primal: x,
            rowActivity: activity, rowDuals: y, reducedCosts: reduced, basis: basis, iterations: inner.iterations,
            seconds: inner.seconds, certificate: certificate, message: inner.message)
    }
}

extension LPSolver {
    /// Maps the engine state back to the model: unscales, restores the sense, builds the basis and, for an
    /// infeasible model, the Farkas certificate.
    static func makeSolution(
        model: LinearProgram, engine e: SimplexEngine, scaling: Scaling, outcome: PhaseOutcome
    ) -> LPSolution {
        let m = model.rowCount
        let n = model.columnCount
        let senseSign: Double = model.sense == .maximize ? -1 : 1
        var x = [Double](repeating: 0, count: n)
        for j in 0..<n { x[j] = e.x[j] * scaling.column[j] }
        // Snap nonbasic variables exactly onto their bounds (undo scaling round-off).
        for j in 0..<n where e.status[j] != .basic {
            if e.status[j] == .atLower && model.columnLower[j].isFinite { x[j] = model.columnLower[j] }
            if e.status[j] == .atUpper && model.columnUpper[j].isFinite { x[j] = model.columnUpper[j] }
        }
        let activity = model.matrix.multiply(x)
        var duals = [Double](repeating: 0, count: m)
        for i in 0..<m { duals[i] = senseSign * scaling.row[i] * e.y[i] }
        let at = model.matrix.multiplyTransposed(duals)
        var reduced = [Double](repeating: 0, count: n)
        for j in 0..<n { reduced[j] = e.status[j] == .basic ? 0 : model.objective[j] - at[j] }
        var objective = model.objectiveConstant
        for j in 0..<n { objective += model.objective[j] * x[j] }
        var columnStatus = Array(e.status[0..<n])
        var rowStatus = [BasisStatus](repeating: .basic, count: m)
        for i in 0..<m {
            switch e.status[n + i] {
            case .basic: rowStatus[i] = .basic
            case .atLower: rowStatus[i] = .atUpper
            case .atUpper: rowStatus[i] = .atLower
            case .free: rowStatus[i] = .free
            }
            if rowStatus[i] != .basic && model.rowLower[i] == model.rowUpper[i] { rowStatus[i] = .atLower }
        }
        for j in 0..<n where columnStatus[j] != .basic && model.columnLower[j] == model.columnUpper[j] {
            columnStatus[j] = .atLower
        }
        let basis = Basis(columns: columnStatus, rows: rowStatus)
        var status: SolveStatus
        var message: String
        var certificate: InfeasibilityCertificate? = nil
        switch outcome {
        case .optimal:
            status = .optimal
            message = "optimal"
        case .infeasible(let r, _):
            status = .infeasible
            var rho = [Double](repeating: 0, count: m)
            rho[r] = 1
            e.factor.btran(&rho, matrix: e.a)
            var v = [Double](repeating: 0, count: m)
            for i in 0..<m { v[i] = rho[i] * scaling.row[i] }
            certificate = farkas(model: model, multipliers: v)
            let leaving = e.head[r]
            let what = leaving >= n ? "row '\(model.rowNames[leaving - n])'" : "column '\(model.columnNames[leaving])'"
            message = "infeasible: \(what) cannot reach its bounds (dual ray over \(certificate?.rowMultipliers.count ?? 0) rows)"
        case .unbounded(let q):
            status = .unbounded
            let what = q >= n ? "row '\(model.rowNames[q - n])'" : "column '\(model.columnNames[q])'"
            message = "unbounded: the objective improves without limit along a ray entering \(what)"
        case .iterationLimit:
            status = .iterationLimit
            message = "iteration limit \(e.options.iterationLimit) reached"
        case .timeLimit:
            status = .timeLimit
            message = "time limit \(e.options.timeLimit) s reached"
        case .trouble:
            status = .numericalTrouble
            message = "numerical trouble: no acceptable pivot"
        }
        // An infeasible basis' objective means nothing: report NaN (JSON null).
        if status == .infeasible { objective = .nan }
        return LPSolution(
            status: status, objective: objective, primal: x, rowActivity: activity, rowDuals: duals,
            reducedCosts: reduced, basis: basis, iterations: e.iterations, seconds: 0, certificate: certificate,
            message: message)
    }

    /// Builds a Farkas certificate from row multipliers `v` (either sign), dropping round-off entries.
    static func farkas(model: LinearProgram, multipliers v0: [Double]) -> InfeasibilityCertificate? {
        var best: InfeasibilityCertificate? = nil
        let vmax = v0.map(abs).max() ?? 0
        guard vmax > 0 else { return nil }
        for sign in [1.0, -1.0] {
            var v = v0.map { sign * $0 / vmax }
            for i in 0..<v.count where abs(v[i]) < 1e-11 { v[i] = 0 }
            let z = model.matrix.multiplyTransposed(v)
            var maxZX = 0.0
            var bounds: [(String, Double, String)] = []
            for j in 0..<model.columnCount {
                let zj = abs(z[j]) < 1e-9 ? 0 : z[j]
                if zj == 0 { continue }
                let bound = zj > 0 ? model.columnUpper[j] : model.columnLower[j]
                maxZX += zj * bound
                bounds.append((model.columnNames[j], zj, zj > 0 ? "upper" : "lower"))
            }
            var minVR = 0.0
            var rows: [(String, Double)] = []
            for i in 0..<model.rowCount where v[i] != 0 {
                minVR += v[i] > 0 ? v[i] * model.rowLower[i] : v[i] * model.rowUpper[i]
                rows.append((model.rowNames[i], v[i]))
            }
            let gap = minVR - maxZX
            if gap > 0 && gap.isFinite || (gap == .infinity) {
                let cert = InfeasibilityCertificate(
                    rowMultipliers: rows.map { (name: $0.0, value: $0.1) },
                    columnBounds: bounds.map { (name: $0.0, coefficient: $0.1, bound: $0.2) }, gap: gap)
                if best == nil || gap > (best?.gap ?? 0) { best = cert }
            }
        }
        return best
    }
}

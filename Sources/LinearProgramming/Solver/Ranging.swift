/// Sensitivity ranges of an optimal basis: how far each cost coefficient and each active row bound can move
/// before the basis stops being optimal (all other data fixed).
///
/// Cost ranging: for a nonbasic column the cost can move until its reduced cost changes sign; for a basic
/// column at basis position r the reduced costs change as `d_k − δ·α_rk` with `α_r = e_rᵀB⁻¹N`, and `δ` is
/// limited by the first `d_k` to change sign. RHS ranging: moving the active bound of a nonbasic row by `Δ`
/// moves the basic variables by `Δ·B⁻¹e_i`; `Δ` is limited by the first basic variable to leave its bounds.
/// Reference: Chvátal, *Linear Programming* (1983), ch. 10; Koberstein 2005, §2.4.
public struct Ranging: Sendable, Equatable {
    /// For each column, the interval `[low, high]` of its objective coefficient over which the basis stays optimal.
    public var costRanges: [ClosedRange<Double>]
    /// For each row, the interval of values its active bound can take with the basis staying feasible (and the
    /// duals unchanged). For a basic (inactive) row: from its activity outward (`[activity, ∞)` for a row with
    /// an upper bound, `(−∞, activity]` otherwise).
    public var rhsRanges: [ClosedRange<Double>]
}

extension LPSolver {
    /// Cost and RHS ranges of `model` at the optimal `basis` (from an ``LPSolution``).
    ///
    /// - Throws: ``LPError/invalidBasis(reason:)`` when the basis does not fit the model.
    /// - Complexity: one factorization, one BTRAN and pivot row per basic column, one FTRAN per nonbasic row.
    public static func ranging(of model: LinearProgram, basis: Basis) throws(LPError) -> Ranging {
        try model.validate()
        let m = model.rowCount
        let n = model.columnCount
        guard basis.columns.count == n, basis.rows.count == m else {
            throw .invalidBasis(reason: "basis size does not match the model")
        }
        guard basis.columns.filter({ $0 == .basic }).count + basis.rows.filter({ $0 == .basic }).count == m else {
            throw .invalidBasis(reason: "the number of basic variables differs from the number of rows")
        }
        let sense: Double = model.sense == .maximize ? -1 : 1
        var cost = [Double](repeating: 0, count: n + m)
        var lower = [Double](repeating: 0, count: n + m)
        var upper = [Double](repeating: 0, count: n + m)
        for j in 0..<n {
            cost[j] = sense * model.objective[j]
            lower[j] = model.columnLower[j]
            upper[j] = model.columnUpper[j]
        }
        for i in 0..<m {
            lower[n + i] = -model.rowUpper[i]
            upper[n + i] = -model.rowLower[i]
        }
        var options = SolverOptions()
        options.perturbation = false
        let e = SimplexEngine(matrix: model.matrix, cost: cost, lower: lower, upper: upper, options: options)
        e.setBasis(columns: basis.columns, rows: basis.rows)
        e.refactor()
        // Cost ranges (internal minimization form, then mapped to the model's sense).
        var costRanges: [ClosedRange<Double>] = []
        for j in 0..<n {
            var dlo = -Double.infinity
            var dhi = Double.infinity
            if lower[j] == upper[j] {
                // A fixed column stays optimal for any cost.
            } else if e.status[j] != .basic {
                switch e.status[j] {
                case .atLower: dlo = -e.d[j]
                case .atUpper: dhi = -e.d[j]
                default: dlo = 0; dhi = 0
                }
            } else {
                let r = e.position[j]
                var rho = [Double](repeating: 0, count: m)
                rho[r] = 1
                e.factor.btran(&rho, matrix: e.a)
                let alpha = e.pivotRow(rho)
                for k in 0..<(n + m) where e.status[k] != .basic && lower[k] != upper[k] {
                    let ak = alpha[k]
                    if abs(ak) < 1e-12 { continue }
                    let ratio = e.d[k] / ak  // δ at which d_k − δ·α_rk reaches zero
                    switch e.status[k] {
                    case .atLower: if ak > 0 { dhi = min(dhi, ratio) } else { dlo = max(dlo, ratio) }
                    case .atUpper: if ak > 0 { dlo = max(dlo, ratio) } else { dhi = min(dhi, ratio) }
                    default: dlo = max(dlo, 0); dhi = min(dhi, 0)
                    }
                }
            }
            let c = cost[j]
            let lo = c + min(dlo, 0)
            let hi = c + max(dhi, 0)
            costRanges.append(sense > 0 ? lo...hi : (-hi)...(-lo))
        }
        // RHS ranges.
        var rhsRanges: [ClosedRange<Double>] = []
        let activity = model.matrix.multiply((0..<n).map { e.x[$0] })
        for i in 0..<m {
            let v = n + i
            if e.status[v] == .basic {
                if model.rowUpper[i].isFinite {
                    rhsRanges.append(activity[i]...Double.infinity)
                } else {
                    rhsRanges.append(-Double.infinity...activity[i])
                }
                continue
            }
            let alpha = e.ftranColumn(v)
            var dlo = -Double.infinity
            var dhi = Double.infinity
            for p in 0..<m {
                let ap = alpha[p]
                if abs(ap) < 1e-12 { continue }
                let b = e.head[p]
                let up = (upper[b] - e.x[b]) / ap
                let down = (lower[b] - e.x[b]) / ap
                if ap > 0 {
                    dhi = min(dhi, up)
                    dlo = max(dlo, down)
                } else {
                    dhi = min(dhi, down)
                    dlo = max(dlo, up)
                }
            }
            // The logical sits at −b; Δx_B = B⁻¹e_i·Δb.
            let b = e.status[v] == .atLower ? model.rowUpper[i] : model.rowLower[i]
            rhsRanges.append((b + min(dlo, 0))...(b + max(dhi, 0)))
        }
        return Ranging(costRanges: costRanges, rhsRanges: rhsRanges)
    }
}

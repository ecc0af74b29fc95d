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

/// Cost and RHS ranges of selected columns and rows only (``LPSolver/ranging(of:basis:columns:rows:)``).
public struct SelectedRanging: Sendable, Equatable {
    /// Column index → the interval of its objective coefficient over which the basis stays optimal.
    public var costRanges: [Int: ClosedRange<Double>]
    /// Row index → the interval its active bound can take with the basis staying feasible (see ``Ranging``).
    public var rhsRanges: [Int: ClosedRange<Double>]
}

extension LPSolver {
    /// Cost and RHS ranges of `model` at the optimal `basis` (from an ``LPSolution``).
    ///
    /// - Throws: ``LPError/invalidBasis(reason:)`` when the basis does not fit the model.
    /// - Complexity: one factorization, one BTRAN and sparse pivot row per basic column, one FTRAN per nonbasic
    ///   row.
    public static func ranging(of model: LinearProgram, basis: Basis) throws(LPError) -> Ranging {
        let context = try RangingContext(model: model, basis: basis)
        return Ranging(
            costRanges: (0..<model.columnCount).map { context.costRange($0) },
            rhsRanges: (0..<model.rowCount).map { context.rhsRange($0) })
    }

    /// Cost ranges of the given `columns` and RHS ranges of the given `rows` only, at the optimal `basis`: the
    /// same values as ``ranging(of:basis:)`` at a fraction of the work when few are needed (a budget row's
    /// range on a 500,000-column allocation model needs one FTRAN, not one BTRAN per basic column).
    ///
    /// - Throws: ``LPError/invalidBasis(reason:)`` when the basis does not fit the model,
    ///   ``LPError/indexOutOfRange(kind:index:count:)`` for an index outside the model.
    /// - Complexity: one factorization plus one BTRAN and pivot row per basic column asked for and one FTRAN per
    ///   nonbasic row asked for.
    public static func ranging(of model: LinearProgram, basis: Basis, columns: [Int], rows: [Int]) throws(LPError)
        -> SelectedRanging
    {
        for j in columns where j < 0 || j >= model.columnCount {
            throw .indexOutOfRange(kind: "column", index: j, count: model.columnCount)
        }
        for i in rows where i < 0 || i >= model.rowCount {
            throw .indexOutOfRange(kind: "row", index: i, count: model.rowCount)
        }
        let context = try RangingContext(model: model, basis: basis)
        var result = SelectedRanging(costRanges: [:], rhsRanges: [:])
        for j in columns { result.costRanges[j] = context.costRange(j) }
        for i in rows { result.rhsRanges[i] = context.rhsRange(i) }
        return result
    }
}

/// The factored optimal basis and the data the range formulas read.
private struct RangingContext {
    let model: LinearProgram
    let e: SimplexEngine
    let sense: Double
    let cost: [Double]
    let lower: [Double]
    let upper: [Double]
    let activity: [Double]

    init(model: LinearProgram, basis: Basis) throws(LPError) {
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
        self.model = model
        self.e = e
        self.sense = sense
        self.cost = cost
        self.lower = lower
        self.upper = upper
        activity = model.matrix.multiply((0..<n).map { e.x[$0] })
    }

    /// The cost range of column `j` (internal minimization form, then mapped to the model's sense).
    func costRange(_ j: Int) -> ClosedRange<Double> {
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
            var rho = [Double](repeating: 0, count: e.m)
            rho[e.position[j]] = 1
            e.factor.btran(&rho, matrix: e.a)
            // The pivot row over the columns the nonzeros of ρ touch (the others have α_rk = 0).
            let touched = e.sparsePivotRow(rho)
            for k in touched where e.status[k] != .basic && lower[k] != upper[k] {
                let ak = e.pivotRowWork[k]
                if abs(ak) < 1e-12 { continue }
                let ratio = e.d[k] / ak  // δ at which d_k − δ·α_rk reaches zero
                switch e.status[k] {
                case .atLower: if ak > 0 { dhi = min(dhi, ratio) } else { dlo = max(dlo, ratio) }
                case .atUpper: if ak > 0 { dlo = max(dlo, ratio) } else { dhi = min(dhi, ratio) }
                default: dlo = max(dlo, 0); dhi = min(dhi, 0)
                }
            }
            e.clearPivotRow(touched)
        }
        let c = cost[j]
        let lo = c + min(dlo, 0)
        let hi = c + max(dhi, 0)
        return sense > 0 ? lo...hi : (-hi)...(-lo)
    }

    /// The RHS range of row `i`.
    func rhsRange(_ i: Int) -> ClosedRange<Double> {
        let v = e.n + i
        if e.status[v] == .basic {
            return model.rowUpper[i].isFinite ? activity[i]...Double.infinity : -Double.infinity...activity[i]
        }
        let alpha = e.ftranColumn(v)
        var dlo = -Double.infinity
        var dhi = Double.infinity
        for p in 0..<e.m {
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
        return (b + min(dlo, 0))...(b + max(dhi, 0))
    }
}

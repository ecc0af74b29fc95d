import CAPMNumerics

/// The outcome of one simplex phase.
enum PhaseOutcome: Equatable {
    case optimal
    case infeasible(row: Int, sign: Double)
    case unbounded(column: Int)
    case iterationLimit
    case timeLimit
    case trouble
}

/// The bounded revised simplex engine on the computational form `A·x + s = 0`, `l ≤ (x, s) ≤ u`.
///
/// Variables `0..<n` are structural, `n + i` is the logical of row `i` (column `+e_i`, bounds
/// `[−rowUpper, −rowLower]`). Works on the scaled model; ``LPSolver`` maps results back.
/// The dual simplex is in `SimplexEngine+Dual.swift`, the primal simplex in `SimplexEngine+Primal.swift`.
final class SimplexEngine {
    let m: Int
    let n: Int
    let a: SparseColumnMatrix
    let rowStarts: [Int]
    let rowColumns: [Int32]
    let rowValues: [Double]
    /// Costs in use (perturbed or shifted during the dual phases); `originalCost` is the model's.
    var cost: [Double]
    let originalCost: [Double]
    var lower: [Double]
    var upper: [Double]
    var x: [Double]
    var d: [Double]
    var y: [Double]
    var head: [Int]
    var position: [Int]
    var status: [BasisStatus]
    var factor: BasisFactorization
    var weights: [Double]
    var iterations = 0
    /// Workspace of the sparse pivot row (all zero between iterations) and its touched flags.
    var pivotRowWork: [Double]
    var pivotRowMark: [Bool]
    /// The variables touched by the last ``sparsePivotRow(_:)`` (the first ``pivotTouchedCount`` entries; the
    /// array keeps its size n + m so the hot loop writes through a raw pointer without growing it).
    var pivotTouched: [Int]
    var pivotTouchedCount = 0
    /// The ratio-test candidates of the current dual iteration, kept between iterations so that their storage
    /// (up to n + m entries, 20 MB on the 1000×50×10 allocation LP) is allocated once, not once per iteration.
    var ratioCandidates: [RatioCandidate] = []
    /// The options in use; the unscaled cleanup tightens `dualTolerance` temporarily.
    var options: SolverOptions
    let clock = ContinuousClock()
    let start: ContinuousClock.Instant
    var rng: Xoshiro256

    init(
        matrix: SparseColumnMatrix, cost: [Double], lower: [Double], upper: [Double], options: SolverOptions
    ) {
        m = matrix.rows
        n = matrix.columns
        a = matrix
        (rowStarts, rowColumns, rowValues) = matrix.rowWise()
        self.cost = cost
        self.originalCost = cost
        self.lower = lower
        self.upper = upper
        x = [Double](repeating: 0, count: n + m)
        d = cost
        y = [Double](repeating: 0, count: m)
        let structurals = matrix.columns
        head = (0..<matrix.rows).map { structurals + $0 }
        position = [Int](repeating: -1, count: n + m)
        for i in 0..<m { position[n + i] = i }
        status = [BasisStatus](repeating: .atLower, count: n + m)
        for i in 0..<m { status[n + i] = .basic }
        factor = BasisFactorization(rows: m, structurals: n)
        weights = [Double](repeating: 1, count: m)
        pivotRowWork = [Double](repeating: 0, count: n + m)
        pivotRowMark = [Bool](repeating: false, count: n + m)
        pivotTouched = [Int](repeating: 0, count: n + m)
        self.options = options
        start = clock.now
        rng = Xoshiro256(seed: options.seed)
        for j in 0..<n { status[j] = defaultStatus(j) }
    }

    var elapsed: Double {
        let t = clock.now - start
        return Double(t.components.seconds) + Double(t.components.attoseconds) * 1e-18
    }

    /// When the next progress report is due (seconds since start).
    lazy var nextProgress = options.progress?.interval ?? .infinity

    /// A limit outcome if a limit is reached; also the place, once per iteration, where progress is reported.
    func limitReached() -> PhaseOutcome? {
        if let progress = options.progress, iterations % 32 == 0 {
            let seconds = elapsed
            if seconds >= nextProgress {
                nextProgress = seconds + progress.interval
                progress.body(SolverProgress(iterations: iterations, seconds: seconds))
            }
        }
        if iterations >= options.iterationLimit { return .iterationLimit }
        if options.timeLimit.isFinite && iterations % 8 == 0 && elapsed > options.timeLimit { return .timeLimit }
        return nil
    }

    /// The nonbasic status nearest zero for variable `j`'s bounds.
    func defaultStatus(_ j: Int) -> BasisStatus {
        if lower[j].isFinite && upper[j].isFinite { return abs(lower[j]) <= abs(upper[j]) ? .atLower : .atUpper }
        if lower[j].isFinite { return .atLower }
        if upper[j].isFinite { return .atUpper }
        return .free
    }

    /// The value of nonbasic `j` from its status.
    @inline(__always) func nonbasicValue(_ j: Int) -> Double {
        switch status[j] {
        case .atLower: return lower[j].isFinite ? lower[j] : (upper[j].isFinite ? upper[j] : 0)
        case .atUpper: return upper[j].isFinite ? upper[j] : (lower[j].isFinite ? lower[j] : 0)
        case .free, .basic: return 0
        }
    }

    /// Adds `scale · column j` into the row-indexed vector `v`.
    @inline(__always) func addColumn(_ j: Int, _ scale: Double, into v: inout [Double]) {
        if j >= n {
            v[j - n] += scale
        } else {
            for k in a.columnStarts[j]..<a.columnStarts[j + 1] { v[Int(a.rowIndices[k])] += scale * a.values[k] }
        }
    }

    /// `B⁻¹·a_j` by basis position.
    func ftranColumn(_ j: Int) -> [Double] {
        var v = [Double](repeating: 0, count: m)
        addColumn(j, 1, into: &v)
        factor.ftran(&v, matrix: a)
        return v
    }

    /// The pivot row `α_r = ρᵀ·[A I]` over all variables (basic entries are meaningless), from `ρ` by rows.
    /// - Complexity: O(Σ over rows with ρ_i ≠ 0 of the row length).
    func pivotRow(_ rho: [Double]) -> [Double] {
        var alpha = [Double](repeating: 0, count: n + m)
        for i in 0..<m {
            let r = rho[i]
            if r == 0 { continue }
            alpha[n + i] = r
            for k in rowStarts[i]..<rowStarts[i + 1] { alpha[Int(rowColumns[k])] += r * rowValues[k] }
        }
        return alpha
    }

    /// Computes the pivot row `ρᵀ·[A I]` into ``pivotRowWork`` by rows of `A`, returning the touched variables.
    /// - Complexity: O(Σ over rows with ρ_i ≠ 0 of the row length), independent of the number of columns.
    func sparsePivotRow(_ rho: [Double]) -> [Int] {
        computeSparsePivotRow(rho)
        return Array(pivotTouched[0..<pivotTouchedCount])
    }

    /// Computes the pivot row `ρᵀ·[A I]` into ``pivotRowWork``; the touched variables are
    /// `pivotTouched[0..<pivotTouchedCount]`. Clear with ``clearSparsePivotRow()``.
    /// - Complexity: O(Σ over rows with ρ_i ≠ 0 of the row length), independent of the number of columns.
    func computeSparsePivotRow(_ rho: [Double]) {
        var count = 0
        // Hot loop (alloc_1000_50_10 in Benchmarks/scripts/lp/compare_highs.py --alloc, capm allocate on
        // 1000×50×10): raw buffers avoid the per-access exclusivity checks on the class's stored arrays, and the
        // touched list is written into preallocated storage.
        let n = self.n
        pivotRowWork.withUnsafeMutableBufferPointer { work in
            pivotRowMark.withUnsafeMutableBufferPointer { mark in
                pivotTouched.withUnsafeMutableBufferPointer { touched in
                    rowStarts.withUnsafeBufferPointer { starts in
                        rowColumns.withUnsafeBufferPointer { columns in
                            rowValues.withUnsafeBufferPointer { values in
                                rho.withUnsafeBufferPointer { rh in
                                    for i in 0..<rh.count {
                                        let r = rh[i]
                                        if r == 0 { continue }
                                        let v = n + i
                                        work[v] = r
                                        if !mark[v] {
                                            mark[v] = true
                                            touched[count] = v
                                            count += 1
                                        }
                                        for k in starts[i]..<starts[i + 1] {
                                            let j = Int(columns[k])
                                            work[j] += r * values[k]
                                            if !mark[j] {
                                                mark[j] = true
                                                touched[count] = j
                                                count += 1
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        pivotTouchedCount = count
    }

    /// Resets the workspace entries written by ``computeSparsePivotRow(_:)``.
    func clearSparsePivotRow() {
        let count = pivotTouchedCount
        pivotRowWork.withUnsafeMutableBufferPointer { work in
            pivotRowMark.withUnsafeMutableBufferPointer { mark in
                pivotTouched.withUnsafeBufferPointer { touched in
                    for t in 0..<count {
                        let j = touched[t]
                        work[j] = 0
                        mark[j] = false
                    }
                }
            }
        }
        pivotTouchedCount = 0
    }

    /// Resets the workspace entries written by ``sparsePivotRow(_:)``.
    func clearPivotRow(_ touched: [Int]) {
        pivotRowWork.withUnsafeMutableBufferPointer { work in
            pivotRowMark.withUnsafeMutableBufferPointer { mark in
                for j in touched {
                    work[j] = 0
                    mark[j] = false
                }
            }
        }
    }

    /// Factors the current basis, repairing singular bases with logicals, and recomputes `x_B`, `y`, `d`.
    func refactor() {
        let old = head
        let replaced = factor.factor(&head, matrix: a)
        if !replaced.isEmpty {
            for p in 0..<m where old[p] != head[p] {
                let j = old[p]
                position[j] = -1
                status[j] = defaultStatus(j)
                if lower[j].isFinite && upper[j].isFinite {
                    status[j] = abs(x[j] - lower[j]) <= abs(x[j] - upper[j]) ? .atLower : .atUpper
                }
            }
            for p in 0..<m {
                position[head[p]] = p
                status[head[p]] = .basic
            }
            weights = [Double](repeating: 1, count: m)
        }
        computePrimal()
        computeDual()
    }

    /// `x_B = −B⁻¹·N·x_N`, with nonbasic values from their statuses.
    /// - Complexity: O(n + m + nnz(A)); called at every refactorization and after bound changes, so on the
    ///   1000×50×10 allocation LP (2.5 M nonzeros) it runs over raw buffers (same arithmetic, same order).
    func computePrimal() {
        var rhs = [Double](repeating: 0, count: m)
        let n = self.n
        let total = n + m
        status.withUnsafeBufferPointer { st in
            lower.withUnsafeBufferPointer { lo in
                upper.withUnsafeBufferPointer { up in
                    x.withUnsafeMutableBufferPointer { xx in
                        rhs.withUnsafeMutableBufferPointer { b in
                            a.columnStarts.withUnsafeBufferPointer { starts in
                                a.rowIndices.withUnsafeBufferPointer { rows in
                                    a.values.withUnsafeBufferPointer { values in
                                        for j in 0..<total where st[j] != .basic {
                                            let v: Double
                                            switch st[j] {
                                            case .atLower: v = lo[j].isFinite ? lo[j] : (up[j].isFinite ? up[j] : 0)
                                            case .atUpper: v = up[j].isFinite ? up[j] : (lo[j].isFinite ? lo[j] : 0)
                                            case .free, .basic: v = 0
                                            }
                                            xx[j] = v
                                            if v == 0 { continue }
                                            let scale = -v
                                            if j >= n {
                                                b[j - n] += scale
                                            } else {
                                                for k in starts[j]..<starts[j + 1] { b[Int(rows[k])] += scale * values[k] }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        factor.ftran(&rhs, matrix: a)
        for p in 0..<m { x[head[p]] = rhs[p] }
    }

    /// `y = B⁻ᵀ·c_B`, `d = c − [A I]ᵀ·y`.
    func computeDual() {
        var cb = head.map { cost[$0] }
        factor.btran(&cb, matrix: a)
        y = cb
        // Raw buffers: one pass over all nonzeros, about 20 times per solve of the 1000×50×10 allocation LP.
        let n = self.n
        d.withUnsafeMutableBufferPointer { dd in
            cost.withUnsafeBufferPointer { cc in
                y.withUnsafeBufferPointer { yy in
                    a.columnStarts.withUnsafeBufferPointer { starts in
                        a.rowIndices.withUnsafeBufferPointer { rows in
                            a.values.withUnsafeBufferPointer { values in
                                for j in 0..<n {
                                    var s = cc[j]
                                    for k in starts[j]..<starts[j + 1] { s -= values[k] * yy[Int(rows[k])] }
                                    dd[j] = s
                                }
                            }
                        }
                    }
                }
            }
        }
        for i in 0..<m { d[n + i] = cost[n + i] - y[i] }
        for p in 0..<m { d[head[p]] = 0 }
    }

    /// The primal infeasibility of basic variable `j` (negative below its lower bound, positive above).
    @inline(__always) func infeasibility(_ j: Int) -> Double {
        let v = x[j]
        if v < lower[j] - options.primalTolerance { return v - lower[j] }
        if v > upper[j] + options.primalTolerance { return v - upper[j] }
        return 0
    }

    /// The largest primal infeasibility of the basic variables.
    func maxPrimalInfeasibility() -> Double {
        var worst = 0.0
        for p in 0..<m {
            let j = head[p]
            worst = max(worst, lower[j] - x[j], x[j] - upper[j])
        }
        return worst
    }

    /// Whether nonbasic `j`'s reduced cost has the wrong sign for its status (beyond `tolerance`).
    @inline(__always) func isDualInfeasible(_ j: Int, tolerance: Double) -> Bool {
        if lower[j] == upper[j] { return false }
        switch status[j] {
        case .basic: return false
        case .atLower: return d[j] < -tolerance
        case .atUpper: return d[j] > tolerance
        case .free: return abs(d[j]) > tolerance
        }
    }

    /// Makes the nonbasic variables dual feasible: boxed ones move to the bound their reduced cost asks for;
    /// others get their cost shifted so `d_j = 0` (when `allowShift`). Returns the number of remaining
    /// (unshifted) dual infeasibilities. Recomputes `x_B` when a bound moved.
    @discardableResult
    func correctDualInfeasibilities(allowShift: Bool) -> Int {
        var flipped = false
        var remaining = 0
        let tol = options.dualTolerance
        for j in 0..<(n + m) where status[j] != .basic && isDualInfeasible(j, tolerance: tol) {
            if lower[j].isFinite && upper[j].isFinite {
                status[j] = d[j] >= 0 ? .atLower : .atUpper
                flipped = true
            } else if d[j] > 0 && lower[j].isFinite {
                status[j] = .atLower
                flipped = true
            } else if d[j] < 0 && upper[j].isFinite {
                status[j] = .atUpper
                flipped = true
            } else if allowShift {
                cost[j] -= d[j]
                d[j] = 0
            } else {
                remaining += 1
            }
        }
        if flipped { computePrimal() }
        return remaining
    }

    /// Replaces the basis (warm start) and statuses; the caller refactors.
    func setBasis(columns: [BasisStatus], rows: [BasisStatus]) {
        var basic: [Int] = []
        for j in 0..<n {
            status[j] = columns[j]
            if columns[j] == .basic { basic.append(j) }
        }
        for i in 0..<m {
            // A row at its upper bound has its logical (s = −a·x) at the logical's lower bound.
            switch rows[i] {
            case .basic: status[n + i] = .basic; basic.append(n + i)
            case .atLower: status[n + i] = .atUpper
            case .atUpper: status[n + i] = .atLower
            case .free: status[n + i] = .free
            }
        }
        position = [Int](repeating: -1, count: n + m)
        head = basic
        for p in 0..<m { position[head[p]] = p }
        for j in 0..<(n + m) where status[j] != .basic {
            // Repair statuses that point at infinite bounds.
            if status[j] == .atLower && !lower[j].isFinite { status[j] = defaultStatus(j) }
            if status[j] == .atUpper && !upper[j].isFinite { status[j] = defaultStatus(j) }
            if status[j] == .free && (lower[j].isFinite || upper[j].isFinite) { status[j] = defaultStatus(j) }
        }
        weights = [Double](repeating: 1, count: m)
    }

    /// Applies the basis change: variable `q` enters at position `r` with FTRAN'd column `alphaQ`.
    func replace(position r: Int, entering q: Int, column alphaQ: [Double]) {
        let p = head[r]
        factor.update(position: r, column: alphaQ)
        head[r] = q
        position[q] = r
        position[p] = -1
        status[q] = .basic
        d[q] = 0
    }

    /// Whether the eta file is due for a refactorization.
    var refactorDue: Bool {
        factor.updateCount >= options.refactorInterval || factor.etaEntries > 4 * m * 16 + 1000
    }
}

/// The bounded dual simplex method (Koberstein, *The dual simplex method, techniques for a fast and stable
/// implementation*, PhD thesis, Paderborn 2005, ch. 3 and 4).
///
/// Per iteration: dual steepest-edge pricing of the leaving row (Forrest & Goldfarb 1992), BTRAN of `e_r`,
/// the pivot row by rows of `A`, the bound-flipping ratio test combined with Harris' two-pass tolerance
/// (sorted once: O(k log k) in the k candidates), dual update, FTRANs of the entering column, the flipped
/// columns and `ρ_r` (for the steepest-edge weights), primal update, product-form basis update.
extension SimplexEngine {
    /// Runs the dual simplex from a dual feasible basis until primal feasibility, proven infeasibility or a limit.
    func dualPhase2() -> PhaseOutcome {
        let ptol = options.primalTolerance
        let dtol = options.dualTolerance
        var freshRetries = 0
        while true {
            if let limit = limitReached() { return limit }
            if refactorDue {
                refactor()
                correctDualInfeasibilities(allowShift: true)
            }
            // Pricing: dual steepest edge.
            var r = -1
            var best = 0.0
            for p in 0..<m {
                let delta = infeasibility(head[p])
                if delta != 0 {
                    let score = delta * delta / weights[p]
                    if score > best {
                        best = score
                        r = p
                    }
                }
            }
            if r < 0 {
                // Confirm on a fresh factorization.
                if factor.updateCount > 0 {
                    refactor()
                    correctDualInfeasibilities(allowShift: true)
                    if maxPrimalInfeasibility() > ptol { continue }
                }
                return .optimal
            }
            let leaving = head[r]
            let delta = infeasibility(leaving)
            let s: Double = delta < 0 ? -1 : 1
            let target = delta < 0 ? lower[leaving] : upper[leaving]
            var rho = [Double](repeating: 0, count: m)
            rho[r] = 1
            factor.btran(&rho, matrix: a)
            var rhoNorm = 0.0
            for v in rho { rhoNorm += v * v }
            weights[r] = max(rhoNorm, 1e-12)
            // The pivot row is built sparsely: only the columns touched by the nonzeros of ρ are visited
            // (hyper-sparse ρ is the rule on wide allocation models: one nonzero, a few hundred columns).
            computeSparsePivotRow(rho)
            defer { clearSparsePivotRow() }
            let touchedCount = pivotTouchedCount

            // Candidates for the bound-flipping ratio test (one pass over the touched columns; raw buffers
            // because this loop runs over up to all columns on the allocation benchmarks). The candidate array
            // is the engine's, taken and given back so its capacity survives the iteration.
            var candidates = ratioCandidates
            ratioCandidates = []
            candidates.removeAll(keepingCapacity: true)
            var maxAlpha = 0.0
            status.withUnsafeBufferPointer { st in
                lower.withUnsafeBufferPointer { lo in
                    upper.withUnsafeBufferPointer { up in
                        d.withUnsafeBufferPointer { dd in
                            pivotRowWork.withUnsafeBufferPointer { work in
                                pivotTouched.withUnsafeBufferPointer { touched in
                                for t in 0..<touchedCount {
                                    let j = touched[t]
                                    if st[j] == .basic || lo[j] == up[j] { continue }
                                    let ta = s * work[j]
                                    let size = abs(ta)
                                    if size < 1e-12 { continue }
                                    maxAlpha = max(maxAlpha, size)
                                    switch st[j] {
                                    case .atLower: if ta <= 0 { continue }
                                    case .atUpper: if ta >= 0 { continue }
                                    case .free, .basic: break
                                    }
                                    let dj = dd[j]
                                    let relaxed = ta > 0 ? (dj + dtol) / ta : (dj - dtol) / ta
                                    candidates.append(
                                        RatioCandidate(j: j, ratio: dj / ta, relaxed: relaxed, alpha: ta, weight: size * (up[j] - lo[j])))
                                }
                                }
                            }
                        }
                    }
                }
            }
            let pivotTol = options.pivotTolerance * max(1, maxAlpha * 1e-3)
            if candidates.contains(where: { abs($0.alpha) < pivotTol }) {
                candidates.removeAll { abs($0.alpha) < pivotTol }
            }
            let (entering, flips) = boundFlippingRatioTest(&candidates, slope: abs(delta))
            ratioCandidates = candidates
            if entering < 0 {
                if factor.updateCount > 0 && freshRetries < 2 {
                    freshRetries += 1
                    refactor()
                    correctDualInfeasibilities(allowShift: true)
                    continue
                }
                return .infeasible(row: r, sign: s)
            }
            freshRetries = 0
            let q = entering
            let alphaRowQ = pivotRowWork[q]
            var alphaQ = ftranColumn(q)
            let alphaColQ = alphaQ[r]
            if abs(alphaColQ - alphaRowQ) > 1e-7 * (1 + abs(alphaColQ)) || abs(alphaColQ) < 1e-11 {
                if factor.updateCount > 0 {
                    refactor()
                    correctDualInfeasibilities(allowShift: true)
                    continue
                }
                if abs(alphaColQ) < 1e-11 { return .trouble }
            }
            // Dual step.
            var t = d[q] / (s * alphaRowQ)
            if t < 0 {
                cost[q] -= d[q]
                d[q] = 0
                t = 0
            }
            if t != 0 {
                let step = t * s
                // The pivot row is not needed after this update, so the same pass clears its workspace.
                status.withUnsafeBufferPointer { st in
                    d.withUnsafeMutableBufferPointer { dd in
                        pivotRowWork.withUnsafeMutableBufferPointer { work in
                            pivotRowMark.withUnsafeMutableBufferPointer { mark in
                                pivotTouched.withUnsafeBufferPointer { touched in
                                    for t in 0..<touchedCount {
                                        let j = touched[t]
                                        if st[j] != .basic { dd[j] -= step * work[j] }
                                        work[j] = 0
                                        mark[j] = false
                                    }
                                }
                            }
                        }
                    }
                }
                pivotTouchedCount = 0
            }
            d[leaving] = -t * s
            d[q] = 0
            // Bound flips of the passed candidates.
            if !flips.isEmpty {
                var flipColumn = [Double](repeating: 0, count: m)
                var any = false
                let n = self.n
                // Raw buffers: on the allocation benchmarks one iteration can flip 10⁵ variables.
                status.withUnsafeMutableBufferPointer { st in
                    x.withUnsafeMutableBufferPointer { xx in
                        lower.withUnsafeBufferPointer { lo in
                            upper.withUnsafeBufferPointer { up in
                                flipColumn.withUnsafeMutableBufferPointer { fc in
                                    a.columnStarts.withUnsafeBufferPointer { starts in
                                        a.rowIndices.withUnsafeBufferPointer { rows in
                                            a.values.withUnsafeBufferPointer { values in
                                                for j in flips where j != q {
                                                    let from = xx[j]
                                                    if st[j] == .atLower {
                                                        st[j] = .atUpper
                                                        xx[j] = up[j]
                                                    } else if st[j] == .atUpper {
                                                        st[j] = .atLower
                                                        xx[j] = lo[j]
                                                    } else {
                                                        continue
                                                    }
                                                    let delta = xx[j] - from
                                                    if j >= n {
                                                        fc[j - n] += delta
                                                    } else {
                                                        for k in starts[j]..<starts[j + 1] {
                                                            fc[Int(rows[k])] += delta * values[k]
                                                        }
                                                    }
                                                    any = true
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                if any {
                    factor.ftran(&flipColumn, matrix: a)
                    for p in 0..<m { x[head[p]] -= flipColumn[p] }
                }
            }
            // Steepest-edge weights need τ = B⁻¹·ρ_r on the old basis.
            var tau = rho
            factor.ftran(&tau, matrix: a)
            // Primal step.
            let theta = (x[leaving] - target) / alphaColQ
            for p in 0..<m where alphaQ[p] != 0 { x[head[p]] -= theta * alphaQ[p] }
            x[q] += theta
            x[leaving] = target
            let wr = weights[r]
            for p in 0..<m where p != r && alphaQ[p] != 0 {
                let ratio = alphaQ[p] / alphaColQ
                let w = weights[p] - 2 * ratio * tau[p] + ratio * ratio * wr
                weights[p] = max(w, ratio * ratio, 1e-6)
            }
            weights[r] = max(wr / (alphaColQ * alphaColQ), 1e-6)
            alphaQ[r] = alphaColQ
            replace(position: r, entering: q, column: alphaQ)
            status[leaving] = s < 0 ? .atLower : .atUpper
            if lower[leaving] == upper[leaving] { status[leaving] = .atLower }
            iterations += 1
        }
    }

    /// Cost perturbation against dual degeneracy: each structural cost moves by a random amount of relative
    /// size ~1e-6 in the direction that keeps its reduced cost's sign (Koberstein 2005, §6.2.2).
    func perturbCosts() {
        var maxCost = 0.0
        for j in 0..<n { maxCost = max(maxCost, abs(cost[j])) }
        let base = 5e-7 * max(1, min(maxCost, 1e3))
        for j in 0..<n where status[j] != .basic && lower[j] != upper[j] {
            let xi = base * (1 + abs(cost[j]) / max(1, maxCost) * 10) * (1 + rng.nextOpenUnit())
            switch status[j] {
            case .atLower: cost[j] += xi
            case .atUpper: cost[j] -= xi
            default: break
            }
        }
        computeDual()
    }

    /// Dual phase 1 by the auxiliary-problem method (Fourer 1994; Koberstein 2005, §4.1.3): solve the problem
    /// with bounds `[0,0]` (boxed), `[0,1]` (lower only), `[−1,0]` (upper only), `[−1,1]` (free) by dual phase 2;
    /// its optimal basis is dual feasible for the original bounds unless the original is dual infeasible.
    /// Returns `.optimal` when the auxiliary problem was solved (the caller then checks the remaining dual
    /// infeasibilities), or the limit outcome that stopped it.
    func dualPhase1() -> PhaseOutcome {
        let savedLower = lower
        let savedUpper = upper
        for j in 0..<(n + m) {
            let (l, u) = (lower[j], upper[j])
            if l.isFinite && u.isFinite { lower[j] = 0; upper[j] = 0 } else if l.isFinite { lower[j] = 0; upper[j] = 1 } else if u.isFinite {
                lower[j] = -1
                upper[j] = 0
            } else {
                lower[j] = -1
                upper[j] = 1
            }
        }
        for j in 0..<(n + m) where status[j] != .basic {
            status[j] = d[j] >= 0 ? .atLower : .atUpper
            if lower[j] == upper[j] { status[j] = .atLower }
        }
        computePrimal()
        let outcome = dualPhase2()
        lower = savedLower
        upper = savedUpper
        cost = originalCost
        computeDual()
        for j in 0..<(n + m) where status[j] != .basic {
            let dj = d[j]
            if lower[j] == upper[j] { status[j] = .atLower; continue }
            if dj > options.dualTolerance && lower[j].isFinite {
                status[j] = .atLower
            } else if dj < -options.dualTolerance && upper[j].isFinite {
                status[j] = .atUpper
            } else {
                status[j] = defaultStatus(j)
                if lower[j].isFinite && upper[j].isFinite { status[j] = dj >= 0 ? .atLower : .atUpper }
            }
        }
        computePrimal()
        switch outcome {
        case .optimal, .infeasible: break
        default: return outcome
        }
        return .optimal
    }

    /// The number of dual infeasibilities that no bound flip can repair.
    func unrepairableDualInfeasibilities() -> Int {
        var count = 0
        for j in 0..<(n + m) where status[j] != .basic && isDualInfeasible(j, tolerance: options.dualTolerance) {
            if lower[j].isFinite && upper[j].isFinite { continue }
            if d[j] > 0 && lower[j].isFinite { continue }
            if d[j] < 0 && upper[j].isFinite { continue }
            count += 1
        }
        return count
    }
}

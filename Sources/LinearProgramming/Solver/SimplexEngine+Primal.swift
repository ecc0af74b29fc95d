/// The bounded primal simplex method (phase 2), used to clean up after the dual simplex once cost
/// perturbations and shifts are removed, and to find an unbounded ray from a primal feasible basis.
///
/// Dantzig pricing on the reduced costs, Harris' two-pass ratio test (Harris 1973) with bound flips of the
/// entering variable. Reference: Maros, *Computational Techniques of the Simplex Method* (2003), ch. 9.
///
/// The reduced costs are updated after each basis change from the pivot row: with `ρ_r = B⁻ᵀe_r` and
/// `θ_d = d_q/α_rq`, `y ← y + θ_d·ρ_r` and `d_j ← d_j − θ_d·α_rj` (the row computed sparsely by rows of `A`), and
/// recomputed as `c − [A I]ᵀB⁻ᵀc_B` at each refactorization and whenever pricing finds no candidate, so
/// optimality is only declared on fresh reduced costs. (Until 2026-11-23 they were recomputed every iteration: a
/// pass over all 2.5 M nonzeros per cleanup iteration on the 1000×50×10 allocation LP.)
extension SimplexEngine {
    func primalPhase2() -> PhaseOutcome {
        let ptol = options.primalTolerance
        let dtol = options.dualTolerance
        var valid = false  // d and y are those of the current basis (fresh or updated)
        var fresh = false  // d and y were recomputed from scratch for the current basis
        while true {
            if let limit = limitReached() { return limit }
            if refactorDue {
                refactor()
                valid = true
                fresh = true
            } else if !valid {
                computeDual()
                valid = true
                fresh = true
            }
            // Pricing.
            var q = -1
            var best = 0.0
            for j in 0..<(n + m) where status[j] != .basic && isDualInfeasible(j, tolerance: dtol) {
                let score = abs(d[j])
                if score > best {
                    best = score
                    q = j
                }
            }
            if q < 0 {
                if fresh { return .optimal }
                valid = false
                continue
            }
            let direction: Double = d[q] < 0 ? 1 : -1
            var alphaQ = ftranColumn(q)
            // Pass 1: Harris bound on the step.
            var thetaMax = Double.infinity
            for p in 0..<m {
                let rate = -direction * alphaQ[p]
                if abs(rate) < options.pivotTolerance { continue }
                let j = head[p]
                if rate < 0, lower[j].isFinite {
                    thetaMax = min(thetaMax, (x[j] - lower[j] + ptol) / -rate)
                } else if rate > 0, upper[j].isFinite {
                    thetaMax = min(thetaMax, (upper[j] + ptol - x[j]) / rate)
                }
            }
            let range = upper[q] - lower[q]
            if thetaMax == .infinity && !range.isFinite { return .unbounded(column: q) }
            if range <= thetaMax {
                // Bound flip of the entering variable.
                let step = direction * range
                for p in 0..<m where alphaQ[p] != 0 { x[head[p]] -= step * alphaQ[p] }
                status[q] = status[q] == .atLower ? .atUpper : .atLower
                x[q] = nonbasicValue(q)
                iterations += 1
                continue
            }
            // Pass 2: largest pivot among the ratios within the Harris bound.
            var r = -1
            var bestPivot = 0.0
            var theta = 0.0
            var toLower = true
            for p in 0..<m {
                let rate = -direction * alphaQ[p]
                if abs(rate) < options.pivotTolerance { continue }
                let j = head[p]
                var ratio = Double.infinity
                var hitsLower = true
                if rate < 0, lower[j].isFinite {
                    ratio = (x[j] - lower[j]) / -rate
                } else if rate > 0, upper[j].isFinite {
                    ratio = (upper[j] - x[j]) / rate
                    hitsLower = false
                }
                if ratio <= thetaMax && abs(rate) > bestPivot {
                    bestPivot = abs(rate)
                    r = p
                    theta = max(ratio, 0)
                    toLower = hitsLower
                }
            }
            if r < 0 { return .trouble }
            let leaving = head[r]
            // Dual update from the pivot row on the old basis.
            let alphaRQ = alphaQ[r]
            var rho = [Double](repeating: 0, count: m)
            rho[r] = 1
            factor.btran(&rho, matrix: a)
            computeSparsePivotRow(rho)
            let rowPivot = pivotRowWork[q]
            if abs(rowPivot - alphaRQ) > 1e-7 * (1 + abs(alphaRQ)) {
                valid = false
            } else {
                let thetaD = d[q] / alphaRQ
                let touchedCount = pivotTouchedCount
                status.withUnsafeBufferPointer { st in
                    d.withUnsafeMutableBufferPointer { dd in
                        pivotRowWork.withUnsafeBufferPointer { work in
                            pivotTouched.withUnsafeBufferPointer { touched in
                                for t in 0..<touchedCount {
                                    let j = touched[t]
                                    if st[j] != .basic { dd[j] -= thetaD * work[j] }
                                }
                            }
                        }
                    }
                }
                for i in 0..<m where rho[i] != 0 { y[i] += thetaD * rho[i] }
                d[leaving] = -thetaD
            }
            clearSparsePivotRow()
            fresh = false
            for p in 0..<m where alphaQ[p] != 0 { x[head[p]] -= direction * theta * alphaQ[p] }
            x[q] += direction * theta
            x[leaving] = toLower ? lower[leaving] : upper[leaving]
            let pivot = alphaQ[r]
            alphaQ[r] = pivot
            replace(position: r, entering: q, column: alphaQ)
            status[leaving] = toLower ? .atLower : .atUpper
            if lower[leaving] == upper[leaving] { status[leaving] = .atLower }
            iterations += 1
        }
    }
}

/// The bounded primal simplex method (phase 2), used to clean up after the dual simplex once cost
/// perturbations and shifts are removed, and to find an unbounded ray from a primal feasible basis.
///
/// Dantzig pricing on the reduced costs (recomputed from `y = B⁻ᵀc_B` every iteration: the phase is short),
/// Harris' two-pass ratio test (Harris 1973) with bound flips of the entering variable.
/// Reference: Maros, *Computational Techniques of the Simplex Method* (2003), ch. 9.
extension SimplexEngine {
    func primalPhase2() -> PhaseOutcome {
        let ptol = options.primalTolerance
        let dtol = options.dualTolerance
        while true {
            if let limit = limitReached() { return limit }
            if refactorDue { refactor() } else { computeDual() }
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
            if q < 0 { return .optimal }
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

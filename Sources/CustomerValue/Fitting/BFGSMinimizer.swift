#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Unconstrained minimisation by BFGS with a strong-Wolfe line search (Nocedal & Wright, *Numerical
/// Optimization*, 2nd ed., Algorithm 6.1 with line search Algorithms 3.5–3.6 and cubic interpolation, eq. 3.59).
///
/// The inverse-Hessian approximation starts as `I` and is rescaled after the first step by `yᵀs/yᵀy`
/// (N&W eq. 6.20). A point where the objective is not finite is treated as `+∞` and makes the line search
/// shrink the step, so the minimiser never steps into overflow. Steps are capped at `maxStep` in the
/// ∞-norm, which keeps log-parameters from jumping by more than a factor `e^maxStep` in one iteration.
public struct BFGSMinimizer: Sendable {
    /// Stop when `‖∇f‖∞ ≤ gradientTolerance`.
    public var gradientTolerance: Double = 1e-8
    /// Iteration limit (each iteration is one line search).
    public var maxIterations: Int = 500
    /// Largest ∞-norm of a step.
    public var maxStep: Double = 3
    /// Sufficient-decrease constant `c₁` of the Wolfe conditions.
    public var c1: Double = 1e-4
    /// Curvature constant `c₂` of the strong Wolfe conditions (0.9 is the usual quasi-Newton value).
    public var c2: Double = 0.9

    /// A minimiser with the default tolerances.
    public init() {}

    /// Why the minimiser stopped.
    public enum Status: String, Sendable, Equatable, Codable {
        /// `‖∇f‖∞` fell below the tolerance.
        case converged
        /// The iteration limit was reached first.
        case iterationLimit
        /// No step satisfying the Wolfe conditions could be found (typically at a point where the objective
        /// is flat to rounding but the gradient is still above the tolerance, or where it is not finite).
        case lineSearchFailed
        /// The objective or gradient was not finite at the starting point.
        case nonFiniteStart
    }

    /// The outcome of a minimisation.
    public struct Result: Sendable {
        /// The final point.
        public var x: [Double]
        /// `f(x)`.
        public var value: Double
        /// `∇f(x)`.
        public var gradient: [Double]
        /// Completed iterations.
        public var iterations: Int
        /// Objective-and-gradient evaluations.
        public var evaluations: Int
        /// Why it stopped.
        public var status: Status
        /// `‖∇f(x)‖∞`.
        public var gradientNorm: Double { gradient.reduce(0) { max($0, abs($1)) } }
    }

    /// Minimises `f` from `start`; `objective(x)` returns `(f(x), ∇f(x))`.
    ///
    /// - Complexity: O(n²) per iteration besides the evaluations; typically 20–60 iterations for the models here.
    public func minimize(start: [Double], objective: ([Double]) -> (value: Double, gradient: [Double])) -> Result {
        let n = start.count
        var x = start
        var (f, g) = objective(x)
        var evaluations = 1
        guard f.isFinite, g.allSatisfy(\.isFinite) else {
            return Result(x: x, value: f, gradient: g, iterations: 0, evaluations: 1, status: .nonFiniteStart)
        }
        var h = [Double](repeating: 0, count: n * n)  // inverse Hessian, row-major symmetric
        for i in 0..<n { h[i * n + i] = 1 }
        var firstStep = true
        var iterations = 0
        while true {
            if g.reduce(0, { max($0, abs($1)) }) <= gradientTolerance {
                return Result(x: x, value: f, gradient: g, iterations: iterations, evaluations: evaluations, status: .converged)
            }
            if iterations >= maxIterations {
                return Result(x: x, value: f, gradient: g, iterations: iterations, evaluations: evaluations, status: .iterationLimit)
            }
            // p = −H g
            var p = [Double](repeating: 0, count: n)
            for i in 0..<n {
                var s = 0.0
                for j in 0..<n { s -= h[i * n + j] * g[j] }
                p[i] = s
            }
            var slope = zip(p, g).reduce(0) { $0 + $1.0 * $1.1 }
            if !(slope < 0) {  // not a descent direction: reset to steepest descent
                for i in 0..<(n * n) { h[i] = 0 }
                for i in 0..<n { h[i * n + i] = 1 }
                p = g.map { -$0 }
                slope = -g.reduce(0) { $0 + $1 * $1 }
            }
            let pMax = p.reduce(0) { max($0, abs($1)) }
            let alphaMax = pMax > maxStep ? maxStep / pMax : 1.0
            let initial = firstStep ? min(alphaMax, 1 / max(1, pMax)) : alphaMax
            guard
                let step = lineSearch(
                    x: x, f: f, g: g, p: p, slope: slope, initial: initial, alphaMax: alphaMax,
                    objective: objective, evaluations: &evaluations)
            else {
                return Result(x: x, value: f, gradient: g, iterations: iterations, evaluations: evaluations, status: .lineSearchFailed)
            }
            iterations += 1
            let s = (0..<n).map { step.x[$0] - x[$0] }
            let y = (0..<n).map { step.g[$0] - g[$0] }
            let ys = zip(y, s).reduce(0) { $0 + $1.0 * $1.1 }
            x = step.x
            f = step.f
            g = step.g
            if ys > 1e-300 {
                if firstStep {
                    let yy = y.reduce(0) { $0 + $1 * $1 }
                    let scale = ys / yy
                    for i in 0..<(n * n) { h[i] = 0 }
                    for i in 0..<n { h[i * n + i] = scale }
                    firstStep = false
                }
                // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ
                let rho = 1 / ys
                var hy = [Double](repeating: 0, count: n)
                for i in 0..<n {
                    var t = 0.0
                    for j in 0..<n { t += h[i * n + j] * y[j] }
                    hy[i] = t
                }
                let yhy = zip(y, hy).reduce(0) { $0 + $1.0 * $1.1 }
                for i in 0..<n {
                    for j in 0..<n {
                        h[i * n + j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j]
                    }
                }
            }
        }
    }

    private struct Point {
        var alpha: Double
        var x: [Double]
        var f: Double
        var g: [Double]
        var slope: Double
    }

    private func lineSearch(
        x: [Double], f: Double, g: [Double], p: [Double], slope: Double, initial: Double, alphaMax: Double,
        objective: ([Double]) -> (value: Double, gradient: [Double]), evaluations: inout Int
    ) -> Point? {
        func evaluate(_ alpha: Double) -> Point {
            let xa = zip(x, p).map { $0 + alpha * $1 }
            let (fa, ga) = objective(xa)
            evaluations += 1
            let finite = fa.isFinite && ga.allSatisfy(\.isFinite)
            let sa = finite ? zip(ga, p).reduce(0) { $0 + $1.0 * $1.1 } : .nan
            return Point(alpha: alpha, x: xa, f: finite ? fa : .infinity, g: ga, slope: sa)
        }
        let zero = Point(alpha: 0, x: x, f: f, g: g, slope: slope)
        // Approximate-Wolfe tolerance (Hager & Zhang 2005): near the optimum the decrease g²/H falls below the
        // rounding of f, so the sufficient-decrease test allows f to rise by a few ulps and lets the gradient
        // (curvature condition) guide the last steps.
        let epsF = 1e-12 * max(1, abs(f))
        var previous = zero
        var alpha = initial
        for i in 0..<40 {
            let current = evaluate(alpha)
            if !current.f.isFinite {
                alpha = previous.alpha + 0.1 * (alpha - previous.alpha)  // back off hard from overflow
                if alpha - previous.alpha < 1e-14 { return nil }
                continue
            }
            if current.f > f + c1 * alpha * slope + epsF || (i > 0 && current.f >= previous.f + epsF) {
                return zoom(low: previous, high: current, f0: f, slope0: slope, epsF: epsF, evaluate: evaluate)
            }
            if abs(current.slope) <= -c2 * slope { return current }
            if current.slope >= 0 {
                return zoom(low: current, high: previous, f0: f, slope0: slope, epsF: epsF, evaluate: evaluate)
            }
            if alpha >= alphaMax { return current }  // capped step that still descends: accept
            previous = current
            alpha = min(alphaMax, 2 * alpha)
        }
        return nil
    }

    private func zoom(
        low lowIn: Point, high highIn: Point, f0: Double, slope0: Double, epsF: Double, evaluate: (Double) -> Point
    ) -> Point? {
        var low = lowIn, high = highIn
        for _ in 0..<60 {
            let lo = min(low.alpha, high.alpha), hi = max(low.alpha, high.alpha)
            var alpha = cubicMinimizer(low, high) ?? 0.5 * (low.alpha + high.alpha)
            let margin = 0.1 * (hi - lo)
            if !(alpha > lo + margin && alpha < hi - margin) { alpha = 0.5 * (low.alpha + high.alpha) }
            if hi - lo < 1e-16 * max(1, hi) { break }
            let current = evaluate(alpha)
            if !current.f.isFinite || current.f > f0 + c1 * alpha * slope0 + epsF || current.f >= low.f + epsF {
                high = current
            } else {
                if abs(current.slope) <= -c2 * slope0 { return current }
                if current.slope * (high.alpha - low.alpha) >= 0 { high = low }
                low = current
            }
        }
        // Accept the best point found if it decreased f at all (progress at the rounding floor).
        return low.alpha > 0 && low.f < f0 ? low : nil
    }

    /// Minimiser of the cubic through two points with values and slopes (N&W eq. 3.59).
    private func cubicMinimizer(_ a: Point, _ b: Point) -> Double? {
        guard a.f.isFinite, b.f.isFinite, a.slope.isFinite, b.slope.isFinite, a.alpha != b.alpha else { return nil }
        let d1 = a.slope + b.slope - 3 * (a.f - b.f) / (a.alpha - b.alpha)
        let disc = d1 * d1 - a.slope * b.slope
        guard disc >= 0 else { return nil }
        let d2 = (b.alpha > a.alpha ? 1.0 : -1.0) * disc.squareRoot()
        let denom = b.slope - a.slope + 2 * d2
        guard denom != 0 else { return nil }
        let t = b.alpha - (b.alpha - a.alpha) * (b.slope + d2 - d1) / denom
        return t.isFinite ? t : nil
    }
}

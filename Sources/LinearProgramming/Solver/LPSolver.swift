import CAPMNumerics
import Foundation

/// Solves linear programs with the bounded dual simplex method.
///
/// Pipeline: validate → presolve (``Presolve``) → scale (``Scaling``) → dual phase 1 when the slack basis is
/// not dual feasible (auxiliary problem) → perturbed dual phase 2 → remove perturbation → primal phase 2
/// cleanup → unscale → postsolve. Infeasibility is proven by a dual ray (Farkas certificate); unboundedness
/// by a primal ray found from a feasible basis.
///
/// References: Koberstein, *The dual simplex method, techniques for a fast and stable implementation*
/// (PhD thesis, Paderborn 2005); Huangfu & Hall, *Parallelizing the dual revised simplex method*,
/// Math. Prog. Comp. 10 (2018) 119–142.
public enum LPSolver {
    /// Solves `model`.
    ///
    /// - Parameters:
    ///   - warmStart: a basis from an earlier solve of a model with the same rows and columns (a budget sweep:
    ///     only bounds or costs changed); presolve is skipped so the basis maps one to one.
    /// - Throws: ``LPError`` for an invalid model or basis. Infeasible/unbounded models are statuses.
    /// - Complexity: per iteration O(nnz(A) + k²) with k the width of the basis' structural bump.
    public static func solve(
        _ model: LinearProgram, options: SolverOptions = SolverOptions(), warmStart: Basis? = nil
    ) throws(LPError) -> LPSolution {
        try model.validate()
        if let warmStart {
            guard warmStart.columns.count == model.columnCount, warmStart.rows.count == model.rowCount else {
                throw .invalidBasis(reason: "basis has \(warmStart.columns.count) columns and \(warmStart.rows.count) rows, model has \(model.columnCount) and \(model.rowCount)")
            }
            let basic = warmStart.columns.filter { $0 == .basic }.count + warmStart.rows.filter { $0 == .basic }.count
            guard basic == model.rowCount else {
                throw .invalidBasis(reason: "\(basic) basic variables for \(model.rowCount) rows")
            }
        }
        let clock = ContinuousClock()
        let started = clock.now
        let cpuStarted = processorSeconds()
        var solution: LPSolution
        if options.presolve && warmStart == nil {
            let presolve = Presolve(model)
            switch presolve.outcome {
            case .reduced(let reduced):
                let inner = solveCore(reduced, options: options, warmStart: nil)
                solution = presolve.postsolve(inner)
            case .infeasible(let message):
                // Presolve proved infeasibility; the simplex on the full model supplies the Farkas certificate.
                solution = solveCore(model, options: options, warmStart: nil)
                if solution.status != .infeasible || solution.certificate == nil {
                    solution = LPSolution(
                        status: .infeasible, objective: .nan, primal: [], rowActivity: [], rowDuals: [],
                        reducedCosts: [], basis: nil, iterations: solution.iterations, seconds: 0, certificate: nil,
                        message: message)
                } else {
                    solution.message = message
                }
            }
        } else {
            solution = solveCore(model, options: options, warmStart: warmStart)
        }
        let t = clock.now - started
        solution.seconds = Double(t.components.seconds) + Double(t.components.attoseconds) * 1e-18
        solution.cpuSeconds = processorSeconds() - cpuStarted
        return solution
    }

    /// The process's CPU time in seconds (`clock_gettime(CLOCK_PROCESS_CPUTIME_ID)`).
    static func processorSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Solves a validated model without presolve.
    static func solveCore(_ model: LinearProgram, options: SolverOptions, warmStart: Basis?) -> LPSolution {
        let m = model.rowCount
        let n = model.columnCount
        let scaling = options.scaling ? Scaling.compute(for: model.matrix) : .identity(rows: m, columns: n)
        var a = model.matrix
        a.scale(rowScale: scaling.row, columnScale: scaling.column)
        let senseSign: Double = model.sense == .maximize ? -1 : 1
        var cost = [Double](repeating: 0, count: n + m)
        var lower = [Double](repeating: 0, count: n + m)
        var upper = [Double](repeating: 0, count: n + m)
        for j in 0..<n {
            cost[j] = senseSign * model.objective[j] * scaling.column[j]
            lower[j] = model.columnLower[j] / scaling.column[j]
            upper[j] = model.columnUpper[j] / scaling.column[j]
        }
        for i in 0..<m {
            lower[n + i] = -model.rowUpper[i] * scaling.row[i]
            upper[n + i] = -model.rowLower[i] * scaling.row[i]
        }
        let engine = SimplexEngine(matrix: a, cost: cost, lower: lower, upper: upper, options: options)
        if let warmStart { engine.setBasis(columns: warmStart.columns, rows: warmStart.rows) }
        // The LAPACK calls here are small triangular solves: OpenBLAS threads only add synchronization.
        let outcome = BLAS.withThreads(1) {
            let outcome = run(engine, perturb: warmStart == nil && options.perturbation)
            return outcome == .optimal ? cleanUnscaledDualInfeasibilities(engine, scaling: scaling) : outcome
        }
        return makeSolution(model: model, engine: engine, scaling: scaling, outcome: outcome)
    }

    /// The phase logic; returns the final outcome.
    static func run(_ e: SimplexEngine, perturb: Bool) -> PhaseOutcome {
        e.refactor()
        e.correctDualInfeasibilities(allowShift: false)
        if e.unrepairableDualInfeasibilities() > 0 {
            let p1 = e.dualPhase1()
            if p1 != .optimal { return p1 }
            e.correctDualInfeasibilities(allowShift: false)
            if e.unrepairableDualInfeasibilities() > 0 { return feasibilityThenPrimal(e) }
        }
        var perturbed = false
        if perturb {
            e.perturbCosts()
            perturbed = true
        }
        for round in 0..<4 {
            let outcome = e.dualPhase2()
            switch outcome {
            case .optimal: break
            case .infeasible: return outcome
            default: return outcome
            }
            // Remove perturbations and shifts; clean up with the primal simplex if needed.
            if perturbed || e.cost != e.originalCost {
                e.cost = e.originalCost
                e.computeDual()
                perturbed = false
            }
            if e.unrepairableDualInfeasibilities() == 0
                && !(0..<(e.n + e.m)).contains(where: { e.status[$0] != .basic && e.isDualInfeasible($0, tolerance: e.options.dualTolerance) })
            {
                return .optimal
            }
            let primal = e.primalPhase2()
            if primal != .optimal { return primal }
            e.refactor()
            if e.maxPrimalInfeasibility() <= e.options.primalTolerance { return .optimal }
            if round == 3 { return .trouble }
            e.correctDualInfeasibilities(allowShift: true)
        }
        return .trouble
    }

    /// Removes dual infeasibilities that the scaled tolerance hides but the unscaled model shows.
    ///
    /// The simplex works on the scaled model with `|d'_j| ≤ tol`; unscaled, `d_j = d'_j/σ_j` for a column and
    /// `d_{n+i} = ρ_i·d'_{n+i}` for a logical, so a column with a small scale factor can end with an unscaled
    /// reduced cost of the wrong sign well above `tol` (`pilot`: −5.7e-6 on a column that should enter, an
    /// objective 5e-6 relative off). Such variables get the tolerance `tol·σ_j` (`tol/ρ_i`) through a primal
    /// cleanup with the tightest of them (at least 1e-11), repeated at most three times.
    static func cleanUnscaledDualInfeasibilities(_ e: SimplexEngine, scaling: Scaling) -> PhaseOutcome {
        let tolerance = e.options.dualTolerance
        defer { e.options.dualTolerance = tolerance }
        for _ in 0..<3 {
            var tightest = tolerance
            for j in 0..<(e.n + e.m) where e.status[j] != .basic {
                let factor = j < e.n ? scaling.column[j] : 1 / scaling.row[j - e.n]
                guard factor < 1 else { continue }
                if e.isDualInfeasible(j, tolerance: tolerance * factor) {
                    tightest = min(tightest, max(tolerance * factor, 1e-11))
                }
            }
            if tightest >= tolerance { return .optimal }
            e.options.dualTolerance = tightest
            let outcome = e.primalPhase2()
            e.options.dualTolerance = tolerance
            if outcome != .optimal { return outcome }
            e.refactor()
            if e.maxPrimalInfeasibility() > e.options.primalTolerance {
                let dual = e.dualPhase2()
                if dual != .optimal { return dual }
            }
        }
        return .optimal
    }

    /// For a dual infeasible problem: find a feasible point with zero costs (every basis is dual feasible),
    /// then run the primal simplex with the true costs to find the unbounded ray (or the optimum).
    static func feasibilityThenPrimal(_ e: SimplexEngine) -> PhaseOutcome {
        e.cost = [Double](repeating: 0, count: e.n + e.m)
        e.computeDual()
        let outcome = e.dualPhase2()
        e.cost = e.originalCost
        e.computeDual()
        if outcome != .optimal { return outcome }
        let primal = e.primalPhase2()
        return primal
    }
}

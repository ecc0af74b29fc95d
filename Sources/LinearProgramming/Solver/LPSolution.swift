/// The result of a solve, in the model's own terms (unscaled, presolve undone, original objective sense).
///
/// Sign conventions (those of HiGHS and CPLEX): `reducedCosts = c − Aᵀ·rowDuals`; for a minimization a row
/// at its lower bound has a dual ≥ 0 and a column at its lower bound a reduced cost ≥ 0 (reversed for a
/// maximization).
public struct LPSolution: Sendable {
    /// How the solve ended.
    public var status: SolveStatus
    /// `cᵀx + c₀` at `primal` (meaningful for ``SolveStatus/optimal``; NaN for an infeasible model).
    public var objective: Double
    /// The variable values `x`.
    public var primal: [Double]
    /// The row activities `A·x`.
    public var rowActivity: [Double]
    /// The row duals (shadow prices) `y`.
    public var rowDuals: [Double]
    /// The reduced costs `d = c − Aᵀy`.
    public var reducedCosts: [Double]
    /// The final basis (for warm starts).
    public var basis: Basis?
    /// Simplex iterations (all phases).
    public var iterations: Int
    /// Wall-clock seconds.
    public var seconds: Double
    /// For ``SolveStatus/infeasible``: a Farkas proof naming rows and bounds.
    public var certificate: InfeasibilityCertificate?
    /// A one-line explanation of the status.
    public var message: String
    /// Processor seconds of the whole process during the solve (`CLOCK_PROCESS_CPUTIME_ID`): on a loaded
    /// machine the comparable number to CLP's reported solve time, which is CPU time.
    public var cpuSeconds: Double = 0
}

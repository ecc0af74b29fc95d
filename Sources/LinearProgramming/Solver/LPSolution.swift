/// How a solve ended.
public enum SolveStatus: String, Sendable, Equatable, Codable {
    /// An optimal basic solution was found.
    case optimal
    /// No point satisfies the constraints; ``LPSolution/certificate`` holds a Farkas proof.
    case infeasible
    /// The objective can improve without bound along a feasible ray.
    case unbounded
    /// The iteration limit was reached.
    case iterationLimit = "iteration_limit"
    /// The time limit was reached.
    case timeLimit = "time_limit"
    /// The solver lost accuracy it could not recover (repeated singular bases, cycling tolerances).
    case numericalTrouble = "numerical_trouble"
}

/// The simplex status of a variable or a row's logical variable.
public enum BasisStatus: String, Sendable, Equatable, Codable {
    /// In the basis; its value is determined by the nonbasic ones.
    case basic
    /// Nonbasic at its lower bound (for a row: activity at its lower bound).
    case atLower = "at_lower"
    /// Nonbasic at its upper bound.
    case atUpper = "at_upper"
    /// Nonbasic free variable at zero.
    case free
}

/// A simplex basis: one status per column and per row, with exactly `rowCount` entries ``BasisStatus/basic``.
/// Pass one back to ``LPSolver/solve(_:options:warmStart:)`` to warm-start a related model.
public struct Basis: Sendable, Equatable {
    /// Status of each column.
    public var columns: [BasisStatus]
    /// Status of each row (its logical variable; `basic` means the row is not at a bound in general).
    public var rows: [BasisStatus]

    /// A basis from explicit statuses.
    public init(columns: [BasisStatus], rows: [BasisStatus]) {
        self.columns = columns
        self.rows = rows
    }
}

/// A Farkas certificate of infeasibility: row multipliers `y` such that, with `z = Aᵀy`,
/// `max { zᵀx : l ≤ x ≤ u } < min { yᵀr : rowLower ≤ r ≤ rowUpper }` — no `x` in its bounds can give row
/// activities `r = Ax` within the row bounds (Farkas' lemma for bounded systems; Koberstein 2005, §3.2).
public struct InfeasibilityCertificate: Sendable, Equatable {
    /// Nonzero row multipliers by row name.
    public var rowMultipliers: [(name: String, value: Double)]
    /// The bounds the proof uses: for each column with `z_j ≠ 0`, its name, `z_j` and which bound is used.
    public var columnBounds: [(name: String, coefficient: Double, bound: String)]
    /// `min yᵀr − max zᵀx`, positive for a valid proof.
    public var gap: Double

    public static func == (a: Self, b: Self) -> Bool {
        a.gap == b.gap && a.rowMultipliers.elementsEqual(b.rowMultipliers) { $0.name == $1.name && $0.value == $1.value }
            && a.columnBounds.elementsEqual(b.columnBounds) {
                $0.name == $1.name && $0.coefficient == $1.coefficient && $0.bound == $1.bound
            }
    }
}

/// The result of a solve, in the model's own terms (unscaled, presolve undone, original objective sense).
///
/// Sign conventions (those of HiGHS and CPLEX): `reducedCosts = c − Aᵀ·rowDuals`; for a minimization a row
/// at its lower bound has a dual ≥ 0 and a column at its lower bound a reduced cost ≥ 0 (reversed for a
/// maximization).
public struct LPSolution: Sendable {
    /// How the solve ended.
    public var status: SolveStatus
    /// `cᵀx + c₀` at `primal` (meaningful for ``SolveStatus/optimal``).
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
}

/// How an allocation ended.
public enum AllocationStatus: String, Sendable, Codable, Equatable {
    /// A certified optimum.
    case optimal
    /// No allocation satisfies the constraints; see ``AllocationResult/infeasibility``.
    case infeasible
    /// The solver stopped without a certified answer (limits, numerical trouble).
    case failed
}

/// The value of the next dollar of budget: the LP dual of the budget row, `∂ uplift* / ∂ B`, valid while the
/// budget stays within `[validFrom, validTo]` (RHS ranging). At a breakpoint of the concave value curve the
/// dual is not unique: `left` and `right` are the slopes just below and just above the budget.
public struct ShadowPrice: Sendable, Codable, Equatable {
    /// The dual of the budget row at the optimum found.
    public var value: Double
    /// `lim_{h→0⁺} (V(B) − V(B − h))/h` (nil at B = 0).
    public var left: Double?
    /// `lim_{h→0⁺} (V(B + h) − V(B))/h`.
    public var right: Double?
    /// Lower end of the budget range where ``value`` holds.
    public var validFrom: Double?
    /// Upper end (nil: unbounded).
    public var validTo: Double?
}

/// One cell of the allocation.
public struct CellAllocation: Sendable, Codable, Equatable {
    /// Cell id.
    public var id: String
    /// Segment id.
    public var segment: String
    /// Segment label.
    public var label: String?
    /// Moment id.
    public var moment: String
    /// Journey stage.
    public var stage: String
    /// Channel id.
    public var channel: String
    /// Current spend.
    public var current: Double
    /// Optimal spend.
    public var spend: Double
    /// Units bought (spend / unit cost).
    public var units: Double
    /// Uplift at the optimal spend (piecewise-linear model).
    public var uplift: Double
    /// Uplift at the current spend.
    public var currentUplift: Double
    /// For smooth curves: the curve's own value at the optimal spend (≥ ``uplift``).
    public var curveUplift: Double?
    /// uplift / spend (nil at zero spend).
    public var averageROI: Double?
    /// Marginal ROI just below the optimal spend.
    public var marginalROILeft: Double?
    /// Marginal ROI just above the optimal spend (nil at the cell's largest spend).
    public var marginalROIRight: Double?
    /// Lowest allowed spend.
    public var lower: Double
    /// Highest allowed spend.
    public var upper: Double
}

/// Spend and uplift of a group of cells (a segment, moment, stage or channel).
public struct RollUp: Sendable, Codable, Equatable {
    /// Group id.
    public var id: String
    /// Current spend.
    public var current: Double
    /// Optimal spend.
    public var spend: Double
    /// Uplift at the optimal spend.
    public var uplift: Double
    /// Uplift at the current spend.
    public var currentUplift: Double
}

/// A constraint row at the optimum.
public struct ConstraintReport: Sendable, Codable, Equatable {
    /// Name.
    public var name: String
    /// `budget`, `group`, `share_min`, `share_max`, `roi_floor`, `uplift_target`, `frequency_cap`.
    public var kind: String
    /// Lower bound of the row (nil: none).
    public var lower: Double?
    /// Upper bound of the row.
    public var upper: Double?
    /// Row activity at the optimum.
    public var activity: Double
    /// Dual `∂ objective / ∂ bound`.
    public var dual: Double
    /// Whether the row sits at a bound.
    public var binding: Bool
    /// Plain-words reading of the dual.
    public var explanation: String
}

/// A cell that gets nothing, and why.
public struct UnfundedCell: Sendable, Codable, Equatable {
    /// Cell id.
    public var id: String
    /// Marginal ROI of its first dollar.
    public var marginalROI: Double
    /// The first-dollar marginal ROI it would need to be funded (from the reduced cost).
    public var entryThreshold: Double
    /// Why, in words.
    public var reason: String
}

/// A constraint to relax to make an infeasible plan feasible.
public struct Relaxation: Sendable, Codable, Equatable {
    /// Constraint name.
    public var constraint: String
    /// The bound now.
    public var bound: Double
    /// The bound that would do (with the other relaxations listed).
    public var relaxedBound: Double
    /// |relaxedBound − bound|.
    public var amount: Double
}

/// Why a plan is infeasible.
public struct InfeasibilityExplanation: Sendable, Codable, Equatable {
    /// Direct conflicts found before solving (sums of floors versus caps and budget).
    public var conflicts: [String]
    /// The smallest relative relaxation that restores feasibility (an elastic LP: minimize
    /// `Σ violation_i / max(1, |bound_i|)`).
    public var relaxations: [Relaxation]
    /// Rows of the solver's Farkas certificate (when it produced one).
    public var certificateRows: [String]
}

/// The concave value curve `V(B)` of a budget sweep.
public struct SweepPoint: Sendable, Codable, Equatable {
    /// Budget.
    public var budget: Double
    /// Spend at the optimum.
    public var spend: Double
    /// Optimal uplift.
    public var uplift: Double
    /// Next-dollar value with its range.
    public var shadowPrice: ShadowPrice?
    /// Simplex iterations of this (warm-started) solve.
    public var iterations: Int
}

/// A breakpoint of the value curve: where its slope (the budget's shadow price) drops.
public struct ValueBreakpoint: Sendable, Codable, Equatable {
    /// Budget at the breakpoint.
    public var budget: Double
    /// `V(budget)`.
    public var uplift: Double
    /// Slope below.
    public var left: Double
    /// Slope above.
    public var right: Double
}

/// The lower and upper bound of the true (smooth-curve) optimum implied by the chord linearization.
public struct LinearizationBracket: Sendable, Codable, Equatable {
    /// The LP optimum (chords lie below the curves): a lower bound of what the smooth curves can give.
    public var lower: Double
    /// `lower + Σ_cells max chord gap`: no plan under the same constraints gets more from the smooth curves.
    public var upper: Double
    /// The smooth curves' value at the LP plan (in `[lower, upper]`).
    public var curveUplift: Double
}

/// Everything an allocation reports (the JSON output of `capm allocate`; field names are stable).
public struct AllocationResult: Sendable, Codable, Equatable {
    /// Plan title.
    public var plan: String
    /// Currency label.
    public var currency: String?
    /// Outcome.
    public var status: AllocationStatus
    /// Scenario kind.
    public var scenario: String
    /// One-line summary.
    public var message: String
    /// Budget used (nil: none).
    public var budget: Double?
    /// `at_most` or `exactly`.
    public var budgetMode: String
    /// Total optimal spend.
    public var spend: Double
    /// Total optimal uplift.
    public var uplift: Double
    /// Total current spend.
    public var currentSpend: Double
    /// Total uplift of the current plan.
    public var currentUplift: Double
    /// uplift − currentUplift.
    public var upliftVsCurrent: Double
    /// uplift / spend.
    public var roi: Double?
    /// The LP objective (what HiGHS is compared with).
    public var objective: Double
    /// Next-dollar value of the budget.
    public var shadowPrice: ShadowPrice?
    /// Per cell.
    public var cells: [CellAllocation]
    /// Roll-up by segment.
    public var segments: [RollUp]
    /// Roll-up by moment.
    public var moments: [RollUp]
    /// Roll-up by stage.
    public var stages: [RollUp]
    /// Roll-up by channel.
    public var channels: [RollUp]
    /// Every constraint row.
    public var constraints: [ConstraintReport]
    /// Cells with zero spend that could have been funded.
    public var unfunded: [UnfundedCell]
    /// Linearization bracket (when smooth curves are used).
    public var bracket: LinearizationBracket?
    /// For infeasible plans.
    public var infeasibility: InfeasibilityExplanation?
    /// Sweep grid points.
    public var sweep: [SweepPoint]?
    /// Value-curve breakpoints found in the sweep range.
    public var breakpoints: [ValueBreakpoint]?
    /// Whether the breakpoint walk stopped at its limit.
    public var breakpointsTruncated: Bool?
    /// Remarks.
    public var warnings: [String]
    /// Simplex iterations (main solve).
    public var iterations: Int
    /// Seconds in the LP solver (main solve).
    public var solverSeconds: Double
    /// LP size.
    public var lpRows: Int
    /// LP size.
    public var lpColumns: Int
}

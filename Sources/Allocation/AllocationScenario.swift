/// What to optimize. All scenarios share the plan's constraints; the budget (from the plan or overridden here)
/// caps the spend unless the mode is exactly.
public struct AllocationScenario: Sendable, Equatable {
    /// The scenario kinds.
    public enum Kind: String, Sendable, Codable, Equatable, CaseIterable {
        /// Maximize `Σ uplift` subject to `Σ spend ≤ budget` (default).
        case maxUplift = "max-uplift"
        /// Minimize `Σ spend` subject to `Σ uplift ≥ target`.
        case minSpend = "min-spend"
        /// Maximize `Σ uplift` subject to `Σ uplift ≥ k·Σ spend` (flexible budget; the budget, if any, caps it).
        case targetROI = "target-roi"
        /// Maximize `Σ (uplift − k·spend)`: fund only pieces whose marginal ROI ≥ k.
        case targetMROI = "target-mroi"
        /// Max-uplift at a grid of budgets (warm-started), with the value curve's breakpoints.
        case sweep
    }

    /// The kind.
    public var kind: Kind
    /// Budget amount (overrides the plan's).
    public var budget: Double?
    /// Budget mode (overrides the plan's).
    public var budgetMode: Plan.Budget.Mode?
    /// Target uplift for ``Kind/minSpend``.
    public var targetUplift: Double?
    /// k for ``Kind/targetROI`` and ``Kind/targetMROI``.
    public var roi: Double?
    /// Sweep range and number of grid points (≥ 2).
    public var sweep: (from: Double, to: Double, steps: Int)?
    /// Largest number of value-curve breakpoints a sweep walks (each is a warm-started re-solve).
    public var maxBreakpoints: Int

    /// A scenario.
    public init(
        kind: Kind = .maxUplift, budget: Double? = nil, budgetMode: Plan.Budget.Mode? = nil, targetUplift: Double? = nil,
        roi: Double? = nil, sweep: (from: Double, to: Double, steps: Int)? = nil, maxBreakpoints: Int = 200
    ) {
        self.kind = kind
        self.budget = budget
        self.budgetMode = budgetMode
        self.targetUplift = targetUplift
        self.roi = roi
        self.sweep = sweep
        self.maxBreakpoints = maxBreakpoints
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.kind == b.kind && a.budget == b.budget && a.budgetMode == b.budgetMode && a.targetUplift == b.targetUplift
            && a.roi == b.roi && a.sweep?.from == b.sweep?.from && a.sweep?.to == b.sweep?.to
            && a.sweep?.steps == b.sweep?.steps && a.maxBreakpoints == b.maxBreakpoints
    }

    /// Checks the parameters.
    /// - Throws: ``AllocationError/invalidParameter(name:value:reason:)``.
    public func validate() throws(AllocationError) {
        if let b = budget, !(b.isFinite && b >= 0) { throw .invalidParameter(name: "budget", value: "\(b)", reason: "must be a finite number ≥ 0") }
        switch kind {
        case .minSpend:
            guard let t = targetUplift else { throw .invalidParameter(name: "target-uplift", value: "none", reason: "min-spend needs a target uplift") }
            guard t.isFinite && t >= 0 else { throw .invalidParameter(name: "target-uplift", value: "\(t)", reason: "must be ≥ 0") }
        case .targetROI, .targetMROI:
            guard let k = roi else { throw .invalidParameter(name: "roi", value: "none", reason: "\(kind.rawValue) needs an ROI k") }
            guard k.isFinite && k >= 0 else { throw .invalidParameter(name: "roi", value: "\(k)", reason: "must be ≥ 0") }
        case .sweep:
            guard let s = sweep else { throw .invalidParameter(name: "sweep", value: "none", reason: "sweep needs from, to and steps") }
            guard s.from.isFinite, s.to.isFinite, s.from >= 0, s.to > s.from else {
                throw .invalidParameter(name: "sweep", value: "\(s.from)...\(s.to)", reason: "need 0 ≤ from < to")
            }
            guard s.steps >= 2 && s.steps <= 10_000 else { throw .invalidParameter(name: "sweep-steps", value: "\(s.steps)", reason: "must be in 2...10000") }
        case .maxUplift: break
        }
    }
}

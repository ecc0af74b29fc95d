/// Settings of ``LPSolver``.
public struct SolverOptions: Sendable, Equatable {
    /// Stop after this many simplex iterations (status ``SolveStatus/iterationLimit``).
    public var iterationLimit: Int = 1_000_000
    /// Stop after this many seconds of wall time (status ``SolveStatus/timeLimit``).
    public var timeLimit: Double = .infinity
    /// Primal feasibility tolerance on the scaled model (bounds may be violated by this much).
    public var primalTolerance: Double = 1e-7
    /// Dual feasibility tolerance on the scaled model (reduced costs may have the wrong sign by this much).
    public var dualTolerance: Double = 1e-7
    /// Smallest accepted pivot `|α_rq|` in the ratio tests.
    public var pivotTolerance: Double = 1e-7
    /// Refactor the basis after this many product-form updates.
    public var refactorInterval: Int = 100
    /// Scale rows and columns (geometric mean passes, then equilibration, powers of two).
    public var scaling: Bool = true
    /// Run the light presolve (empty rows and columns, fixed columns, singleton rows).
    public var presolve: Bool = true
    /// Perturb costs at the start of the dual simplex against degeneracy (removed before the final cleanup).
    public var perturbation: Bool = true
    /// Seed of the perturbation's random numbers (the solve is deterministic for a given seed).
    public var seed: UInt64 = 1
    /// Called every ``SolverProgressHandler/interval`` seconds (default one) of a long solve, on the solving
    /// thread (e.g. a progress line for a terminal); `nil`: silent. Does not change the solve.
    public var progress: SolverProgressHandler? = nil

    /// Default settings.
    public init() {}
}

/// Where a long solve is: reported through ``SolverOptions/progress``.
public struct SolverProgress: Sendable, Equatable {
    /// Simplex iterations so far (all phases).
    public var iterations: Int
    /// Wall seconds since the simplex started.
    public var seconds: Double
}

/// A progress callback of ``SolverOptions``. Handlers compare equal to each other: they observe a solve and
/// never change its result, so two option sets that differ only in their handler solve alike.
public struct SolverProgressHandler: Sendable, Equatable {
    /// Seconds between reports (checked every 32 iterations).
    public let interval: Double
    let body: @Sendable (SolverProgress) -> Void

    /// A handler calling `body` every `interval` seconds (at most once per 32 iterations).
    public init(interval: Double = 1, _ body: @escaping @Sendable (SolverProgress) -> Void) {
        self.interval = interval
        self.body = body
    }

    public static func == (a: SolverProgressHandler, b: SolverProgressHandler) -> Bool { true }
}

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

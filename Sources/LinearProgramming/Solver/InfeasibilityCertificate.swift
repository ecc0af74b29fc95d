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

    /// Equal when the gap, the multipliers and the bounds used are equal (tuples are not `Equatable`).
    public static func == (a: Self, b: Self) -> Bool {
        a.gap == b.gap && a.rowMultipliers.elementsEqual(b.rowMultipliers) { $0.name == $1.name && $0.value == $1.value }
            && a.columnBounds.elementsEqual(b.columnBounds) {
                $0.name == $1.name && $0.coefficient == $1.coefficient && $0.bound == $1.bound
            }
    }
}

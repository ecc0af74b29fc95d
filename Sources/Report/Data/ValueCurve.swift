import Allocation

/// The value curve `V(B)` of a budget sweep as drawn: the sweep's grid points and the breakpoints found
/// between them, in budget order, with the shadow price (the slope of `V`) as a step line and the knee.
///
/// The knee is where the curve bends most: with budgets and uplifts normalised to [0, 1] over the curve's
/// range, the point of largest `ŷ − x̂` (the difference curve of Kneedle: Satopää, Albrecht, Irwin & Raghavan,
/// "Finding a 'Kneedle' in a Haystack", ICDCS Workshops 2011). Past it, each extra dollar buys markedly less.
public struct ValueCurve: Sendable, Equatable {
    /// `(budget, uplift)` in budget order (sweep points and breakpoints, duplicates removed).
    public var points: [ResponseCurve.Point]
    /// `(budget, shadow price)`: at sweep points their dual, at breakpoints the left then the right slope.
    public var shadowPrices: [ResponseCurve.Point]
    /// Index into ``points`` of the knee (nil with fewer than three points or a flat curve).
    public var knee: Int?
    /// Budgets of the sweep without a feasible plan (their uplift is not a number in the JSON, e.g. below a
    /// spend floor); left out of ``points``.
    public var infeasibleBudgets: [Double]

    /// The curve of a sweep result (nil without feasible sweep points).
    public init?(_ sweep: AllocationResult) {
        guard let grid = sweep.sweep else { return nil }
        let feasible = grid.filter { $0.budget.isFinite && $0.uplift.isFinite }
        guard !feasible.isEmpty else { return nil }
        infeasibleBudgets = grid.filter { !$0.uplift.isFinite }.map(\.budget)
        var merged: [(b: Double, u: Double, prices: [Double])] = feasible.map { p in
            (p.budget, p.uplift, p.shadowPrice.map { [$0.value].filter(\.isFinite) } ?? [])
        }
        merged += (sweep.breakpoints ?? []).filter { $0.budget.isFinite && $0.uplift.isFinite }
            .map { ($0.budget, $0.uplift, [$0.left, $0.right].filter(\.isFinite)) }
        merged.sort { $0.b != $1.b ? $0.b < $1.b : $0.prices.count > $1.prices.count }
        var pts: [ResponseCurve.Point] = []
        var prices: [ResponseCurve.Point] = []
        for m in merged {
            if let last = pts.last, abs(last.spend - m.b) <= 1e-9 * max(1, abs(m.b)) {
                // Same budget: keep the first (a breakpoint, with both slopes) and skip the duplicate.
                continue
            }
            pts.append(.init(spend: m.b, uplift: m.u))
            for price in m.prices { prices.append(.init(spend: m.b, uplift: price)) }
        }
        points = pts
        shadowPrices = prices
        knee = ValueCurve.knee(pts)
    }

    /// The Kneedle knee of an increasing concave curve.
    static func knee(_ pts: [ResponseCurve.Point]) -> Int? {
        guard pts.count >= 3, let first = pts.first, let last = pts.last else { return nil }
        let dx = last.spend - first.spend
        let dy = last.uplift - first.uplift
        guard dx > 0, dy > 0 else { return nil }
        var best = 0.0
        var index: Int?
        for (i, p) in pts.enumerated() {
            let d = (p.uplift - first.uplift) / dy - (p.spend - first.spend) / dx
            if d > best + 1e-12 {
                best = d
                index = i
            }
        }
        return index
    }
}

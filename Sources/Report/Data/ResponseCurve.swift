import Allocation
import Foundation

/// A funded cell's response curve as drawn in the report: the piecewise-linear response the LP optimised
/// (from the run's `plan.json`, resolved with ``AllocationProblem``), the smooth curve it linearises if any
/// (sampled), and the current and optimal points from `allocation.json`.
public struct ResponseCurve: Sendable, Equatable {
    /// Cell id (`segment/moment/channel`).
    public var cell: String
    /// Breakpoints `(spend, uplift)` of the LP response (at most ``maxPoints``); when the plan was not
    /// available, the known points `(0, 0)`, current and optimal, in spend order.
    public var piecewise: [Point]
    /// The smooth curve sampled at 48 spends (empty for breakpoint responses or without the plan).
    public var smooth: [Point]
    /// Current spend and its uplift.
    public var current: Point
    /// Optimal spend and its uplift.
    public var optimal: Point
    /// Whether the curve came from the plan (false: only the solved points are known).
    public var fromPlan: Bool

    /// A spend and its uplift.
    public struct Point: Sendable, Equatable {
        /// Spend.
        public var spend: Double
        /// Uplift.
        public var uplift: Double

        /// A point.
        public init(spend: Double, uplift: Double) {
            self.spend = spend
            self.uplift = uplift
        }
    }

    /// Most breakpoints kept per curve (a response with more is thinned evenly, end points kept).
    public static let maxPoints = 200

    /// The curves of `cells` (in the given order), matched by id with the resolved plan `problem` when given.
    public static func curves(for cells: [CellAllocation], problem: AllocationProblem?) -> [ResponseCurve] {
        var byID: [String: AllocationProblem.Cell] = [:]
        for c in problem?.cells ?? [] { byID[c.id] = c }
        return cells.map { c in
            let current = Point(spend: c.current, uplift: c.currentUplift)
            let optimal = Point(spend: c.spend, uplift: c.uplift)
            guard let resolved = byID[c.id] else {
                let known = [Point(spend: 0, uplift: 0), current, optimal].sorted { $0.spend < $1.spend }
                return ResponseCurve(cell: c.id, piecewise: known, smooth: [], current: current, optimal: optimal, fromPlan: false)
            }
            let r = resolved.response
            var idx = Array(r.spends.indices)
            if idx.count > maxPoints {
                let last = idx.count - 1
                idx = (0..<maxPoints).map { j in j * last / (maxPoints - 1) }
            }
            let piecewise = idx.map { Point(spend: r.spends[$0], uplift: r.uplifts[$0]) }
            var smooth: [Point] = []
            if let curve = resolved.curve {
                let cap = r.capacity
                smooth = (0...48).map { j in
                    let s = cap * Double(j) / 48
                    return Point(spend: s, uplift: curve.value(at: s))
                }
            }
            return ResponseCurve(cell: c.id, piecewise: piecewise, smooth: smooth, current: current, optimal: optimal, fromPlan: true)
        }
    }
}

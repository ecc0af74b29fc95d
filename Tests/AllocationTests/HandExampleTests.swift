import Foundation
import Testing

@testable import Allocation

/// The small plan of issue 6, solved by hand: slopes S1M1 3/2/1, S1M2 4/1.5/0.5, S2M1 2.5/1.5, S2M2 1.8/1.2/0.5;
/// filling pieces by decreasing slope gives V(B) piecewise linear with breakpoints at 10k, 30k, 60k, 90k, 115k, …
enum HandExample {
    static func yaml(budget: Double = 100_000, extraConstraints: String = "") -> String {
        """
        version: 1
        name: hand example
        budget: {amount: \(budget)}
        segments:
          - {id: S1, customers: 1000, clv: 500}
          - {id: S2, customers: 2000, clv: 300}
        moments:
          - {id: M1, stage: awareness}
          - {id: M2, stage: purchase}
        channels:
          - {id: mail}
        cells:
          - segment: S1
            moment: M1
            channel: mail
            response: {breakpoints: [[0, 0], [20000, 60000], [50000, 120000], [100000, 170000]]}
          - segment: S1
            moment: M2
            channel: mail
            response: {breakpoints: [[0, 0], [10000, 40000], [30000, 70000], [60000, 85000]]}
          - segment: S2
            moment: M1
            channel: mail
            response: {breakpoints: [[0, 0], [30000, 75000], [60000, 120000]]}
          - segment: S2
            moment: M2
            channel: mail
            response: {breakpoints: [[0, 0], [25000, 45000], [50000, 75000], [80000, 90000]]}
        constraints:
        \(extraConstraints.isEmpty ? "  []" : extraConstraints)
        """
    }

    static func problem(budget: Double = 100_000, extraConstraints: String = "") throws -> AllocationProblem {
        let (plan, locator) = try PlanReader.read(text: yaml(budget: budget, extraConstraints: extraConstraints), file: "hand.yaml")
        return try AllocationProblem(plan: plan, locator: locator)
    }

    static func spend(_ r: AllocationResult, _ id: String) -> Double {
        r.cells.first { $0.id == id }?.spend ?? .nan
    }
}

func close(_ a: Double?, _ b: Double, rel: Double = 1e-7) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= rel * max(1, abs(b))
}

@Suite("Allocation: the hand-checked example of issue 6")
struct HandExampleTests {
    @Test("budget 100k: spends 50k/10k/30k/10k, uplift 253,000, shadow price 1.8 on [90k, 115k]")
    func budget100k() throws {
        let r = try Allocator.solve(try HandExample.problem(), scenario: AllocationScenario())
        #expect(r.status == .optimal)
        #expect(close(r.uplift, 253_000))
        #expect(close(r.objective, 253_000))
        #expect(close(r.spend, 100_000))
        #expect(close(HandExample.spend(r, "S1/M1/mail"), 50_000))
        #expect(close(HandExample.spend(r, "S1/M2/mail"), 10_000))
        #expect(close(HandExample.spend(r, "S2/M1/mail"), 30_000))
        #expect(close(HandExample.spend(r, "S2/M2/mail"), 10_000))
        let price = try #require(r.shadowPrice)
        #expect(close(price.value, 1.8))
        #expect(close(price.left, 1.8))
        #expect(close(price.right, 1.8))
        #expect(close(price.validFrom, 90_000))
        #expect(close(price.validTo, 115_000))
        // Average vs marginal ROI: S1/M2 averages 4.0 but its next dollar earns only 1.5 < 1.8.
        let s1m2 = try #require(r.cells.first { $0.id == "S1/M2/mail" })
        #expect(close(s1m2.averageROI, 4))
        #expect(close(s1m2.marginalROIRight, 1.5))
        #expect(close(s1m2.marginalROILeft, 4))
        let budgetRow = try #require(r.constraints.first { $0.kind == "budget" })
        #expect(budgetRow.binding)
        #expect(budgetRow.explanation.contains("1.8"))
    }

    @Test("value curve V(B) and the shadow price's left/right values", arguments: [
        (90_000.0, 235_000.0, 2.0, 1.8),
        (100_000, 253_000, 1.8, 1.8),
        (115_000, 280_000, 1.8, 1.5),
        (200_000, 395_000, 1.0, 1.0),
        (300_000, 465_000, 0.5, 0.0),
    ])
    func valueCurve(budget: Double, uplift: Double, left: Double, right: Double) throws {
        let r = try Allocator.solve(try HandExample.problem(budget: budget), scenario: AllocationScenario())
        #expect(r.status == .optimal)
        #expect(close(r.uplift, uplift))
        let price = try #require(r.shadowPrice)
        #expect(close(price.left, left, rel: 1e-6))
        #expect(close(price.right, right, rel: 1e-6))
    }

    @Test("S1 ≤ 45k and M2 ≥ 40k at 100k: uplift 247,500")
    func groupConstraints() throws {
        let extra = """
          - {segment: S1, max: 45000}
          - {moment: M2, min: 40000}
        """
        let r = try Allocator.solve(try HandExample.problem(extraConstraints: extra), scenario: AllocationScenario())
        #expect(r.status == .optimal)
        #expect(close(r.uplift, 247_500))
        let s1 = (r.segments.first { $0.id == "S1" })?.spend ?? .nan
        let m2 = (r.moments.first { $0.id == "M2" })?.spend ?? .nan
        #expect(s1 <= 45_000 * (1 + 1e-9))
        #expect(m2 >= 40_000 * (1 - 1e-9))
        #expect(close(r.spend, 100_000))
    }

    @Test("M2 ≥ 150k at 100k: infeasible, with the conflicts and the relaxation named")
    func infeasible() throws {
        let r = try Allocator.solve(try HandExample.problem(extraConstraints: "  - {moment: M2, min: 150000}"), scenario: AllocationScenario())
        #expect(r.status == .infeasible)
        let why = try #require(r.infeasibility)
        #expect(why.conflicts.contains { $0.contains("140,000") })  // the M2 cells can take 60k + 80k
        #expect(why.conflicts.contains { $0.contains("above the budget") || $0.contains("exceeds the budget") })
        let relax = try #require(why.relaxations.first)
        #expect(relax.constraint.contains("M2"))
        #expect(close(relax.amount, 50_000, rel: 1e-6))
        #expect(close(relax.relaxedBound, 100_000, rel: 1e-6))
    }

    @Test("sweep 60k…300k: grid values and the breakpoints 90k (2.0→1.8) and 115k (1.8→1.5)")
    func sweep() throws {
        let scenario = AllocationScenario(kind: .sweep, sweep: (60_000, 300_000, 9))
        let r = try Allocator.solve(try HandExample.problem(), scenario: scenario)
        let points = try #require(r.sweep)
        #expect(points.count == 9)
        let at90 = try #require(points.first { abs($0.budget - 90_000) < 1e-6 })
        #expect(close(at90.uplift, 235_000))
        #expect(close(at90.shadowPrice?.left, 2.0, rel: 1e-6))
        #expect(close(at90.shadowPrice?.right, 1.8, rel: 1e-6))
        let at300 = try #require(points.last)
        #expect(close(at300.uplift, 465_000))
        let bps = try #require(r.breakpoints)
        let expected: [(Double, Double, Double)] = [(90_000, 2.0, 1.8), (115_000, 1.8, 1.5), (165_000, 1.5, 1.2), (190_000, 1.2, 1.0), (240_000, 1.0, 0.5)]
        #expect(bps.count == expected.count)
        for (bp, e) in zip(bps, expected) {
            #expect(close(bp.budget, e.0, rel: 1e-5))
            #expect(close(bp.left, e.1, rel: 1e-6))
            #expect(close(bp.right, e.2, rel: 1e-6))
        }
    }

    @Test("sweep below the least feasible budget: those budgets are left out with a warning, breakpoints still found")
    func sweepFromInfeasibleBudgets() throws {
        // M2 must get at least 70,000, so budgets below 70,000 have no allocation.
        let p = try HandExample.problem(extraConstraints: "  - {moment: M2, min: 70000}")
        #expect(close(try Allocator.leastFeasibleBudget(AllocationLP(problem: p, scenario: AllocationScenario(), budget: 150_000), upTo: 150_000), 70_000))
        let r = try Allocator.solve(p, scenario: AllocationScenario(kind: .sweep, sweep: (30_000, 150_000, 5)))
        let points = try #require(r.sweep)
        #expect(points.map(\.budget) == [90_000, 120_000, 150_000])
        #expect(points.allSatisfy { $0.uplift.isFinite && $0.spend > 0 })
        #expect(r.warnings.contains { $0.contains("30,000") && $0.contains("60,000") && $0.contains("70,000") })
        let bps = try #require(r.breakpoints)
        #expect(!bps.isEmpty)
        #expect(bps.allSatisfy { $0.budget > 70_000 && $0.left > $0.right })
    }

    @Test("min-spend for 253,000 needs 100,000; target-mroi 1.8 funds the pieces with slope ≥ 1.8")
    func otherScenarios() throws {
        let p = try HandExample.problem()
        let minSpend = try Allocator.solve(p, scenario: AllocationScenario(kind: .minSpend, targetUplift: 253_000))
        #expect(minSpend.status == .optimal)
        #expect(close(minSpend.spend, 100_000, rel: 1e-6))
        let mroi = try Allocator.solve(p, scenario: AllocationScenario(kind: .targetMROI, budget: 1e9, roi: 1.9))
        #expect(close(mroi.spend, 90_000, rel: 1e-6))  // pieces with slope 4, 3, 2.5, 2
        #expect(close(mroi.uplift, 235_000, rel: 1e-6))
        // ROI ≥ 2: V(B)/B = 2 between 115k (280k/115k = 2.43) and 165k (355k/165k = 2.15) and 190k (385/190 = 2.03);
        // at 200k, 395/200 = 1.975 < 2, so the largest uplift with ROI ≥ 2 is on the slope-1 piece: 385k + (B − 190k) = 2B → B = 195k.
        let roi = try Allocator.solve(p, scenario: AllocationScenario(kind: .targetROI, budget: 1e9, roi: 2))
        #expect(close(roi.spend, 195_000, rel: 1e-6))
        #expect(close(roi.uplift, 390_000, rel: 1e-6))
    }
}

@Suite("Allocation: report rendering")
struct ReportTests {
    @Test("table, CSV and JSON of the hand example carry the headline numbers")
    func rendering() throws {
        let r = try Allocator.solve(try HandExample.problem(), scenario: AllocationScenario())
        let table = AllocationReport.table(r)
        #expect(table.contains("spend 100,000"))
        #expect(table.contains("uplift 253,000"))
        #expect(table.contains("worth 1.80 of customer value, for budgets from 90,000 to 115,000"))
        #expect(table.contains("Binding constraints"))
        let csv = AllocationReport.csv(r).split(separator: "\n")
        #expect(csv.count == 5)
        #expect(csv[0].hasPrefix("cell,segment,label,moment"))
        let json = try JSONSerialization.jsonObject(with: Data(AllocationReport.json(r).utf8)) as? [String: Any]
        for key in ["status", "budget", "spend", "uplift", "upliftVsCurrent", "shadowPrice", "cells", "constraints"] {
            #expect(json?[key] != nil, "missing \(key)")
        }
        let infeasible = try Allocator.solve(try HandExample.problem(extraConstraints: "  - {moment: M2, min: 150000}"), scenario: AllocationScenario())
        let text = AllocationReport.table(infeasible)
        #expect(text.contains("INFEASIBLE"))
        #expect(text.contains("change 150,000 to 100,000"))
    }

    /// A budget beyond what 64-bit integers hold spends every piece's capacity and still renders (it used to
    /// trap converting the budget to `Int64` for the table).
    @Test("an astronomically large budget renders in every format", arguments: [1e19, 1e300])
    func hugeBudget(budget: Double) throws {
        let r = try Allocator.solve(try HandExample.problem(), scenario: AllocationScenario(budget: budget))
        #expect(close(r.uplift, 465_000, rel: 1e-9))  // all capacity, as in the issue's 300k sweep point
        #expect(AllocationReport.table(r).contains("uplift 465,000"))
        #expect(AllocationReport.table(r).contains("e+"))
        #expect(!AllocationReport.csv(r).isEmpty)
        #expect(try JSONSerialization.jsonObject(with: Data(AllocationReport.json(r).utf8)) is [String: Any])
    }
}

@Suite("Allocation: ties broken towards the current plan")
struct TieBreakTests {
    /// At 140k the slope-1.5 pieces of S1/M2 (10k→30k) and S2/M1 (30k→60k) share 25k: any split is optimal.
    /// With currents S1/M2 = 30k and S2/M1 = 30k, the closest optimum is S1/M2 30k, S2/M1 35k.
    @Test("the optimum closest to current is returned", arguments: [
        (30_000.0, 30_000.0, 30_000.0, 35_000.0),  // currents S1/M2, S2/M1 → expected spends
        (10_000, 55_000, 10_000, 55_000),
    ])
    func closestToCurrent(currentS1M2: Double, currentS2M1: Double, spendS1M2: Double, spendS2M1: Double) throws {
        var text = HandExample.yaml(budget: 140_000)
        text = text.replacingOccurrences(of: "    moment: M2\n    channel: mail\n    response: {breakpoints: [[0, 0], [10000, 40000]", with: "    moment: M2\n    channel: mail\n    current: \(currentS1M2)\n    response: {breakpoints: [[0, 0], [10000, 40000]")
        text = text.replacingOccurrences(of: "    moment: M1\n    channel: mail\n    response: {breakpoints: [[0, 0], [30000, 75000]", with: "    moment: M1\n    channel: mail\n    current: \(currentS2M1)\n    response: {breakpoints: [[0, 0], [30000, 75000]")
        let (plan, locator) = try PlanReader.read(text: text, file: "hand.yaml")
        let p = try AllocationProblem(plan: plan, locator: locator)
        #expect(p.cells.map(\.current) == [0, currentS1M2, currentS2M1, 0])
        let r = try Allocator.solve(p, scenario: AllocationScenario())
        #expect(close(r.uplift, 280_000 + 25_000 * 1.5))
        #expect(close(HandExample.spend(r, "S1/M2/mail"), spendS1M2, rel: 1e-6))
        #expect(close(HandExample.spend(r, "S2/M1/mail"), spendS2M1, rel: 1e-6))
        #expect(close(HandExample.spend(r, "S1/M1/mail"), 50_000, rel: 1e-6))
        #expect(close(HandExample.spend(r, "S2/M2/mail"), 25_000, rel: 1e-6))
    }
}

import Foundation
import Testing

@testable import Allocation

/// Two cells: A (web, unit cost 0.5) slopes 3 on [0, 10], 1 on [10, 20]; B (tv, unit cost 2) slopes 2 on [0, 10],
/// 0.5 on [10, 40]. Currents 8 and 4. Expected optima derived by hand from the slopes.
enum TwoCells {
    static func text(_ constraint: String, budget: Double = 100) -> String {
        """
        version: 1
        budget: {amount: \(budget)}
        segments: [{id: A, customers: 10, clv: 100}, {id: B, customers: 5, clv: 100}]
        moments: [{id: M, stage: awareness}]
        channels: [{id: web, unit_cost: 0.5}, {id: tv, unit_cost: 2}]
        cells:
          - {segment: A, moment: M, channel: web, current: 8, response: {breakpoints: [[0, 0], [10, 30], [20, 40]]}}
          - {segment: B, moment: M, channel: tv, current: 4, response: {breakpoints: [[0, 0], [10, 20], [40, 35]]}}
        constraints: [\(constraint)]
        """
    }
}

struct ConstraintCase: Sendable, CustomTestStringConvertible {
    let constraint: String
    let spend: Double
    let uplift: Double
    var testDescription: String { constraint.isEmpty ? "none" : constraint }
}

@Suite("Allocation: constraint kinds")
struct ConstraintTests {
    @Test("optimum under each constraint kind", arguments: [
        ConstraintCase(constraint: "", spend: 60, uplift: 75),  // everything
        ConstraintCase(constraint: "{max_increase: 0.5}", spend: 18, uplift: 44),  // A ≤ 12, B ≤ 6
        ConstraintCase(constraint: "{max_decrease: 0.0, max_increase: 0.0}", spend: 12, uplift: 32),  // frozen at current
        ConstraintCase(constraint: "{channel: web, units_per_customer: 3}", spend: 55, uplift: 70),  // A: 2·spend ≤ 30
        ConstraintCase(constraint: "{channel: tv, max_share: 0.5}", spend: 40, uplift: 65),  // B ≤ A
        ConstraintCase(constraint: "{channel: tv, min_share: 0.8}", spend: 50, uplift: 65),  // B ≥ 4A: A 10, B 40
        ConstraintCase(constraint: "{channel: web, max_share: 0.2}", spend: 50, uplift: 65),  // the same, from A's side
        ConstraintCase(constraint: "{channel: tv, min_share: 0.6}", spend: 60, uplift: 75),  // not binding (40/60)
        ConstraintCase(constraint: "{roi_floor: 1.8}", spend: 30 + 6 / 1.3, uplift: 60 + 3 / 1.3),
        ConstraintCase(constraint: "{label: champions, max: 1}", spend: 60, uplift: 75),  // no champions: no cells
        ConstraintCase(constraint: "{segment: A, max: 5}", spend: 45, uplift: 50),  // A 5 (15), B 40 (35)
    ])
    func kinds(_ c: ConstraintCase) throws {
        let (plan, locator) = try PlanReader.read(text: TwoCells.text(c.constraint), file: "two.yaml")
        let problem = try AllocationProblem(plan: plan, locator: locator)
        let r = try Allocator.solve(problem, scenario: AllocationScenario())
        #expect(r.status == .optimal)
        #expect(close(r.spend, c.spend, rel: 1e-7))
        #expect(close(r.uplift, c.uplift, rel: 1e-7))
    }

    @Test("exact budget above capacity: infeasible with the capacity named; relaxation lowers the budget")
    func exactBudget() throws {
        let (plan, locator) = try PlanReader.read(text: TwoCells.text(""), file: "two.yaml")
        let problem = try AllocationProblem(plan: plan, locator: locator)
        let r = try Allocator.solve(problem, scenario: AllocationScenario(budget: 100, budgetMode: .exactly))
        #expect(r.status == .infeasible)
        let why = try #require(r.infeasibility)
        #expect(why.conflicts.contains { $0.contains("can take only 60") })
        #expect(close(why.relaxations.first?.relaxedBound, 60, rel: 1e-7))
    }

    @Test("a cell minimum above its capacity is a plan error with its position")
    func cellMinimum() throws {
        let text = TwoCells.text("").replacingOccurrences(of: "current: 4,", with: "current: 4, min: 50,")
        let (plan, locator) = try PlanReader.read(text: text, file: "two.yaml")
        let error = try #require(throws: AllocationError.self) { try AllocationProblem(plan: plan, locator: locator) }
        guard case .invalidValue(let loc, _) = error else { Issue.record("\(error)"); return }
        #expect(loc.keyPath == "cells[1].min")
        #expect(loc.line == 8)
    }
}

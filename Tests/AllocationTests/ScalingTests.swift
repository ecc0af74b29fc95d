import Foundation
import LinearProgramming
import Testing

@testable import Allocation

/// A plan of `segments × moments` cells in one channel: every cell but the last `tied` is the line slope 3 up to
/// 10 (funded in full, held at its bound by a nonzero reduced cost); the last `tied` cells are the line slope 2
/// up to 10, with currents cycling through 0…10, and the budget covers the slope-3 cells plus the tied cells'
/// currents. Every split among the tied cells is optimal; the one closest to the current plan is the current
/// plan itself (distance 0), while a simplex vertex puts each tied cell at 0 or 10.
enum TiedPlan {
    static func current(_ i: Int) -> Double { Double((i * 7) % 11) }

    static func text(segments: Int, moments: Int, tied: Int) -> String {
        let n = segments * moments
        let budget = 10 * (n - tied) + Int((n - tied..<n).map(current).reduce(0, +))
        var lines = ["version: 1", "budget: {amount: \(budget)}", "segments:"]
        for s in 0..<segments { lines.append("  - {id: s\(s), customers: 100, clv: 10}") }
        lines.append("moments:")
        for m in 0..<moments { lines.append("  - {id: m\(m), stage: awareness}") }
        lines.append("channels: [{id: c}]")
        lines.append("cells:")
        for s in 0..<segments {
            for m in 0..<moments {
                let i = s * moments + m
                let slope = i < n - tied ? 3 : 2
                lines.append("  - {segment: s\(s), moment: m\(m), channel: c, current: \(Int(current(i))), response: {breakpoints: [[0, 0], [10, \(10 * slope)]]}}")
            }
        }
        return lines.joined(separator: "\n")
    }
}

@Suite("Allocation: sparse share rows, tie-break at scale, JSON writer, the bundled plan")
struct ScalingTests {
    @Test("a share row touches only its group's pieces and the total-spend column")
    func sparseShares() throws {
        // 20 segments × 2 channels; the tv share row must hold the 20 tv pieces and T, not all 40 pieces.
        var text = "version: 1\nbudget: {amount: 1000}\nsegments:\n"
        for s in 0..<20 { text += "  - {id: s\(s), customers: 10, clv: 100}\n" }
        text += "moments: [{id: M, stage: awareness}]\nchannels: [{id: web}, {id: tv}]\ncells:\n"
        for s in 0..<20 {
            text += "  - {segment: s\(s), moment: M, channel: web, response: {breakpoints: [[0, 0], [10, \(30 + s)]]}}\n"
            text += "  - {segment: s\(s), moment: M, channel: tv, response: {breakpoints: [[0, 0], [10, \(20 + s)]]}}\n"
        }
        text += "constraints: [{channel: tv, max_share: 0.25}, {channel: web, min_share: 0.5}]\n"
        let (plan, locator) = try PlanReader.read(text: text, file: "shares.yaml")
        let problem = try AllocationProblem(plan: plan, locator: locator)
        let lp = try AllocationLP(problem: problem, scenario: AllocationScenario(), budget: 1000)
        let total = try #require(lp.totalColumn)
        #expect(total == lp.model.columnCount - 1)
        #expect(lp.columns.count == 40)
        let rowWise = lp.model.matrix.rowWise()
        func nonzeros(_ kind: AllocationLP.RowKind) throws -> Int {
            let i = try #require(lp.rows.firstIndex { $0.kind == kind })
            return rowWise.rowStarts[i + 1] - rowWise.rowStarts[i]
        }
        #expect(try nonzeros(.shareMax(0)) == 21)
        #expect(try nonzeros(.shareMin(1)) == 21)
        #expect(try nonzeros(.totalSpend) == 41)
        // Optimum: capacity 400 (all fits the budget); tv ≤ 25% of the total: web 200 (all), tv ≤ 200/3,
        // filled by the best tv slopes (s19, s18, … at 3.9, 3.8, …): 6 full tv cells and 2/3 of the next.
        let r = try Allocator.solve(problem, scenario: AllocationScenario())
        #expect(r.status == .optimal)
        let web = (0..<20).reduce(0.0) { $0 + Double(30 + $1) }
        let tvFull = (14..<20).reduce(0.0) { $0 + Double(20 + $1) }
        let tvPart = Double(20 + 13) * (200.0 / 3 - 60) / 10
        #expect(close(r.uplift, web + tvFull + tvPart, rel: 1e-9))
        #expect(close(r.spend, 200 + 200.0 / 3, rel: 1e-9))
        // The definition row is not a plan constraint: not reported.
        #expect(!r.constraints.contains { $0.kind == "total_spend" })
        #expect(r.constraints.contains { $0.kind == "share_max" && $0.binding })
    }

    @Test("ties are broken towards the current plan beyond 2,000 cells (2,500 cells, 40 tied → their currents)")
    func tieBreakAtScale() throws {
        let tied = 40
        let (plan, locator) = try PlanReader.read(text: TiedPlan.text(segments: 50, moments: 50, tied: tied), file: "tied.yaml")
        let problem = try AllocationProblem(plan: plan, locator: locator)
        #expect(problem.cells.count == 2_500)
        let r = try Allocator.solve(problem, scenario: AllocationScenario())
        #expect(r.status == .optimal)
        let tiedSpend = (2_500 - tied..<2_500).map(TiedPlan.current).reduce(0, +)
        #expect(close(r.uplift, 30 * Double(2_500 - tied) + 2 * tiedSpend, rel: 1e-9))
        var off = 0.0
        for (i, c) in r.cells.enumerated() {
            off += abs(c.spend - (i < 2_500 - tied ? 10 : TiedPlan.current(i)))
        }
        #expect(off <= 1e-6, "distance to the expected allocation \(off)")
    }

    @Test("the JSON writer gives what Foundation's JSONEncoder gives (same values, same keys) and decodes back")
    func jsonWriter() throws {
        var r = try Allocator.solve(try HandExample.problem(), scenario: AllocationScenario())
        r.message = "a \"quoted\"\nline\\ with / and é and \u{01}"
        r.cells[0].marginalROIRight = .infinity
        r.cells[1].marginalROILeft = -.infinity
        let ours = AllocationReport.json(r)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let theirs = try encoder.encode(r)
        let a = try JSONSerialization.jsonObject(with: Data(ours.utf8)) as? NSDictionary
        let b = try JSONSerialization.jsonObject(with: theirs) as? NSDictionary
        #expect(a != nil && a == b)
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let back = try decoder.decode(AllocationResult.self, from: Data(ours.utf8))
        #expect(back == r)
        #expect(ours.contains("\"budget\" : 100000,"))
        #expect(ours.contains("\"marginalROIRight\" : \"inf\""))
        #expect(ours.contains("\\u0001"))
        #expect(ours.hasSuffix("}\n"))
    }

    @Test("the JSON writer on a sweep and an infeasible result matches Foundation's JSONEncoder")
    func jsonWriterSweepAndInfeasible() throws {
        let sweep = try Allocator.solve(try HandExample.problem(), scenario: AllocationScenario(kind: .sweep, sweep: (60_000, 300_000, 5)))
        let infeasible = try Allocator.solve(
            try HandExample.problem(extraConstraints: "  - {moment: M2, min: 150000}"), scenario: AllocationScenario())
        #expect(sweep.sweep?.count == 5 && infeasible.status == .infeasible)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        for r in [sweep, infeasible] {
            let a = try JSONSerialization.jsonObject(with: Data(AllocationReport.json(r).utf8)) as? NSDictionary
            let b = try JSONSerialization.jsonObject(with: try encoder.encode(r)) as? NSDictionary
            #expect(a != nil && a == b)
        }
    }

    @Test("JSON numbers: integral values without a fraction, others round-trip, non-finite as strings",
          arguments: [(250_000.0, "250000"), (-3, "-3"), (0.1, "0.1"), (1.8, "1.8"), (1e300, "1e+300"),
                      (.infinity, "\"inf\""), (-.infinity, "\"-inf\""), (.nan, "\"nan\"")])
    func jsonNumbers(value: Double, text: String) {
        #expect(JSONBox.number(value) == text)
    }

    /// The README's first command runs on this plan, so it must show the whole product (issue 6, item 4).
    @Test("the bundled Examples/plan.yaml: five stages, prospects, a dozen channels; optimal at 250,000")
    func bundledPlan() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Examples/plan.yaml")
        let problem = try AllocationProblem.load(contentsOf: url)
        #expect(Set(problem.moments.map(\.stage)) == Set(Plan.Stage.allCases))
        #expect(problem.channels.count >= 12)
        #expect(problem.segments.contains { $0.label == nil && $0.id == "prospects" })
        #expect(Set(problem.cells.map(\.channel)).count == problem.channels.count)
        let r = try Allocator.solve(problem, scenario: AllocationScenario(budget: 250_000))
        #expect(r.status == .optimal)
        #expect(r.spend <= 250_000 * (1 + 1e-9))
        #expect(r.uplift > r.currentUplift)
        #expect(r.upliftVsCurrent > 0)
        #expect((r.shadowPrice?.value ?? 0) > 1)
        #expect(r.constraints.contains { $0.kind == "frequency_cap" })
        #expect(r.constraints.contains { $0.kind == "share_max" } && r.constraints.contains { $0.kind == "share_min" })
    }
}

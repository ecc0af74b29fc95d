import Foundation
import Testing

@testable import Allocation

enum SmallPlan {
    /// 15 lines; the cases below replace one line and expect an error at that line.
    static let lines = [
        "version: 1",
        "budget: {amount: 1000}",
        "segments:",
        "  - {id: A, customers: 10, clv: 100}",
        "moments:",
        "  - {id: M, stage: awareness}",
        "channels:",
        "  - {id: web}",
        "cells:",
        "  - segment: A",
        "    moment: M",
        "    channel: web",
        "    response: {breakpoints: [[0, 0], [10, 30], [20, 40]]}",
        "constraints:",
        "  - {moment: M, max: 15}",
    ]

    static func text(replacing line: Int? = nil, with replacement: String = "") -> String {
        var l = lines
        if let line { l[line - 1] = replacement }
        return l.joined(separator: "\n") + "\n"
    }

    static func problem(_ text: String) throws(AllocationError) -> AllocationProblem {
        let (plan, locator) = try PlanReader.read(text: text, file: "plan.yaml")
        return try AllocationProblem(plan: plan, locator: locator)
    }
}

struct BadInput: Sendable, CustomTestStringConvertible {
    let line: Int
    let replacement: String
    let keyPath: String?
    let fragment: String
    var testDescription: String { "line \(line): \(replacement.trimmingCharacters(in: .whitespaces))" }
}

@Suite("Allocation: plan reading and bad input")
struct PlanReaderTests {
    @Test("the small plan reads and solves: 10 at slope 3, then 5 at slope 1 (moment cap 15)")
    func goodPlan() throws {
        let r = try Allocator.solve(try SmallPlan.problem(SmallPlan.text()), scenario: AllocationScenario())
        #expect(r.status == .optimal)
        #expect(close(r.uplift, 35))
        #expect(close(r.spend, 15))
        #expect(r.constraints.contains { $0.kind == "group" && $0.binding && close($0.dual, 1) })
        #expect(close(r.shadowPrice?.value, 0, rel: 1e-9))
    }

    @Test("bad input: typed error naming file, line and key path", arguments: [
        BadInput(line: 10, replacement: "  - segment: B", keyPath: "cells[0].segment", fragment: "unknown segment id 'B'"),
        BadInput(line: 12, replacement: "    channel: tv", keyPath: "cells[0].channel", fragment: "unknown channel id 'tv'"),
        BadInput(line: 13, replacement: "    response: {breakpoints: [[0, 0], [10, 10], [20, 40]]}\noptions: {nonconcave: reject}", keyPath: "cells[0].response.breakpoints[2]", fragment: "not concave"),
        BadInput(line: 13, replacement: "    response: {breakpoints: [[5, 0], [10, 30], [20, 40]]}", keyPath: "cells[0].response.breakpoints[0]", fragment: "start at [0, 0]"),
        BadInput(line: 13, replacement: "    response: {breakpoints: [[0, 0], [10, 30], [10, 40]]}", keyPath: "cells[0].response.breakpoints[2]", fragment: "increase strictly"),
        BadInput(line: 13, replacement: "    response: {saturating: {max_uplift: 100}}", keyPath: "cells[0].response.saturating.scale", fragment: "scale > 0"),
        BadInput(line: 2, replacement: "budget: {amount: -5}", keyPath: "budget.amount", fragment: "≥ 0"),
        BadInput(line: 15, replacement: "  - {moment: M, max_share: 1.5}", keyPath: "constraints[0].max_share", fragment: "[0, 1]"),
        BadInput(line: 15, replacement: "  - {moment: X, max: 15}", keyPath: "constraints[0].moment", fragment: "unknown moment id 'X'"),
        BadInput(line: 15, replacement: "  - {moment: M, mx: 15}", keyPath: "constraints[0].mx", fragment: "unknown key 'mx'"),
        BadInput(line: 15, replacement: "  - {moment: M, min: 20, max: 15}", keyPath: "constraints[0].min", fragment: "exceeds max"),
        BadInput(line: 6, replacement: "  - {id: M, stage: awarenes}", keyPath: "moments[0].stage", fragment: "awarenes"),
        BadInput(line: 4, replacement: "  - {id: A, customers: many, clv: 100}", keyPath: "segments[0].customers", fragment: "a number"),
        BadInput(line: 4, replacement: "  - {id: A, customers: 10}", keyPath: "segments[0]", fragment: "needs clv"),
        BadInput(line: 1, replacement: "version: 7", keyPath: "version", fragment: "version 7"),
        BadInput(line: 11, replacement: "    moment: [M", keyPath: nil, fragment: "syntax error"),
    ])
    func badInput(_ c: BadInput) throws {
        let error = try #require(throws: AllocationError.self) { try SmallPlan.problem(SmallPlan.text(replacing: c.line, with: c.replacement)) }
        let text = error.description
        #expect(text.hasPrefix("plan.yaml:"), "\(text)")
        #expect(text.contains(c.fragment), "\(text)")
        switch error {
        case .invalidValue(let loc, _), .unknownID(let loc, _, _), .duplicateID(let loc, _, _), .unsupportedVersion(let loc, _):
            #expect(loc.keyPath == c.keyPath)
            #expect(loc.line == c.line, "\(text)")
        case .syntax(_, let line, _, _):
            #expect(c.keyPath == nil)
            #expect(line != nil && (line ?? 0) >= c.line, "\(text)")
        default:
            Issue.record("unexpected error kind: \(text)")
        }
    }

    @Test("a share above 1 in a scenario, a negative budget on the command line: parameter errors")
    func scenarioErrors() throws {
        #expect(throws: AllocationError.self) { try AllocationScenario(budget: -1).validate() }
        #expect(throws: AllocationError.self) { try AllocationScenario(kind: .minSpend).validate() }
        #expect(throws: AllocationError.self) { try AllocationScenario(kind: .sweep, sweep: (10, 5, 3)).validate() }
    }

    @Test("non-concave breakpoints use the concave envelope and warn (the default, and options.nonconcave: envelope)",
          arguments: ["", "options: {nonconcave: envelope}\n"])
    func envelope(options: String) throws {
        var text = SmallPlan.text(replacing: 13, with: "    response: {breakpoints: [[0, 0], [10, 10], [20, 40]]}")
        text += options
        let p = try SmallPlan.problem(text)
        #expect(p.cells[0].response.spends == [0, 20])
        #expect(p.warnings.count == 1)
        let r = try Allocator.solve(p, scenario: AllocationScenario())
        #expect(close(r.uplift, 30))  // 15 at slope 2
    }

    @Test("JSON plans read like YAML, with positions")
    func json() throws {
        let json = """
        {
          "version": 1,
          "budget": {"amount": 1000},
          "segments": [{"id": "A", "customers": 10, "clv": 100}],
          "moments": [{"id": "M", "stage": "awareness"}],
          "channels": [{"id": "web"}],
          "cells": [{"segment": "A", "moment": "M", "channel": "web",
                     "response": {"breakpoints": [[0, 0], [10, 30], [20, 40]]}}],
          "constraints": [{"moment": "M", "max": 15}]
        }
        """
        let r = try Allocator.solve(try SmallPlan.problem(json), scenario: AllocationScenario())
        #expect(close(r.uplift, 35))
        let bad = json.replacingOccurrences(of: "\"channel\": \"web\"", with: "\"channel\": \"tv\"")
        let error = try #require(throws: AllocationError.self) { try SmallPlan.problem(bad) }
        guard case .unknownID(let loc, _, _) = error else { Issue.record("\(error)"); return }
        #expect(loc.line == 7)
        #expect(loc.keyPath == "cells[0].channel")
    }

    @Test("a missing plan file is a typed error")
    func missingFile() {
        #expect(throws: AllocationError.self) { try AllocationProblem.load(contentsOf: URL(fileURLWithPath: "/nonexistent/plan.yaml")) }
    }
}

import Foundation
import Testing

@testable import Allocation

@Suite("Allocation: the built-in example plan")
struct ExamplePlanTests {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Examples/plan.yaml")

    /// The text built into the library is `Examples/plan.yaml` byte for byte (regenerate with
    /// `Scripts/embed-example-plan` after editing the YAML).
    @Test func builtInTextIsTheBundledFile() throws {
        let onDisk = try String(contentsOf: Self.file, encoding: .utf8)
        #expect(ExamplePlan.yaml == onDisk, "run Scripts/embed-example-plan")
    }

    /// Solved from the built-in text or from the file, the example gives the same allocation.
    @Test func builtInPlanSolvesLikeTheFile() throws {
        let scenario = AllocationScenario(budget: 250_000)
        let fromText = try Allocator.solve(try ExamplePlan.problem(), scenario: scenario)
        let fromFile = try Allocator.solve(try AllocationProblem.load(contentsOf: Self.file), scenario: scenario)
        #expect(fromText.status == .optimal)
        #expect(fromText.uplift == fromFile.uplift)
        #expect(fromText.cells.map(\.spend) == fromFile.cells.map(\.spend))
    }
}

import Allocation
import Foundation
import Testing

@testable import Pipeline

@Suite("Segment run: the built-in example plan")
struct BuiltInPlanTests {
    /// A run on the plan text built into the library allocates exactly as a run on `Examples/plan.yaml`, and
    /// `run.json` records the text under its name with the file's size and SHA-256.
    @Test func textSourceMatchesTheFile() throws {
        let fromFile = try Fixtures.exampleRun(output: nil).run()
        var builtIn = Fixtures.exampleRun(output: nil)
        builtIn.plan = .text(ExamplePlan.yaml, name: ExamplePlan.name)
        let fromText = try builtIn.run()
        #expect(fromText.allocation.uplift == fromFile.allocation.uplift)
        #expect(fromText.allocation.cells.map(\.spend) == fromFile.allocation.cells.map(\.spend))
        let file = try #require(fromFile.inputs.first { $0.role == "plan" })
        let text = try #require(fromText.inputs.first { $0.role == "plan" })
        #expect(text.path == ExamplePlan.name)
        #expect(text.bytes == file.bytes && text.sha256 == file.sha256)
    }
}

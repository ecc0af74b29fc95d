import Foundation

/// The bundled example plan, `Examples/plan.yaml`, built into the library: a subscription retailer with four
/// labelled customer segments plus prospects, moments of truth along the five journey stages (Court et al. 2009)
/// and a dozen channels, spending about 250,000 today.
///
/// `capm allocate` and `capm run` use it when no `--plan` is given, from any directory — so the first command of
/// the README shows the whole product without a file at hand. The text is generated from the YAML file by
/// `Scripts/embed-example-plan`; a test checks the two agree byte for byte.
public enum ExamplePlan {
    /// The name that stands for the built-in plan in messages and in `run.json`.
    public static let name = "Examples/plan.yaml (built in)"

    /// The parsed plan with its locator (positions of its nodes for messages).
    /// - Throws: never for the shipped text (tests read it); ``AllocationError`` if it were malformed.
    public static func read() throws(AllocationError) -> (plan: Plan, locator: PlanLocator) {
        try PlanReader.read(text: yaml, file: name)
    }

    /// The resolved allocation problem of the example plan.
    public static func problem() throws(AllocationError) -> AllocationProblem {
        let (plan, locator) = try read()
        return try AllocationProblem(plan: plan, locator: locator)
    }
}

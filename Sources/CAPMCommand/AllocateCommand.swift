import ArgumentParser
import CAPM
import Foundation

/// `capm allocate`: reads a plan, solves the allocation LP for a scenario, prints the plan.
struct AllocateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocate",
        abstract: "Allocate a budget across segments × moments of truth × channels (certified LP optimum, shadow prices).",
        discussion: """
            Without --plan, uses the example plan built into capm (Examples/plan.yaml). Scenarios: max-uplift (default, \
            needs a budget), min-spend (--target UPLIFT), target-roi (--target K), target-mroi (--target K), \
            sweep (--sweep FROM:TO:STEPS). --target-uplift and --roi name the same targets. See \
            Docs/allocation.md and Docs/plan-format.md.
            """)

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case table, json, csv }

    @Option(help: "Total budget (overrides the plan's budget.amount).")
    var budget: Double?

    @Flag(help: "Spend the budget exactly instead of at most.")
    var exact = false

    @Option(help: "Plan file (YAML or JSON). Default: the built-in example plan (Examples/plan.yaml).")
    var plan: String?

    @Option(help: "Scenario: max-uplift, min-spend, target-roi, target-mroi or sweep.")
    var scenario: String = "max-uplift"

    @Option(help: "The scenario's target: the uplift to reach (min-spend) or the ROI k (target-roi, target-mroi; same as --roi).")
    var target: Double?

    @Option(name: .customLong("target-uplift"), help: "Uplift to reach (min-spend); same as --target.")
    var targetUplift: Double?

    @Option(help: "ROI k: portfolio floor for target-roi, marginal floor for target-mroi.")
    var roi: Double?

    @Option(name: .customLong("sweep-from"), help: "Sweep: lowest budget.")
    var sweepFrom: Double?

    @Option(name: .customLong("sweep-to"), help: "Sweep: highest budget.")
    var sweepTo: Double?

    @Option(name: .customLong("sweep-steps"), help: "Sweep: number of budgets (≥ 2).")
    var sweepSteps: Int = 11

    @Option(help: "Sweep shorthand FROM:TO:STEPS (same as --sweep-from/--sweep-to/--sweep-steps; implies --scenario sweep).")
    var sweep: String?

    @Option(name: .customLong("max-breakpoints"), help: "Sweep: walk at most this many value-curve breakpoints (0: none).")
    var maxBreakpoints: Int = 200

    @Option(help: "Output format: table, json or csv.")
    var format: OutputFormat = .table

    @Option(help: "Write the report to this file (atomically) instead of standard output.")
    var output: String?

    @Option(name: .customLong("write-mps"), help: "Also write the allocation LP as free MPS to this file.")
    var writeMPS: String?

    func validate() throws {
        guard AllocationScenario.Kind(rawValue: scenario) != nil else {
            throw ValidationError("--scenario must be one of \(AllocationScenario.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let budget, !(budget.isFinite && budget >= 0) { throw ValidationError("--budget must be a finite number ≥ 0") }
        if maxBreakpoints < 0 { throw ValidationError("--max-breakpoints must be ≥ 0") }
        if let sweep, parseSweep(sweep) == nil { throw ValidationError("--sweep must be FROM:TO:STEPS, e.g. 100000:400000:13") }
        if let target, !target.isFinite { throw ValidationError("--target must be a finite number") }
        if target != nil, targetUplift != nil || roi != nil {
            throw ValidationError("give the target once: --target, or --target-uplift / --roi")
        }
    }

    /// `FROM:TO:STEPS` → its three numbers.
    func parseSweep(_ text: String) -> (Double, Double, Int)? {
        let parts = text.split(separator: ":").map(String.init)
        guard parts.count == 3, let a = Double(parts[0]), let b = Double(parts[1]), let n = Int(parts[2]) else { return nil }
        return (a, b, n)
    }

    func makeScenario() throws(AllocationError) -> AllocationScenario {
        let shorthand = sweep.flatMap(parseSweep)
        let kind = shorthand != nil ? .sweep : (AllocationScenario.Kind(rawValue: scenario) ?? .maxUplift)
        // --target means the uplift for min-spend and the ROI k for target-roi/target-mroi.
        let targetIsROI = kind == .targetROI || kind == .targetMROI
        var s = AllocationScenario(
            kind: kind, budget: budget, budgetMode: exact ? .exactly : nil,
            targetUplift: targetUplift ?? (targetIsROI ? nil : target), roi: roi ?? (targetIsROI ? target : nil),
            maxBreakpoints: maxBreakpoints)
        if kind == .sweep {
            if let (from, to, steps) = shorthand {
                s.sweep = (from, to, steps)
                try s.validate()
                return s
            }
            guard let from = sweepFrom, let to = sweepTo else {
                throw .invalidParameter(name: "sweep", value: "none", reason: "the sweep needs --sweep-from and --sweep-to")
            }
            s.sweep = (from, to, sweepSteps)
        }
        try s.validate()
        return s
    }

    func run() throws {
        // Without --plan: the example plan built into the library (Examples/plan.yaml), from any directory.
        let problem = try plan.map { try AllocationProblem.load(contentsOf: URL(fileURLWithPath: $0)) }
            ?? ExamplePlan.problem()
        let scenario = try makeScenario()
        if let writeMPS {
            let budget = scenario.kind == .sweep ? scenario.sweep?.to : (scenario.budget ?? problem.budget)
            var lpScenario = scenario
            if lpScenario.kind == .sweep { lpScenario.kind = .maxUplift }
            let lp = try AllocationLP(problem: problem, scenario: lpScenario, budget: budget)
            try MPSWriter.write(lp.model, to: URL(fileURLWithPath: writeMPS))
        }
        let result = try Allocator.solve(problem, scenario: scenario)
        let text: String
        switch format {
        case .table: text = AllocationReport.table(result)
        case .json: text = AllocationReport.json(result)
        case .csv: text = AllocationReport.csv(result)
        }
        if let output {
            try AtomicFile.write(text, to: URL(fileURLWithPath: output))
        } else {
            print(text, terminator: "")
        }
        if let exit = ModelExit.exit(for: result, subject: plan ?? ExamplePlan.name) { throw exit }
    }
}

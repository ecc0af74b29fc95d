import ArgumentParser
import CAPM
import Foundation

/// `capm solve FILE.mps`: reads an MPS model, solves it with the dual simplex, prints the result.
struct SolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "Solve a linear program from an MPS file (fixed or free format) with the dual simplex method.")

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case json, table
    }

    @Argument(help: "The MPS file.")
    var file: String

    @Option(help: "Output format: json or table.")
    var format: OutputFormat = .table

    @Flag(help: "Maximize the objective (overrides OBJSENSE).")
    var max = false

    @Flag(help: "Read the file as free MPS (default: fixed MPS, which also reads free files without spaces in names).")
    var free = false

    @Option(name: .customLong("time-limit"), help: "Stop after this many seconds.")
    var timeLimit: Double?

    @Option(name: .customLong("iteration-limit"), help: "Stop after this many simplex iterations.")
    var iterationLimit: Int?

    @Flag(name: .customLong("no-presolve"), help: "Skip the presolve.")
    var noPresolve = false

    @Option(help: "Write the solution to this file (atomically) instead of standard output.")
    var output: String?

    @Flag(name: .customLong("verbose-solution"), help: "Include primal values, row activities and duals by name.")
    var verboseSolution = false

    func validate() throws {
        if let timeLimit, !(timeLimit > 0) { throw ValidationError("--time-limit must be positive") }
        if let iterationLimit, iterationLimit <= 0 { throw ValidationError("--iteration-limit must be positive") }
    }

    func run() throws {
        var model = try MPSReader.read(contentsOf: URL(fileURLWithPath: file), format: free ? .free : .fixed)
        if max { model.sense = .maximize }
        var options = SolverOptions()
        if let timeLimit { options.timeLimit = timeLimit }
        if let iterationLimit { options.iterationLimit = iterationLimit }
        options.presolve = !noPresolve
        let progress = Progress()
        if progress.enabled {
            options.progress = SolverProgressHandler { p in progress.step("simplex: \(p.iterations) iterations") }
        }
        let solution = try LPSolver.solve(model, options: options)
        let text = format == .json
            ? SolutionReport.json(solution, model: model, verbose: verboseSolution)
            : SolutionReport.table(solution, model: model, verbose: verboseSolution)
        if let output {
            try AtomicFile.write(text, to: URL(fileURLWithPath: output))
        } else {
            print(text, terminator: "")
        }
        if let exit = ModelExit.exit(for: solution, subject: file) { throw exit }
    }
}

import Foundation
import Testing

@testable import LinearProgramming

/// Netlib problems small enough for the default (debug) test run; the whole set runs in
/// `Benchmarks/scripts/lp/run_netlib.py` and `compare_highs.py`.
let fastNetlib = [
    "afiro", "kb2", "sc50a", "sc50b", "adlittle", "blend", "scsd1", "recipe", "share2b", "sc105", "share1b",
    "stocfor1", "lotfi", "boeing2", "beaconfd", "vtp.base", "brandy", "e226", "bore3d", "standata", "agg", "agg2",
    "ship04s", "finnis", "fit1d", "sc205", "capri",
]

/// The rest of the shared set (each up to several seconds in a debug build): run with `CAPM_SLOW_TESTS=1`.
let slowNetlib = netlibEntries.map(\.name).filter { !fastNetlib.contains($0) }

@Suite("Netlib")
struct NetlibTests {
    @Test("every Netlib file parses with the published size", arguments: netlibEntries)
    func parses(_ entry: NetlibEntry) throws {
        let model = try MPSReader.read(contentsOf: netlibDirectory.appendingPathComponent(entry.name + ".mps"))
        #expect(model.rowCount == entry.rows)
        #expect(model.columnCount == entry.columns)
        #expect(model.matrix.nonzeros == entry.nonzeros)
    }

    @Test("Netlib optimum to 1e-6 relative, with an independently verified dual", arguments: fastNetlib)
    func solves(_ name: String) throws {
        let entry = try #require(netlibEntry(name))
        let model = try MPSReader.read(contentsOf: netlibDirectory.appendingPathComponent(name + ".mps"))
        let solution = try LPSolver.solve(model)
        #expect(solution.status == .optimal)
        #expect(abs(solution.objective - entry.optimum) <= 1e-6 * max(1, abs(entry.optimum)))
        let issues = optimalityViolations(model, solution)
        #expect(issues.isEmpty, "\(issues.prefix(5))")
    }

    @Test(
        "slow Netlib problems (CAPM_SLOW_TESTS=1)", .enabled(if: ProcessInfo.processInfo.environment["CAPM_SLOW_TESTS"] != nil),
        arguments: slowNetlib)
    func solvesSlow(_ name: String) throws {
        try solves(name)
    }

    @Test("Netlib without presolve and scaling", arguments: ["afiro", "sc50a", "adlittle", "boeing2", "e226"])
    func solvesPlain(_ name: String) throws {
        let entry = try #require(netlibEntry(name))
        let model = try MPSReader.read(contentsOf: netlibDirectory.appendingPathComponent(name + ".mps"))
        var options = SolverOptions()
        options.presolve = false
        options.scaling = false
        let solution = try LPSolver.solve(model, options: options)
        #expect(solution.status == .optimal)
        #expect(abs(solution.objective - entry.optimum) <= 1e-6 * max(1, abs(entry.optimum)))
        #expect(optimalityViolations(model, solution).isEmpty)
    }
}

import Foundation
import Synchronization
import Testing

@testable import LinearProgramming

@Suite("LP solver: progress reports")
struct ProgressTests {
    /// With a zero interval the handler is called every 32 iterations with growing counts, and the solve is the
    /// one without a handler (same objective, iterations and primal values).
    @Test func progressObservesWithoutChangingTheSolve() throws {
        let url = netlibDirectory.appendingPathComponent("sc205.mps")
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        let model = try MPSReader.read(contentsOf: url)
        let plain = try LPSolver.solve(model)
        let reports = Mutex<[SolverProgress]>([])
        var options = SolverOptions()
        options.progress = SolverProgressHandler(interval: 0) { p in reports.withLock { $0.append(p) } }
        let observed = try LPSolver.solve(model, options: options)
        #expect(observed.status == .optimal && plain.status == .optimal)
        #expect(observed.objective == plain.objective && observed.iterations == plain.iterations)
        #expect(observed.primal == plain.primal)
        let seen = reports.withLock { $0 }
        #expect(seen.count >= max(1, observed.iterations / 32 - 1))
        #expect(seen.allSatisfy { $0.iterations % 32 == 0 && $0.iterations <= observed.iterations })
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.iterations < $1.iterations && $0.seconds <= $1.seconds })
    }
}

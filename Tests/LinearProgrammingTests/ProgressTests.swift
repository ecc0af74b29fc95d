import Foundation
import Synchronization
import Testing

@testable import LinearProgramming

@Suite("LP solver: progress reports")
struct ProgressTests {
    /// With a zero interval the handler is called every 32 iterations with growing counts, and the solve gives the
    /// answer of the solve without a handler.
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
        // Not bit for bit: OpenBLAS' thread count is process-wide, and other suites running alongside change it
        // while this solve's LU runs (see the closing note of this change); alone, the two solves are identical.
        #expect(abs(observed.objective - plain.objective) <= 1e-9 * abs(plain.objective))
        #expect(zip(observed.primal, plain.primal).allSatisfy { abs($0 - $1) <= 1e-7 * max(1, abs($1)) })
        let seen = reports.withLock { $0 }
        #expect(seen.count >= max(1, observed.iterations / 32 - 1))
        #expect(seen.allSatisfy { $0.iterations % 32 == 0 && $0.iterations <= observed.iterations })
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.iterations < $1.iterations && $0.seconds <= $1.seconds })
    }
}

import CAPMNumerics
import Dispatch
import Foundation
import Synchronization
import Testing

@testable import LinearProgramming

/// OpenBLAS' thread count is process-wide. Solves running concurrently — while another thread changes the count —
/// still give bit-identical answers, because the basis LU runs through `BLAS.singleThreaded` (before it, 40 of 40
/// concurrent sc205 solves differed from the lone solve in the last bits).
@Suite("LP solver: concurrent solves are deterministic")
struct ConcurrentSolveTests {
    @Test func concurrentSolvesAgreeBitForBit() throws {
        let url = netlibDirectory.appendingPathComponent("sc205.mps")
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        let model = try MPSReader.read(contentsOf: url)
        let reference = try LPSolver.solve(model)
        let stop = Atomic<Bool>(false)
        let toggler = Thread {
            while !stop.load(ordering: .relaxed) { BLAS.withThreads(2) { _ = usleep(50) } }
        }
        toggler.start()
        let differing = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 24) { _ in
            let same = (try? LPSolver.solve(model)).map {
                $0.primal == reference.primal && $0.objective == reference.objective && $0.iterations == reference.iterations
            }
            if same != true { differing.withLock { $0 += 1 } }
        }
        stop.store(true, ordering: .relaxed)
        #expect(differing.withLock { $0 } == 0)
    }
}

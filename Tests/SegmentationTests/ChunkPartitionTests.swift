import Synchronization
import Testing

@testable import Segmentation

@Suite("Chunk partition")
struct ChunkPartitionTests {
    /// Every chunk runs exactly once, whatever the worker count — including more workers than chunks, runs of
    /// unequal length (chunks not a multiple of the workers) and runs spent early that steal from the others.
    @Test(arguments: [(1, 1), (7, 2), (64, 2), (64, 3), (65, 4), (3, 8), (100, 7)])
    func everyChunkRunsOnce(chunks: Int, threads: Int) {
        let partition = ChunkPartition(rows: 10_000, maximumChunks: chunks)
        let visits = Mutex([Int](repeating: 0, count: partition.count))
        partition.forEach(threads: threads) { c in
            visits.withLock { $0[c] += 1 }
        }
        let counts = visits.withLock { $0 }
        #expect(counts == [Int](repeating: 1, count: chunks))
    }

    /// Each worker's run is its contiguous share of the chunks, handed out in order, each chunk once; a run that is
    /// spent says so however often it is asked, and claims on one run leave the others untouched (a worker that
    /// spent its own run takes the rest of another's).
    @Test func runsAreContiguousSharesClaimedOnce() {
        let runs = WorkerRuns(chunks: 10, workers: 3)
        #expect(Array(sequence(state: runs) { $0.claim(1) }) == [3, 4, 5])
        #expect(runs.claim(1) == nil)
        #expect(runs.claim(0) == 0)
        #expect(Array(sequence(state: runs) { $0.claim(2) }) == [6, 7, 8, 9])
        #expect(Array(sequence(state: runs) { $0.claim(0) }) == [1, 2])
        #expect(runs.claim(0) == nil && runs.claim(2) == nil)
    }
}

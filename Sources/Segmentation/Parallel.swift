import CAPMNumerics
import Dispatch
import Synchronization

/// A pointer that parallel workers may share because each writes a disjoint part of the memory it points to.
struct SharedPointer<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
}

/// A read-only pointer shared by parallel workers.
struct SharedConstPointer<T>: @unchecked Sendable {
    let base: UnsafePointer<T>
}

/// Fixed work partition for deterministic parallel passes.
///
/// The rows are cut into `count` contiguous *chunks* whose boundaries depend only on N and `count`, never on
/// the number of threads. Each chunk writes its partial results into its own slot; the caller reduces the slots
/// in chunk order. Floating-point sums are therefore bitwise identical for 1, 2 or 64 threads.
struct ChunkPartition: Sendable {
    let rows: Int
    let count: Int

    init(rows: Int, maximumChunks: Int) {
        self.rows = rows
        self.count = max(1, min(maximumChunks, rows))
    }

    /// The rows of chunk `c`: `[c·N/count, (c+1)·N/count)`.
    func range(_ c: Int) -> Range<Int> {
        (c * rows / count)..<((c + 1) * rows / count)
    }

    /// The chunk whose range holds `row`.
    func chunk(containing row: Int) -> Int {
        var c = min(count - 1, row * count / max(1, rows))
        while c > 0 && range(c).lowerBound > row { c -= 1 }
        while c < count - 1 && range(c).upperBound <= row { c += 1 }
        return c
    }

    /// Runs `body(chunk)` for every chunk on `threads` workers, with OpenBLAS limited to one thread while the
    /// workers run, as OpenBLAS advises for programs that are parallel themselves.
    ///
    /// Worker w starts on its own contiguous run of chunks, [w·count/W, (w+1)·count/W), taken in order from an
    /// atomic counter of its own; once its run is spent it takes the next unclaimed chunks of the other runs (w + 1,
    /// w + 2, …, through their counters), so a worker slowed by other load on its core does not leave the others idle
    /// at the end. Contiguous runs, as OpenMP's static schedule gives scikit-learn's threads, measured faster than
    /// handing out chunks in turn from one counter, where the two workers streamed neighbouring chunks: standalone
    /// harness, 1M rows, Float update pass, 2 threads, fastest of 30 passes, four interleaved pairs: d = 32,
    /// k = 32 12.89–14.74 → 12.77–13.25 ms; d = 32, k = 8 6.39–6.62 → 6.23–6.42 ms (one thread: 25.0 and 12.5).
    /// Which worker runs a chunk does not matter for the result: every chunk writes its own slot, reduced in chunk
    /// order.
    func forEach(threads: Int, _ body: @Sendable (Int) -> Void) {
        let workers = max(1, min(threads, count))
        let chunks = count
        BLAS.withThreads(1) {
            if workers == 1 {
                for c in 0..<chunks { body(c) }
                return
            }
            let runs = WorkerRuns(chunks: chunks, workers: workers)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                for offset in 0..<workers {
                    let run = (w + offset) % workers
                    while let c = runs.claim(run) { body(c) }
                }
            }
        }
    }
}

/// The chunks of a ``ChunkPartition`` cut into one contiguous run per worker, each handed out in order by an
/// atomic counter of its own (see ``ChunkPartition/forEach(threads:_:)``).
final class WorkerRuns: @unchecked Sendable {
    /// Next chunk of each run (one counter per run, initialised once and only changed atomically).
    private let counters: UnsafeMutablePointer<Atomic<Int>>
    /// Run r is chunks `ends[r] ..< ends[r + 1]`.
    private let ends: [Int]

    init(chunks: Int, workers: Int) {
        ends = (0...workers).map { $0 * chunks / workers }
        counters = .allocate(capacity: workers)
        for w in 0..<workers { (counters + w).initialize(to: Atomic(ends[w])) }
    }

    deinit {
        counters.deinitialize(count: ends.count - 1)
        counters.deallocate()
    }

    /// The next unclaimed chunk of run `run`, or nil when the run is spent. Each chunk is returned exactly once.
    func claim(_ run: Int) -> Int? {
        let c = counters[run].wrappingAdd(1, ordering: .relaxed).oldValue
        return c < ends[run + 1] ? c : nil
    }
}

extension UnsafeBufferPointer {
    /// The address of the first element; for an empty buffer (no address) an aligned placeholder that is never
    /// dereferenced, because a loop over zero elements reads nothing. Replaces `baseAddress!` in the parallel passes
    /// so they cannot trap by construction, whatever guards their callers keep.
    var start: UnsafePointer<Element> {
        baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<Element>.alignment).unsafelyUnwrapped
    }
}

extension UnsafeMutableBufferPointer {
    /// See ``Swift/UnsafeBufferPointer/start``.
    var start: UnsafeMutablePointer<Element> {
        baseAddress ?? UnsafeMutablePointer(bitPattern: MemoryLayout<Element>.alignment).unsafelyUnwrapped
    }
}

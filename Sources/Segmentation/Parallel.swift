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
    /// workers run, as OpenBLAS advises for programs that are parallel themselves. Each worker takes the next
    /// unclaimed chunk (an atomic counter), so a worker slowed by other load on its core does not leave the other
    /// idle at the end, as a static round-robin split could. Which worker runs a chunk does not matter for the
    /// result: every chunk writes its own slot, reduced in chunk order.
    func forEach(threads: Int, _ body: @Sendable (Int) -> Void) {
        let workers = max(1, min(threads, count))
        let chunks = count
        BLAS.withThreads(1) {
            if workers == 1 {
                for c in 0..<chunks { body(c) }
                return
            }
            let next = Atomic<Int>(0)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while true {
                    let c = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    if c >= chunks { return }
                    body(c)
                }
            }
        }
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

import Dispatch

/// Deterministic parallel summation over `0..<count`: the range is cut into chunks of a fixed size
/// (independent of the number of threads), the chunks are evaluated in parallel with
/// `DispatchQueue.concurrentPerform`, and the partial sums are added in chunk order. The result is therefore
/// bit-for-bit the same on one core or many.
enum ChunkedSum {
    /// Patterns per chunk: large enough to amortise dispatch, small enough to balance two to 64 cores.
    static let chunkSize = 4096

    /// `Σ body(chunk)` over consecutive chunks of `0..<count`.
    /// - Complexity: the cost of `body` over all indices, divided among the cores.
    static func sum(count: Int, _ body: (Range<Int>) -> Dual) -> Dual {
        if count <= chunkSize { return body(0..<count) }
        let chunks = (count + chunkSize - 1) / chunkSize
        var partial = [Dual](repeating: .zero, count: chunks)
        partial.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            withoutActuallyEscaping(body) { body in
                nonisolated(unsafe) let work = body
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    let lo = c * chunkSize
                    out[c] = work(lo..<min(count, lo + chunkSize))
                }
            }
        }
        var total = Dual.zero
        for p in partial { total += p }
        return total
    }

    /// Applies `body` to consecutive chunks of `0..<count` in parallel (for predictions writing disjoint slots).
    static func forEach(count: Int, chunkSize: Int = ChunkedSum.chunkSize, _ body: (Range<Int>) -> Void) {
        if count <= chunkSize {
            body(0..<count)
            return
        }
        let chunks = (count + chunkSize - 1) / chunkSize
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let work = body
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let lo = c * chunkSize
                work(lo..<min(count, lo + chunkSize))
            }
        }
    }
}

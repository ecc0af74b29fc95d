import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns the fields of a low-cardinality text column (journey stage, touchpoint, outcome) into an
/// ``IdentifierColumn``.
///
/// ``IdentifierInterner`` is built for millions of distinct customer ids: it records 41 bytes per row and
/// interns after the parse. A column with a handful of distinct values needs none of that: each chunk parser
/// keeps a small open-addressing table of the values it has seen (resident in L1) and records a 4-byte local
/// code per row; the merge maps each chunk's few local codes to global ones. Measured on an 11.3-million-event
/// journey log (Docs/journey.md): the three id-like columns went from 123 to 45 bytes per event.
///
/// Codes are numbered by first appearance in the file, so the result does not depend on the number of threads.
enum CategoryInterner {
    /// What a chunk parser records for one category column.
    struct ChunkFields {
        /// Per row: the chunk-local code of its value.
        var codes: [Int32] = []
        /// Per local code: where its first occurrence is in the file, and the chunk row that introduced it.
        var start: [Int] = []
        var length: [Int32] = []
        var hash: [UInt64] = []
        var introducedAt: [Int32] = []
        /// Open-addressing table of local codes (−1 empty); its size is a power of two above twice the values.
        var table = [Int32](repeating: -1, count: 16)

        /// The number of rows recorded.
        var count: Int { codes.count }

        mutating func reserve(_ rows: Int) { codes.reserveCapacity(rows) }

        /// Records the field `base[start..<start + length]` of the next row.
        mutating func append(base: UnsafePointer<UInt8>, start s: Int, length n: Int) {
            let h = IdentifierInterner.hash(base + s, n)
            let mask = table.count - 1
            var slot = Int(truncatingIfNeeded: h) & mask
            while true {
                let code = table[slot]
                if code < 0 { break }
                let c = Int(code)
                if hash[c] == h && Int(length[c]) == n && memcmp(base + start[c], base + s, n) == 0 {
                    codes.append(code)
                    return
                }
                slot = (slot + 1) & mask
            }
            let code = Int32(start.count)
            table[slot] = code
            start.append(s)
            length.append(Int32(n))
            hash.append(h)
            introducedAt.append(Int32(codes.count))
            codes.append(code)
            if 2 * start.count > table.count { grow() }
        }

        /// Forgets the last row recorded (a row a lenient read skips after recording its value), and its value
        /// if that row introduced it — so a value seen only on skipped rows does not appear in the column.
        mutating func removeLast() {
            guard let code = codes.popLast() else { return }
            let c = Int(code)
            guard c == start.count - 1, Int(introducedAt[c]) == codes.count else { return }
            // The most recently inserted key: no later key probed past its slot, so emptying it is safe.
            let mask = table.count - 1
            var slot = Int(truncatingIfNeeded: hash[c]) & mask
            while table[slot] != code { slot = (slot + 1) & mask }
            table[slot] = -1
            start.removeLast()
            length.removeLast()
            hash.removeLast()
            introducedAt.removeLast()
        }

        private mutating func grow() {
            var bigger = [Int32](repeating: -1, count: table.count * 2)
            let mask = bigger.count - 1
            for c in 0..<start.count {
                var slot = Int(truncatingIfNeeded: hash[c]) & mask
                while bigger[slot] >= 0 { slot = (slot + 1) & mask }
                bigger[slot] = Int32(c)
            }
            table = bigger
        }
    }

    /// The column from all chunks' fields, in chunk (file) order.
    /// - Complexity: O(rows + distinct values per chunk); the code mapping runs in parallel over chunks.
    static func column(base: UnsafePointer<UInt8>, chunks: [ChunkFields], rows: Int) -> IdentifierColumn {
        var values: [String] = []
        var global: [String: Int32] = [:]
        var maps: [[Int32]] = []
        var offsets: [Int] = []
        var running = 0
        for chunk in chunks {
            var map = [Int32](repeating: 0, count: chunk.start.count)
            for c in 0..<chunk.start.count {
                let text = String(
                    decoding: UnsafeBufferPointer(start: base + chunk.start[c], count: Int(chunk.length[c])), as: UTF8.self)
                if let code = global[text] {
                    map[c] = code
                } else {
                    let code = Int32(values.count)
                    global[text] = code
                    values.append(text)
                    map[c] = code
                }
            }
            maps.append(map)
            offsets.append(running)
            running += chunk.count
        }
        let chunkMaps = maps, chunkOffsets = offsets
        var codes = [Int32](repeating: 0, count: rows)
        codes.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: chunks.count) { k in
                let map = chunkMaps[k], offset = chunkOffsets[k]
                for (r, local) in chunks[k].codes.enumerated() { out[offset + r] = map[Int(local)] }
            }
        }
        return IdentifierColumn(values: values, codes: codes)
    }
}

import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns the identifier fields of a parsed file (customer ids) into an ``IdentifierColumn``: the distinct
/// values in order of first appearance and one code per row.
///
/// Design, measured with `Benchmarks/Sources/CSVCompare` on 10 million rows of 3.6 million customers (see
/// Docs/benchmarks.md): a single hash table over millions of keys misses the cache on every probe, and that
/// dominated the whole read. Instead the chunk parsers hash each field and append a compact record (hash, the
/// first 16 key bytes, where the key is, its row) to one of 64 partitions chosen by the hash's top bits. Each
/// partition is then interned by its own small table (cache resident) in parallel, reading its records
/// sequentially; keys of up to 16 bytes are compared without touching the file. A scan in row order numbers
/// the codes by first appearance, so the result does not depend on the number of threads.
enum IdentifierInterner {
    /// Partitions by the top bits of the hash.
    static let partitionBits = 6
    static let partitionCount = 1 << partitionBits

    /// One identifier field, as the chunk parser records it.
    struct Record {
        var hash: UInt64
        var prefix: (UInt64, UInt64)
        var start: Int
        var length: Int32
        /// The row within its chunk.
        var row: Int32
    }

    /// What a chunk parser records for one identifier column.
    struct ChunkFields {
        /// Per row: its partition.
        var partition: [UInt8] = []
        /// Per partition: the chunk's records whose hash falls in it, in row order.
        var buckets: [[Record]] = Array(repeating: [], count: IdentifierInterner.partitionCount)
        /// The longest key recorded, in bytes: keys of up to 16 bytes are held whole in their records' prefix, so
        /// interning them never reads the file again (``readsFile``).
        var longestKey = 0

        /// Whether interning these records reads the file's bytes (a key longer than the 16-byte prefix).
        var readsFile: Bool { longestKey > 16 }

        /// The number of rows recorded.
        var count: Int { partition.count }

        mutating func reserve(_ rows: Int) {
            partition.reserveCapacity(rows)
            let perBucket = rows / IdentifierInterner.partitionCount + 16
            for p in 0..<buckets.count { buckets[p].reserveCapacity(perBucket) }
        }

        /// Forgets the last row recorded (a row a lenient read skips after recording its id).
        mutating func removeLast() {
            guard let p = partition.popLast() else { return }
            buckets[Int(p)].removeLast()
        }

        /// Records the field `base[start..<start + length]` of the next row.
        mutating func append(base: UnsafePointer<UInt8>, start: Int, length: Int) {
            let key = base + start
            let h = IdentifierInterner.hash(key, length)
            let p = Int(h >> UInt64(64 - IdentifierInterner.partitionBits))
            buckets[p].append(
                Record(
                    hash: h, prefix: IdentifierInterner.prefix(key, length), start: start, length: Int32(length),
                    row: Int32(partition.count)))
            partition.append(UInt8(p))
            longestKey = max(longestKey, length)
        }
    }

    /// FNV-1a over the bytes, finished with MurmurHash3's 64-bit mix so every bit depends on every byte.
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for k in 0..<n { h = (h ^ UInt64(p[k])) &* 0x0000_0100_0000_01B3 }
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }

    /// The first 16 bytes of a key, zero padded, as two words: byte k at bits 8k (k < 8) of the first, 8(k − 8) of
    /// the second.
    static func prefix(_ p: UnsafePointer<UInt8>, _ n: Int) -> (UInt64, UInt64) {
        let raw = UnsafeRawPointer(p)
        if n >= 16 {
            return (
                UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)),
                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            )
        }
        var lo: UInt64 = 0, hi: UInt64 = 0
        for k in 0..<min(n, 8) { lo |= UInt64(p[k]) << UInt64(8 * k) }
        if n > 8 { for k in 8..<n { hi |= UInt64(p[k]) << UInt64(8 * (k - 8)) } }
        return (lo, hi)
    }

    /// A slot of a partition's open-addressing table.
    struct Slot {
        var hash: UInt64 = 0
        var prefix: (UInt64, UInt64) = (0, 0)
        var code: Int32 = -1
        var length: Int32 = 0
    }

    /// What interning one partition produces.
    struct PartitionResult {
        /// Per local code: the global row of its first appearance, increasing.
        var firstRow: [Int] = []
        /// Per local code: where its bytes are in the file, and its first 16 bytes (the whole key when
        /// `length` ≤ 16).
        var start: [Int] = []
        var length: [Int32] = []
        var prefix: [(UInt64, UInt64)] = []
    }

    /// Interns all rows of all chunks. `chunkRowOffsets[c]` is the global index of chunk `c`'s first row.
    static func column(
        base: UnsafePointer<UInt8>, chunks: [ChunkFields], chunkRowOffsets: [Int], rows: Int
    ) -> IdentifierColumn {
        nonisolated(unsafe) let file = base
        // 1. Per partition, in parallel: partition-local codes for its rows.
        var rowCode = [Int32](repeating: 0, count: rows)
        var partitions = [PartitionResult](repeating: PartitionResult(), count: partitionCount)
        rowCode.withUnsafeMutableBufferPointer { codesBuffer in
            partitions.withUnsafeMutableBufferPointer { resultsBuffer in
                nonisolated(unsafe) let codes = codesBuffer
                nonisolated(unsafe) let results = resultsBuffer
                DispatchQueue.concurrentPerform(iterations: partitionCount) { p in
                    results[p] = internPartition(
                        p, base: file, chunks: chunks, chunkRowOffsets: chunkRowOffsets, rowCode: codes)
                }
            }
        }
        // 2. Global codes by first appearance: mark each local code at its first row, then scan rows in order.
        var partitionBase = [Int](repeating: 0, count: partitionCount + 1)
        for p in 0..<partitionCount { partitionBase[p + 1] = partitionBase[p] + partitions[p].firstRow.count }
        let distinct = partitionBase[partitionCount]
        var newCodeAt = [Int32](repeating: -1, count: rows)
        for p in 0..<partitionCount {
            for (local, row) in partitions[p].firstRow.enumerated() { newCodeAt[row] = Int32(local) }
        }
        var partitionOfRow = [UInt8](repeating: 0, count: rows)
        for (c, chunk) in chunks.enumerated() {
            let offset = chunkRowOffsets[c]
            for (r, p) in chunk.partition.enumerated() { partitionOfRow[offset + r] = p }
        }
        var globalOf = [Int32](repeating: 0, count: distinct)
        var order = [(partition: Int32, code: Int32)]()
        order.reserveCapacity(distinct)
        for row in 0..<rows where newCodeAt[row] >= 0 {
            let p = Int(partitionOfRow[row])
            let local = Int(newCodeAt[row])
            globalOf[partitionBase[p] + local] = Int32(order.count)
            order.append((Int32(p), Int32(local)))
        }
        // 3. Per row, in parallel: the global code.
        var codes = [Int32](repeating: 0, count: rows)
        let blocks = max(1, min(64, rows / 65_536))
        let finalGlobalOf = globalOf, finalBase = partitionBase, finalPartitionOfRow = partitionOfRow
        let finalRowCode = rowCode
        codes.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: blocks) { b in
                for row in (rows * b / blocks)..<(rows * (b + 1) / blocks) {
                    out[row] = finalGlobalOf[finalBase[Int(finalPartitionOfRow[row])] + Int(finalRowCode[row])]
                }
            }
        }
        // 4. The distinct values as strings, in parallel over ranges of codes.
        var values = [String](repeating: "", count: distinct)
        let finalOrder = order, finalPartitions = partitions
        let stringBlocks = max(1, min(64, distinct / 65_536))
        values.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: stringBlocks) { b in
                for g in (distinct * b / stringBlocks)..<(distinct * (b + 1) / stringBlocks) {
                    let part = finalPartitions[Int(finalOrder[g].partition)]
                    let local = Int(finalOrder[g].code)
                    let length = Int(part.length[local])
                    if length <= 16 {
                        // From the prefix: the file's bytes of a chunk without longer keys may be released.
                        let (lo, hi) = part.prefix[local]
                        out[g] = String(unsafeUninitializedCapacity: length) { buffer in
                            for k in 0..<length {
                                buffer[k] = UInt8(
                                    truncatingIfNeeded: k < 8 ? lo >> UInt64(8 * k) : hi >> UInt64(8 * (k - 8)))
                            }
                            return length
                        }
                    } else {
                        out[g] = String(
                            decoding: UnsafeBufferPointer(start: file + part.start[local], count: length),
                            as: UTF8.self)
                    }
                }
            }
        }
        return IdentifierColumn(values: values, codes: codes)
    }

    /// Interns partition `p`'s records (chunk by chunk, in row order), writing their partition-local codes into
    /// `rowCode`.
    static func internPartition(
        _ p: Int, base: UnsafePointer<UInt8>, chunks: [ChunkFields], chunkRowOffsets: [Int],
        rowCode: UnsafeMutableBufferPointer<Int32>
    ) -> PartitionResult {
        let rowsHere = chunks.reduce(0) { $0 + $1.buckets[p].count }
        // Sized for about a third of the rows being distinct (typical of transaction logs); grows on demand.
        var capacity = 256
        while capacity < rowsHere / 2 { capacity <<= 1 }
        var table = [Slot](repeating: Slot(), count: capacity)
        var mask = capacity - 1
        var result = PartitionResult()
        for (c, chunk) in chunks.enumerated() {
            let offset = chunkRowOffsets[c]
            for record in chunk.buckets[p] {
                let n = Int(record.length)
                var slot = Int(truncatingIfNeeded: record.hash) & mask
                var code: Int32 = -1
                while true {
                    let s = table[slot]
                    if s.code < 0 { break }
                    if s.hash == record.hash && s.length == record.length && s.prefix == record.prefix
                        && (n <= 16 || memcmp(base + result.start[Int(s.code)], base + record.start, n) == 0)
                    {
                        code = s.code
                        break
                    }
                    slot = (slot + 1) & mask
                }
                if code < 0 {
                    code = Int32(result.firstRow.count)
                    table[slot] = Slot(hash: record.hash, prefix: record.prefix, code: code, length: record.length)
                    result.firstRow.append(offset + Int(record.row))
                    result.start.append(record.start)
                    result.length.append(record.length)
                    result.prefix.append(record.prefix)
                    if result.firstRow.count * 2 > capacity {
                        capacity <<= 1
                        mask = capacity - 1
                        let old = table
                        table = [Slot](repeating: Slot(), count: capacity)
                        for s in old where s.code >= 0 {
                            var k = Int(truncatingIfNeeded: s.hash) & mask
                            while table[k].code >= 0 { k = (k + 1) & mask }
                            table[k] = s
                        }
                    }
                }
                rowCode[offset + Int(record.row)] = code
            }
        }
        return result
    }
}

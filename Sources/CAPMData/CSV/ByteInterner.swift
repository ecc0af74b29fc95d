#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps byte strings (customer ids) to dense codes `0, 1, 2, …` in order of first appearance.
///
/// An open-addressing hash table over a single byte arena: interning a field costs one hash and usually one
/// comparison, and no `String` is created until ``strings()`` is called once at the end. On a 10-million-row
/// transaction log this is what keeps id columns from dominating the read time.
///
/// Each slot packs the upper 32 bits of the key's hash with its code, so a probe touches one cache line of
/// the table and the arena only on a likely match; the table is walked through unsafe pointers because it is
/// the hottest loop of the CSV benchmark (`Benchmarks/Benchmarks/CSVReading`).
struct ByteInterner {
    private var arena: [UInt8] = []
    /// `offsets[code] ..< offsets[code + 1]` are the bytes of `code` in ``arena``.
    private var offsets: [Int] = [0]
    /// Empty slots are `UInt64.max`; otherwise `(hash >> 32) << 32 | code`.
    private var slots: [UInt64]
    private var mask: Int
    private(set) var count = 0

    init(expectedCount: Int = 1024) {
        var capacity = 16
        while capacity < expectedCount * 2 { capacity <<= 1 }
        slots = Array(repeating: .max, count: capacity)
        mask = capacity - 1
        offsets.reserveCapacity(expectedCount + 1)
    }

    /// The hash of the empty byte string.
    private static let emptyHash: UInt64 = {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h
    }()

    /// FNV-1a over the bytes, finished with a 64-bit mix so low bits spread well.
    private static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for k in 0..<n { h = (h ^ UInt64(p[k])) &* 0x0000_0100_0000_01B3 }
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h
    }

    /// The code of the byte string `p[0..<n]`, adding it when new.
    mutating func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
        let h = ByteInterner.hash(p, n)
        let tag = h & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: h) & mask
        let found: Int32? = slots.withUnsafeBufferPointer { table -> Int32? in
            offsets.withUnsafeBufferPointer { off -> Int32? in
                arena.withUnsafeBufferPointer { bytes -> Int32? in
                    while true {
                        let entry = table[slot]
                        if entry == .max { return nil }
                        if entry & 0xFFFF_FFFF_0000_0000 == tag {
                            let code = Int(entry & 0xFFFF_FFFF)
                            let start = off[code]
                            if off[code + 1] - start == n, n == 0 || ByteInterner.equal(bytes, start, p, n) {
                                return Int32(code)
                            }
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
        if let found { return found }
        let code = count
        slots[slot] = tag | UInt64(code)
        arena.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        offsets.append(arena.count)
        count += 1
        if count * 2 > slots.count { grow() }
        return Int32(code)
    }

    /// The code of `bytes`, adding it when new.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        guard let base = bytes.baseAddress else {
            var empty: UInt8 = 0
            return withUnsafePointer(to: &empty) { intern($0, 0) }
        }
        return intern(base, bytes.count)
    }

    private static func equal(
        _ arena: UnsafeBufferPointer<UInt8>, _ start: Int, _ p: UnsafePointer<UInt8>, _ n: Int
    ) -> Bool {
        guard let base = arena.baseAddress else { return false }
        return memcmp(base + start, p, n) == 0
    }

    private mutating func grow() {
        let old = slots
        let capacity = slots.count * 2
        slots = Array(repeating: .max, count: capacity)
        mask = capacity - 1
        for entry in old where entry != .max {
            let code = Int(entry & 0xFFFF_FFFF)
            let start = offsets[code]
            let h = arena.withUnsafeBufferPointer { b -> UInt64 in
                guard let base = b.baseAddress else { return ByteInterner.emptyHash }
                return ByteInterner.hash(base + start, offsets[code + 1] - start)
            }
            var slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot] != .max { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
    }

    /// Calls `body` with the bytes of code `code`.
    func withBytes<R>(of code: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        arena.withUnsafeBufferPointer { a in
            body(UnsafeBufferPointer(rebasing: a[offsets[code]..<offsets[code + 1]]))
        }
    }

    /// The distinct byte strings as `String`s (UTF-8 decoded, invalid bytes repaired), in code order.
    func strings() -> [String] {
        (0..<count).map { code in withBytes(of: code) { String(decoding: $0, as: UTF8.self) } }
    }
}


/// An open-addressing hash table from names (byte strings) to integers, keyed by the bytes themselves.
///
/// The MPS reader looks up every row name of every COLUMNS entry (2.5 M lookups on the 1000×50×10
/// allocation model, `Benchmarks/scripts/lp/compare_highs.py --alloc`); a `[String: Int]` dictionary costs a
/// `String` per lookup plus SipHash. Here a lookup hashes the bytes in place (FNV-1a, Fowler–Noll–Vo) and
/// compares them with the stored copy: no allocation. Entries are numbered in insertion order.
/// - Complexity: O(name length) expected per lookup and insertion (load factor ≤ 1/2).
struct NameTable {
    /// The names' bytes, concatenated; entry `e` is `storage[starts[e]..<starts[e + 1]]`.
    private var storage: [UInt8] = []
    private var starts: [Int] = [0]
    private var payload: [Int] = []
    /// Per slot: the entry index + 1 in the low 32 bits (0 when empty) and the hash's high 32 bits above it, so
    /// a probe that meets another name compares its tag first and rarely touches the stored bytes (on 500,000
    /// columns those bytes are cache misses). The count of slots is a power of two.
    private var slots: [UInt64] = [UInt64](repeating: 0, count: 64)

    /// The number of names stored.
    var count: Int { payload.count }

    private static func hash(_ name: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in name {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h ^ (h >> 29)
    }

    /// Whether entry `e`'s name equals `name`.
    func entry(_ e: Int, equals name: UnsafeBufferPointer<UInt8>) -> Bool {
        let s = starts[e]
        let length = starts[e + 1] - s
        guard length == name.count else { return false }
        return storage.withUnsafeBufferPointer { st in
            for k in 0..<length where st[s + k] != name[k] { return false }
            return true
        }
    }

    /// The value stored for `name`, or nil.
    func lookup(_ name: UnsafeBufferPointer<UInt8>) -> Int? {
        let e = find(name, hash: Self.hash(name))
        return e < 0 ? nil : payload[e]
    }

    /// The entry holding `name`, or −1.
    private func find(_ name: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int {
        let mask = slots.count - 1
        let tag = hash >> 32
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let word = slots[slot]
            if word == 0 { return -1 }
            let e = Int(word & 0xFFFF_FFFF) - 1
            if word >> 32 == tag && entry(e, equals: name) { return e }
            slot = (slot + 1) & mask
        }
    }

    /// Stores `name → value` as entry `count`; returns false (and stores nothing) if `name` is present.
    mutating func insert(_ name: UnsafeBufferPointer<UInt8>, value: Int) -> Bool {
        let h = Self.hash(name)
        if find(name, hash: h) >= 0 { return false }
        if 2 * (payload.count + 1) > slots.count { grow() }
        let e = payload.count
        storage.append(contentsOf: name)
        starts.append(storage.count)
        payload.append(value)
        place(e, hash: h)
        return true
    }

    private mutating func place(_ e: Int, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = (hash >> 32) << 32 | UInt64(e + 1)
    }

    private mutating func grow() {
        slots = [UInt64](repeating: 0, count: slots.count * 2)
        for e in 0..<payload.count {
            let h = storage.withUnsafeBufferPointer { st in
                Self.hash(UnsafeBufferPointer(rebasing: st[starts[e]..<starts[e + 1]]))
            }
            place(e, hash: h)
        }
    }
}

/// An open-addressing hash index from text identifiers to their row: the join of a journey log's customers with
/// the value and segment files.
///
/// Hashes the UTF-8 bytes with FNV-1a (Fowler, Noll & Vo) and probes linearly, at most half full. Replaces
/// `Dictionary<String, Int32>`, whose hashing took 3.5 s of a 4.7 s analysis of 3 M journey customers
/// (Docs/journey.md, "Measured"). Read-only after construction, so lookups run in parallel.
/// - Complexity: O(length of the id) expected per lookup or insert.
struct IdentifierIndex: Sendable {
    private var slots: [Int32]
    private let mask: Int
    private(set) var keys: [String]

    /// An empty index sized for about `capacity` keys.
    init(capacity: Int) {
        var size = 16
        while size < 2 * Swift.max(1, capacity) { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        keys = []
        keys.reserveCapacity(capacity)
    }

    /// An index of `ids` and, per distinct key, the last row holding it.
    static func rows(of ids: [String]) -> (index: IdentifierIndex, rowOfKey: [Int32]) {
        var index = IdentifierIndex(capacity: ids.count)
        var rowOfKey: [Int32] = []
        rowOfKey.reserveCapacity(ids.count)
        for (row, id) in ids.enumerated() {
            let key = Int(index.insert(id))
            if key == rowOfKey.count { rowOfKey.append(Int32(row)) } else { rowOfKey[key] = Int32(row) }
        }
        return (index, rowOfKey)
    }

    static func hash(_ id: String) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        let done = id.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            return true
        }
        if done == nil { for b in id.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 } }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// The row of `id`, or nil.
    func row(of id: String) -> Int32? {
        var slot = Self.hash(id) & mask
        while true {
            let row = slots[slot]
            if row < 0 { return nil }
            if keys[Int(row)] == id { return row }
            slot = (slot + 1) & mask
        }
    }

    /// Inserts `id` as the next row and returns its row, or returns the row it already has.
    mutating func insert(_ id: String) -> Int32 {
        if (keys.count + 1) * 2 > slots.count { grow() }
        var slot = Self.hash(id) & mask
        while true {
            let row = slots[slot]
            if row < 0 {
                slots[slot] = Int32(keys.count)
                keys.append(id)
                return Int32(keys.count - 1)
            }
            if keys[Int(row)] == id { return row }
            slot = (slot + 1) & mask
        }
    }

    private mutating func grow() {
        var bigger = IdentifierIndex(capacity: slots.count)
        for key in keys { _ = bigger.insert(key) }
        self = bigger
    }
}

/// Maps byte strings (customer ids) to dense codes `0, 1, 2, …` in order of first appearance.
///
/// An open-addressing hash table over a single byte arena: interning a field costs one hash and usually one
/// comparison, and no `String` is created until ``strings()`` is called once at the end. On a 10-million-row
/// transaction log this is what keeps id columns from dominating the read time.
struct ByteInterner {
    private var arena: [UInt8] = []
    private var offsets: [Int] = [0]
    private var hashes: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int

    init(expectedCount: Int = 1024) {
        var capacity = 16
        while capacity < expectedCount * 2 { capacity <<= 1 }
        slots = Array(repeating: -1, count: capacity)
        mask = capacity - 1
    }

    /// The number of distinct byte strings seen.
    var count: Int { hashes.count }

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
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let code = slots[slot]
            if code < 0 { break }
            if hashes[Int(code)] == h && matches(Int(code), p, n) { return code }
            slot = (slot + 1) & mask
        }
        let code = Int32(hashes.count)
        slots[slot] = code
        hashes.append(h)
        arena.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        offsets.append(arena.count)
        if hashes.count * 2 > slots.count { grow() }
        return code
    }

    /// The code of `bytes`, adding it when new.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        guard let base = bytes.baseAddress else {
            var empty: UInt8 = 0
            return withUnsafePointer(to: &empty) { intern($0, 0) }
        }
        return intern(base, bytes.count)
    }

    private func matches(_ code: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let start = offsets[code]
        guard offsets[code + 1] - start == n else { return false }
        return arena.withUnsafeBufferPointer { a in
            for k in 0..<n where a[start + k] != p[k] { return false }
            return true
        }
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = Array(repeating: -1, count: capacity)
        mask = capacity - 1
        for (code, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(code)
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

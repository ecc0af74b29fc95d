import CSHA256
import Foundation

/// SHA-256 (FIPS 180-4, *Secure Hash Standard*, §6.2), for the checksums of a run's input files in `run.json`.
///
/// Streaming: ``update(_:)`` any number of times, then ``finalize()``. Checked against the FIPS 180-4 example
/// vectors ("abc", the 448-bit message, one million `a`).
public struct SHA256: Sendable {
    /// Round constants: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    static let k: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )
    private var pending: [UInt8] = []
    private var length: UInt64 = 0

    /// A hasher with the initial hash value H(0).
    public init() {}

    /// Adds `bytes` to the message.
    /// - Complexity: O(bytes.count).
    public mutating func update<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let done: Bool? = bytes.withContiguousStorageIfAvailable { buffer in
            update(UnsafeRawBufferPointer(buffer))
            return true
        }
        if done == nil { Array(bytes).withUnsafeBytes { update($0) } }
    }

    /// Adds raw bytes: tops up a pending partial block, then hashes whole blocks in place.
    private mutating func update(_ buffer: UnsafeRawBufferPointer) {
        length &+= UInt64(buffer.count)
        guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var offset = 0
        if !pending.isEmpty {
            let take = Swift.min(64 - pending.count, buffer.count)
            pending.append(contentsOf: UnsafeBufferPointer(start: base, count: take))
            offset = take
            if pending.count == 64 {
                let block = pending
                block.withUnsafeBufferPointer { p in
                    if let b = p.baseAddress { SHA256.compress(&state, blocks: b, count: 1) }
                }
                pending.removeAll(keepingCapacity: true)
            }
        }
        let whole = (buffer.count - offset) / 64
        if whole > 0 {
            SHA256.compress(&state, blocks: base + offset, count: whole)
            offset += whole * 64
        }
        if offset < buffer.count {
            pending.append(contentsOf: UnsafeBufferPointer(start: base + offset, count: buffer.count - offset))
        }
    }

    /// The 32-byte digest of the message so far (the hasher is consumed).
    public mutating func finalize() -> [UInt8] {
        let bits = length &* 8
        var tail: [UInt8] = [0x80]
        while (pending.count + tail.count) % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        let savedLength = length
        update(tail)
        length = savedLength
        var out: [UInt8] = []
        for word in [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7] {
            for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: word >> UInt32(shift))) }
        }
        return out
    }

    /// The lowercase hexadecimal digest of `bytes`.
    public static func hex<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(bytes)
        return hexString(hasher.finalize())
    }

    /// The lowercase hexadecimal digest of the file at `url`, read in 4 MiB blocks, and its size in bytes.
    ///
    /// - Throws: ``PipelineError/unreadableInput(path:reason:)``.
    /// - Complexity: O(file size).
    public static func file(_ url: URL) throws(PipelineError) -> (hex: String, bytes: Int) {
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw .unreadableInput(path: url.path, reason: error.localizedDescription)
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var total = 0
        while true {
            let block: Data?
            do { block = try handle.read(upToCount: 4 << 20) } catch {
                throw .unreadableInput(path: url.path, reason: error.localizedDescription)
            }
            guard let block, !block.isEmpty else { break }
            total += block.count
            hasher.update(block)
        }
        return (hexString(hasher.finalize()), total)
    }

    static func hexString(_ digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(digest.count * 2)
        for b in digest {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `count` consecutive 512-bit blocks (FIPS 180-4 §6.2.2). Raw pointers and locals because it runs once per
    /// 64 bytes of every input and output file (hundreds of megabytes for millions of customers); the message
    /// schedule lives in one stack buffer for all blocks.
    private static func compress(
        _ state: inout (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32), blocks: UnsafePointer<UInt8>,
        count: Int
    ) {
        // The SHA extensions where the CPU has them (same result; the tests compare both paths).
        if hardware { hardwareCompress(&state, blocks: blocks, count: count) } else {
            portableCompress(&state, blocks: blocks, count: count)
        }
    }

    /// ``compress(_:blocks:count:)`` on the x86 SHA extensions (C target `CSHA256`); only when ``hardware``.
    static func hardwareCompress(
        _ state: inout (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32), blocks: UnsafePointer<UInt8>,
        count: Int
    ) {
        var words = [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
        words.withUnsafeMutableBufferPointer { w in
            if let base = w.baseAddress { capm_sha256_compress_ni(base, blocks, count) }
        }
        state = (words[0], words[1], words[2], words[3], words[4], words[5], words[6], words[7])
    }

    /// Whether this CPU runs the SHA-extension compression (cpuid: SHA, SSSE3, SSE4.1).
    static let hardware = capm_sha256_ni_available() != 0

    /// ``compress(_:blocks:count:)`` in Swift: the reference, and the path on CPUs without the SHA extensions.
    static func portableCompress(
        _ state: inout (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32), blocks: UnsafePointer<UInt8>,
        count: Int
    ) {
        @inline(__always) func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x &>> n) | (x &<< (32 &- n)) }
        var h0 = state
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { wb in
            SHA256.k.withUnsafeBufferPointer { kb in
                guard let w = wb.baseAddress, let k = kb.baseAddress else { return }
                for n in 0..<count {
                    let block = blocks + 64 * n
                    for t in 0..<16 {
                        let p = block + 4 * t
                        w[t] = UInt32(p[0]) << 24 | UInt32(p[1]) << 16 | UInt32(p[2]) << 8 | UInt32(p[3])
                    }
                    for t in 16..<64 {
                        let x = w[t - 15], y = w[t - 2]
                        let s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x &>> 3)
                        let s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y &>> 10)
                        w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
                    }
                    var (a, b, c, d, e, f, g, h) = h0
                    for t in 0..<64 {
                        let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                        let ch = (e & f) ^ (~e & g)
                        let t1 = h &+ s1 &+ ch &+ k[t] &+ w[t]
                        let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                        let maj = (a & b) ^ (a & c) ^ (b & c)
                        h = g
                        g = f
                        f = e
                        e = d &+ t1
                        d = c
                        c = b
                        b = a
                        a = t1 &+ s0 &+ maj
                    }
                    h0 = (
                        h0.0 &+ a, h0.1 &+ b, h0.2 &+ c, h0.3 &+ d, h0.4 &+ e, h0.5 &+ f, h0.6 &+ g, h0.7 &+ h
                    )
                }
            }
        }
        state = h0
    }
}

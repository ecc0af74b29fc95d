import Foundation
import Testing

@testable import Pipeline

@Suite("SHA-256")
struct SHA256Tests {
    /// FIPS 180-4 example vectors (NIST CSRC "SHA256.pdf", "SHA256_2.pdf") and the empty message.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
    ])
    func knownVectors(message: String, digest: String) {
        #expect(SHA256.hex(Array(message.utf8)) == digest)
    }

    /// The SHA-extension compression (used when the CPU has it) equals the Swift one on pseudo-random blocks.
    @Test(arguments: [1, 2, 3, 16, 257])
    func hardwareAndPortableCompressionAgree(blocks: Int) throws {
        try #require(SHA256.hardware, "this CPU has no SHA extensions: only the Swift path runs here")
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(blocks)
        let bytes = (0..<(64 * blocks)).map { _ -> UInt8 in
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: x >> 56)
        }
        let initial: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
            0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19)
        var portable = initial, hardware = initial
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return }
            SHA256.portableCompress(&portable, blocks: base, count: blocks)
            SHA256.hardwareCompress(&hardware, blocks: base, count: blocks)
        }
        func words(_ s: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)) -> [UInt32] {
            [s.0, s.1, s.2, s.3, s.4, s.5, s.6, s.7]
        }
        #expect(words(portable) == words(hardware))
        #expect(words(portable) != words(initial))
    }

    /// One million 'a' (FIPS 180-4), fed in uneven pieces to cross block boundaries.
    @Test func millionAInPieces() {
        var hasher = SHA256()
        let a = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        var offset = 0
        var piece = 1
        while offset < a.count {
            let end = min(a.count, offset + piece)
            hasher.update(a[offset..<end])
            offset = end
            piece = piece * 3 % 1000 + 1
        }
        #expect(SHA256.hexString(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Lengths around the padding boundary (at 56 bytes the length no longer fits the last block), read from
    /// files. Digests from Python's hashlib (an independent implementation) of bytes `(7·i) mod 256`.
    @Test(arguments: [
        (55, "576a1bf8d4478657e6dc4af9398544765c2a92cde28478b019235cfed315fc09"),
        (56, "9b20501dfd1d99161c257950f3444f3e49230c351c5c8e0943ef369f85f5205d"),
        (63, "30b345906b493f06f69444b6521113511c242f30e29840462950035043682f1e"),
        (64, "d8bc63b4fc1156e5e7d95a418b9bf54cd3174bedbc2db40f74895349b229b3c0"),
        (65, "1ee23b0fbcaecc1aff4a9e8f1645f35ab2c8e13609cd73b68df8b5e3f63ce073"),
    ])
    func paddingBoundaries(length n: Int, digest: String) throws {
        let dir = try Fixtures.scratch("sha")
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let url = dir.appendingPathComponent("f\(n)")
        try Data(bytes).write(to: url)
        let file = try SHA256.file(url)
        #expect(file.bytes == n)
        #expect(file.hex == digest)
        #expect(SHA256.hex(bytes) == digest)
    }

    /// A missing file is a typed error naming it.
    @Test func missingFile() {
        #expect(throws: PipelineError.self) { try SHA256.file(URL(fileURLWithPath: "/nonexistent/capm.csv")) }
    }
}

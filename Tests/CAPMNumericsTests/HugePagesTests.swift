import Testing
@testable import CAPMNumerics

@Suite("huge page advice")
struct HugePagesTests {
    @Test("advises only the whole 2 MiB pages inside the buffer and leaves its contents alone",
          arguments: [0, 1 << 20, (2 << 20) - 8, 6 << 20, (9 << 20) + 24])
    func interiorOnly(bytes: Int) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes, 1), alignment: 8)
        defer { buffer.deallocate() }
        let region = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<bytes])
        let probes = Array(stride(from: 0, to: bytes, by: 4093))
        for i in probes { region[i] = UInt8(truncatingIfNeeded: i &* 31) }
        let advised = HugePages.advise(region)
        let base = region.baseAddress.map { UInt(bitPattern: $0) } ?? 0
        let size = UInt(HugePages.size)
        let start = (base + size - 1) / size * size
        let end = (base + UInt(bytes)) / size * size
        let interior = end > start ? Int(end - start) : 0
        // The kernel may refuse (THP compiled out or disabled); when it accepts, exactly the interior is advised.
        #expect(advised == interior || advised == 0)
        if interior == 0 { #expect(advised == 0) }
        #expect(advised % HugePages.size == 0)
        #expect(probes.allSatisfy { region[$0] == UInt8(truncatingIfNeeded: $0 &* 31) })
    }
}

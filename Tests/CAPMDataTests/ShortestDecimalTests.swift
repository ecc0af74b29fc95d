import Foundation
import Testing

@testable import CAPMData

@Suite("Shortest round-trip decimal")
struct ShortestDecimalTests {
    /// The text must be Swift's `description` byte for byte and read back to the same bits.
    static func check(_ x: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = ShortestDecimal.string(x)
        #expect(text == x.description, "bits \(String(x.bitPattern, radix: 16))", sourceLocation: sourceLocation)
        if x.isNaN { return }
        #expect(Double(text)?.bitPattern == x.bitPattern, "\(text)", sourceLocation: sourceLocation)
        #expect(strtod(text, nil).bitPattern == x.bitPattern, "\(text) through strtod", sourceLocation: sourceLocation)
    }

    static let hardValues: [Double] = [
        0.0, -0.0, 1, -1, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 100, 123.456, 1e15, 1e16, 1e17, 1e21, 1e22, 1e23,
        Double(bitPattern: 1), -Double(bitPattern: 1), Double(bitPattern: 2), Double(bitPattern: 3),
        2.2250738585072014e-308, Double(bitPattern: 0x000F_FFFF_FFFF_FFFF), Double(bitPattern: 0x0000_5C3B_2A5E_0F1D),
        1.7976931348623157e308, -1.7976931348623157e308, 9007199254740992, 9007199254740994, 4503599627370495.5, 4503599627370496, 0.0001, 0.00010000000000000002, 9.999999999999999e-05,
        1e-05, 1.5e-05, 1e-7, 1e100, 2.5e-300, 123456789012345680, 0.30000000000000004, 2.0e-3, 1.0e-3,
        8.41e21, 1e308, 9.5e-5, 65536, 0.5, 0.25, 1.4142135623730951, 3.141592653589793, Double.ulpOfOne,
        Double.leastNormalMagnitude, Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude,
        .infinity, -.infinity, .nan,
    ]

    @Test(arguments: hardValues)
    func hardCases(x: Double) {
        Self.check(x)
    }

    /// 2^53 + 1 is not a double: the literal rounds to 2^53; its neighbours on both sides are checked.
    @Test func aroundTwoToThe53() {
        let p = 9_007_199_254_740_992.0
        for x in [p.nextDown.nextDown, p.nextDown, p, p.nextUp, p.nextUp.nextUp, Double(9_007_199_254_740_993 as Int64)] {
            Self.check(x)
            Self.check(-x)
        }
        #expect(ShortestDecimal.string(p) == "9007199254740992.0")
        #expect(ShortestDecimal.string(p.nextUp) == "9.007199254740994e+15")
    }

    /// Every power of two and of ten in range, with its neighbours (the asymmetric intervals at binade edges).
    @Test func powersAndNeighbours() {
        for e in -1074...1023 {
            let x = Double(sign: .plus, exponent: e, significand: 1)
            for y in [x.nextDown, x, x.nextUp] where y > 0 && y.isFinite { Self.check(y) }
        }
        for e in -323...308 {
            guard let x = Double("1e\(e)") else { continue }
            for y in [x.nextDown, x, x.nextUp] where y > 0 && y.isFinite { Self.check(y) }
        }
    }

    /// The smallest subnormals, where the scaled value has one or two digits.
    @Test func smallSubnormals() {
        for t in UInt64(1)...2_000 { Self.check(Double(bitPattern: t)) }
    }

    /// Random bit patterns over the whole range (finite, both signs), and random values near 1 and of money size.
    @Test func randomBitPatterns() {
        var generator = SplitMix(seed: 42)
        for _ in 0..<200_000 {
            let x = Double(bitPattern: generator.next())
            if x.isFinite { Self.check(x) }
        }
        for _ in 0..<100_000 {
            let u = Double(generator.next() >> 11) * 0x1p-53
            Self.check(u)
            Self.check(u * 1000)
            Self.check((u * 1e6).rounded() / 100)
        }
    }

    @Test func appendAndWriteAgree() {
        var bytes: [UInt8] = Array("x=".utf8)
        ShortestDecimal.append(-1.5e-7, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "x=-1.5e-07")
        let longest = -1.7976931348623157e308
        #expect(ShortestDecimal.string(longest).utf8.count == ShortestDecimal.maxLength)
        #expect(ShortestDecimal.decimal(100).significand == 100)
        var (f, e) = ShortestDecimal.decimal(0.1)
        while f % 10 == 0 {
            f /= 10
            e += 1
        }
        #expect(f == 1 && e == -1)
    }

    /// The floor-logarithm shortcuts equal the exact floors over the range used.
    @Test func floorLogarithms() {
        for e in -1200...1200 {
            #expect(ShortestDecimal.floorLog10Pow2(e) == Int((Double(e) * log10(2.0)).rounded(.down)))
            #expect(ShortestDecimal.floorLog2Pow10(e) == Int((Double(e) * log2(10.0)).rounded(.down)))
            #expect(
                ShortestDecimal.floorLog10ThreeQuartersPow2(e)
                    == Int((Double(e) * log10(2.0) + log10(0.75)).rounded(.down)))
        }
    }

    /// Every entry g(e) of the table is ⌊10^e · 2^(125 − ⌊e · log₂10⌋)⌋ + 1, recomputed with exact integers.
    @Test func powerTableIsExact() {
        #expect(ShortestDecimal.powers.count == 2 * 617)
        for e in -292...324 {
            let i = 2 * (e + 292)
            let g = BigUInt(ShortestDecimal.powers[i]).shiftedLeft(63) + BigUInt(ShortestDecimal.powers[i + 1])
            let below = g.minusOne()  // ⌊10^e · 2^s⌋
            let s = 125 - ShortestDecimal.floorLog2Pow10(e)
            // Check below ≤ 10^e · 2^s < below + 1, with every factor moved to make both sides integers.
            var ten = BigUInt(1)
            for _ in 0..<abs(e) { ten = ten.times(10) }
            let (lhsLow, lhsHigh, rhs): (BigUInt, BigUInt, BigUInt)
            if e >= 0 {
                (lhsLow, lhsHigh) = s >= 0 ? (below, g) : (below.shiftedLeft(-s), g.shiftedLeft(-s))
                rhs = s >= 0 ? ten.shiftedLeft(s) : ten
            } else {
                (lhsLow, lhsHigh, rhs) = (below.timesBig(ten), g.timesBig(ten), BigUInt(1).shiftedLeft(s))
            }
            #expect(lhsLow <= rhs && rhs < lhsHigh, "10^\(e)")
            #expect(g > BigUInt(1).shiftedLeft(125) && g <= BigUInt(1).shiftedLeft(126), "10^\(e)")
        }
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): test bit patterns.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A non-negative integer as little-endian 32-bit limbs: just enough to check the power table exactly.
private struct BigUInt: Comparable {
    var limbs: [UInt32]

    init(_ value: UInt64) {
        limbs = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
        trim()
    }

    init(limbs: [UInt32]) {
        self.limbs = limbs
        trim()
    }

    mutating func trim() {
        while let last = limbs.last, last == 0 { limbs.removeLast() }
    }

    func times(_ m: UInt32) -> BigUInt {
        var out: [UInt32] = []
        var carry: UInt64 = 0
        for limb in limbs {
            let p = UInt64(limb) * UInt64(m) + carry
            out.append(UInt32(truncatingIfNeeded: p))
            carry = p >> 32
        }
        out.append(UInt32(carry))
        return BigUInt(limbs: out)
    }

    func timesBig(_ other: BigUInt) -> BigUInt {
        var out = [UInt32](repeating: 0, count: limbs.count + other.limbs.count + 1)
        for (i, a) in limbs.enumerated() {
            var carry: UInt64 = 0
            for (j, b) in other.limbs.enumerated() {
                let p = UInt64(a) * UInt64(b) + UInt64(out[i + j]) + carry
                out[i + j] = UInt32(truncatingIfNeeded: p)
                carry = p >> 32
            }
            var k = i + other.limbs.count
            while carry > 0 {
                let p = UInt64(out[k]) + carry
                out[k] = UInt32(truncatingIfNeeded: p)
                carry = p >> 32
                k += 1
            }
        }
        return BigUInt(limbs: out)
    }

    func shiftedLeft(_ bits: Int) -> BigUInt {
        let whole = bits / 32, part = bits % 32
        var out = [UInt32](repeating: 0, count: whole)
        var carry: UInt32 = 0
        for limb in limbs {
            out.append(part == 0 ? limb : (limb << UInt32(part)) | carry)
            carry = part == 0 ? 0 : limb >> UInt32(32 - part)
        }
        out.append(carry)
        return BigUInt(limbs: out)
    }

    func minusOne() -> BigUInt {
        var out = limbs
        var i = 0
        while out[i] == 0 {
            out[i] = .max
            i += 1
        }
        out[i] -= 1
        return BigUInt(limbs: out)
    }

    static func + (a: BigUInt, b: BigUInt) -> BigUInt {
        var out: [UInt32] = []
        var carry: UInt64 = 0
        for i in 0..<max(a.limbs.count, b.limbs.count) {
            let s = UInt64(i < a.limbs.count ? a.limbs[i] : 0) + UInt64(i < b.limbs.count ? b.limbs[i] : 0) + carry
            out.append(UInt32(truncatingIfNeeded: s))
            carry = s >> 32
        }
        out.append(UInt32(carry))
        return BigUInt(limbs: out)
    }

    static func < (a: BigUInt, b: BigUInt) -> Bool {
        if a.limbs.count != b.limbs.count { return a.limbs.count < b.limbs.count }
        for i in stride(from: a.limbs.count - 1, through: 0, by: -1) where a.limbs[i] != b.limbs[i] {
            return a.limbs[i] < b.limbs[i]
        }
        return false
    }
}

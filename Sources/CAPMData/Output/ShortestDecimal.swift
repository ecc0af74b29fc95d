/// The shortest decimal that reads back as the same `Double`, written as bytes in exactly the text of Swift's
/// `Double.description` — without building a `String` per number.
///
/// **Digits.** For a finite x ≠ 0 the digits are those of the decimal d · 10^e with the fewest significant digits
/// inside x's rounding interval (the reals that round to x under round-half-even), and among those the one closest to
/// x (a tie goes to the even last digit): the interval test and the choice follow R. Giulietti, "The Schubfach way to
/// render doubles" (2020): x = c · 2^q is scaled by a 126-bit approximation g of 10^−k (k = ⌊q · log₁₀2⌋, or
/// ⌊log₁₀(¾ · 2^q)⌋ at the lower edge of a binade), rounded to odd, which keeps every comparison of the scaled
/// bounds with a candidate exact. Unlike Giulietti's Java rendering, there is no two-digit minimum (5e-324, not
/// 4.9E-324), so the result is the shortest for every double, subnormals included.
///
/// **Text.** As `description`: `nan`, `inf`, `-inf`, `0.0`, `-0.0`; positional (`123.456`, `0.0001`, `100.0` — an
/// integer keeps `.0`) for 10⁻⁴ ≤ |x| ≤ 2⁵³, otherwise exponential with a two-digit-minimum signed exponent
/// (`1e-05`, `1.5e+16`, `5e-324`). Reading the text back (`Double(_:)`, `strtod`) gives x bit for bit.
///
/// Checked against `description` and parse-back in `Tests/CAPMDataTests/ShortestDecimalTests.swift` (hard cases and
/// random bit patterns).
public enum ShortestDecimal {
    /// The most bytes one number takes (`-1.7976931348623157e+308` has 24).
    public static let maxLength = 24

    /// Writes the text of `value` to `out`, which must have room for ``maxLength`` bytes; returns the bytes written.
    ///
    /// - Complexity: O(1): three 64 × 64-bit multiplications per bound and at most 17 digits.
    public static func write(_ value: Double, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        if value.isNaN {
            out[0] = UInt8(ascii: "n"); out[1] = UInt8(ascii: "a"); out[2] = UInt8(ascii: "n")
            return 3
        }
        if value.sign == .minus {
            out[0] = UInt8(ascii: "-")
            n = 1
        }
        let magnitude = value.magnitude
        if magnitude.isInfinite {
            out[n] = UInt8(ascii: "i"); out[n + 1] = UInt8(ascii: "n"); out[n + 2] = UInt8(ascii: "f")
            return n + 3
        }
        if magnitude == 0 {
            out[n] = UInt8(ascii: "0"); out[n + 1] = UInt8(ascii: "."); out[n + 2] = UInt8(ascii: "0")
            return n + 3
        }
        var (f, e) = decimal(magnitude)
        while f % 10 == 0 {
            f /= 10
            e += 1
        }
        // Hot path (8–11 numbers per customers.csv row): the digits go right-aligned into 24 bytes of stack scratch,
        // two at a time from a constant table, then are copied into place around the point or the exponent.
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
        return withUnsafeMutableBytes(of: &scratch) { raw -> Int in
            let end = raw.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self) + 24
            let pairs = Self.digitPairs.utf8Start
            var d = end
            var rest = f
            while rest >= 100 {
                let r = Int(truncatingIfNeeded: rest % 100)
                rest /= 100
                d -= 2
                d[0] = pairs[2 &* r]
                d[1] = pairs[2 &* r &+ 1]
            }
            if rest >= 10 {
                let r = Int(truncatingIfNeeded: rest)
                d -= 2
                d[0] = pairs[2 &* r]
                d[1] = pairs[2 &* r &+ 1]
            } else {
                d -= 1
                d[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest)
            }
            let count = end - d
            let point = e + count - 1  // decimal exponent of the leading digit
            var o = out + n
            if magnitude >= 0.0001 && magnitude <= 9_007_199_254_740_992 {
                if point >= 0 {
                    // Integer part: the first point + 1 digits (padded with zeros), then the fraction or ".0".
                    if count > point + 1 {
                        o.update(from: d, count: point + 1)
                        o += point + 1
                        o[0] = UInt8(ascii: ".")
                        o += 1
                        o.update(from: d + point + 1, count: count - point - 1)
                        o += count - point - 1
                    } else {
                        o.update(from: d, count: count)
                        o += count
                        o.update(repeating: UInt8(ascii: "0"), count: point + 1 - count)
                        o += point + 1 - count
                        o[0] = UInt8(ascii: ".")
                        o[1] = UInt8(ascii: "0")
                        o += 2
                    }
                } else {
                    o[0] = UInt8(ascii: "0")
                    o[1] = UInt8(ascii: ".")
                    o += 2
                    o.update(repeating: UInt8(ascii: "0"), count: -point - 1)
                    o += -point - 1
                    o.update(from: d, count: count)
                    o += count
                }
            } else {
                o[0] = d[0]
                o += 1
                if count > 1 {
                    o[0] = UInt8(ascii: ".")
                    o += 1
                    o.update(from: d + 1, count: count - 1)
                    o += count - 1
                }
                o[0] = UInt8(ascii: "e")
                o[1] = point < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
                o += 2
                let exponent = Int(point.magnitude)
                if exponent >= 100 {
                    o[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: exponent / 100)
                    o += 1
                }
                let r = exponent % 100
                o[0] = pairs[2 &* r]
                o[1] = pairs[2 &* r &+ 1]
                o += 2
            }
            return o - out
        }
    }

    /// "00", "01", …, "99".
    static var digitPairs: StaticString { "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899" }

    /// Appends the text of `value` to `bytes`.
    public static func append(_ value: Double, to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { scratch in
            let base = scratch.baseAddress.unsafelyUnwrapped
            let n = write(value, to: base)
            bytes.append(contentsOf: UnsafeBufferPointer(start: base, count: n))
        }
    }

    /// The text of `value` (equal to `value.description`).
    public static func string(_ value: Double) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(maxLength)
        append(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The shortest decimal f · 10^e in the rounding interval of a finite `value` > 0, closest to it (ties to even f);
    /// f may end in zeros (an integer below 2⁵³ comes back as itself with e = 0).
    ///
    /// - Precondition: `value` is finite and > 0.
    public static func decimal(_ value: Double) -> (significand: UInt64, exponent: Int) {
        let bits = value.bitPattern
        let fraction = bits & (1 << 52 - 1)
        let biased = Int((bits >> 52) & 0x7FF)
        if biased == 0 { return decimal(c: fraction, q: minExponent) }
        let shift = 1075 - biased
        let c = 1 << 52 | fraction
        if shift > 0 && shift < 53 {
            // An integer below 2^53: its own digits.
            let integer = c >> UInt64(shift)
            if integer << UInt64(shift) == c { return (integer, 0) }
        }
        return decimal(c: c, q: -shift)
    }

    /// q of the least subnormal, 2^−1074.
    static let minExponent = -1074

    /// x = c · 2^q with 0 < c < 2^53 (c ≥ 2^52 unless q = −1074).
    static func decimal(c: UInt64, q: Int) -> (significand: UInt64, exponent: Int) {
        let out: UInt64 = c & 1  // an odd c excludes the interval's bounds (round-half-even reads them as neighbours)
        let cb = c << 2
        let cbr = cb + 2
        let cbl: UInt64
        let k: Int
        if c != 1 << 52 || q == minExponent {
            cbl = cb - 2
            k = floorLog10Pow2(q)
        } else {
            // The lower neighbour is half as far: the interval is [x − 2^(q−2), x + 2^(q−1)].
            cbl = cb - 1
            k = floorLog10ThreeQuartersPow2(q)
        }
        let h = q + floorLog2Pow10(-k) + 2
        let index = 2 * (-k + 292)
        let g1 = powers[index], g0 = powers[index + 1]
        let vb = roundToOdd(g1, g0, cb << UInt64(h))
        let vbl = roundToOdd(g1, g0, cbl << UInt64(h))
        let vbr = roundToOdd(g1, g0, cbr << UInt64(h))
        // 4 · x · 10^−k lies in [vbl, vbr] (rounded to odd); its integer part s has 16 or 17 digits for normal x.
        let s = vb >> 2
        // One digit fewer: the interval is narrower than 10 units of s, so at most one multiple of 10 lies in it.
        let sp10 = s / 10 * 10
        let tp10 = sp10 + 10
        let lowerIn10 = vbl + out <= sp10 << 2
        let upperIn10 = tp10 << 2 + out <= vbr
        if lowerIn10 != upperIn10 { return (lowerIn10 ? sp10 : tp10, k) }
        let t = s + 1
        let lowerIn = vbl + out <= s << 2
        let upperIn = t << 2 + out <= vbr
        if lowerIn != upperIn { return (lowerIn ? s : t, k) }
        // Both (or, impossible for a double, neither) in: the closer, a tie to the even one.
        let midpoint = (s + t) << 1
        return (vb < midpoint || vb == midpoint && s & 1 == 0 ? s : t, k)
    }

    /// ⌊g · cp / 2^127⌋ rounded to odd (the lowest bit set when the quotient is inexact), g = g₁ · 2^63 + g₀.
    @inline(__always)
    static func roundToOdd(_ g1: UInt64, _ g0: UInt64, _ cp: UInt64) -> UInt64 {
        let x1 = g0.multipliedFullWidth(by: cp).high
        let y = g1.multipliedFullWidth(by: cp)
        let z = (y.low >> 1) &+ x1
        let vbp = y.high &+ (z >> 63)
        let mask: UInt64 = 1 << 63 - 1
        return vbp | ((z & mask) &+ mask) >> 63
    }

    /// ⌊e · log₁₀2⌋ for |e| ≤ 5,456,721.
    static func floorLog10Pow2(_ e: Int) -> Int { (e * 661_971_961_083) >> 41 }

    /// ⌊log₁₀(¾ · 2^e)⌋ for |e| ≤ 5,456,721.
    static func floorLog10ThreeQuartersPow2(_ e: Int) -> Int { (e * 661_971_961_083 - 274_743_187_321) >> 41 }

    /// ⌊e · log₂10⌋ for |e| ≤ 6,432,162.
    static func floorLog2Pow10(_ e: Int) -> Int { (e * 913_124_641_741) >> 38 }
}

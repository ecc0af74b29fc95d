#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level parsers for one field. Each takes the field's bytes (no delimiter, no quotes, trimmed) and
/// returns `nil` when the text is not of the type.
///
/// They work on raw pointers because they run once per field of multi-gigabyte files:
/// the CSV benchmark (`Benchmarks/Benchmarks/CSVReading`) measured Foundation's `Double(String)` path at
/// several times the cost of the whole tokenizer.
enum FieldParsers {
    /// Exact powers of ten representable in a `Double` (10⁰ … 10²²), for Clinger's fast path.
    static let powersOfTen: [Double] = (0...22).map { (e: Int) -> Double in
        var v = 1.0
        for _ in 0..<e { v *= 10 }
        return v
    }

    /// Reads an optional leading `+` or `-`: whether it was `-`, and where the digits start.
    static func sign(_ p: UnsafePointer<UInt8>, _ count: Int) -> (negative: Bool, next: Int) {
        guard count > 0, p[0] == UInt8(ascii: "-") || p[0] == UInt8(ascii: "+") else { return (false, 0) }
        return (p[0] == UInt8(ascii: "-"), 1)
    }

    /// Parses a decimal floating-point number (`-12.5`, `3`, `.5`, `1e-3`, `+7.`).
    ///
    /// Correctly rounded: Clinger's fast path (W. D. Clinger, "How to read floating point numbers accurately",
    /// PLDI 1990) when the significand has at most 19 digits, is below 2⁵³ and the decimal exponent is within
    /// ±22; `strtod` otherwise. Rejects `nan`, `inf` and anything with trailing characters.
    static func double(_ p: UnsafePointer<UInt8>, _ count: Int) -> Double? {
        var (negative, i) = sign(p, count)
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var digits = 0
        var truncated = false
        while i < count {
            let d = p[i] &- 48
            if d > 9 { break }
            digits += 1
            if significant < 19 {
                mantissa = mantissa &* 10 &+ UInt64(d)
                if mantissa != 0 { significant += 1 }
            } else {
                exponent += 1
                if d != 0 { truncated = true }
            }
            i += 1
        }
        if i < count && p[i] == UInt8(ascii: ".") {
            i += 1
            while i < count {
                let d = p[i] &- 48
                if d > 9 { break }
                digits += 1
                if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    if mantissa != 0 { significant += 1 }
                    exponent -= 1
                } else if d != 0 {
                    truncated = true
                }
                i += 1
            }
        }
        if digits == 0 { return nil }
        if i < count && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
            i += 1
            var expNegative = false
            if i < count && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) {
                expNegative = p[i] == UInt8(ascii: "-")
                i += 1
            }
            var e = 0
            var expDigits = 0
            while i < count {
                let d = p[i] &- 48
                if d > 9 { break }
                if e < 100_000 { e = e * 10 + Int(d) }
                expDigits += 1
                i += 1
            }
            if expDigits == 0 { return nil }
            exponent += expNegative ? -e : e
        }
        if i != count { return nil }
        if !truncated && mantissa <= (1 << 53) && exponent >= -22 && exponent <= 22 {
            let m = Double(mantissa)
            let value = exponent >= 0 ? m * powersOfTen[exponent] : m / powersOfTen[-exponent]
            return negative ? -value : value
        }
        return slowDouble(p, count)
    }

    /// `strtod` on a NUL-terminated copy, for the rare fields outside the fast path.
    static func slowDouble(_ p: UnsafePointer<UInt8>, _ count: Int) -> Double? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer -> Double? in
            for k in 0..<count { buffer[k] = CChar(bitPattern: p[k]) }
            buffer[count] = 0
            guard let base = buffer.baseAddress else { return nil }
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(base, &end)
            guard let end, end - base == count, value.isFinite else { return nil }
            return value
        }
    }

    /// Parses a whole decimal number with an optional sign; `nil` on overflow or stray characters.
    static func integer(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int? {
        var (negative, i) = sign(p, count)
        if i == count { return nil }
        var value = 0
        while i < count {
            let d = p[i] &- 48
            if d > 9 { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int(d))
            if o1 || o2 { return nil }
            value = s
            i += 1
        }
        return negative ? -value : value
    }

    /// Parses a date `YYYY-MM-DD`, `YYYY/MM/DD` (month and day may have one digit) or `YYYYMMDD`, optionally
    /// followed by `T` or a space and a time of day (ignored). Returns days since 1970-01-01.
    static func date(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int32? {
        var end = count
        // Cut a time part: "2024-01-05T10:00:00", "2024-01-05 10:00".
        for k in 8..<Swift.max(8, count) where p[k] == UInt8(ascii: "T") || p[k] == UInt8(ascii: " ") {
            end = k
            break
        }
        func digitsValue(_ from: Int, _ to: Int) -> Int? {
            if from >= to { return nil }
            var v = 0
            for k in from..<to {
                let d = p[k] &- 48
                if d > 9 { return nil }
                v = v * 10 + Int(d)
            }
            return v
        }
        var year: Int, month: Int, day: Int
        if end == 8 && p[4] &- 48 <= 9 {
            guard let y = digitsValue(0, 4), let m = digitsValue(4, 6), let d = digitsValue(6, 8) else { return nil }
            (year, month, day) = (y, m, d)
        } else {
            guard end >= 8, end <= 10 else { return nil }
            let sep = p[4]
            guard sep == UInt8(ascii: "-") || sep == UInt8(ascii: "/"), let y = digitsValue(0, 4) else { return nil }
            var k = 5
            while k < end && p[k] != sep { k += 1 }
            guard k < end, k - 5 >= 1, k - 5 <= 2, end - (k + 1) >= 1, end - (k + 1) <= 2,
                let m = digitsValue(5, k), let d = digitsValue(k + 1, end)
            else { return nil }
            (year, month, day) = (y, m, d)
        }
        guard month >= 1, month <= 12, day >= 1, day <= CivilDate.daysInMonth(year: year, month: month) else {
            return nil
        }
        return Int32(CivilDate.daysFromCivil(year: year, month: month, day: day))
    }
}

/// Conversions between proleptic Gregorian calendar dates and day numbers (days since 1970-01-01).
///
/// Algorithms from H. Hinnant, "chrono-Compatible Low-Level Date Algorithms" (2013), exact for all years.
public enum CivilDate {
    /// Days since 1970-01-01 of the date `year-month-day`.
    @inlinable
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The calendar date of day number `days` (days since 1970-01-01).
    @inlinable
    public static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// The number of days in `month` of `year` (Gregorian leap years).
    @inlinable
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `YYYY-MM-DD` for day number `days`.
    public static func isoString(days: Int) -> String {
        let (y, m, d) = civilFromDays(days)
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }
}

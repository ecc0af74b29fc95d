/// Escaping and number formatting shared by the SVG and HTML writers.
///
/// Output must be byte-identical for the same run directory, so numbers are written with a fixed number of
/// decimals (POSIX `%.*f`, never the locale), trailing zeros trimmed, and `-0` written as `0`.
public enum Markup {
    /// `text` with `&`, `<`, `>` replaced by entities (element content).
    /// - Complexity: O(n).
    public static func escapeText(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// `text` escaped for a double-quoted attribute value (`&`, `<`, `>`, `"` and `'`); control characters
    /// other than tab, newline and carriage return are dropped (they are not allowed in XML 1.0).
    /// - Complexity: O(n).
    public static func escapeAttribute(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(ch)
            default:
                if ch.value < 0x20 || ch.value == 0x7F { continue }
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// `value` with `decimals` fixed decimals, trailing zeros (and a trailing point) removed, `-0` as `0`;
    /// non-finite values as `0` (SVG has no NaN coordinates).
    ///
    /// `number(12.5, decimals: 2)` is `"12.5"`, `number(-0.001, decimals: 2)` is `"0"`.
    public static func number(_ value: Double, decimals: Int = 2) -> String {
        guard value.isFinite else { return "0" }
        var s = fixed(value, decimals: decimals)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        if s == "-0" { s = "0" }
        return s
    }

    /// `value` with exactly `decimals` decimals (POSIX formatting, `-0.00` written as `0.00`).
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "–" : (value > 0 ? "∞" : "−∞") }
        let d = max(0, min(decimals, 12))
        var s = String(format: "%.\(d)f", value)
        if s.hasPrefix("-"), s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { s.removeFirst() }
        return s
    }

    /// An integer with thousands separators: `1234567` → `"1,234,567"`.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return value < 0 ? "-" + out : out
    }

    /// A money amount as people read it: grouped whole units at 100 and above (`12,345`), two decimals below
    /// (`3.07`).
    public static func money(_ value: Double) -> String {
        guard value.isFinite else { return fixed(value, decimals: 0) }
        if abs(value) >= 100 {
            let rounded = value.rounded()
            guard abs(rounded) < 9e18 else { return fixed(value, decimals: 0) }
            return grouped(Int(rounded))
        }
        return fixed(value, decimals: 2)
    }

    /// A compact amount for axis ticks and crowded labels: `950`, `12.5k`, `3.2M`, `1.1B`.
    public static func compact(_ value: Double) -> String {
        guard value.isFinite else { return fixed(value, decimals: 0) }
        let a = abs(value)
        let sign = value < 0 ? "-" : ""
        func trim(_ v: Double, _ suffix: String) -> String { sign + number(v, decimals: v < 10 ? 2 : (v < 100 ? 1 : 0)) + suffix }
        if a >= 1e9 { return trim(a / 1e9, "B") }
        if a >= 1e6 { return trim(a / 1e6, "M") }
        if a >= 1e4 { return trim(a / 1e3, "k") }
        if a >= 100 { return sign + number(a, decimals: 0) }
        if a >= 1 { return sign + number(a, decimals: 2) }
        if a == 0 { return "0" }
        return sign + number(a, decimals: 4)
    }

    /// A fraction as a percentage with `decimals` decimals: `0.1234` → `"12.3 %"`.
    public static func percent(_ fraction: Double, decimals: Int = 1) -> String {
        fixed(100 * fraction, decimals: decimals) + " %"
    }
}

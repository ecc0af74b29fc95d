import Foundation

/// The plain-text tables of the `--format table` renderings (``SegmentationReport/profileTable()``,
/// ``SegmentAssignment/summaryTable()``): one way to align columns and to print numbers and shares.
enum TextTable {
    /// `header` and `rows` as left-aligned columns two spaces apart, one line each (no trailing blanks).
    static func aligned(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { j in all.map { j < $0.count ? $0[j].count : 0 }.max() ?? 0 }
        var out = ""
        for row in all {
            var line = row.enumerated().map { j, cell in
                cell.padding(toLength: max(j < widths.count ? widths[j] : 0, cell.count), withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }

    /// A number as the table shows it: a whole number below 10¹⁵ in full (sizes: `10140`, not `1.014e+04`), other
    /// magnitudes from 10⁻³ to 10⁹ in plain decimals with four significant digits (trailing zeros dropped: `74.14`,
    /// `0.02645`, `191634`), anything else (and ±∞, NaN) as `%.4g`.
    static func number(_ x: Double) -> String {
        if x == 0 { return "0" }
        if x.isFinite && x == x.rounded() && abs(x) < 1e15 { return String(format: "%.0f", x) }
        let magnitude = abs(x)
        guard x.isFinite, magnitude >= 1e-3, magnitude < 1e9 else { return String(format: "%.4g", x) }
        let decimals = max(0, 3 - Int(log10(magnitude).rounded(.down)))
        var text = String(format: "%.\(decimals)f", x)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// A share in percent as the tables show it: 100·`fraction` by ``number(_:)`` and `%` (`0.5071` → `50.71%`,
    /// `0.00635` → `0.635%`).
    static func percent(_ fraction: Double) -> String {
        number(100 * fraction) + "%"
    }
}

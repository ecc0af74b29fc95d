/// Finds the physical line of a data row in CSV bytes, for error messages about values that are checked after
/// ``CSVTable`` has parsed the file (unknown stage names, duplicate customers).
///
/// Follows the reader's rules: the header is one logical row, blank lines are skipped, a quoted field may span
/// lines. Used on error paths only.
enum RowLocator {
    /// The 1-based line on which data row `row` (0-based, header excluded) starts.
    /// - Complexity: O(bytes up to that row).
    static func line(ofRow row: Int, in bytes: [UInt8], hasHeader: Bool = true) -> Int {
        let newline = UInt8(ascii: "\n"), quote = UInt8(ascii: "\"")
        var line = 1
        var position = 0
        var rowsToSkip = row + (hasHeader ? 1 : 0)
        while position < bytes.count {
            // At the start of a logical row on `line`.
            var blank = true
            var inQuote = false
            var linesInRow = 0
            while position < bytes.count {
                let b = bytes[position]
                position += 1
                if b == quote { inQuote.toggle() }
                if b == newline {
                    linesInRow += 1
                    if !inQuote { break }
                } else if b != UInt8(ascii: " ") && b != UInt8(ascii: "\t") && b != UInt8(ascii: "\r") {
                    blank = false
                }
            }
            if !blank {
                if rowsToSkip == 0 { return line }
                rowsToSkip -= 1
            }
            line += linesInRow
        }
        return line
    }
}

import CAPMData
import Foundation

/// Reads just the header line of a delimited file, to decide which optional columns to request before
/// ``CSVTable`` parses the whole file (``CSVTable/header(of:format:)`` reads the whole file into memory, too much
/// for a multi-gigabyte journey log read twice).
enum HeaderSniffer {
    /// The column names of the file at `url`: its first line split by `format`'s delimiter, fields trimmed and
    /// unquoted. Falls back to ``CSVTable/header(of:format:)`` for a first line longer than 1 MiB or a quoted
    /// header spanning lines.
    static func header(of url: URL, format: CSVFormat) throws(DataError) -> [String] {
        if !format.hasHeader { return format.columnNames }
        guard let handle = try? FileHandle(forReadingFrom: url) else { return try CSVTable.header(of: url, format: format) }
        defer { try? handle.close() }
        let chunk = (try? handle.read(upToCount: 1 << 20)) ?? Data()
        var bytes = Array(chunk)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let end = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return try CSVTable.header(of: url, format: format) }
        let line = String(decoding: bytes[..<end], as: UTF8.self)
        if line.filter({ $0 == "\"" }).count % 2 != 0 { return try CSVTable.header(of: url, format: format) }
        let fields: [Substring]
        switch format.delimiter {
        case .comma: fields = line.split(separator: ",", omittingEmptySubsequences: false)
        case .tab: fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        case .whitespace: fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        case let .character(c): fields = line.split(separator: Character(Unicode.Scalar(c)), omittingEmptySubsequences: false)
        }
        return fields.map { field in
            var name = field.trimmingCharacters(in: .whitespacesAndNewlines)
            if name.count >= 2 && name.hasPrefix("\"") && name.hasSuffix("\"") {
                name = String(name.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
            }
            return name
        }
    }
}

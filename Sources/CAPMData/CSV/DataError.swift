/// Why an input file could not be read. Every case names the file, and where the problem is in it.
///
/// Lines and columns are 1-based: `line` is the physical line in the file (the header is line 1 when there is
/// one), `column` the field number within the line, with the column's name from the header when known.
public enum DataError: Error, Equatable, Sendable {
    /// No file at `path`.
    case fileNotFound(path: String)
    /// The file exists but could not be read.
    case unreadable(path: String, reason: String)
    /// The file holds no data rows (or no bytes at all).
    case emptyFile(path: String)
    /// A required column is not in the header.
    case missingColumn(path: String, name: String, available: [String])
    /// The same column name appears twice in the header.
    case duplicateColumn(path: String, name: String)
    /// A row is structurally wrong: too few or too many fields, an unterminated quote.
    case malformedRow(path: String, line: Int, column: Int?, reason: String)
    /// A field could not be read as its column's type, or breaks a rule (negative amount, NaN).
    case invalidValue(path: String, line: Int, column: Int, columnName: String, text: String, expected: String)
    /// A binary file (.npy) has a header or size that does not fit its format.
    case invalidFormat(path: String, reason: String)
}

extension DataError: CustomStringConvertible {
    /// A one-line message: `file:line:column: what is wrong`.
    public var description: String {
        switch self {
        case let .fileNotFound(path):
            return "\(path): no such file"
        case let .unreadable(path, reason):
            return "\(path): cannot read: \(reason)"
        case let .emptyFile(path):
            return "\(path): file has no data rows"
        case let .missingColumn(path, name, available):
            return "\(path):1: missing column '\(name)' (header has: \(available.joined(separator: ", ")))"
        case let .duplicateColumn(path, name):
            return "\(path):1: column '\(name)' appears more than once in the header"
        case let .malformedRow(path, line, column, reason):
            if let column { return "\(path):\(line):\(column): \(reason)" }
            return "\(path):\(line): \(reason)"
        case let .invalidValue(path, line, column, columnName, text, expected):
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            return "\(path):\(line):\(column): column '\(columnName)': '\(shown)' is not \(expected)"
        case let .invalidFormat(path, reason):
            return "\(path): \(reason)"
        }
    }

    /// The 1-based line the error points at, when it points at one.
    public var line: Int? {
        switch self {
        case let .malformedRow(_, line, _, _), let .invalidValue(_, line, _, _, _, _): return line
        case .missingColumn, .duplicateColumn: return 1
        default: return nil
        }
    }

    /// The 1-based field number the error points at, when it points at one.
    public var column: Int? {
        switch self {
        case let .malformedRow(_, _, column, _): return column
        case let .invalidValue(_, _, column, _, _, _): return column
        default: return nil
        }
    }
}

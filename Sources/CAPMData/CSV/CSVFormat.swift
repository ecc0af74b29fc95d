/// The layout of a delimited text file.
public struct CSVFormat: Sendable, Equatable {
    /// How fields are separated.
    public enum Delimiter: Sendable, Equatable {
        /// `,` (RFC 4180 CSV).
        case comma
        /// `\t`.
        case tab
        /// One or more spaces or tabs; leading and trailing blanks are ignored (CDNOW's `.txt` files).
        case whitespace
        /// Any single byte, e.g. `;`.
        case character(UInt8)
    }

    /// The field separator.
    public var delimiter: Delimiter
    /// Whether the first line names the columns.
    public var hasHeader: Bool
    /// Column names for a file without a header, in field order.
    public var columnNames: [String]

    /// A format; the default is comma-separated with a header.
    public init(delimiter: Delimiter = .comma, hasHeader: Bool = true, columnNames: [String] = []) {
        self.delimiter = delimiter
        self.hasHeader = hasHeader
        self.columnNames = columnNames
    }

    @usableFromInline
    var separatorByte: UInt8 {
        switch delimiter {
        case .comma: return UInt8(ascii: ",")
        case .tab: return UInt8(ascii: "\t")
        case .whitespace: return UInt8(ascii: " ")
        case let .character(c): return c
        }
    }
}

/// The type a column's fields are read as.
public enum ColumnType: Sendable, Equatable {
    /// Text, kept as is (quotes removed).
    case string
    /// A finite decimal number (`12`, `-3.5`, `1e-3`); NaN and infinity are rejected.
    case double
    /// A whole number.
    case integer
    /// Text identifiers (customer ids), interned: read as the distinct values in order of first appearance
    /// plus one integer code per row. Far cheaper than `.string` for millions of rows.
    case identifier
    /// Text with few distinct values (a journey stage, a channel, an outcome), interned like `.identifier` and
    /// read back with ``CSVTable/identifiers(_:)``, but cheaper per row when the values are few.
    case category
    /// A calendar date `YYYY-MM-DD`, `YYYY/MM/DD` or `YYYYMMDD`, optionally followed by a time
    /// (`T…` or ` …`) which is ignored; stored as days since 1970-01-01.
    case date
}

/// A column to read: its header name, its type and the rules its values must follow.
public struct ColumnSpec: Sendable, Equatable {
    /// The column's name in the header (or in ``CSVFormat/columnNames``).
    public var name: String
    /// How each field is parsed.
    public var type: ColumnType
    /// For `.double`: reject values below zero (amounts, counts).
    public var nonNegative: Bool
    /// For `.double`: the value an empty field stands for (e.g. `.nan` for an optional survey score left blank);
    /// `nil` (the default) makes an empty field an error like any other text that is not a number.
    public var blankValue: Double?
    /// For `.identifier` and `.category`: an empty field is the value `""` (e.g. an optional outcome left blank);
    /// `false` (the default) makes an empty field an error.
    public var allowsEmpty: Bool

    /// A column to read.
    public init(
        name: String, type: ColumnType, nonNegative: Bool = false, blankValue: Double? = nil, allowsEmpty: Bool = false
    ) {
        self.name = name
        self.type = type
        self.nonNegative = nonNegative
        self.blankValue = blankValue
        self.allowsEmpty = allowsEmpty
    }
}

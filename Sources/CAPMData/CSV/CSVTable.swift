import Dispatch

/// A column of interned text identifiers: the distinct values and one code per row.
public struct IdentifierColumn: Sendable, Equatable {
    /// The distinct values in order of first appearance.
    public var values: [String]
    /// Per row, the index of its value in ``values``.
    public var codes: [Int32]

    /// A column from distinct values and per-row codes.
    public init(values: [String], codes: [Int32]) {
        self.values = values
        self.codes = codes
    }
}

/// Typed columns read from a delimited text file.
///
/// ```swift
/// let table = try CSVTable.read(
///     contentsOf: url,
///     columns: [ColumnSpec(name: "customer_id", type: .identifier),
///               ColumnSpec(name: "date", type: .date),
///               ColumnSpec(name: "amount", type: .double, nonNegative: true)])
/// let amounts = try table.doubles("amount")
/// ```
///
/// Only the requested columns are parsed; others are skipped. Errors carry the file, the 1-based line and the
/// 1-based field number. Files without `"` are split at line boundaries into fixed-size chunks parsed in
/// parallel (chunking depends on the file size only, so results and error positions are the same for any
/// thread count); files with quoted fields (RFC 4180, including quoted newlines) are parsed sequentially.
public struct CSVTable: Sendable {
    /// The parsed columns, by name.
    enum Column: Sendable {
        case strings([String])
        case doubles([Double])
        case integers([Int])
        case days([Int32])
        case identifiers(IdentifierColumn)
    }

    /// The file the table was read from (for error messages).
    public let path: String
    /// The number of data rows.
    public let rowCount: Int
    /// All column names in the file's header, in order.
    public let header: [String]
    let columns: [String: Column]
    /// The rows a lenient read (``BadRowPolicy/skip``) skipped, by reason; empty for a strict read.
    public internal(set) var skippedRows = SkippedRows()
    /// A lenient read's 1-based file line of each row (after skipping, rows no longer map to lines by counting),
    /// so a reader that rejects a row for reasons of its own can still name its line; `nil` for a strict read.
    public internal(set) var rowLines: [Int]? = nil

    /// Reads `columns` from the file at `url`.
    ///
    /// - Throws: ``DataError`` naming the file, line and column of the first problem in file order.
    /// - Complexity: O(file size); parallel over chunks for unquoted files.
    public static func read(
        contentsOf url: URL, columns: [ColumnSpec], format: CSVFormat = CSVFormat()
    ) throws(DataError) -> CSVTable {
        var bytes = try InputFile.readBytes(path: url.path)
        return try parse(bytes: &bytes, path: url.path, columns: columns, format: format)
    }

    /// Reads `columns` from the file at `url`; with ``BadRowPolicy/skip``, rows with the wrong number of fields or a
    /// field that does not read as its column's type are skipped and counted in ``skippedRows`` (the first bad row
    /// of each reason keeps its file, line and column). The skipped rows are the same for any thread count.
    ///
    /// - Throws: ``DataError``: with ``BadRowPolicy/fail``, the first problem in file order; with
    ///   ``BadRowPolicy/skip``, only problems that make the rest of the file unreadable (an unterminated quote),
    ///   a missing column or a file left without rows.
    /// - Complexity: O(file size); parallel over chunks for unquoted files.
    public static func read(
        contentsOf url: URL, columns: [ColumnSpec], format: CSVFormat = CSVFormat(), badRows: BadRowPolicy
    ) throws(DataError) -> CSVTable {
        var bytes = try InputFile.readBytes(path: url.path)
        return try parse(bytes: &bytes, path: url.path, columns: columns, format: format, badRows: badRows)
    }

    /// Parses `columns` from text already in memory; `name` stands for the file in error messages; bad rows stop
    /// the parse or are skipped as in ``read(contentsOf:columns:format:badRows:)``.
    public static func parse(
        text: String, name: String = "<text>", columns: [ColumnSpec], format: CSVFormat = CSVFormat(),
        badRows: BadRowPolicy = .fail
    ) throws(DataError) -> CSVTable {
        var bytes = Array(text.utf8)
        return try parse(bytes: &bytes, path: name, columns: columns, format: format, badRows: badRows)
    }

    /// The column names of the file at `url` (its header line, or `format.columnNames`).
    ///
    /// Reads only as much of the file as the header takes: 64 KiB, then twice as much again until the header row
    /// ends before the bytes read so far do (a quoted name may span lines), or the file ends.
    /// - Complexity: O(header size).
    public static func header(of url: URL, format: CSVFormat = CSVFormat()) throws(DataError) -> [String] {
        let file = try InputFile.Reader(path: url.path)
        let parser = CSVParser(path: url.path, format: format)
        var bytes: [UInt8] = []
        var step = 1 << 16
        while true {
            let more = try file.read(count: step)
            bytes += more
            let wholeFile = more.count < step
            var probe = bytes
            do {
                let header = try parser.header(bytes: &probe)
                // A row that reaches the end of a partial read may go on beyond it.
                if wholeFile || header.dataStart < bytes.count { return header.names }
            } catch {
                if wholeFile { throw error }
            }
            step *= 2
        }
    }

    static func parse(
        bytes: inout [UInt8], path: String, columns specs: [ColumnSpec], format: CSVFormat,
        badRows: BadRowPolicy = .fail
    ) throws(DataError) -> CSVTable {
        let parser = CSVParser(path: path, format: format)
        let (header, dataStart, headerLines) = try parser.header(bytes: &bytes)
        var fieldIndex: [Int] = []
        for spec in specs {
            let matches = header.indices.filter { header[$0] == spec.name }
            guard let first = matches.first else {
                throw .missingColumn(path: path, name: spec.name, available: header)
            }
            if matches.count > 1 { throw .duplicateColumn(path: path, name: spec.name) }
            fieldIndex.append(first)
        }
        let result = try parser.parseRows(
            bytes: &bytes, from: dataStart, lineOffset: headerLines, fieldCount: header.count, specs: specs,
            fieldIndex: fieldIndex, badRows: badRows)
        if result.rowCount == 0 { throw .emptyFile(path: path) }
        var named: [String: Column] = [:]
        for (spec, column) in zip(specs, result.columns) { named[spec.name] = column }
        return CSVTable(
            path: path, rowCount: result.rowCount, header: header, columns: named, skippedRows: result.skipped,
            rowLines: result.rowLines)
    }

    private func column(_ name: String) throws(DataError) -> Column {
        guard let column = columns[name] else {
            throw .missingColumn(path: path, name: name, available: Array(columns.keys).sorted())
        }
        return column
    }

    private func typeMismatch(_ name: String, _ wanted: String) -> DataError {
        .invalidFormat(path: path, reason: "column '\(name)' was not read as \(wanted)")
    }

    /// The values of a `.double` column.
    public func doubles(_ name: String) throws(DataError) -> [Double] {
        switch try column(name) {
        case let .doubles(values): return values
        case let .integers(values): return values.map(Double.init)
        default: throw typeMismatch(name, "numbers")
        }
    }

    /// The values of an `.integer` column.
    public func integers(_ name: String) throws(DataError) -> [Int] {
        guard case let .integers(values) = try column(name) else { throw typeMismatch(name, "integers") }
        return values
    }

    /// The values of a `.string` column (an `.identifier` or `.category` column is expanded).
    public func strings(_ name: String) throws(DataError) -> [String] {
        switch try column(name) {
        case let .strings(values): return values
        case let .identifiers(column): return column.codes.map { column.values[Int($0)] }
        default: throw typeMismatch(name, "text")
        }
    }

    /// The values of a `.date` column, as days since 1970-01-01.
    public func days(_ name: String) throws(DataError) -> [Int32] {
        guard case let .days(values) = try column(name) else { throw typeMismatch(name, "dates") }
        return values
    }

    /// The values of an `.identifier` or `.category` column.
    public func identifiers(_ name: String) throws(DataError) -> IdentifierColumn {
        guard case let .identifiers(values) = try column(name) else { throw typeMismatch(name, "identifiers") }
        return values
    }
}

import struct Foundation.URL

import CAPMData
import Foundation

/// Lifetime value per customer, in file order, joined to a journey log by customer id.
public struct CustomerValues: Sendable, Equatable {
    /// Distinct customer ids.
    public var ids: [String]
    /// Per id, its lifetime value (e.g. discounted expected margin over the horizon, from `capm clv`).
    public var values: [Double]

    /// Values for distinct `ids`, one per id.
    public init(ids: [String], values: [Double]) {
        precondition(ids.count == values.count, "one value per customer")
        self.ids = ids
        self.values = values
    }
}

/// A segment name per customer, in file order, joined to a journey log by customer id.
public struct CustomerSegments: Sendable, Equatable {
    /// Distinct customer ids.
    public var ids: [String]
    /// Per id, the name of its segment.
    public var names: [String]

    /// Segments for distinct `ids`, one name per id.
    public init(ids: [String], names: [String]) {
        precondition(ids.count == names.count, "one segment per customer")
        self.ids = ids
        self.names = names
    }
}

/// Readers for the per-customer files a journey analysis joins by customer id: lifetime values (the
/// predictions CSV of `capm clv`) and segments (the `--output` CSV of `capm segment`).
public enum JourneyInputs {
    /// Reads customer lifetime values: `idColumn` (default `customer_id`) and `valueColumn` (default `clv`) of a
    /// CSV with a header, e.g. `capm clv --output` (columns `customer_id,frequency,recency,T,monetary_value,
    /// expected_purchases,p_alive,expected_spend,clv`).
    ///
    /// - Throws: ``JourneyError/data(_:)`` for CSV problems, ``JourneyError/duplicateCustomer(path:line:column:id:)``
    ///   when an id appears twice.
    /// - Complexity: O(file size + customers).
    public static func readValues(
        contentsOf url: URL, idColumn: String = "customer_id", valueColumn: String = "clv", format: CSVFormat = CSVFormat()
    ) throws(JourneyError) -> CustomerValues {
        let table: CSVTable
        do {
            table = try CSVTable.read(
                contentsOf: url,
                columns: [ColumnSpec(name: idColumn, type: .identifier), ColumnSpec(name: valueColumn, type: .double)],
                format: format)
        } catch { throw .data(error) }
        let ids: IdentifierColumn, values: [Double]
        do {
            ids = try table.identifiers(idColumn)
            values = try table.doubles(valueColumn)
        } catch { throw .data(error) }
        try requireDistinct(ids, table: table, idColumn: idColumn, format: format, url: url)
        // Distinct ids: codes are 0, 1, 2, … in row order.
        return CustomerValues(ids: ids.values, values: values)
    }

    /// Reads customer segments: `idColumn` (default `customer_id`), `segmentColumn` (default `segment`) and, when
    /// the header has it, `labelColumn` (default `label`) of a CSV such as `capm segment --output`
    /// (`customer_id,segment[,label]`). A customer's segment name is `segment` or `segment label`
    /// (e.g. `2 high-value`).
    ///
    /// - Throws: as ``readValues(contentsOf:idColumn:valueColumn:format:)``.
    /// - Complexity: O(file size + customers).
    public static func readSegments(
        contentsOf url: URL, idColumn: String = "customer_id", segmentColumn: String = "segment",
        labelColumn: String = "label", format: CSVFormat = CSVFormat()
    ) throws(JourneyError) -> CustomerSegments {
        let table: CSVTable
        let hasLabel: Bool
        do {
            hasLabel = try CSVTable.header(of: url, format: format).contains(labelColumn)
            var specs = [ColumnSpec(name: idColumn, type: .identifier), ColumnSpec(name: segmentColumn, type: .identifier)]
            if hasLabel { specs.append(ColumnSpec(name: labelColumn, type: .string)) }
            table = try CSVTable.read(contentsOf: url, columns: specs, format: format)
        } catch { throw .data(error) }
        let ids: IdentifierColumn, segments: IdentifierColumn, labels: [String]?
        do {
            ids = try table.identifiers(idColumn)
            segments = try table.identifiers(segmentColumn)
            labels = hasLabel ? try table.strings(labelColumn) : nil
        } catch { throw .data(error) }
        try requireDistinct(ids, table: table, idColumn: idColumn, format: format, url: url)
        let names = (0..<table.rowCount).map { row -> String in
            let segment = segments.values[Int(segments.codes[row])]
            let label = labels?[row] ?? ""
            return label.isEmpty ? segment : segment + " " + label
        }
        return CustomerSegments(ids: ids.values, names: names)
    }

    /// Throws for the first row whose id repeated an earlier row's.
    static func requireDistinct(
        _ ids: IdentifierColumn, table: CSVTable, idColumn: String, format: CSVFormat, url: URL
    ) throws(JourneyError) {
        guard ids.values.count < ids.codes.count else { return }
        var seen = [Bool](repeating: false, count: ids.values.count)
        for (row, code) in ids.codes.enumerated() {
            if seen[Int(code)] {
                let bytes = (try? Data(contentsOf: url)).map { Array($0) } ?? []
                throw .duplicateCustomer(
                    path: table.path, line: RowLocator.line(ofRow: row, in: bytes, hasHeader: format.hasHeader),
                    column: (table.header.firstIndex(of: idColumn) ?? 0) + 1, id: ids.values[Int(code)])
            }
            seen[Int(code)] = true
        }
    }
}

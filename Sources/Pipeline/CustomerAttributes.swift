import CAPMData
import Foundation

/// The numeric columns of a customer attributes file, joined to the run's customers by id.
///
/// The file is a CSV with a header: an id column and any other columns. A column is numeric when every one of
/// its fields reads as a finite number; other columns (text) are ignored and listed. Customers of the run
/// without a row keep an empty value in `customers.csv` and the column's mean over matched customers as a
/// feature (so k-means sees every customer); rows whose id is not a customer of the run are counted and ignored.
public struct CustomerAttributes: Sendable, Equatable {
    /// How the file's ids matched the run's customers.
    public struct Join: Sendable, Equatable, Codable {
        /// Data rows of the file.
        public var rows: Int
        /// Run customers with a row.
        public var matchedCustomers: Int
        /// Run customers without a row (their features use the column means).
        public var customersWithoutAttributes: Int
        /// File rows whose id is not a run customer (ignored).
        public var unknownIdentifiers: Int
        /// Up to 5 of those ids, in file order (for the summary).
        public var unknownIdentifierExamples: [String]
        /// The numeric columns joined, in file order.
        public var numericColumns: [String]
        /// The non-numeric columns ignored, in file order.
        public var ignoredColumns: [String]
    }

    /// Column names, in file order.
    public var names: [String]
    /// Per column, per run customer: the value, or nil when the customer has no row.
    public var values: [[Double?]]
    /// The join report.
    public var join: Join

    /// Reads `url` and joins it to `customerIDs` (the run's customers, in order).
    ///
    /// - Throws: ``PipelineError/data(step:_:)`` for unreadable files (file, line, column);
    ///   ``PipelineError/attributes(path:line:reason:)`` for a missing id column, a duplicate id, or a file without
    ///   numeric columns.
    /// - Complexity: O(file size + customers).
    public static func read(
        _ url: URL, idColumn: String, customerIDs: [String]
    ) throws(PipelineError) -> CustomerAttributes {
        let header: [String]
        do { header = try CSVTable.header(of: url) } catch { throw .data(step: .features, error) }
        guard header.contains(idColumn) else {
            throw .attributes(path: url.path, line: 1, reason: "no id column '\(idColumn)' (header has: \(header.joined(separator: ", ")))")
        }
        let others = header.filter { $0 != idColumn }
        let table: CSVTable
        do {
            table = try CSVTable.read(
                contentsOf: url,
                columns: [ColumnSpec(name: idColumn, type: .identifier)] + others.map { ColumnSpec(name: $0, type: .string) })
        } catch { throw .data(step: .features, error) }
        let ids: IdentifierColumn
        do { ids = try table.identifiers(idColumn) } catch { throw .data(step: .features, error) }
        if ids.values.count < ids.codes.count {
            var firstRow = [Int](repeating: -1, count: ids.values.count)
            for (row, code) in ids.codes.enumerated() {
                if firstRow[Int(code)] >= 0 {
                    throw .attributes(
                        path: url.path, line: nil,
                        reason: "customer id '\(ids.values[Int(code)])' appears in data rows \(firstRow[Int(code)] + 1) and \(row + 1)")
                }
                firstRow[Int(code)] = row
            }
        }
        var numeric: [(String, [Double])] = []
        var ignored: [String] = []
        for name in others {
            let texts: [String]
            do { texts = try table.strings(name) } catch { throw .data(step: .features, error) }
            var column: [Double] = []
            column.reserveCapacity(texts.count)
            var ok = true
            for text in texts {
                guard let v = Double(text), v.isFinite else {
                    ok = false
                    break
                }
                column.append(v)
            }
            if ok { numeric.append((name, column)) } else { ignored.append(name) }
        }
        guard !numeric.isEmpty else {
            throw .attributes(path: url.path, line: nil, reason: "no numeric column besides '\(idColumn)'")
        }
        // File row of each distinct id (codes are 0, 1, 2, … in row order once ids are distinct).
        var rowOfID: [String: Int] = [:]
        rowOfID.reserveCapacity(ids.values.count)
        for (row, code) in ids.codes.enumerated() { rowOfID[ids.values[Int(code)]] = row }
        var matchedRow = [Int](repeating: -1, count: customerIDs.count)
        var used = [Bool](repeating: false, count: table.rowCount)
        for (i, id) in customerIDs.enumerated() {
            if let row = rowOfID[id] {
                matchedRow[i] = row
                used[row] = true
            }
        }
        let matched = matchedRow.filter { $0 >= 0 }.count
        var unknownExamples: [String] = []
        var unknown = 0
        for row in 0..<table.rowCount where !used[row] {
            unknown += 1
            if unknownExamples.count < 5 { unknownExamples.append(ids.values[Int(ids.codes[row])]) }
        }
        let values = numeric.map { _, column in matchedRow.map { $0 >= 0 ? column[$0] : nil } }
        return CustomerAttributes(
            names: numeric.map(\.0), values: values,
            join: Join(
                rows: table.rowCount, matchedCustomers: matched, customersWithoutAttributes: customerIDs.count - matched,
                unknownIdentifiers: unknown, unknownIdentifierExamples: unknownExamples, numericColumns: numeric.map(\.0),
                ignoredColumns: ignored))
    }

    /// Column `j` with missing values replaced by the mean over matched customers (0 when none matched).
    public func imputedColumn(_ j: Int) -> [Double] {
        var sum = 0.0, count = 0
        for v in values[j] {
            if let v {
                sum += v
                count += 1
            }
        }
        let mean = count > 0 ? sum / Double(count) : 0
        return values[j].map { $0 ?? mean }
    }
}

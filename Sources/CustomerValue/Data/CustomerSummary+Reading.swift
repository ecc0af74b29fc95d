import CAPMData
import Foundation

extension CustomerSummary {
    /// Column names accepted for each field of a summary file, in order of preference: the canonical name
    /// first, then the names used by lifetimes and by the CDNOW files of Fader & Hardie.
    public static let columnAliases: [(field: String, names: [String])] = [
        ("customer_id", ["customer_id", "ID", "id", "customer"]),
        ("frequency", ["frequency", "x"]),
        ("recency", ["recency", "t_x"]),
        ("T", ["T", "age"]),
        ("monetary_value", ["monetary_value", "zbar", "monetary"]),
    ]

    /// Reads a summary file `customer_id,frequency,recency,T[,monetary_value]` with ``CSVTable`` (header
    /// required; names as in ``columnAliases``; LF or CRLF line ends).
    ///
    /// - Throws: ``CustomerValueError/data(_:)`` with file, line and column for unreadable files, missing columns,
    ///   malformed rows, unparseable, negative or non-finite numbers; ``CustomerValueError/invalidCustomer(customer:reason:)``
    ///   naming the customer for a non-integer frequency or an inconsistent row (recency > T, …).
    /// - Complexity: O(file size).
    public static func read(contentsOf url: URL, format: CSVFormat = CSVFormat()) throws(CustomerValueError) -> CustomerSummary {
        let header: [String]
        do { header = try CSVTable.header(of: url, format: format) } catch { throw .data(error) }
        func name(_ field: String) -> String? {
            let names = columnAliases.first { $0.field == field }?.names ?? [field]
            return names.first { header.contains($0) }
        }
        func required(_ field: String) throws(CustomerValueError) -> String {
            guard let n = name(field) else {
                throw .data(.missingColumn(path: url.path, name: field, available: header))
            }
            return n
        }
        let id = try required("customer_id"), x = try required("frequency"), tx = try required("recency")
        let t = try required("T")
        let m = name("monetary_value")
        var specs = [
            ColumnSpec(name: id, type: .string), ColumnSpec(name: x, type: .double, nonNegative: true),
            ColumnSpec(name: tx, type: .double, nonNegative: true), ColumnSpec(name: t, type: .double, nonNegative: true),
        ]
        if let m { specs.append(ColumnSpec(name: m, type: .double, nonNegative: true)) }
        do {
            let table = try CSVTable.read(contentsOf: url, columns: specs, format: format)
            let ids = try table.strings(id)
            let xs = try table.doubles(x)
            var frequency = [Int](repeating: 0, count: xs.count)
            for i in xs.indices {
                guard xs[i] == xs[i].rounded(), xs[i] < 1e15 else {
                    throw CustomerValueError.invalidCustomer(customer: ids[i], reason: "frequency \(xs[i]) is not a whole number")
                }
                frequency[i] = Int(xs[i])
            }
            return try CustomerSummary(
                customerIDs: ids, frequency: frequency, recency: try table.doubles(tx), age: try table.doubles(t),
                monetaryValue: try m.map { n throws(DataError) in try table.doubles(n) })
        } catch let error as DataError {
            throw .data(error)
        } catch let error as CustomerValueError {
            throw error
        } catch {
            throw .data(.unreadable(path: url.path, reason: "\(error)"))
        }
    }
}

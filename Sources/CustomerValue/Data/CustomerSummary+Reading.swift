import Foundation

extension CustomerSummary {
    /// Column names accepted for each field of a summary file (the first is the canonical one; the others are
    /// the names used by lifetimes and by Fader & Hardie's CDNOW files).
    public static let columnAliases: [(field: String, names: [String])] = [
        ("customer_id", ["customer_id", "id", "customer"]),
        ("frequency", ["frequency", "x"]),
        ("recency", ["recency", "t_x"]),
        ("T", ["T", "age"]),
        ("monetary_value", ["monetary_value", "zbar", "monetary"]),
    ]

    /// Reads a summary file `customer_id,frequency,recency,T[,monetary_value]` (comma separated, header
    /// required; column names as in ``columnAliases``, matched case-insensitively except `T`/`t_x`; LF or CRLF
    /// line ends; blank lines ignored).
    ///
    /// - Throws: ``CustomerValueError`` naming the file, line and column for unreadable files, missing columns,
    ///   short rows, unparseable or non-finite numbers, a non-integer frequency; and naming the customer for
    ///   inconsistent rows (recency > T, …; see ``init(customerIDs:frequency:recency:age:monetaryValue:)``).
    /// - Complexity: O(file size).
    public static func read(contentsOf url: URL) throws(CustomerValueError) -> CustomerSummary {
        let path = url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .fileNotReadable(path: path, reason: (error as NSError).localizedDescription)
        }
        var lines: [(number: Int, fields: [Substring])] = []
        var header: [String] = []
        var lineNumber = 0
        guard let text = String(data: data, encoding: .utf8) else {
            throw .fileNotReadable(path: path, reason: "not UTF-8 text")
        }
        for raw in text.utf8.split(separator: 10, omittingEmptySubsequences: false) {
            lineNumber += 1
            var bytes = raw
            if bytes.last == 13 { bytes = bytes.dropLast() }
            if bytes.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
            let fields = bytes.split(separator: 44, omittingEmptySubsequences: false).map {
                Substring($0).trimmingCharacters(in: .whitespaces)[...]
            }
            if header.isEmpty {
                header = fields.map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            } else {
                lines.append((lineNumber, fields))
            }
        }
        if header.isEmpty || lines.isEmpty { throw .emptyFile(path: path) }
        func column(_ field: String, required: Bool) throws(CustomerValueError) -> Int? {
            let names = columnAliases.first { $0.field == field }?.names ?? [field]
            for name in names {
                let caseSensitive = name == "T" || name == "t_x"
                if let i = header.firstIndex(where: { caseSensitive ? $0 == name : $0.lowercased() == name.lowercased() }) {
                    return i
                }
            }
            if required { throw .missingColumn(path: path, name: field, header: header) }
            return nil
        }
        let idColumn = try column("customer_id", required: true) ?? 0
        let xColumn = try column("frequency", required: true) ?? 0
        let txColumn = try column("recency", required: true) ?? 0
        let tColumn = try column("T", required: true) ?? 0
        let mColumn = try column("monetary_value", required: false)
        let needed = max(idColumn, xColumn, txColumn, tColumn, mColumn ?? 0) + 1
        var ids: [String] = [], xs: [Int] = [], txs: [Double] = [], ts: [Double] = [], ms: [Double] = []
        ids.reserveCapacity(lines.count)
        for (number, fields) in lines {
            guard fields.count >= needed else {
                throw .malformedRow(path: path, line: number, reason: "\(fields.count) fields, expected \(header.count)")
            }
            func number_(_ c: Int) throws(CustomerValueError) -> Double {
                guard let v = Double(fields[c]), v.isFinite else {
                    throw .invalidField(path: path, line: number, column: header[c], text: String(fields[c]), expected: "a finite number")
                }
                return v
            }
            ids.append(String(fields[idColumn]))
            let x = try number_(xColumn)
            guard x >= 0, x == x.rounded(), x < 1e15 else {
                throw .invalidField(path: path, line: number, column: header[xColumn], text: String(fields[xColumn]), expected: "a non-negative integer")
            }
            xs.append(Int(x))
            txs.append(try number_(txColumn))
            ts.append(try number_(tColumn))
            if let mColumn { ms.append(try number_(mColumn)) }
        }
        return try CustomerSummary(customerIDs: ids, frequency: xs, recency: txs, age: ts, monetaryValue: mColumn == nil ? nil : ms)
    }
}

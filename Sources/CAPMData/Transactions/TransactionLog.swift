import struct Foundation.URL

/// A customer transaction log in columnar form: one entry per purchase.
///
/// This is the input of the lifetime-value engine. Customer ids are interned: ``customerIDs`` holds each
/// distinct id once (in order of first appearance) and ``customer`` the index of the buyer for every
/// transaction, so millions of rows cost four bytes of id each.
public struct TransactionLog: Sendable, Equatable {
    /// The distinct customer ids, in order of first appearance in the file.
    public var customerIDs: [String]
    /// For each transaction, the index of its customer in ``customerIDs``.
    public var customer: [Int32]
    /// For each transaction, its date as days since 1970-01-01.
    public var day: [Int32]
    /// For each transaction, its amount (non-negative, finite).
    public var amount: [Double]

    /// A log from its columns.
    ///
    /// - Throws: ``DataError/invalidFormat(path:reason:)`` when the columns differ in length or a customer
    ///   index is out of range.
    public init(customerIDs: [String], customer: [Int32], day: [Int32], amount: [Double]) throws(DataError) {
        guard customer.count == day.count, day.count == amount.count else {
            throw .invalidFormat(path: "<memory>", reason: "transaction columns differ in length")
        }
        if let bad = customer.first(where: { $0 < 0 || Int($0) >= customerIDs.count }) {
            throw .invalidFormat(path: "<memory>", reason: "customer index \(bad) out of range")
        }
        self.customerIDs = customerIDs
        self.customer = customer
        self.day = day
        self.amount = amount
    }

    /// The number of transactions.
    public var count: Int { customer.count }

    /// The number of distinct customers.
    public var customerCount: Int { customerIDs.count }

    /// Where the columns of a transaction file are and how the file is laid out.
    public struct ReadOptions: Sendable, Equatable {
        /// Header name of the customer id column.
        public var customerColumn: String
        /// Header name of the date column (`YYYY-MM-DD` or `YYYYMMDD`).
        public var dateColumn: String
        /// Header name of the amount column (non-negative numbers).
        public var amountColumn: String
        /// The file layout.
        public var format: CSVFormat

        /// Options; the defaults read `customer_id,date,amount` CSV files as `capm generate` writes them.
        public init(
            customerColumn: String = "customer_id", dateColumn: String = "date", amountColumn: String = "amount",
            format: CSVFormat = CSVFormat()
        ) {
            self.customerColumn = customerColumn
            self.dateColumn = dateColumn
            self.amountColumn = amountColumn
            self.format = format
        }

        /// The layout of CDNOW's `CDNOW_master.txt` (whitespace separated, header
        /// `customer_id date number_of_cds dollar_value`).
        public static let cdnowMaster = ReadOptions(
            customerColumn: "customer_id", dateColumn: "date", amountColumn: "dollar_value",
            format: CSVFormat(delimiter: .whitespace))
    }

    /// Reads a transaction file.
    ///
    /// - Throws: ``DataError`` with file, line and column for malformed rows, bad dates, negative or
    ///   non-numeric amounts, missing columns or an empty file.
    /// - Complexity: O(file size), parallel over 4 MiB chunks (see ``CSVTable``).
    public static func read(contentsOf url: URL, options: ReadOptions = ReadOptions()) throws(DataError) -> TransactionLog {
        let table = try CSVTable.read(
            contentsOf: url,
            columns: [
                ColumnSpec(name: options.customerColumn, type: .identifier),
                ColumnSpec(name: options.dateColumn, type: .date),
                ColumnSpec(name: options.amountColumn, type: .double, nonNegative: true),
            ],
            format: options.format)
        let ids = try table.identifiers(options.customerColumn)
        return try TransactionLog(
            customerIDs: ids.values, customer: ids.codes, day: table.days(options.dateColumn),
            amount: table.doubles(options.amountColumn))
    }

    /// The first and last transaction dates (days since 1970-01-01), or `nil` for an empty log.
    public var dateRange: ClosedRange<Int32>? {
        guard let lo = day.min(), let hi = day.max() else { return nil }
        return lo...hi
    }

    /// The sum of all amounts.
    public var totalAmount: Double { amount.reduce(0, +) }

    /// Writes the log as `customer_id,date,amount` CSV, atomically.
    ///
    /// Amounts are written with two decimals (currency). Ids containing `,`, `"` or a newline are quoted.
    public func write(to url: URL) throws(OutputError) {
        let ids = customerIDs.map(CSVWriting.escape)
        // Dates repeat heavily: render each distinct day once.
        var dayText: [Int32: String] = [:]
        try AtomicFile.write(to: url) { writer in
            try writer.write("customer_id,date,amount\n")
            for t in 0..<count {
                let d = day[t]
                let date: String
                if let cached = dayText[d] { date = cached } else {
                    date = CivilDate.isoString(days: Int(d))
                    dayText[d] = date
                }
                try writer.write(ids[Int(customer[t])])
                try writer.write(bytes: CSVWriting.comma)
                try writer.write(date)
                try writer.write(bytes: CSVWriting.comma)
                try writer.write(bytes: CSVWriting.fixed2(amount[t]))
                try writer.write(bytes: CSVWriting.newline)
            }
        }
    }
}

/// Helpers for writing CSV fields.
public enum CSVWriting {
    static let comma: [UInt8] = [UInt8(ascii: ",")]
    static let newline: [UInt8] = [UInt8(ascii: "\n")]

    /// `field` as a CSV field: quoted (with `"` doubled) when it holds a comma, quote or line break.
    public static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The ASCII bytes of `value` rounded half away from zero to two decimals (`12.5` → `12.50`), without
    /// going through `String(format:)`.
    public static func fixed2(_ value: Double) -> [UInt8] {
        guard value.isFinite, abs(value) < 9e15 else { return Array(String(value).utf8) }
        let cents = Int64((abs(value) * 100).rounded(.toNearestOrAwayFromZero))
        var digits: [UInt8] = []
        var c = cents
        repeat {
            digits.append(UInt8(48 + c % 10))
            c /= 10
        } while c > 0
        while digits.count < 3 { digits.append(48) }
        var out: [UInt8] = value < 0 && cents > 0 ? [UInt8(ascii: "-")] : []
        for k in stride(from: digits.count - 1, through: 2, by: -1) { out.append(digits[k]) }
        out.append(UInt8(ascii: "."))
        out.append(digits[1])
        out.append(digits[0])
        return out
    }
}

import Foundation

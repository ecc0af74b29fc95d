import Dispatch
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
        try read(contentsOf: url, options: options, badRows: .fail).log
    }

    /// Reads a transaction file, skipping bad rows (wrong number of fields, bad dates, negative or non-numeric
    /// amounts, empty ids) with ``BadRowPolicy/skip`` and reporting them by reason.
    ///
    /// - Throws: ``DataError`` as ``read(contentsOf:options:)`` with ``BadRowPolicy/fail``; with
    ///   ``BadRowPolicy/skip`` only for unreadable files, missing columns, an unterminated quote or no valid row.
    /// - Complexity: O(file size), parallel over 4 MiB chunks (see ``CSVTable``).
    public static func read(
        contentsOf url: URL, options: ReadOptions = ReadOptions(), badRows: BadRowPolicy
    ) throws(DataError) -> (log: TransactionLog, skipped: SkippedRows) {
        let table = try CSVTable.read(
            contentsOf: url,
            columns: [
                ColumnSpec(name: options.customerColumn, type: .identifier),
                ColumnSpec(name: options.dateColumn, type: .date),
                ColumnSpec(name: options.amountColumn, type: .double, nonNegative: true),
            ],
            format: options.format, badRows: badRows)
        let ids = try table.identifiers(options.customerColumn)
        let log = try TransactionLog(
            customerIDs: ids.values, customer: ids.codes, day: table.days(options.dateColumn),
            amount: table.doubles(options.amountColumn))
        return (log, table.skippedRows)
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
    /// Rows are rendered to bytes in parallel blocks of 262,144 rows and written in order, so the file is the
    /// same for any thread count.
    /// - Complexity: O(rows + customers).
    public func write(to url: URL) throws(OutputError) {
        // Each id and each distinct day is rendered once; rows only copy bytes.
        var idBytes: [UInt8] = []
        var idOffsets: [Int] = [0]
        idOffsets.reserveCapacity(customerIDs.count + 1)
        for id in customerIDs {
            idBytes.append(contentsOf: CSVWriting.escape(id).utf8)
            idOffsets.append(idBytes.count)
        }
        let firstDay = Int(dateRange?.lowerBound ?? 0)
        let dayCount = Int((dateRange?.upperBound ?? 0)) - firstDay + 1
        var dayBytes: [UInt8] = []
        for d in 0..<Swift.max(0, dayCount) { dayBytes.append(contentsOf: CivilDate.isoString(days: firstDay + d).utf8) }
        let dayWidth = dayCount > 0 ? dayBytes.count / dayCount : 0
        let blockRows = 1 << 18
        let blockCount = (count + blockRows - 1) / blockRows
        var blocks = [[UInt8]](repeating: [], count: blockCount)
        let (ids, offsets, days) = (idBytes, idOffsets, dayBytes)
        let (customer, day, amount) = (self.customer, self.day, self.amount)
        blocks.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: blockCount) { b in
                var bytes: [UInt8] = []
                let lo = b * blockRows, hi = Swift.min(customer.count, lo + blockRows)
                bytes.reserveCapacity((hi - lo) * 32)
                for t in lo..<hi {
                    let c = Int(customer[t])
                    bytes.append(contentsOf: ids[offsets[c]..<offsets[c + 1]])
                    bytes.append(UInt8(ascii: ","))
                    let d = (Int(day[t]) - firstDay) * dayWidth
                    bytes.append(contentsOf: days[d..<(d + dayWidth)])
                    bytes.append(UInt8(ascii: ","))
                    CSVWriting.appendFixed2(amount[t], to: &bytes)
                    bytes.append(UInt8(ascii: "\n"))
                }
                out[b] = bytes
            }
        }
        try AtomicFile.write(to: url) { writer in
            try writer.write("customer_id,date,amount\n")
            for block in blocks { try writer.write(bytes: block) }
        }
    }
}

/// Helpers for writing CSV fields.
public enum CSVWriting {
    /// `field` as a CSV field: quoted (with `"` doubled) when it holds a comma, quote or line break.
    public static func escape(_ field: String) -> String {
        // Bytes, not Characters: "\r\n" is one Character equal to neither "\r" nor "\n".
        guard field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The ASCII bytes of `value` rounded half away from zero to two decimals (`12.5` → `12.50`), without
    /// going through `String(format:)`.
    public static func fixed2(_ value: Double) -> [UInt8] {
        var out: [UInt8] = []
        appendFixed2(value, to: &out)
        return out
    }

    /// Appends `value` with two decimals to `bytes` (see ``fixed2(_:)``).
    public static func appendFixed2(_ value: Double, to bytes: inout [UInt8]) {
        guard value.isFinite, abs(value) < 9e15 else {
            bytes.append(contentsOf: String(value).utf8)
            return
        }
        var cents = UInt64((abs(value) * 100).rounded(.toNearestOrAwayFromZero))
        if value < 0 && cents > 0 { bytes.append(UInt8(ascii: "-")) }
        // Digits of cents, least significant first, at least three (0.05 → "005").
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 24 digits
        var n = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            repeat {
                raw[n] = UInt8(48 + cents % 10)
                cents /= 10
                n += 1
            } while cents > 0
            while n < 3 {
                raw[n] = 48
                n += 1
            }
            for k in stride(from: n - 1, through: 2, by: -1) { bytes.append(raw[k]) }
            bytes.append(UInt8(ascii: "."))
            bytes.append(raw[1])
            bytes.append(raw[0])
        }
    }
}

import Foundation

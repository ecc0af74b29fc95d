import Foundation
import Testing

@testable import CAPMData

@Suite("CSV reader: skipping bad rows")
struct SkipBadRowsTests {
    static let specs = [
        ColumnSpec(name: "customer_id", type: .identifier), ColumnSpec(name: "date", type: .date),
        ColumnSpec(name: "amount", type: .double, nonNegative: true),
    ]

    /// Bad rows in every position (bad first, middle and last column, too few and too many fields) are dropped with
    /// the values of their earlier columns, so every column keeps one value per kept row.
    @Test func badRowsAreDroppedWholeAndCountedByReason() throws {
        let text = """
            customer_id,date,amount
            a,2020-01-01,1
            ,2020-01-02,2
            b,2020-01-32,3
            c,2020-01-03,-1
            d,2020-01-04
            e,2020-01-05,5,extra
            f,2020-01-06,6
            a,2020-01-07,7.5

            """
        let table = try CSVTable.parse(text: text, name: "t.csv", columns: Self.specs, badRows: .skip)
        #expect(table.rowCount == 3)
        let ids = try table.identifiers("customer_id")
        #expect(ids.values == ["a", "f"] && ids.codes == [0, 1, 0])
        #expect(try table.doubles("amount") == [1, 6, 7.5])
        #expect(try table.days("date").count == 3)
        let reasons = table.skippedRows.reasons
        #expect(table.skippedRows.total == 5)
        #expect(reasons.first?.reason == "wrong number of fields" && reasons.first?.count == 2)
        #expect(reasons.first?.first == "t.csv:6:2: expected 3 fields, found 2")
        #expect(reasons.map(\.reason).contains("column 'customer_id': not a non-empty identifier"))
        #expect(reasons.first { $0.reason.hasPrefix("column 'amount'") }?.first
            == "t.csv:5:3: column 'amount': '-1' is not a non-negative number")
        // The strict read stops at the first of them.
        let error = try #require(throws: DataError.self) {
            try CSVTable.parse(text: text, name: "t.csv", columns: Self.specs)
        }
        #expect(error.line == 3 && error.column == 1)
    }

    /// In a file of several parallel chunks, the skipped rows (counts, first lines) and the kept columns are those
    /// of a row-by-row reference, and the first skipped line equals the strict read's error line.
    @Test func skippingAcrossChunksMatchesARowByRowReference() throws {
        var lines = ["customer_id,date,amount"]
        var expectedAmounts: [Double] = []
        var badLines: [Int] = []
        var goodLines: [Int] = []
        for i in 0..<400_000 {
            let line = lines.count + 1
            if i % 9973 == 17 {
                lines.append("x\(i),2020-02-30,1")  // bad date
                badLines.append(line)
            } else if i % 15_013 == 3 {
                lines.append("x\(i),2020-02-01")  // too few fields
                badLines.append(line)
            } else {
                let amount = Double(i % 1000) / 4
                lines.append("c\(i % 5000),2020-0\(1 + i % 9)-1\(i % 10),\(amount)")
                expectedAmounts.append(amount)
                goodLines.append(line)
            }
        }
        let text = lines.joined(separator: "\n") + "\n"
        #expect(text.utf8.count > 8 << 20)
        let table = try CSVTable.parse(text: text, name: "big.csv", columns: Self.specs, badRows: .skip)
        #expect(try table.doubles("amount") == expectedAmounts)
        #expect(table.skippedRows.total == badLines.count)
        // Every kept row knows its file line across chunk boundaries; a strict read does not record them.
        #expect(table.rowLines == goodLines)
        #expect(try CSVTable.parse(text: "customer_id,date,amount\na,2020-01-01,1\n", columns: Self.specs).rowLines == nil)
        let firstBad = table.skippedRows.reasons.map(\.firstLine).min()
        #expect(firstBad == badLines.first)
        let error = try #require(throws: DataError.self) { try CSVTable.parse(text: text, name: "big.csv", columns: Self.specs) }
        #expect(error.line == badLines.first)
    }
}

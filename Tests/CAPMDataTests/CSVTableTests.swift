import CAPMData
import Foundation
import Testing

let transactionColumns = [
    ColumnSpec(name: "customer_id", type: .identifier),
    ColumnSpec(name: "date", type: .date),
    ColumnSpec(name: "amount", type: .double, nonNegative: true),
]

@Suite("CSV reader")
struct CSVTableTests {
    /// `header(of:)` reads the file piece by piece: headers longer than its first 64 KiB read, a quoted name with a
    /// line break that crosses a read boundary, a header-only file, a BOM, no header, and an empty file.
    @Test(arguments: [
        ("long", 5_000), ("quoted newline", 65_530), ("header only", 0), ("bom", 3), ("no header", 0), ("empty", 0),
    ])
    func headerReadsOnlyWhatItNeeds(label: String, size: Int) throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("capm-header-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        var names: [String] = []
        var text = ""
        var format = CSVFormat()
        switch label {
        case "long":
            names = (0..<size).map { "column_with_a_long_name_\($0)" }
            text = names.joined(separator: ",") + "\n" + String(repeating: "1,", count: size - 1) + "1\n"
        case "quoted newline":
            // The first name's quoted line break sits just before the 64 KiB mark, so the first read ends inside it.
            let long = String(repeating: "x", count: size)
            names = ["\(long)\nsecond line", "b"]
            text = "\"\(long)\nsecond line\",b\n1,2\n"
        case "header only":
            names = ["a", "b"]
            text = "a,b\n"
        case "bom":
            names = ["a", "b"]
            text = "\u{FEFF}a,b\n1,2\n"
        case "no header":
            format = CSVFormat(hasHeader: false, columnNames: ["p", "q"])
            names = ["p", "q"]
            text = "1,2\n"
        default:
            text = ""
        }
        try Data(text.utf8).write(to: url)
        if label == "empty" {
            #expect(throws: DataError.emptyFile(path: url.path)) { try CSVTable.header(of: url) }
            return
        }
        #expect(try CSVTable.header(of: url, format: format) == names)
    }

    @Test func readsTypedColumns() throws {
        let text = "customer_id,date,amount,note\nA,2024-01-05,12.50,x\nB,20240106,3,y\nA,2024/2/29T10:00:00,1e2,z\n"
        let table = try CSVTable.parse(text: text, columns: transactionColumns + [ColumnSpec(name: "note", type: .string)])
        #expect(table.rowCount == 3)
        #expect(table.header == ["customer_id", "date", "amount", "note"])
        let ids = try table.identifiers("customer_id")
        #expect(ids.values == ["A", "B"])
        #expect(ids.codes == [0, 1, 0])
        #expect(try table.strings("customer_id") == ["A", "B", "A"])
        let jan5 = Int32(CivilDate.daysFromCivil(year: 2024, month: 1, day: 5))
        #expect(try table.days("date") == [jan5, jan5 + 1, jan5 + 55])
        #expect(try table.doubles("amount") == [12.5, 3, 100])
        #expect(try table.strings("note") == ["x", "y", "z"])
    }

    /// Every decimal form reads to the nearest double (the fast path and strtod agree with Swift's parser).
    @Test(arguments: [
        "0", "-0.5", "+7.", ".25", "123456789012345678901234567890", "1.7976931348623157e308", "4.9e-324",
        "0.1", "3.14159265358979323846", "1e22", "1e23", "9007199254740993", "2.2250738585072014E-308",
    ])
    func numbersAreCorrectlyRounded(text: String) throws {
        let table = try CSVTable.parse(text: "x\n\(text)\n", columns: [ColumnSpec(name: "x", type: .double)])
        let expected = try #require(Double(text))
        #expect(try table.doubles("x")[0].bitPattern == expected.bitPattern)
    }

    @Test func blankNumbersTakeTheColumnsBlankValueOrFail() throws {
        let text = "id,score\nA,7.5\nB,\nC,\"\"\n"
        let optional = [ColumnSpec(name: "id", type: .identifier), ColumnSpec(name: "score", type: .double, blankValue: .nan)]
        let scores = try CSVTable.parse(text: text, columns: optional).doubles("score")
        #expect(scores.count == 3 && scores[0] == 7.5 && scores[1].isNaN && scores[2].isNaN)
        let required = [ColumnSpec(name: "id", type: .identifier), ColumnSpec(name: "score", type: .double)]
        #expect(throws: DataError.self) { try CSVTable.parse(text: text, columns: required) }
        // Only an empty field is blank: text that is not a number still fails.
        #expect(throws: DataError.self) { try CSVTable.parse(text: "id,score\nA,n/a\n", columns: optional) }
    }

    @Test func quotedFieldsWithDelimitersQuotesAndNewlines() throws {
        let text = "id,name,v\r\n\"a,1\",\"say \"\"hi\"\"\",1\r\nb,\"two\nlines\",2\r\n"
        let table = try CSVTable.parse(
            text: text,
            columns: [
                ColumnSpec(name: "id", type: .string), ColumnSpec(name: "name", type: .string),
                ColumnSpec(name: "v", type: .integer),
            ])
        #expect(try table.strings("id") == ["a,1", "b"])
        #expect(try table.strings("name") == ["say \"hi\"", "two\nlines"])
        #expect(try table.integers("v") == [1, 2])
    }

    @Test func whitespaceDelimitedWithoutHeader() throws {
        let text = " 00004 0001 19970101  2   29.33\n 00004 0001 19970118  2   29.73\n\n 00021 0002 19970101  3   63.34\n"
        let format = CSVFormat(delimiter: .whitespace, hasHeader: false, columnNames: ["id", "sample", "date", "cds", "value"])
        let table = try CSVTable.parse(
            text: text,
            columns: [ColumnSpec(name: "id", type: .identifier), ColumnSpec(name: "value", type: .double)],
            format: format)
        #expect(table.rowCount == 3)
        #expect(try table.identifiers("id").values == ["00004", "00021"])
        #expect(try table.doubles("value") == [29.33, 29.73, 63.34])
    }

    @Test func blankLinesAndBOMAreSkipped() throws {
        let text = "\u{FEFF}customer_id,date,amount\n\nA,2024-01-01,1\n\n"
        let table = try CSVTable.parse(text: text, columns: transactionColumns)
        #expect(table.rowCount == 1)
    }

    struct BadInput: Sendable, CustomTestStringConvertible {
        let text: String
        let line: Int
        let column: Int?
        var testDescription: String { "line \(line) column \(column.map(String.init) ?? "-")" }
    }

    /// Malformed files report the exact line and field of the first problem.
    @Test(arguments: [
        BadInput(text: "customer_id,date,amount\nA,2024-01-01,1\nB,2024-01-02,abc\n", line: 3, column: 3),
        BadInput(text: "customer_id,date,amount\nA,2024-01-01,-5\n", line: 2, column: 3),
        BadInput(text: "customer_id,date,amount\nA,2024-02-30,5\n", line: 2, column: 2),
        BadInput(text: "customer_id,date,amount\nA,2024-01-01\n", line: 2, column: 2),
        BadInput(text: "customer_id,date,amount\nA,2024-01-01,1,9\n", line: 2, column: 4),
        BadInput(text: "customer_id,date,amount\n\n\nA,2024-01-01,nan\n", line: 4, column: 3),
        BadInput(text: "customer_id,date,amount\n,2024-01-01,1\n", line: 2, column: 1),
        BadInput(text: "customer_id,date,amount\n\"A,2024-01-01,1\n", line: 2, column: 1),
        BadInput(text: "customer_id,date,amount\n\"x\ny\",2024-01-01,1\nB,2024-01-01,inf\n", line: 4, column: 3),
    ])
    func errorsCarryLineAndColumn(input: BadInput) {
        do {
            _ = try CSVTable.parse(text: input.text, name: "bad.csv", columns: transactionColumns)
            Issue.record("expected an error")
        } catch {
            #expect(error.line == input.line)
            #expect(error.column == input.column)
            #expect(error.description.hasPrefix("bad.csv:\(input.line):"))
        }
    }

    @Test func missingColumnAndEmptyFile() {
        #expect(throws: DataError.missingColumn(path: "f.csv", name: "amount", available: ["customer_id", "date"])) {
            try CSVTable.parse(text: "customer_id,date\nA,2024-01-01\n", name: "f.csv", columns: transactionColumns)
        }
        #expect(throws: DataError.emptyFile(path: "f.csv")) {
            try CSVTable.parse(text: "customer_id,date,amount\n", name: "f.csv", columns: transactionColumns)
        }
        #expect(throws: DataError.emptyFile(path: "f.csv")) {
            try CSVTable.parse(text: "", name: "f.csv", columns: transactionColumns)
        }
        #expect(throws: DataError.fileNotFound(path: "/nonexistent/x.csv")) {
            try CSVTable.read(contentsOf: URL(fileURLWithPath: "/nonexistent/x.csv"), columns: transactionColumns)
        }
    }

    /// A file larger than one parallel chunk parses to the same columns as a row-by-row reference, and an
    /// error deep in a later chunk reports its true line.
    @Test func parallelChunksAgreeWithSequentialReference() throws {
        var text = "customer_id,date,amount\n"
        var expectedIDs: [String] = []
        var expectedAmounts: [Double] = []
        let rows = 400_000
        for r in 0..<rows {
            let id = "C\((r * 7919) % 50_021)"
            let amount = Double((r * 31) % 10_000) / 100
            text += "\(id),2020-\(1 + r % 12)-\(1 + r % 28),\(amount)\n"
            expectedIDs.append(id)
            expectedAmounts.append(amount)
        }
        #expect(text.utf8.count > 8 << 20)  // several 4 MiB chunks
        let table = try CSVTable.parse(text: text, columns: transactionColumns)
        #expect(table.rowCount == rows)
        #expect(try table.strings("customer_id") == expectedIDs)
        #expect(try table.doubles("amount") == expectedAmounts)
        let ids = try table.identifiers("customer_id")
        // Codes follow first appearance across chunks.
        var seen: [String: Int32] = [:]
        for (k, id) in expectedIDs.enumerated() {
            if seen[id] == nil { seen[id] = Int32(seen.count) }
            #expect(ids.codes[k] == seen[id])
            if k > 2000 { break }
        }
        #expect(ids.values.count == seen.count || ids.values.count == Set(expectedIDs).count)

        let badLine = 350_001  // data row 350,000 → line 350,001
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        lines[badLine - 1] = "X,2020-01-01,oops"
        let broken = lines.joined(separator: "\n")
        #expect(throws: DataError.invalidValue(
            path: "big.csv", line: badLine, column: 3, columnName: "amount", text: "oops", expected: "a non-negative number")
        ) {
            try CSVTable.parse(text: broken, name: "big.csv", columns: transactionColumns)
        }
    }
}

@Suite("Civil dates")
struct CivilDateTests {
    @Test(arguments: [(1970, 1, 1, 0), (2000, 2, 29, 11_016), (1997, 1, 1, 9_862), (1969, 12, 31, -1)])
    func knownDayNumbers(year: Int, month: Int, day: Int, days: Int) {
        #expect(CivilDate.daysFromCivil(year: year, month: month, day: day) == days)
        let back = CivilDate.civilFromDays(days)
        #expect(back.year == year && back.month == month && back.day == day)
    }

    @Test func roundTripOverFourCenturies() {
        for d in stride(from: -146_097, through: 146_097, by: 37) {
            let c = CivilDate.civilFromDays(d)
            #expect(CivilDate.daysFromCivil(year: c.year, month: c.month, day: c.day) == d)
        }
        #expect(CivilDate.isoString(days: 9_862) == "1997-01-01")
    }
}

@Suite("CSV reader: parsed chunks' bytes released")
struct CSVReleaseTests {
    /// A 20 MB file (5 chunks of 4 MB): the pages of chunks whose ids are all ≤ 16 bytes are given back as soon as the
    /// chunk is parsed, and their ids are built from the records' prefixes; a chunk with a 17-byte id keeps its bytes.
    /// Every value and id must still read back as written (the ids of 1, 8, 15, 16 and 17 bytes, repeated across
    /// chunks so first appearances and later ones meet).
    @Test(arguments: [false, true])
    func valuesSurviveTheRelease(longIds: Bool) throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("capm-release-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        let rows = 700_000
        func id(_ i: Int) -> String {
            let lengths = longIds && i > 500_000 ? [1, 8, 15, 16, 17] : [1, 8, 15, 16]
            let n = lengths[i % lengths.count]
            let digits = String(i % 9_973)
            return String((digits + String(repeating: "abcdefghijklmnopq", count: 2)).prefix(n))
        }
        var text = "customer_id,date,amount\n"
        text.reserveCapacity(rows * 32)
        for i in 0..<rows { text += "\(id(i)),2024-01-\(10 + i % 19),\(i % 1000).25\n" }
        try text.write(to: url, atomically: true, encoding: .utf8)
        let table = try CSVTable.read(contentsOf: url, columns: transactionColumns)
        #expect(table.rowCount == rows)
        let ids = try table.strings("customer_id")
        let amounts = try table.doubles("amount")
        let wrongId = (0..<rows).first { ids[$0] != id($0) }
        let wrongAmount = (0..<rows).first { amounts[$0] != Double($0 % 1000) + 0.25 }
        #expect(wrongId == nil && wrongAmount == nil, "\(String(describing: wrongId)) \(String(describing: wrongAmount))")
    }
}

import CAPMData
import Testing

@Suite("Category columns")
struct CategoryColumnTests {
    /// The first-appearance coding an `.identifier` or `.category` column must produce, computed naively.
    static func reference(_ texts: [String]) -> IdentifierColumn {
        var values: [String] = []
        var code: [String: Int32] = [:]
        let codes = texts.map { text -> Int32 in
            if let c = code[text] { return c }
            code[text] = Int32(values.count)
            values.append(text)
            return Int32(values.count - 1)
        }
        return IdentifierColumn(values: values, codes: codes)
    }

    /// Over several parallel chunks, a category column equals both the naive coding and the `.identifier`
    /// reading of the same column — including values first seen in a later chunk and more values than the
    /// initial table holds (so the per-chunk table grows).
    @Test func manyChunksAgreeWithTheIdentifierReading() throws {
        var text = "id,channel\n"
        var channels: [String] = []
        let rows = 450_000
        for r in 0..<rows {
            // 40 values early on, 3 more that appear only after row 300,000 (a later chunk).
            let channel = r > 300_000 && r % 1000 == 0 ? "late_\(r % 3000)" : "channel_\((r * 7) % 40)"
            channels.append(channel)
            text += "C\(r % 1000),\(channel)\n"
        }
        #expect(text.utf8.count > 6 << 20)  // two 4 MiB chunks at least
        let category = try CSVTable.parse(text: text, columns: [ColumnSpec(name: "channel", type: .category)])
        let identifier = try CSVTable.parse(text: text, columns: [ColumnSpec(name: "channel", type: .identifier)])
        let expected = Self.reference(channels)
        #expect(try category.identifiers("channel") == expected)
        #expect(try identifier.identifiers("channel") == expected)
        #expect(expected.values.count == 43)
    }

    /// An empty field is an error naming line and column unless the column allows it; then it is the value "".
    @Test func emptyFields() throws {
        let text = "id,stage,outcome\nA,awareness,\nB,,won\n"
        #expect(throws: DataError.invalidValue(
            path: "j.csv", line: 3, column: 2, columnName: "stage", text: "", expected: "a non-empty value")
        ) {
            try CSVTable.parse(
                text: text, name: "j.csv", columns: [ColumnSpec(name: "stage", type: .category)])
        }
        let table = try CSVTable.parse(
            text: text, columns: [ColumnSpec(name: "outcome", type: .category, allowsEmpty: true)])
        #expect(try table.identifiers("outcome") == IdentifierColumn(values: ["", "won"], codes: [0, 1]))
        #expect(try table.strings("outcome") == ["", "won"])
    }

    /// A lenient read that skips a row after its category field was recorded forgets that field; a value seen
    /// only on skipped rows does not appear among the column's values.
    @Test(arguments: [ColumnType.category, .identifier])
    func skippedRowsLeaveNoValues(type: ColumnType) throws {
        let text = "stage,amount\nawareness,1\nghost,oops\ndecision,2\nawareness,x\nghost2,3\n"
        let table = try CSVTable.parse(
            text: text, columns: [ColumnSpec(name: "stage", type: type), ColumnSpec(name: "amount", type: .double)],
            badRows: .skip)
        #expect(try table.identifiers("stage") == IdentifierColumn(values: ["awareness", "decision", "ghost2"], codes: [0, 1, 2]))
        #expect(table.skippedRows.reasons.map(\.count) == [2])
        #expect(table.rowLines == [2, 4, 6])
    }
}

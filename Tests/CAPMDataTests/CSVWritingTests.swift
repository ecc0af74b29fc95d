import CAPMData
import Testing

@Suite("CSV field escaping")
struct CSVEscapingTests {
    @Test(arguments: [
        ("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("two\nlines", "\"two\nlines\""),
        ("crlf\r\nid", "\"crlf\r\nid\""), ("cr\rid", "\"cr\rid\""), ("", ""),
    ])
    func escape(field: String, expected: String) {
        #expect(CSVWriting.escape(field) == expected)
    }
}

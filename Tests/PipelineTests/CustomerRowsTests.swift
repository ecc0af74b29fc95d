import CAPMData
import Foundation
import Testing

@testable import Pipeline

@Suite("customers.csv rows as bytes")
struct CustomerRowsTests {
    /// Each row's fields are the id, `description` of every number, the segment and its label; the bytes of a range
    /// are the concatenation of the bytes of its parts (the chunking does not change the file).
    @Test func rowsHoldTheDescriptionsOfTheNumbers() throws {
        let result = try Fixtures.exampleRun(output: nil).run()
        let rows = CustomerRows(result: result)
        let n = result.summary.count
        #expect(rows.bytes(0..<n) == rows.bytes(0..<17) + rows.bytes(17..<4096) + rows.bytes(4096..<n))
        let lines = String(decoding: rows.bytes(0..<n), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == n)
        for i in [0, 1, n / 2, n - 1] {
            let fields = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let s = result.summary, p = result.predictions
            let numbers = [s.recency[i], s.age[i], s.monetaryValue?[i] ?? 0, p.expectedPurchases[i], p.probabilityAlive[i],
                p.expectedSpend[i], p.lifetimeValue[i]]
            #expect(fields[0] == s.customerIDs[i] && fields[1] == "\(s.frequency[i])")
            #expect(Array(fields[2...8]) == numbers.map(\.description))
            #expect(fields[9] == "\(result.segments[i])" && fields[10] == result.label(ofCustomer: i))
        }
    }

    /// Identifiers that need quoting are quoted with quotes doubled; plain ones are copied.
    @Test(arguments: [("C1", "C1"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("x\r\ny", "\"x\r\ny\"")])
    func identifiersAreEscaped(id: String, expected: String) {
        var buffer = [UInt8](repeating: 0, count: 2 * id.utf8.count + 2)
        let written = buffer.withUnsafeMutableBufferPointer { b -> Int in
            guard let base = b.baseAddress else { return 0 }
            var p = base
            CustomerRows.writeIdentifier(id, to: &p)
            return p - base
        }
        #expect(String(decoding: buffer[..<written], as: UTF8.self) == expected)
    }

    @Test(arguments: [0, 7, 10, 99, 100, 12_345, -3, Int.max, Int.min + 1])
    func integers(value: Int) {
        var buffer = [UInt8](repeating: 0, count: 21)
        let n = buffer.withUnsafeMutableBufferPointer { CustomerRows.writeInteger(value, to: $0.baseAddress.unsafelyUnwrapped) }
        #expect(String(decoding: buffer[..<n], as: UTF8.self) == "\(value)")
    }
}

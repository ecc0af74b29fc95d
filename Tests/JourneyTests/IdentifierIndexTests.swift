import Testing

@testable import Journey

@Suite("Identifier index")
struct IdentifierIndexTests {
    @Test func findsEveryKeyAcrossGrowthAndKeepsLastRowOfRepeats() {
        let ids = (0..<5000).map { "C\($0 * 7919 % 100_003)" } + ["C0", "é-ü", ""]
        let (index, rowOfKey) = IdentifierIndex.rows(of: ids)
        var last: [String: Int] = [:]
        for (row, id) in ids.enumerated() { last[id] = row }
        #expect(index.keys.count == last.count)
        for (id, row) in last {
            let key = index.row(of: id)
            #expect(key.map { Int(rowOfKey[Int($0)]) } == row)
        }
        #expect(index.row(of: "C1") == nil && index.row(of: "nope") == nil)
        var small = IdentifierIndex(capacity: 1)
        for k in 0..<100 { #expect(small.insert("k\(k % 10)") == Int32(k % 10)) }
        #expect(small.keys.count == 10)
    }
}

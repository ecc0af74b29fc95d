import CAPMData
import Foundation
import Testing

@testable import CustomerValue

@Suite struct CustomerSummaryTests {
    /// The RFM summary built from the raw CDNOW sample transactions reproduces Fader & Hardie's published
    /// calibration summary (x, tₓ, T in weeks, zbar) for all 2,357 customers, and the holdout has the
    /// README's 1,882 repeat purchases in weeks 40–78.
    @Test func transactionsReproduceThePublishedCDNOWSummary() throws {
        let log = try Fixtures.cdnowSampleLog()
        let split = try CalibrationHoldout(
            transactions: log, calibrationEnd: Fixtures.calibrationEnd, observationEnd: Fixtures.observationEnd, unit: .week)
        let mine = split.calibration
        let published = try Fixtures.cdnowSummary()
        #expect(mine.count == 2357)
        let index = Dictionary(uniqueKeysWithValues: mine.customerIDs.enumerated().map { (Int($1) ?? -1, $0) })
        // The published file is rounded to 2 decimals (half up): allow half a unit in the last place.
        let half = 0.005 + 1e-9
        var mismatches = 0
        for j in 0..<published.count {
            let i = try #require(index[Int(published.customerIDs[j]) ?? -2])
            if mine.frequency[i] != published.frequency[j]
                || abs(mine.recency[i] - published.recency[j]) > half
                || abs(mine.age[i] - published.age[j]) > half
                || abs((mine.monetaryValue?[i] ?? -1) - (published.monetaryValue?[j] ?? -2)) > half
            {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
        #expect(split.holdoutFrequency.reduce(0, +) == 1882)
        #expect(abs(split.holdoutDuration - 39) < 1e-12)
    }

    @Test func sameDayPurchasesCollapseAndFirstPurchaseIsExcludedFromMonetaryValue() throws {
        // Customer a: day 0 (10 + 5), day 7 (20), day 14 (30 + 10); b: one day; c: only after the end.
        let log = try TransactionLog(
            customerIDs: ["a", "b", "c"], customer: [0, 0, 0, 0, 0, 1, 2], day: [0, 0, 7, 14, 14, 3, 40],
            amount: [10, 5, 20, 30, 10, 8, 1])
        let s = try CustomerSummary(transactions: log, observationEnd: 21, unit: .week)
        #expect(s.customerIDs == ["a", "b"])
        #expect(s.frequency == [2, 0])
        #expect(s.recency == [2, 0])
        #expect(s.age == [3, 18.0 / 7])
        #expect(s.monetaryValue == [30, 0])  // (20 + 40)/2; the first day's 15 is excluded
        let d = try CustomerSummary(transactions: log, observationEnd: 21, unit: .day)
        #expect(d.recency == [14, 0] && d.age == [21, 18])
    }

    @Test(arguments: [5, 40])
    func unorderedTransactionsGiveTheSameSummary(count: Int) throws {
        // One customer's purchases on days 0, 7, 14, … given in reverse order (and each day twice).
        let days = (0..<count).reversed().flatMap { [Int32($0 * 7), Int32($0 * 7)] }
        let log = try TransactionLog(
            customerIDs: ["z"], customer: [Int32](repeating: 0, count: days.count), day: days,
            amount: days.map { Double($0) + 1 })
        let s = try CustomerSummary(transactions: log, observationEnd: Int32(count * 7), unit: .week)
        #expect(s.frequency == [count - 1])
        #expect(s.recency == [Double(count - 1)])
        #expect(s.age == [Double(count)])
        // Mean over days 7…7(count−1) of 2·(day + 1).
        var total = 0.0
        for k in 1..<count { total += 2 * (Double(k * 7) + 1) }
        let expected = total / Double(count - 1)
        #expect(abs((s.monetaryValue?[0] ?? 0) - expected) < 1e-12)
    }

    @Test func patternsCompressAndExpandBack() throws {
        let s = try CustomerSummary(
            customerIDs: ["a", "b", "c", "d"], frequency: [1, 0, 1, 1], recency: [2, 0, 2, 3], age: [5, 5, 5, 5])
        let p = RepeatPatterns(s)
        #expect(p.count == 3)
        #expect(p.totalWeight == 4)
        #expect(p.frequencyGroups.map(\.frequency) == [0, 1])
        #expect(p.perCustomer(p.recency) == [2, 0, 2, 3])
    }

    @Test(arguments: [
        ("1,2,3.5,3.0\n", "recency 3.5 exceeds T 3.0"),
        ("1,0,1.0,3.0\n", "recency 1.0 with zero frequency"),
        ("1,1.5,1.0,3.0\n", "frequency 1.5 is not a whole number"),
    ])
    func inconsistentRowsNameTheCustomer(row: String, message: String) throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("capm-summary-\(UUID().uuidString).csv")
        try "customer_id,frequency,recency,T\n\(row)".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let error = try #require(throws: CustomerValueError.self) { try CustomerSummary.read(contentsOf: url) }
        #expect(error.description == "customer 1: \(message)")
    }

    @Test func badFilesGiveDataErrorsWithLineAndColumn() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("capm-summary-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try "customer_id,frequency,recency,T\n1,1,1,2\n2,1,abc,2\n".write(to: url, atomically: true, encoding: .utf8)
        let error = try #require(throws: CustomerValueError.self) { try CustomerSummary.read(contentsOf: url) }
        guard case .data(let data) = error else { Issue.record("expected a data error, got \(error)"); return }
        #expect(data.line == 3 && data.column == 3)
        try "customer_id,frequency,T\n1,1,2\n".write(to: url, atomically: true, encoding: .utf8)
        let missing = try #require(throws: CustomerValueError.self) { try CustomerSummary.read(contentsOf: url) }
        #expect(missing.description.contains("missing column 'recency'"))
        try "customer_id,frequency,recency,T\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: CustomerValueError.self) { try CustomerSummary.read(contentsOf: url) }
    }
}

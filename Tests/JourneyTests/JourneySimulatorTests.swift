import Foundation
import Testing

@testable import Journey

@Suite("Journey simulator")
struct JourneySimulatorTests {
    /// 3,000 buyers with first purchases over 84 days from 1997-01-01 (day 9862) and 1–4 purchases.
    static func buyers() -> (ids: [String], first: [Int32], purchases: [Int]) {
        let n = 3000
        let ids = (0..<n).map { "C\($0)" }
        let first = (0..<n).map { Int32(9862 + ($0 * 37) % 84) }
        let purchases = (0..<n).map { ($0 * 7919) % 5 == 0 ? 3 : (($0 * 31) % 3 == 0 ? 2 : 1) }
        return (ids, first, purchases)
    }

    static func simulate(seed: UInt64, prospects: Int = 6000) throws -> JourneyLog {
        let b = buyers()
        return try JourneySimulator().simulate(
            customerIDs: b.ids, firstPurchaseDay: b.first, purchaseCount: b.purchases, prospects: prospects, seed: seed)
    }

    @Test func sameSeedSameLogOtherSeedOtherLog() throws {
        let a = try Self.simulate(seed: 11), b = try Self.simulate(seed: 11), c = try Self.simulate(seed: 12)
        #expect(a == b)
        #expect(a != c)
        #expect(a.customerIDs == c.customerIDs)
    }

    @Test func journeysFollowTheTransactionLog() throws {
        let log = try Self.simulate(seed: 3)
        let b = Self.buyers()
        #expect(log.customerCount == 3000 + 6000)
        #expect(log.customerIDs[3000] == "P0001" && log.customerIDs.last == "P6000")
        var purchaseDay = [Int32](repeating: -1, count: log.customerCount)
        var furthest = [Int](repeating: -1, count: log.customerCount)
        for e in 0..<log.count where log.stage[e] == .purchase { purchaseDay[Int(log.customer[e])] = log.day[e] }
        for e in 0..<log.count { furthest[Int(log.customer[e])] = max(furthest[Int(log.customer[e])], log.stage[e].rawValue) }
        // Buyers purchase on their first purchase day; everything before purchase is on or before it, after is after.
        #expect((0..<3000).allSatisfy { purchaseDay[$0] == b.first[$0] && furthest[$0] == 4 })
        #expect((3000..<9000).allSatisfy { purchaseDay[$0] == -1 && furthest[$0] < 3 })
        for e in 0..<log.count where Int(log.customer[e]) < 3000 {
            let f = b.first[Int(log.customer[e])]
            if log.stage[e] < .purchase { #expect(log.day[e] <= f) }
            if log.stage[e] == .postPurchase { #expect(log.day[e] > f) }
        }
        // One-time buyers churn, repeat buyers do not.
        let analysis = try JourneyAnalysis.analyze(log, values: CustomerValues(ids: b.ids, values: b.purchases.map(Double.init)))
        #expect(analysis.stages[4].dropOff == b.purchases.filter { $0 == 1 }.count)
        #expect(analysis.coverage.missingValueProspects == 6000 && analysis.coverage.missingValueReachedPurchase == 0)
        #expect(analysis.stages[3].reach == 3000 && analysis.stages[0].reach == 9000)
    }

    /// Lost customers' experiences at the moment they are lost are worse than everyone else's at the same stage,
    /// and the analysis finds the biggest post-purchase gap at support calls (the worst-quality touchpoint).
    @Test func dropOffsHaveWorseExperiences() throws {
        let log = try Self.simulate(seed: 5)
        let b = Self.buyers()
        let scores = try #require(log.scores)
        // Last event per customer per stage and furthest stage, straight from the events.
        var furthest = [Int](repeating: -1, count: log.customerCount)
        for e in 0..<log.count { furthest[Int(log.customer[e])] = max(furthest[Int(log.customer[e])], log.stage[e].rawValue) }
        var lostSum = 0.0, lostCount = 0.0, otherSum = 0.0, otherCount = 0.0
        for e in 0..<log.count where log.stage[e] < .purchase {
            let c = Int(log.customer[e])
            if furthest[c] == log.stage[e].rawValue {
                lostSum += scores.experienced[e]
                lostCount += 1
            } else {
                otherSum += scores.experienced[e]
                otherCount += 1
            }
        }
        #expect(lostSum / lostCount < otherSum / otherCount - 0.5)
        // Churned events against repurchasers' post-purchase events.
        var churnSum = 0.0, churnCount = 0.0, keptSum = 0.0, keptCount = 0.0
        for e in 0..<log.count where log.stage[e] == .postPurchase {
            if let outcome = log.outcome?[e], outcome >= 0, log.outcomes[Int(outcome)] == JourneyLog.churnedOutcome {
                churnSum += scores.experienced[e]
                churnCount += 1
            } else if b.purchases[Int(log.customer[e])] > 1 {
                keptSum += scores.experienced[e]
                keptCount += 1
            }
        }
        #expect(churnSum / churnCount < keptSum / keptCount - 1)
        let analysis = try JourneyAnalysis.analyze(log, values: CustomerValues(ids: b.ids, values: b.purchases.map(Double.init)))
        let post = analysis.moments.filter { $0.stage == .postPurchase }
        let worst = try #require(post.max { ($0.gap?.meanGap ?? 0) < ($1.gap?.meanGap ?? 0) })
        #expect(worst.touchpoint == "support_call")
    }

    @Test func writtenLogReadsBackToTheSameAnalysis() throws {
        let log = try Self.simulate(seed: 9, prospects: 500)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capm-journey-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journey.csv")
        try log.write(to: url)
        let read = try JourneyLog.read(contentsOf: url)
        #expect(read.count == log.count && read.customerIDs == log.customerIDs)
        #expect(read.scores == log.scores && read.day == log.day && read.stage == log.stage)
        let b = Self.buyers()
        let values = CustomerValues(ids: b.ids, values: b.purchases.map { Double($0) * 12.5 })
        let x = try JourneyAnalysis.analyze(log, values: values), y = try JourneyAnalysis.analyze(read, values: values)
        #expect(x.stages == y.stages && x.moments == y.moments && x.coverage == y.coverage)
    }

    @Test func surveyRateLeavesBlankPairsThatReadBackAndDropOutOfTheGaps() throws {
        let b = Self.buyers()
        let log = try JourneySimulator(surveyRate: 0.4).simulate(
            customerIDs: b.ids, firstPurchaseDay: b.first, purchaseCount: b.purchases, prospects: 500, seed: 5)
        let scores = try #require(log.scores)
        let blank = scores.expected.filter(\.isNaN).count
        #expect(zip(scores.expected, scores.experienced).allSatisfy { $0.isNaN == $1.isNaN })
        // About 60 % blank: binomial with n ≈ 10⁴ events, far inside ±5 %.
        let share = Double(blank) / Double(log.count)
        #expect(share > 0.55 && share < 0.65)
        // Same seed, same log, blanks included.
        #expect(log == (try JourneySimulator(surveyRate: 0.4).simulate(
            customerIDs: b.ids, firstPurchaseDay: b.first, purchaseCount: b.purchases, prospects: 500, seed: 5)))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capm-journey-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journey.csv")
        try log.write(to: url)
        let read = try JourneyLog.read(contentsOf: url)
        #expect(read.scores == log.scores)
        let values = CustomerValues(ids: b.ids, values: b.purchases.map { Double($0) * 12.5 })
        let a = try JourneyAnalysis.analyze(read, values: values)
        #expect(a.coverage.scoredEvents == log.count - blank)
        #expect(a.moments.compactMap(\.gap).map(\.responses).reduce(0, +) == log.count - blank)
    }

    @Test func badParametersAreTypedErrors() {
        #expect(throws: JourneyError.self) {
            try JourneySimulator().simulate(customerIDs: ["A"], firstPurchaseDay: [], purchaseCount: [1], prospects: 0, seed: 1)
        }
        #expect(throws: JourneyError.self) {
            try JourneySimulator().simulate(customerIDs: [], firstPurchaseDay: [], purchaseCount: [], prospects: -1, seed: 1)
        }
        #expect(throws: JourneyError.self) {
            try JourneySimulator(badExperienceRate: 2).simulate(
                customerIDs: [], firstPurchaseDay: [], purchaseCount: [], prospects: 1, seed: 1)
        }
        #expect(throws: JourneyError.self) {
            try JourneySimulator(surveyRate: -0.1).simulate(
                customerIDs: [], firstPurchaseDay: [], purchaseCount: [], prospects: 1, seed: 1)
        }
    }
}

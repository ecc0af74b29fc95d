import CAPMData
import CAPMNumerics
import Testing

@testable import CustomerValue

@Suite("Daily purchases: grouped logs and any order agree")
struct DailyPurchasesTests {
    /// A random log written customer by customer (days in order, same-day repeats), and the same rows shuffled.
    static func logs(seed: UInt64) throws -> (grouped: TransactionLog, shuffled: TransactionLog) {
        var rng = Xoshiro256(seed: seed)
        var rows: [(id: Int, day: Int32, amount: Double)] = []
        for id in 0..<300 {
            var day = Int32.random(in: 0..<200, using: &rng)
            for _ in 0..<Int.random(in: 1...60, using: &rng) {  // some customers above the 32-row insertion sort
                rows.append((id, day, Double(Int.random(in: 1...9999, using: &rng)) / 100))
                if Bool.random(using: &rng) { day += Int32.random(in: 1...30, using: &rng) }
            }
        }
        func log(_ rows: [(id: Int, day: Int32, amount: Double)]) throws -> TransactionLog {
            var code: [Int: Int32] = [:]
            var ids: [String] = []
            let customer = rows.map { row -> Int32 in
                if let c = code[row.id] { return c }
                code[row.id] = Int32(ids.count)
                ids.append("c\(row.id)")
                return Int32(ids.count - 1)
            }
            return try TransactionLog(customerIDs: ids, customer: customer, day: rows.map(\.day), amount: rows.map(\.amount))
        }
        return (try log(rows), try log(rows.shuffled(using: &rng)))
    }

    /// Customer id → its days and amounts, whatever the codes.
    static func byID(_ p: DailyPurchases, _ log: TransactionLog) -> [String: [(Int32, Double)]] {
        var out: [String: [(Int32, Double)]] = [:]
        for c in 0..<log.customerCount { out[log.customerIDs[c]] = p.range(c).map { (p.day[$0], p.amount[$0]) } }
        return out
    }

    @Test(arguments: [(nil, nil), (Int32(150), nil), (Int32(180), Int32(90))] as [(Int32?, Int32?)])
    func groupedFastPathMatchesTheGeneralPath(end: Int32?, start: Int32?) throws {
        for seed in [UInt64(1), 2, 3] {
            let (grouped, shuffled) = try Self.logs(seed: seed)
            let fast = Self.byID(DailyPurchases(grouped, through: end, from: start), grouped)
            let general = Self.byID(DailyPurchases(shuffled, through: end, from: start), shuffled)
            #expect(fast.count == general.count)
            for (id, days) in fast {
                let other = general[id] ?? []
                #expect(days.map(\.0) == other.map(\.0), "\(id)")
                // Same-day amounts are summed in a different order after shuffling: equal to rounding.
                for (a, b) in zip(days.map(\.1), other.map(\.1)) { #expect(abs(a - b) <= 1e-9 * max(1, abs(a))) }
            }
        }
    }

    /// The summary of a grouped log equals the summary of the same log in another order.
    @Test func summariesAgree() throws {
        let (grouped, shuffled) = try Self.logs(seed: 9)
        let a = try CustomerSummary(transactions: grouped, observationEnd: 240)
        let b = try CustomerSummary(transactions: shuffled, observationEnd: 240)
        let order = Dictionary(uniqueKeysWithValues: b.customerIDs.enumerated().map { ($1, $0) })
        for (i, id) in a.customerIDs.enumerated() {
            let j = try #require(order[id])
            #expect(a.frequency[i] == b.frequency[j] && a.recency[i] == b.recency[j] && a.age[i] == b.age[j])
            #expect(abs((a.monetaryValue?[i] ?? 0) - (b.monetaryValue?[j] ?? 0)) <= 1e-9 * max(1, a.monetaryValue?[i] ?? 0))
        }
    }
}

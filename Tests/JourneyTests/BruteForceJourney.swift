import Foundation

/// An independent, slow re-implementation of the journey definitions over the raw CSV text: rows split on commas,
/// customers grouped in dictionaries by id, dates compared with Foundation's calendar. The oracle for the tests.
struct BruteForceJourney {
    struct Row {
        var line: Int
        var customer: String
        var stage: Int
        var touchpoint: String
        var day: Int
        var outcome: String
        var expected: Double?
        var experienced: Double?
    }

    static let stages = ["awareness", "consideration", "decision", "purchase", "post_purchase"]

    var rows: [Row] = []

    init(text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        func field(_ parts: [String], _ name: String) -> String? {
            header.firstIndex(of: name).map { parts[$0] }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let epoch = calendar.date(from: DateComponents(year: 1970, month: 1, day: 1))!
        for (k, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let parts = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let ymd = field(parts, "date")!.split(separator: "-").map { Int($0)! }
            let date = calendar.date(from: DateComponents(year: ymd[0], month: ymd[1], day: ymd[2]))!
            let day = calendar.dateComponents([.day], from: epoch, to: date).day!
            rows.append(
                Row(
                    line: k + 2, customer: field(parts, "customer_id")!,
                    stage: Self.stages.firstIndex(of: field(parts, "stage")!)!, touchpoint: field(parts, "touchpoint")!,
                    day: day, outcome: field(parts, "outcome") ?? "",
                    expected: field(parts, "expected_score").flatMap(Double.init),
                    experienced: field(parts, "experienced_score").flatMap(Double.init)))
        }
    }

    var customers: [String] { Array(Set(rows.map(\.customer))).sorted() }

    func events(of customer: String) -> [Row] { rows.filter { $0.customer == customer } }

    func furthest(_ customer: String) -> Int { events(of: customer).map(\.stage).max()! }

    /// Where the customer is lost: (stage, touchpoint) or nil.
    func lostAt(_ customer: String) -> (stage: Int, touchpoint: String)? {
        let f = furthest(customer)
        var candidates = events(of: customer).filter { $0.stage == f }
        if f == 4 { candidates = candidates.filter { $0.outcome.lowercased() == "churned" } }
        // Latest date, then latest line.
        guard let last = candidates.max(by: { ($0.day, $0.line) < ($1.day, $1.line) }) else { return nil }
        return (f, last.touchpoint)
    }

    func reach(stage: Int) -> Int { Set(rows.filter { $0.stage == stage }.map(\.customer)).count }

    func reach(stage: Int, touchpoint: String) -> Int {
        Set(rows.filter { $0.stage == stage && $0.touchpoint == touchpoint }.map(\.customer)).count
    }

    func dropOff(stage: Int) -> Int { customers.filter { lostAt($0)?.stage == stage }.count }

    func lost(stage: Int, touchpoint: String) -> [String] {
        customers.filter { c in lostAt(c).map { $0.stage == stage && $0.touchpoint == touchpoint } ?? false }
    }

    /// Day differences from the first event at `stage` to the first at `stage + 1`, per customer with both.
    func transitions(stage: Int) -> [Int] {
        customers.compactMap { c in
            let e = events(of: c)
            guard let a = e.filter({ $0.stage == stage }).map(\.day).min(),
                let b = e.filter({ $0.stage == stage + 1 }).map(\.day).min()
            else { return nil }
            return b - a
        }
    }

    /// (mean gap, value-weighted gap) over scored events matching `filter`.
    func gap(value: (String) -> Double, where filter: (Row) -> Bool) -> (count: Int, mean: Double, weighted: Double?) {
        let scored = rows.filter { filter($0) && $0.expected != nil }
        let gaps = scored.map { $0.expected! - $0.experienced! }
        let weights = scored.map { value($0.customer) }
        let w = weights.reduce(0, +)
        let weighted = w > 0 ? zip(gaps, weights).map { $0 * $1 }.reduce(0, +) / w : nil
        return (scored.count, gaps.reduce(0, +) / Double(max(1, scored.count)), weighted)
    }
}

import CAPMData
import CustomerValue
import Foundation
import Testing

@Suite("Transaction simulator")
struct TransactionSimulatorTests {
    @Test func sameSeedSameLogDifferentSeedDifferentLog() throws {
        let simulator = TransactionSimulator()
        let a = try simulator.simulate(customers: 10_000, seed: 7)
        let b = try simulator.simulate(customers: 10_000, seed: 7)
        let c = try simulator.simulate(customers: 10_000, seed: 8)
        #expect(a == b)
        #expect(a != c)
        #expect(a.customerCount == 10_000)
    }

    @Test func logIsOrderedAndInsideTheWindow() throws {
        let simulator = TransactionSimulator(observationDays: 200)
        let log = try simulator.simulate(customers: 5_000, seed: 3)
        let start = Int32(simulator.startDay)
        #expect(zip(log.day, log.day.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(log.day.allSatisfy { $0 >= start && $0 < start + 200 })
        #expect(log.amount.allSatisfy { $0 >= 0 && $0.isFinite })
        // Customer codes follow first appearance, as a reader of the written file builds them.
        var next: Int32 = 0
        for c in log.customer where c >= next {
            #expect(c == next)
            next += 1
        }
    }

    /// E[X(t)] of BG/NBD, computed independently of the simulator: given λ and p the expected number of repeat
    /// purchases in (0, t] is (1 − e^{−λpt})/p (Fader, Hardie & Lee 2005, eq. 7 before mixing); mixing λ ~ Gamma(r, α)
    /// gives (1 − (α/(α + pt))^r)/p, and the Beta(a, b) mixing over p is done by quadrature after the substitution
    /// p = u^{1/a}, which removes the p^{a−1} singularity.
    static func expectedRepeatPurchases(r: Double, alpha: Double, a: Double, b: Double, t: Double) -> Double {
        let n = 200_000
        var sum = 0.0
        for k in 0..<n {
            let u = (Double(k) + 0.5) / Double(n)  // midpoint rule
            let p = pow(u, 1 / a)
            let g = p < 1e-12 ? r * t / alpha : (1 - pow(alpha / (alpha + p * t), r)) / p
            sum += g * pow(1 - p, b - 1)
        }
        let betaFunction = exp(lgamma(a) + lgamma(b) - lgamma(a + b))
        return sum / Double(n) / (a * betaFunction)
    }

    /// The mean number of repeat purchases per customer matches the model's expectation within 5 standard errors.
    @Test(arguments: [(0.243, 4.414, 0.793, 2.426), (1.5, 10.0, 2.0, 6.0)])
    func meanRepeatPurchasesMatchesModel(r: Double, alpha: Double, a: Double, b: Double) throws {
        let weeks = 52
        let simulator = TransactionSimulator(
            purchase: .init(r: r, alpha: alpha, a: a, b: b), acquisitionDays: 0, observationDays: weeks * 7 + 1,
            order: .byCustomer)
        let customers = 200_000
        let log = try simulator.simulate(customers: customers, seed: 11)
        var counts = [Int](repeating: 0, count: customers)
        for c in log.customer { counts[Int(c)] += 1 }
        let repeats = counts.map { Double($0 - 1) }
        let mean = repeats.reduce(0, +) / Double(customers)
        let variance = repeats.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(customers - 1)
        let expected = Self.expectedRepeatPurchases(r: r, alpha: alpha, a: a, b: b, t: Double(weeks * 7) / 7)
        #expect(abs(mean - expected) < 5 * (variance / Double(customers)).squareRoot(),
                "mean \(mean) vs model \(expected)")
    }

    /// Gamma-Gamma: the mean purchase amount is p·γ/(q − 1), independent of the purchase process.
    @Test func meanSpendMatchesGammaGamma() throws {
        let spend = TransactionSimulator.SpendParameters()
        let log = try TransactionSimulator(spend: spend).simulate(customers: 100_000, seed: 5)
        let n = Double(log.count)
        let mean = log.amount.reduce(0, +) / n
        let expected = spend.p * spend.gamma / (spend.q - 1)
        // Amounts are correlated within a customer; use per-customer totals for a conservative error bar.
        var perCustomer = [Double](repeating: 0, count: log.customerCount)
        var counts = [Double](repeating: 0, count: log.customerCount)
        for t in 0..<log.count {
            perCustomer[Int(log.customer[t])] += log.amount[t] - expected
            counts[Int(log.customer[t])] += 1
        }
        let se = perCustomer.reduce(0) { $0 + $1 * $1 }.squareRoot() / n
        #expect(abs(mean - expected) < 5 * se, "mean \(mean) vs model \(expected)")
    }

    @Test func invalidParametersAreTypedErrors() {
        #expect(throws: TransactionSimulator.Failure.self) {
            try TransactionSimulator(purchase: .init(r: -1)).simulate(customers: 10, seed: 1)
        }
        #expect(throws: TransactionSimulator.Failure.self) {
            try TransactionSimulator().simulate(customers: 0, seed: 1)
        }
        #expect(throws: TransactionSimulator.Failure.self) {
            try TransactionSimulator(acquisitionDays: 30, observationDays: 10).simulate(customers: 10, seed: 1)
        }
    }

    /// The written file parses back to the same log.
    @Test func writtenLogReadsBack() throws {
        let log = try TransactionSimulator().simulate(customers: 3_000, seed: 21)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("capm-sim-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try log.write(to: url)
        let back = try TransactionLog.read(contentsOf: url)
        #expect(back == log)
    }
}

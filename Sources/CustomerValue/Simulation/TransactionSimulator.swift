import CAPMData
import CAPMNumerics
import Dispatch

/// Simulates a customer transaction log from the BG/NBD purchase process with Gamma-Gamma spend.
///
/// For each customer (Fader, Hardie & Lee 2005, "Counting your customers the easy way: an alternative to the
/// Pareto/NBD model", *Marketing Science* 24(2)):
/// - the first purchase happens at a uniformly drawn day of the acquisition window (time 0 for the customer);
/// - while alive, repeat purchases follow a Poisson process with rate λ ~ Gamma(r, α) (shape r, rate α,
///   per week);
/// - after each repeat purchase the customer drops out with probability p ~ Beta(a, b);
/// - every purchase amount is z ~ Gamma(p_s, ν) with ν ~ Gamma(q, γ) per customer (Gamma-Gamma spend, Fader,
///   Hardie & Lee 2005, "RFM and CLV: using iso-value curves for customer base analysis", *JMR* 42(4);
///   mean spend p_s/ν).
///
/// Purchases after the observation end are not recorded. The defaults are the published CDNOW estimates
/// (time unit: week), so a simulated log looks like CDNOW's 1997 cohort.
///
/// Determinism: customers are simulated in fixed blocks of ``blockSize``, block `k` with
/// `Xoshiro256(seed: seed, stream: k)`, so the log is the same for a seed whatever the thread count.
public struct TransactionSimulator: Sendable {
    /// BG/NBD purchase and dropout parameters (time unit: week).
    public struct PurchaseParameters: Sendable, Equatable {
        /// Shape r of the Gamma heterogeneity in purchase rate λ.
        public var r: Double
        /// Rate α of the Gamma heterogeneity in λ (per week).
        public var alpha: Double
        /// Beta shape a of the dropout probability p.
        public var a: Double
        /// Beta shape b of the dropout probability p.
        public var b: Double

        /// Parameters; the defaults are the BG/NBD estimates for CDNOW (Fader, Hardie & Lee 2005, Table 1 / §5).
        public init(r: Double = 0.243, alpha: Double = 4.414, a: Double = 0.793, b: Double = 2.426) {
            self.r = r
            self.alpha = alpha
            self.a = a
            self.b = b
        }
    }

    /// Gamma-Gamma spend parameters.
    public struct SpendParameters: Sendable, Equatable {
        /// Shape p of each transaction's amount.
        public var p: Double
        /// Shape q of the Gamma distribution of the per-customer rate ν.
        public var q: Double
        /// Rate γ of the Gamma distribution of ν.
        public var gamma: Double

        /// Parameters; the defaults are the CDNOW estimates p 6.25, q 3.74, γ 15.44 (Fader, Hardie & Lee 2005, JMR).
        public init(p: Double = 6.25, q: Double = 3.74, gamma: Double = 15.44) {
            self.p = p
            self.q = q
            self.gamma = gamma
        }
    }

    /// The order of rows in the simulated log.
    public enum RowOrder: Sendable {
        /// By date, as a shop's log is written (stable within a day).
        case byDate
        /// Customer by customer.
        case byCustomer
    }

    /// Why a simulation cannot run.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// A parameter is out of its domain.
        case invalidParameter(name: String, value: Double, requirement: String)

        /// A one-line explanation.
        public var description: String {
            switch self {
            case let .invalidParameter(name, value, requirement):
                return "simulation parameter \(name) = \(value) must be \(requirement)"
            }
        }
    }

    /// Purchase process parameters.
    public var purchase: PurchaseParameters
    /// Spend parameters.
    public var spend: SpendParameters
    /// The first day of the acquisition window (days since 1970-01-01); default 1997-01-01.
    public var startDay: Int
    /// Length of the acquisition window in days (first purchases fall uniformly in it); default 84 (12 weeks).
    public var acquisitionDays: Int
    /// Days from ``startDay`` to the observation end (inclusive of the start); default 546 (78 weeks).
    public var observationDays: Int
    /// Row order of the result.
    public var order: RowOrder

    /// Customers per independently seeded block.
    public static let blockSize = 4096

    /// A simulator; every default reproduces CDNOW's setting.
    public init(
        purchase: PurchaseParameters = PurchaseParameters(), spend: SpendParameters = SpendParameters(),
        startDay: Int = CivilDate.daysFromCivil(year: 1997, month: 1, day: 1), acquisitionDays: Int = 84,
        observationDays: Int = 546, order: RowOrder = .byDate
    ) {
        self.purchase = purchase
        self.spend = spend
        self.startDay = startDay
        self.acquisitionDays = acquisitionDays
        self.observationDays = observationDays
        self.order = order
    }

    func validate() throws(Failure) {
        let positive: [(String, Double)] = [
            ("r", purchase.r), ("alpha", purchase.alpha), ("a", purchase.a), ("b", purchase.b), ("p", spend.p),
            ("q", spend.q), ("gamma", spend.gamma),
        ]
        for (name, value) in positive where !(value > 0 && value.isFinite) {
            throw .invalidParameter(name: name, value: value, requirement: "positive and finite")
        }
        if acquisitionDays < 0 {
            throw .invalidParameter(name: "acquisitionDays", value: Double(acquisitionDays), requirement: "≥ 0")
        }
        if observationDays < acquisitionDays + 1 {
            throw .invalidParameter(
                name: "observationDays", value: Double(observationDays), requirement: "> acquisitionDays")
        }
    }

    /// One block's customers' purchases: per customer, the purchase days and amounts.
    struct Block {
        var customer: [Int32] = []
        var day: [Int32] = []
        var amount: [Double] = []
    }

    /// Simulates `customers` customers with the given `seed`.
    ///
    /// Customer ids are `C` followed by a zero-padded number (`C0000001` …).
    /// - Throws: ``Failure`` for parameters out of their domain.
    /// - Complexity: O(customers + transactions), parallel over blocks.
    public func simulate(customers: Int, seed: UInt64) throws(Failure) -> TransactionLog {
        try validate()
        if customers <= 0 {
            throw .invalidParameter(name: "customers", value: Double(customers), requirement: "at least 1")
        }
        let blockCount = (customers + Self.blockSize - 1) / Self.blockSize
        var blocks = [Block](repeating: Block(), count: blockCount)
        let simulator = self
        blocks.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: blockCount) { k in
                let first = k * Self.blockSize
                let last = Swift.min(customers, first + Self.blockSize)
                out[k] = simulator.simulateBlock(customers: first..<last, seed: seed, stream: UInt64(k))
            }
        }
        let total = blocks.reduce(0) { $0 + $1.customer.count }
        var customer = [Int32](), day = [Int32](), amount = [Double]()
        customer.reserveCapacity(total)
        day.reserveCapacity(total)
        amount.reserveCapacity(total)
        for block in blocks {
            customer += block.customer
            day += block.day
            amount += block.amount
        }
        if order == .byDate {
            // Stable counting sort by day: the day range is small (observationDays).
            let lo = startDay
            var counts = [Int](repeating: 0, count: observationDays + 1)
            for d in day { counts[Int(d) - lo + 1] += 1 }
            for i in 1..<counts.count { counts[i] += counts[i - 1] }
            var c2 = [Int32](repeating: 0, count: total), d2 = [Int32](repeating: 0, count: total)
            var a2 = [Double](repeating: 0, count: total)
            for t in 0..<total {
                let slot = Int(day[t]) - lo
                let position = counts[slot]
                counts[slot] += 1
                c2[position] = customer[t]
                d2[position] = day[t]
                a2[position] = amount[t]
            }
            (customer, day, amount) = (c2, d2, a2)
        }
        let width = String(customers).count
        let ids = (1...customers).map { n -> String in
            let s = String(n)
            return "C" + String(repeating: "0", count: Swift.max(0, width - s.count)) + s
        }
        if order == .byDate {
            // Re-number customers by first appearance so codes match what a reader of the file would build.
            var remap = [Int32](repeating: -1, count: customers)
            var orderedIDs: [String] = []
            orderedIDs.reserveCapacity(customers)
            for t in 0..<total {
                let c = Int(customer[t])
                if remap[c] < 0 {
                    remap[c] = Int32(orderedIDs.count)
                    orderedIDs.append(ids[c])
                }
                customer[t] = remap[c]
            }
            return TransactionLog(unchecked: orderedIDs, customer: customer, day: day, amount: amount)
        }
        return TransactionLog(unchecked: ids, customer: customer, day: day, amount: amount)
    }

    func simulateBlock(customers range: Range<Int>, seed: UInt64, stream: UInt64) -> Block {
        var rng = Xoshiro256(seed: seed, stream: stream)
        var block = Block()
        block.customer.reserveCapacity(range.count * 3)
        block.day.reserveCapacity(range.count * 3)
        block.amount.reserveCapacity(range.count * 3)
        let lastDay = Double(observationDays - 1)
        for c in range {
            let lambda = rng.nextGamma(shape: purchase.r, scale: 1 / purchase.alpha)
            let dropout = rng.nextBeta(purchase.a, purchase.b)
            let nu = rng.nextGamma(shape: spend.q, scale: 1 / spend.gamma)
            let birth = acquisitionDays > 0 ? Double(Int(rng.nextOpenUnit() * Double(acquisitionDays))) : 0
            // The first purchase starts the relationship; dropout can follow repeat purchases only.
            var t = birth  // days since startDay
            block.customer.append(Int32(c))
            block.day.append(Int32(startDay + Int(t)))
            block.amount.append((rng.nextGamma(shape: spend.p, scale: 1 / nu) * 100).rounded() / 100)
            while true {
                t += rng.nextExponential(rate: lambda) * 7
                if !(t <= lastDay) { break }
                block.customer.append(Int32(c))
                block.day.append(Int32(startDay + Int(t)))
                block.amount.append((rng.nextGamma(shape: spend.p, scale: 1 / nu) * 100).rounded() / 100)
                if rng.nextOpenUnit() < dropout { break }
            }
        }
        return block
    }
}

extension TransactionLog {
    /// A log from columns the caller guarantees to be consistent (simulator output).
    init(unchecked customerIDs: [String], customer: [Int32], day: [Int32], amount: [Double]) {
        do {
            try self.init(customerIDs: customerIDs, customer: customer, day: day, amount: amount)
        } catch {
            preconditionFailure("simulator produced inconsistent columns: \(error)")
        }
    }
}

import CAPMNumerics
import Dispatch

/// Simulates a journey event log matching a transaction log: every buyer passes awareness → consideration →
/// decision → purchase before their first purchase and has post-purchase contacts after it; prospects drop out
/// before buying. Experiences are scored so that bad experiences cause losses, which the gap analysis of
/// ``JourneyAnalysis`` should find.
///
/// The model (all days are whole days; Exp(m) is an exponential with mean m, rounded down):
/// - Buyer with first purchase on day f: `checkout` (purchase) on f; one decision touchpoint on f − Exp(2);
///   one consideration touchpoint Exp(4) days before that, one awareness touchpoint Exp(7) days before that.
///   At awareness and consideration a second, different touchpoint follows with probability
///   ``secondTouchProbability`` (between the stage's first event and the next stage). Post-purchase: `delivery`
///   on f + 1 + U{0..3}, `support_call` with probability 0.25 (0.5 for one-time buyers) on f + 2 + U{0..9},
///   `loyalty_email` on f + 14 + U{0..20}.
/// - A one-time buyer (one purchase) churns: outcome `churned` on one post-purchase event (the *culprit*, drawn
///   with weights delivery 1, support_call 2, loyalty_email 0.5); with probability ``badExperienceRate`` the
///   culprit's experience is bad (experienced score lowered by ``badExperienceShift``). A repeat buyer gets outcome
///   `repurchased` on the last post-purchase event.
/// - Prospect: furthest stage awareness (50 %), consideration (30 %) or decision (20 %); awareness on a day drawn
///   uniformly from 30 days before the buyers' first purchases to the last one; the last event at the furthest
///   stage is a bad experience with probability ``badExperienceRate``.
/// - Scores on a 0–10 scale, one decimal: expected = 7.5 + 0.8 Z; experienced = expected − q(touchpoint) + Z′
///   (− the bad-experience shift), Z, Z′ standard normal, clamped to [0, 10], with touchpoint quality gaps q from
///   ``catalogue``.
///
/// Deterministic: customers are simulated in blocks of ``blockSize``, block k of buyers from
/// `Xoshiro256(seed: seed, stream: 2⁴¹ + k)` and block k of prospects from stream 2⁴² + k (streams apart from the
/// transaction simulator's 0, 1, 2, … so a journey log and the transaction log it matches can share a seed), so the
/// log depends on the inputs and the seed only, whatever the thread count.
public struct JourneySimulator: Sendable {
    /// A touchpoint of the simulated journey.
    public struct Touchpoint: Sendable, Equatable {
        /// Its name in the log.
        public var name: String
        /// Its stage.
        public var stage: JourneyStage
        /// Relative probability of being drawn among its stage's touchpoints (pre-purchase stages).
        public var weight: Double
        /// Mean expected − experienced score of an ordinary experience there.
        public var qualityGap: Double
    }

    /// The simulated touchpoints, in the order of ``JourneyLog/touchpoints`` of the simulated log.
    public static let catalogue: [Touchpoint] = [
        Touchpoint(name: "search_ad", stage: .awareness, weight: 0.40, qualityGap: 0.3),
        Touchpoint(name: "social_ad", stage: .awareness, weight: 0.35, qualityGap: 0.9),
        Touchpoint(name: "word_of_mouth", stage: .awareness, weight: 0.25, qualityGap: -0.3),
        Touchpoint(name: "website_visit", stage: .consideration, weight: 0.60, qualityGap: 0.4),
        Touchpoint(name: "review_site", stage: .consideration, weight: 0.40, qualityGap: 1.1),
        Touchpoint(name: "product_page", stage: .decision, weight: 0.70, qualityGap: 0.3),
        Touchpoint(name: "sales_chat", stage: .decision, weight: 0.30, qualityGap: 1.4),
        Touchpoint(name: "checkout", stage: .purchase, weight: 1, qualityGap: 0.2),
        Touchpoint(name: "delivery", stage: .postPurchase, weight: 1, qualityGap: 0.8),
        Touchpoint(name: "support_call", stage: .postPurchase, weight: 1, qualityGap: 1.6),
        Touchpoint(name: "loyalty_email", stage: .postPurchase, weight: 1, qualityGap: 0.1),
    ]

    /// Customers per block (one random stream each).
    public static let blockSize = 4096

    /// Probability of a second touchpoint at awareness and consideration (default 0.3).
    public var secondTouchProbability: Double
    /// Probability that a loss (churn or prospect drop-out) comes with a bad experience (default 0.7).
    public var badExperienceRate: Double
    /// Points taken off the experienced score of a bad experience (default 3).
    public var badExperienceShift: Double
    /// Share of events that were surveyed (default 1: every event scored); the others get a blank score pair
    /// (NaN), as in real logs where only some contacts answer a survey.
    public var surveyRate: Double

    /// A simulator with the documented defaults.
    public init(
        secondTouchProbability: Double = 0.3, badExperienceRate: Double = 0.7, badExperienceShift: Double = 3,
        surveyRate: Double = 1
    ) {
        self.secondTouchProbability = secondTouchProbability
        self.badExperienceRate = badExperienceRate
        self.badExperienceShift = badExperienceShift
        self.surveyRate = surveyRate
    }

    /// The outcome texts of simulated logs: `churned` (code 0) and `repurchased` (code 1).
    static let outcomeTexts = [JourneyLog.churnedOutcome, "repurchased"]

    struct Block {
        var customer: [Int32] = []
        var stage: [JourneyStage] = []
        var touchpoint: [Int32] = []
        var day: [Int32] = []
        var outcome: [Int32] = []
        var expected: [Double] = []
        var experienced: [Double] = []
    }

    /// Simulates the journeys of the buyers `customerIDs` (first purchase on `firstPurchaseDay`, days since
    /// 1970-01-01, `purchaseCount` purchases in the transaction log) and of `prospects` prospects with ids `P…`
    /// (zero-padded), all with `seed`.
    ///
    /// - Throws: ``JourneyError/invalidParameter(name:value:requirement:)`` for mismatched arrays, a negative
    ///   prospect count or probabilities outside [0, 1].
    /// - Complexity: O(customers + prospects), parallel over blocks.
    public func simulate(
        customerIDs: [String], firstPurchaseDay: [Int32], purchaseCount: [Int], prospects: Int, seed: UInt64
    ) throws(JourneyError) -> JourneyLog {
        let buyers = customerIDs.count
        guard firstPurchaseDay.count == buyers, purchaseCount.count == buyers else {
            throw .invalidParameter(
                name: "first purchase days / purchase counts", value: Double(Swift.min(firstPurchaseDay.count, purchaseCount.count)),
                requirement: "one per customer (\(buyers))")
        }
        guard prospects >= 0 else { throw .invalidParameter(name: "prospects", value: Double(prospects), requirement: "≥ 0") }
        for (name, p) in [
            ("second touch probability", secondTouchProbability), ("bad experience rate", badExperienceRate),
            ("survey rate", surveyRate),
        ] {
            guard p.isFinite, (0...1).contains(p) else { throw .invalidParameter(name: name, value: p, requirement: "in [0, 1]") }
        }
        guard badExperienceShift.isFinite, badExperienceShift >= 0 else {
            throw .invalidParameter(name: "bad experience shift", value: badExperienceShift, requirement: "≥ 0 and finite")
        }
        let firstDay = firstPurchaseDay.min() ?? 10_000, lastDay = firstPurchaseDay.max() ?? 10_000
        let buyerBlocks = (buyers + Self.blockSize - 1) / Self.blockSize
        let prospectBlocks = (prospects + Self.blockSize - 1) / Self.blockSize
        var blocks = [Block](repeating: Block(), count: buyerBlocks + prospectBlocks)
        let simulator = self
        blocks.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: buyerBlocks + prospectBlocks) { k in
                if k < buyerBlocks {
                    var rng = Xoshiro256(seed: seed, stream: (1 << 41) + UInt64(k))
                    var block = Block()
                    for i in (k * Self.blockSize)..<Swift.min(buyers, (k + 1) * Self.blockSize) {
                        simulator.buyer(
                            Int32(i), firstPurchase: firstPurchaseDay[i], repeats: purchaseCount[i] > 1, into: &block,
                            rng: &rng)
                    }
                    out[k] = block
                } else {
                    let j = k - buyerBlocks
                    var rng = Xoshiro256(seed: seed, stream: (1 << 42) + UInt64(j))
                    var block = Block()
                    for p in (j * Self.blockSize)..<Swift.min(prospects, (j + 1) * Self.blockSize) {
                        simulator.prospect(Int32(buyers + p), from: firstDay - 30, to: lastDay, into: &block, rng: &rng)
                    }
                    out[k] = block
                }
            }
        }
        var all = Block()
        let total = blocks.reduce(0) { $0 + $1.customer.count }
        all.customer.reserveCapacity(total)
        all.stage.reserveCapacity(total)
        all.touchpoint.reserveCapacity(total)
        all.day.reserveCapacity(total)
        all.outcome.reserveCapacity(total)
        all.expected.reserveCapacity(total)
        all.experienced.reserveCapacity(total)
        for block in blocks {
            all.customer += block.customer
            all.stage += block.stage
            all.touchpoint += block.touchpoint
            all.day += block.day
            all.outcome += block.outcome
            all.expected += block.expected
            all.experienced += block.experienced
        }
        let width = String(prospects).count
        let prospectIDs = (0..<prospects).map { p -> String in
            let s = String(p + 1)
            return "P" + String(repeating: "0", count: Swift.max(0, width - s.count)) + s
        }
        return JourneyLog(
            customerIDs: customerIDs + prospectIDs, customer: all.customer, stage: all.stage,
            touchpoints: Self.catalogue.map(\.name), touchpoint: all.touchpoint, day: all.day, outcomes: Self.outcomeTexts,
            outcome: all.outcome, scores: JourneyLog.Scores(expected: all.expected, experienced: all.experienced))
    }

    // Catalogue indices.
    static let checkout: Int32 = 7, delivery: Int32 = 8, supportCall: Int32 = 9, loyaltyEmail: Int32 = 10

    /// The catalogue indices of each pre-purchase stage's touchpoints.
    static let stageMembers: [[Int32]] = (0..<3).map { s in
        catalogue.indices.filter { catalogue[$0].stage.rawValue == s }.map { Int32($0) }
    }

    /// A touchpoint of pre-purchase stage `stage` drawn by ``Touchpoint/weight``, other than `excluding`.
    static func draw(stage: Int, rng: inout Xoshiro256, excluding: Int32 = -1) -> Int32 {
        let members = stageMembers[stage]
        var sum = 0.0
        for member in members where member != excluding { sum += catalogue[Int(member)].weight }
        var u = rng.nextOpenUnit() * sum
        var last = members[0]
        for member in members where member != excluding {
            u -= catalogue[Int(member)].weight
            last = member
            if u <= 0 { return member }
        }
        return last
    }

    /// Appends one event with scores.
    func event(
        _ c: Int32, _ stage: JourneyStage, _ touchpoint: Int32, _ day: Int32, outcome: Int32 = -1, bad: Bool = false,
        into block: inout Block, rng: inout Xoshiro256
    ) {
        var expected = Self.score(7.5 + 0.8 * rng.nextStandardNormal())
        let quality = Self.catalogue[Int(touchpoint)].qualityGap
        var experienced = Self.score(
            expected - quality + rng.nextStandardNormal() - (bad ? badExperienceShift : 0))
        // The survey draw happens only below rate 1, so logs simulated with every event scored stay as they were.
        if surveyRate < 1 && rng.nextOpenUnit() >= surveyRate {
            expected = .nan
            experienced = .nan
        }
        block.customer.append(c)
        block.stage.append(stage)
        block.touchpoint.append(touchpoint)
        block.day.append(day)
        block.outcome.append(outcome)
        block.expected.append(expected)
        block.experienced.append(experienced)
    }

    /// A score on the 0–10 scale rounded to one decimal.
    static func score(_ x: Double) -> Double { (Swift.min(10, Swift.max(0, x)) * 10).rounded() / 10 }

    static func days(mean: Double, _ rng: inout Xoshiro256) -> Int32 { Int32(rng.nextExponential(rate: 1 / mean)) }

    static func uniform(_ n: Int, _ rng: inout Xoshiro256) -> Int32 { Int32(Swift.min(n - 1, Int(rng.nextOpenUnit() * Double(n)))) }

    /// Pre-purchase events of stage `s` starting on `day`, the next stage starting on `nextDay`.
    func stageEvents(
        _ c: Int32, _ s: Int, day: Int32, nextDay: Int32, badLast: Bool, into block: inout Block, rng: inout Xoshiro256
    ) {
        let stage = JourneyStage.allCases[s]
        let first = Self.draw(stage: s, rng: &rng)
        if s < 2 && rng.nextOpenUnit() < secondTouchProbability {
            let second = Self.draw(stage: s, rng: &rng, excluding: first)
            let span = Swift.max(0, nextDay - day)
            let secondDay = day + (span > 0 ? Self.uniform(Int(span) + 1, &rng) : 0)
            event(c, stage, first, day, into: &block, rng: &rng)
            event(c, stage, second, secondDay, bad: badLast, into: &block, rng: &rng)
        } else {
            event(c, stage, first, day, bad: badLast, into: &block, rng: &rng)
        }
    }

    func buyer(_ c: Int32, firstPurchase f: Int32, repeats: Bool, into block: inout Block, rng: inout Xoshiro256) {
        let decision = f - Self.days(mean: 2, &rng)
        let consideration = decision - Self.days(mean: 4, &rng)
        let awareness = consideration - Self.days(mean: 7, &rng)
        stageEvents(c, 0, day: awareness, nextDay: consideration, badLast: false, into: &block, rng: &rng)
        stageEvents(c, 1, day: consideration, nextDay: decision, badLast: false, into: &block, rng: &rng)
        stageEvents(c, 2, day: decision, nextDay: f, badLast: false, into: &block, rng: &rng)
        event(c, .purchase, Self.checkout, f, into: &block, rng: &rng)
        // Post-purchase contacts.
        let hasSupport = rng.nextOpenUnit() < (repeats ? 0.25 : 0.5)
        var contacts: [(touchpoint: Int32, day: Int32)] = [(Self.delivery, f + 1 + Self.uniform(4, &rng))]
        if hasSupport { contacts.append((Self.supportCall, f + 2 + Self.uniform(10, &rng))) }
        contacts.append((Self.loyaltyEmail, f + 14 + Self.uniform(21, &rng)))
        var culprit = -1
        var bad = false
        if !repeats {
            let weights = contacts.map { $0.touchpoint == Self.delivery ? 1.0 : ($0.touchpoint == Self.supportCall ? 2.0 : 0.5) }
            var u = rng.nextOpenUnit() * weights.reduce(0, +)
            culprit = contacts.count - 1
            for (k, w) in weights.enumerated() {
                u -= w
                if u <= 0 {
                    culprit = k
                    break
                }
            }
            bad = rng.nextOpenUnit() < badExperienceRate
        }
        for (k, contact) in contacts.enumerated() {
            let outcome: Int32 = repeats ? (k == contacts.count - 1 ? 1 : -1) : (k == culprit ? 0 : -1)
            event(
                c, .postPurchase, contact.touchpoint, contact.day, outcome: outcome, bad: k == culprit && bad,
                into: &block, rng: &rng)
        }
    }

    func prospect(_ c: Int32, from: Int32, to: Int32, into block: inout Block, rng: inout Xoshiro256) {
        let u = rng.nextOpenUnit()
        let furthest = u < 0.5 ? 0 : (u < 0.8 ? 1 : 2)
        let bad = rng.nextOpenUnit() < badExperienceRate
        var day = from + Self.uniform(Int(Swift.max(1, to - from + 1)), &rng)
        let means = [7.0, 4.0, 2.0]
        for s in 0...furthest {
            let next = day + Self.days(mean: means[s], &rng)
            stageEvents(c, s, day: day, nextDay: next, badLast: s == furthest && bad, into: &block, rng: &rng)
            day = next
        }
    }
}

/// A journey event log in columns: one entry per event (a customer meeting a touchpoint at a stage on a day).
///
/// Customers and touchpoints are interned: ``customerIDs`` and ``touchpoints`` hold the distinct values, the
/// per-event arrays hold indices into them. File format: Docs/file-formats.md, "Journey event log".
public struct JourneyLog: Sendable, Equatable {
    /// Expected and experienced scores per event (e.g. CSAT or NPS-style survey answers on one scale). An event
    /// that was not surveyed has NaN for both (a blank pair in the file).
    public struct Scores: Sendable, Equatable {
        /// What the customer expected of the touchpoint, per event.
        public var expected: [Double]
        /// What the customer experienced, per event.
        public var experienced: [Double]

        /// Equal when every event has the same pair of scores, a blank (NaN) pair matching a blank pair.
        public static func == (lhs: Scores, rhs: Scores) -> Bool {
            func same(_ a: [Double], _ b: [Double]) -> Bool {
                a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
            }
            return same(lhs.expected, rhs.expected) && same(lhs.experienced, rhs.experienced)
        }

        /// Scores per event; both arrays have one entry per event.
        public init(expected: [Double], experienced: [Double]) {
            precondition(expected.count == experienced.count, "one expected and one experienced score per event")
            self.expected = expected
            self.experienced = experienced
        }
    }

    /// The distinct customer ids in order of first appearance.
    public var customerIDs: [String]
    /// Per event, the index of its customer in ``customerIDs``.
    public var customer: [Int32]
    /// Per event, its stage.
    public var stage: [JourneyStage]
    /// The distinct touchpoint names in order of first appearance.
    public var touchpoints: [String]
    /// Per event, the index of its touchpoint in ``touchpoints``.
    public var touchpoint: [Int32]
    /// Per event, its date as days since 1970-01-01.
    public var day: [Int32]
    /// The distinct non-empty outcome texts in order of first appearance.
    public var outcomes: [String]
    /// Per event, the index of its outcome in ``outcomes``, or −1 for none; `nil` when the log has no outcome column.
    public var outcome: [Int32]?
    /// Per-event scores, `nil` when the log has no score columns.
    public var scores: Scores?

    /// The outcome text that marks a post-purchase event as the one where the customer was lost (did not
    /// repurchase, cancelled). Compared ignoring ASCII case.
    public static let churnedOutcome = "churned"

    /// A log from its columns. Every per-event array has the same length and every index is in range
    /// (programmer errors otherwise: readers and the simulator build valid logs).
    public init(
        customerIDs: [String], customer: [Int32], stage: [JourneyStage], touchpoints: [String], touchpoint: [Int32],
        day: [Int32], outcomes: [String] = [], outcome: [Int32]? = nil, scores: Scores? = nil
    ) {
        let n = customer.count
        precondition(stage.count == n && touchpoint.count == n && day.count == n, "one entry per event in each column")
        precondition(outcome.map { $0.count == n } ?? true, "one outcome per event")
        precondition(scores.map { $0.expected.count == n } ?? true, "one score pair per event")
        precondition(customer.allSatisfy { $0 >= 0 && Int($0) < customerIDs.count }, "customer index out of range")
        precondition(touchpoint.allSatisfy { $0 >= 0 && Int($0) < touchpoints.count }, "touchpoint index out of range")
        precondition(outcome.map { $0.allSatisfy { $0 >= -1 && Int($0) < outcomes.count } } ?? true, "outcome out of range")
        self.customerIDs = customerIDs
        self.customer = customer
        self.stage = stage
        self.touchpoints = touchpoints
        self.touchpoint = touchpoint
        self.day = day
        self.outcomes = outcomes
        self.outcome = outcome
        self.scores = scores
    }

    /// The number of events.
    public var count: Int { customer.count }
    /// The number of distinct customers (and prospects).
    public var customerCount: Int { customerIDs.count }
}

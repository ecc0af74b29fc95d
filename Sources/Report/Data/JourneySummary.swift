import Journey

/// What the report reads of `journey.json` (the output of `capm journey --format json`, snake_case keys).
///
/// `Journey.JourneyAnalysis` is only `Encodable`, so these are small `Decodable` mirrors of the parts the
/// report draws: the funnel stages, the moments of truth ranked by value at stake, and the coverage.
public struct JourneySummary: Sendable, Equatable, Decodable {
    /// One funnel stage (mirror of `JourneyAnalysis.Stage`).
    public struct Stage: Sendable, Equatable, Decodable {
        /// The stage.
        public var stage: JourneyStage
        /// Distinct customers with an event at the stage.
        public var reach: Int
        /// Customers who went further (nil at the last stage).
        public var converted: Int?
        /// converted / reach.
        public var conversionRate: Double?
        /// Customers lost at the stage.
        public var dropOff: Int
        /// dropOff / reach.
        public var dropOffRate: Double?
        /// Σ lifetime value of the customers lost at the stage.
        public var valueAtStake: Double
    }

    /// Expected vs experienced scores (mirror of `JourneyAnalysis.Gap`).
    public struct Gap: Sendable, Equatable, Decodable {
        /// Scored events.
        public var responses: Int
        /// Mean expected − experienced.
        public var meanGap: Double
        /// Value-weighted gap.
        public var valueWeightedGap: Double?
    }

    /// A moment of truth (mirror of `JourneyAnalysis.Moment`).
    public struct Moment: Sendable, Equatable, Decodable {
        /// Rank by value at stake (1 = most).
        public var rank: Int
        /// The stage.
        public var stage: JourneyStage
        /// Touchpoint.
        public var touchpoint: String
        /// Customers reached.
        public var reach: Int
        /// Customers lost here.
        public var lost: Int
        /// lost / reach.
        public var lossRate: Double
        /// Σ lifetime value of the customers lost here.
        public var valueAtStake: Double
        /// Experience gap, if scored.
        public var gap: Gap?
        /// Suggested `max_uplift` for a plan.
        public var suggestedMaxUplift: Double
    }

    /// How the log matched the value file (mirror of `JourneyAnalysis.Coverage`).
    public struct Coverage: Sendable, Equatable, Decodable {
        /// Events in the log.
        public var events: Int
        /// Distinct customers and prospects in the log.
        public var journeyCustomers: Int
        /// Journey customers with a value.
        public var valued: Int
        /// Journey customers without a value.
        public var missingValue: Int
        /// The value given to those.
        public var imputedValue: Double
    }

    /// Funnel stages in order.
    public var stages: [Stage]
    /// Moments of truth ranked by value at stake.
    public var moments: [Moment]
    /// Coverage.
    public var coverage: Coverage
}

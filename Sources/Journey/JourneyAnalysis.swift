/// Funnel, moments of truth and experience gaps of a journey event log, valued with customer lifetime values.
/// `Codable`: `capm journey --format json` writes it (snake_case keys) and the run report reads it back.
///
/// Computed by ``analyze(_:values:segments:options:)``, a pure function of the events, the values and the optional
/// segments. Definitions (Docs/journey.md):
/// - a customer's *furthest stage* is the latest stage among their events; *reach* of a stage or touchpoint is
///   the number of distinct customers with an event there;
/// - a customer whose furthest stage is s < post-purchase is *lost* at s, at the touchpoint of their last event at
///   s (latest date, then latest in file order); a customer who reached post-purchase is lost there when a
///   post-purchase event has outcome ``JourneyLog/churnedOutcome``, at the last such event's touchpoint;
/// - *value at stake* of a moment = Σ lifetime value of the customers lost there (Rust, Lemon & Zeithaml,
///   "Return on Marketing: Using Customer Equity to Focus Marketing Strategy", Journal of Marketing 68(1), 2004:
///   customer equity as the sum of lifetime values);
/// - the *gap* of a scored event is expected − experienced (Parasuraman, Zeithaml & Berry, "A Conceptual Model of
///   Service Quality", Journal of Marketing 49(4), 1985: quality as the gap between expectation and perception).
public struct JourneyAnalysis: Sendable, Equatable, Codable {
    /// One stage of the funnel.
    public struct Stage: Sendable, Equatable, Codable {
        /// The stage.
        public var stage: JourneyStage
        /// Distinct customers with at least one event at this stage.
        public var reach: Int
        /// Customers of ``reach`` whose furthest stage is later (`nil` for post-purchase, the last stage).
        public var converted: Int?
        /// converted / reach (`nil` for post-purchase or no reach).
        public var conversionRate: Double?
        /// Customers lost at this stage (see the type's definitions).
        public var dropOff: Int
        /// dropOff / reach (`nil` without reach).
        public var dropOffRate: Double?
        /// Σ lifetime value of the customers lost at this stage.
        public var valueAtStake: Double
        /// Days from the first event at this stage to the first event at the next, over customers with events at
        /// both (`nil` for post-purchase or when no customer has both).
        public var daysToNextStage: Timing?
    }

    /// Days between stages over the customers who have both.
    public struct Timing: Sendable, Equatable, Codable {
        /// The number of customers measured.
        public var customers: Int
        /// Mean number of days.
        public var meanDays: Double
        /// Median number of days (mean of the two middle values for an even count).
        public var medianDays: Double
    }

    /// Expected − experienced scores over the scored events at a touchpoint (and segment).
    public struct Gap: Sendable, Equatable, Codable {
        /// Scored events.
        public var responses: Int
        /// Mean expected score.
        public var meanExpected: Double
        /// Mean experienced score.
        public var meanExperienced: Double
        /// Mean of expected − experienced (positive: the touchpoint disappoints).
        public var meanGap: Double
        /// Σ vᵢ gapᵢ / Σ vᵢ with vᵢ the lifetime value of event i's customer (`nil` when Σ vᵢ ≤ 0).
        public var valueWeightedGap: Double?
    }

    /// A moment of truth: a touchpoint at a stage.
    public struct Moment: Sendable, Equatable, Codable {
        /// Position in the ranking by value at stake (1 = most value at stake).
        public var rank: Int
        /// The stage.
        public var stage: JourneyStage
        /// The touchpoint's name.
        public var touchpoint: String
        /// Distinct customers with an event at this touchpoint and stage.
        public var reach: Int
        /// Customers lost here.
        public var lost: Int
        /// lost / reach.
        public var lossRate: Double
        /// Σ lifetime value of the customers lost here.
        public var valueAtStake: Double
        /// Of ``lost``, customers absent from the value file (valued by ``Options/missingValue``).
        public var lostWithoutValue: Int
        /// The experience gap here, `nil` when the log has no scores or no event here is scored.
        public var gap: Gap?
        /// The factor applied to value at stake for ``suggestedMaxUplift``: min(1, max(0, g) / scoreScale) with g the
        /// value-weighted gap (the plain mean gap when weights vanish); 1 when the log has no scores or no event
        /// here was surveyed (no evidence either way: the whole value at stake counts, as without scores).
        public var gapFactor: Double
        /// Suggested `max_uplift` for an allocation plan: max(0, valueAtStake) × recovery × gapFactor.
        public var suggestedMaxUplift: Double
    }

    /// The experience gap at one moment of truth for one segment.
    public struct SegmentGap: Sendable, Equatable, Codable {
        /// The stage.
        public var stage: JourneyStage
        /// The touchpoint's name.
        public var touchpoint: String
        /// The segment's name (``JourneyAnalysis/unassignedSegment`` for customers without a segment).
        public var segment: String
        /// The gap of this segment's scored events here.
        public var gap: Gap
    }

    /// Value at stake at one moment of truth within one segment: where a segment's customer value leaks, which is
    /// what a per-segment allocation cell needs as its `max_uplift`.
    public struct SegmentMoment: Sendable, Equatable, Codable {
        /// The stage.
        public var stage: JourneyStage
        /// The touchpoint's name.
        public var touchpoint: String
        /// The segment's name (``JourneyAnalysis/unassignedSegment`` for customers without a segment).
        public var segment: String
        /// The segment's customers with an event at this moment.
        public var reach: Int
        /// The segment's customers lost here.
        public var lost: Int
        /// Σ lifetime value of the segment's customers lost here. Summed over segments it is the moment's
        /// ``Moment/valueAtStake``.
        public var valueAtStake: Double
        /// The segment's gap here (`nil` when none of its events here was surveyed).
        public var gap: Gap?
        /// min(1, max(0, g) / scoreScale) with g the segment's value-weighted gap here; the moment's
        /// ``Moment/gapFactor`` when the segment has no surveyed event here.
        public var gapFactor: Double
        /// max(0, valueAtStake) × recovery × gapFactor.
        public var suggestedMaxUplift: Double
    }

    /// How the journey log's customers matched the value and segment files.
    public struct Coverage: Sendable, Equatable, Codable {
        /// Events in the log.
        public var events: Int
        /// Distinct customers (and prospects) in the log.
        public var journeyCustomers: Int
        /// Journey customers found in the value file.
        public var valued: Int
        /// Journey customers missing from the value file.
        public var missingValue: Int
        /// Of ``missingValue``, customers who reached the purchase stage (bought, yet have no value: worth a look).
        public var missingValueReachedPurchase: Int
        /// Of ``missingValue``, prospects who never reached the purchase stage.
        public var missingValueProspects: Int
        /// Customers of the value file without any journey event.
        public var valuedNotInJourney: Int
        /// The lifetime value given to customers missing from the value file.
        public var imputedValue: Double
        /// Journey customers found in the segment file (`nil` without segments).
        public var segmented: Int?
        /// Journey customers missing from the segment file (`nil` without segments).
        public var unsegmented: Int?
        /// Events with scores (surveyed events; a blank score pair is not counted).
        public var scoredEvents: Int
    }

    /// Analysis parameters.
    public struct Options: Sendable, Equatable, Codable {
        /// The lifetime value of a journey customer missing from the value file.
        public enum MissingValue: Sendable, Equatable, Codable {
            /// Zero: a prospect lost before buying puts nothing at stake.
            case zero
            /// The mean value of the value file's customers: what an average customer is worth, the value a
            /// prospect lost before buying would have brought.
            case meanOfKnown
            /// A given value.
            case constant(Double)

            /// Decodes `"zero"`, `"mean"` or a number (what ``encode(to:)`` writes).
            public init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let value = try? container.decode(Double.self) {
                    self = .constant(value)
                    return
                }
                switch try container.decode(String.self) {
                case "zero": self = .zero
                case "mean": self = .meanOfKnown
                case let other:
                    throw DecodingError.dataCorruptedError(
                        in: container, debugDescription: "missing value policy '\(other)' is not zero, mean or a number")
                }
            }

            /// Encodes as `"zero"`, `"mean"` or the number.
            public func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                switch self {
                case .zero: try container.encode("zero")
                case .meanOfKnown: try container.encode("mean")
                case let .constant(v): try container.encode(v)
                }
            }
        }

        /// Share of a moment's value at stake a fix can recover, in [0, 1] (default 0.3).
        public var recovery: Double
        /// Length of the score scale, > 0 (default 10: scores 0–10); a gap of a whole scale means all value at
        /// stake is attributable to the experience.
        public var scoreScale: Double
        /// Value of journey customers missing from the value file (default ``MissingValue/meanOfKnown``).
        public var missingValue: MissingValue

        /// Options with the documented defaults.
        public init(recovery: Double = 0.3, scoreScale: Double = 10, missingValue: MissingValue = .meanOfKnown) {
            self.recovery = recovery
            self.scoreScale = scoreScale
            self.missingValue = missingValue
        }
    }

    /// The segment name of customers missing from the segment file.
    public static let unassignedSegment = "(none)"

    /// The five stages in funnel order.
    public var stages: [Stage]
    /// Moments of truth ranked by value at stake (descending; ties by lost customers, then stage and touchpoint).
    public var moments: [Moment]
    /// Gaps per moment and segment (moments in stage and touchpoint order, segments by name, unassigned last);
    /// empty without scores or segments.
    public var segmentGaps: [SegmentGap]
    /// Value at stake per moment and segment (moments in stage and touchpoint order, segments by name, unassigned
    /// last; only pairs with reach); empty without segments.
    public var segmentMoments: [SegmentMoment] = []
    /// How the log matched the value and segment files.
    public var coverage: Coverage
    /// The parameters used.
    public var options: Options
}

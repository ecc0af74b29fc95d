import Segmentation

/// A budget-allocation plan: who the customers are (segments), where they can be reached (moments of truth in
/// the journey × channels), how spend turns into customer value (response curves per cell) and what the budget
/// must respect (constraints). Read from YAML or JSON with ``PlanReader``; the format is documented in
/// `Docs/plan-format.md` (schema version ``currentVersion``).
///
/// Keys in files are snake_case (`unit_cost`, `max_uplift`); the Swift names are their camelCase forms.
public struct Plan: Sendable, Codable, Equatable {
    /// The schema version this library reads and writes.
    public static let currentVersion = 1

    /// Schema version (must equal ``currentVersion``).
    public var version: Int
    /// A title for reports.
    public var name: String?
    /// Currency label for reports (e.g. `USD`); amounts are plain numbers.
    public var currency: String?
    /// The total budget (the command line's `--budget` overrides its amount).
    public var budget: Budget?
    /// A `capm segment --format json` output (or a JSON array of segment profiles) whose segments are added to
    /// ``segments`` with ids `segment-<index>` (or ``SegmentRef/id`` when given in the file); relative to the plan.
    public var segmentsFrom: String?
    /// Customer segments.
    public var segments: [Segment]
    /// Moments of truth along the journey.
    public var moments: [Moment]
    /// Channels (media) with their cost unit.
    public var channels: [Channel]
    /// Explicit segment × moment × channel cells.
    public var cells: [Cell]
    /// Cell templates applied to every segment with a label.
    public var templates: [Template]
    /// Constraints on the allocation.
    public var constraints: [Constraint]
    /// Modelling options.
    public var options: Options?

    /// A plan.
    public init(
        version: Int = Plan.currentVersion, name: String? = nil, currency: String? = nil, budget: Budget? = nil,
        segmentsFrom: String? = nil, segments: [Segment] = [], moments: [Moment] = [], channels: [Channel] = [],
        cells: [Cell] = [], templates: [Template] = [], constraints: [Constraint] = [], options: Options? = nil
    ) {
        self.version = version
        self.name = name
        self.currency = currency
        self.budget = budget
        self.segmentsFrom = segmentsFrom
        self.segments = segments
        self.moments = moments
        self.channels = channels
        self.cells = cells
        self.templates = templates
        self.constraints = constraints
        self.options = options
    }

    enum CodingKeys: String, CodingKey {
        case version, name, currency, budget, segments, moments, channels, cells, templates, constraints, options
        case segmentsFrom = "segments_from"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(Int.self, forKey: .version)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        currency = try c.decodeIfPresent(String.self, forKey: .currency)
        budget = try c.decodeIfPresent(Budget.self, forKey: .budget)
        segmentsFrom = try c.decodeIfPresent(String.self, forKey: .segmentsFrom)
        segments = try c.decodeIfPresent([Segment].self, forKey: .segments) ?? []
        moments = try c.decodeIfPresent([Moment].self, forKey: .moments) ?? []
        channels = try c.decodeIfPresent([Channel].self, forKey: .channels) ?? []
        cells = try c.decodeIfPresent([Cell].self, forKey: .cells) ?? []
        templates = try c.decodeIfPresent([Template].self, forKey: .templates) ?? []
        constraints = try c.decodeIfPresent([Constraint].self, forKey: .constraints) ?? []
        options = try c.decodeIfPresent(Options.self, forKey: .options)
    }

    /// The total budget.
    public struct Budget: Sendable, Codable, Equatable {
        /// Whether the budget caps the spend or must be spent exactly.
        public enum Mode: String, Sendable, Codable, Equatable {
            /// `Σ spend ≤ amount`.
            case atMost = "at_most"
            /// `Σ spend = amount`.
            case exactly
        }
        /// The amount (≥ 0).
        public var amount: Double?
        /// At most (default) or exactly.
        public var mode: Mode?

        /// A budget.
        public init(amount: Double?, mode: Mode? = nil) {
            self.amount = amount
            self.mode = mode
        }
    }

    /// A customer segment: its size and the value of one customer.
    ///
    /// The value per customer is `clv`, or — from a margin `m` per period, a retention rate `r` and a discount
    /// rate `d` — the infinite-horizon customer lifetime value `m·r/(1 + d − r)` (Gupta & Lehmann, *Customers as
    /// assets*, J. Interactive Marketing 17 (2003)).
    public struct Segment: Sendable, Codable, Equatable {
        /// Unique id.
        public var id: String
        /// Display name.
        public var name: String?
        /// Portfolio label (champions, at_risk, promising, dormant), used by ``Template``s.
        public var label: SegmentLabel?
        /// Number of customers (≥ 0).
        public var customers: Double
        /// Lifetime value per customer.
        public var clv: Double?
        /// Margin per customer and period (with ``retention``).
        public var margin: Double?
        /// Retention rate per period in [0, 1).
        public var retention: Double?
        /// Discount rate per period (default 0.1).
        public var discountRate: Double?

        /// A segment with a known CLV per customer.
        public init(id: String, name: String? = nil, label: SegmentLabel? = nil, customers: Double, clv: Double) {
            self.id = id
            self.name = name
            self.label = label
            self.customers = customers
            self.clv = clv
        }

        enum CodingKeys: String, CodingKey {
            case id, name, label, customers, clv, margin, retention
            case discountRate = "discount_rate"
        }

        /// The value of one customer: `clv`, else `margin·r/(1 + d − r)`, else nil.
        public var valuePerCustomer: Double? {
            if let clv { return clv }
            if let margin, let retention {
                let d = discountRate ?? 0.1
                return margin * retention / (1 + d - retention)
            }
            return nil
        }
    }

    /// The five stages of the customer journey.
    public enum Stage: String, Sendable, Codable, Equatable, CaseIterable, Comparable {
        /// The customer learns the brand exists.
        case awareness
        /// The customer compares options.
        case consideration
        /// The customer chooses.
        case decision
        /// The customer buys.
        case purchase
        /// Use, service, repeat purchase, advocacy.
        case postPurchase = "post_purchase"

        /// Journey order.
        public static func < (a: Stage, b: Stage) -> Bool {
            (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
        }
    }

    /// A moment of truth: a touchpoint at a journey stage where a customer is won or lost.
    public struct Moment: Sendable, Codable, Equatable {
        /// Unique id.
        public var id: String
        /// Journey stage.
        public var stage: Stage
        /// Display name.
        public var name: String?

        /// A moment.
        public init(id: String, stage: Stage, name: String? = nil) {
            self.id = id
            self.stage = stage
            self.name = name
        }
    }

    /// A channel and its cost unit (units bought = spend / unit cost).
    public struct Channel: Sendable, Codable, Equatable {
        /// Unique id.
        public var id: String
        /// Display name.
        public var name: String?
        /// Name of the unit bought (e.g. `contacts`, `impressions`).
        public var unit: String?
        /// Cost of one unit (default 1, > 0).
        public var unitCost: Double?

        /// A channel.
        public init(id: String, name: String? = nil, unit: String? = nil, unitCost: Double? = nil) {
            self.id = id
            self.name = name
            self.unit = unit
            self.unitCost = unitCost
        }

        enum CodingKeys: String, CodingKey {
            case id, name, unit
            case unitCost = "unit_cost"
        }
    }

    /// How spend in a cell turns into uplift (incremental customer value). Exactly one form:
    /// - `breakpoints`: `[[spend, uplift], …]` from `[0, 0]`, spend strictly increasing, slopes non-increasing
    ///   (concave), uplift non-decreasing;
    /// - `saturating`: `max_uplift·(1 − exp(−spend/scale))`;
    /// - `hill`: `max_uplift·spend/(spend + half_saturation)` (the half-saturation form).
    /// Curves are linearized into chords between ``pieces`` breakpoints up to ``maxSpend`` (default: the spend
    /// reaching 99 % of `max_uplift`), with the chord error bound reported.
    public struct Response: Sendable, Codable, Equatable {
        /// Explicit concave breakpoints.
        public var breakpoints: [[Double]]?
        /// Parameters of a saturating curve.
        public var saturating: Curve?
        /// Parameters of a half-saturation (Hill, exponent 1) curve.
        public var hill: Curve?

        /// A response.
        public init(breakpoints: [[Double]]? = nil, saturating: Curve? = nil, hill: Curve? = nil) {
            self.breakpoints = breakpoints
            self.saturating = saturating
            self.hill = hill
        }

        /// Parameters of a smooth concave response curve.
        public struct Curve: Sendable, Codable, Equatable {
            /// The asymptotic uplift.
            public var maxUplift: Double
            /// `scale` of the saturating form (spend at 63 % of the maximum).
            public var scale: Double?
            /// `half_saturation` of the Hill form (spend at 50 % of the maximum).
            public var halfSaturation: Double?
            /// Number of chords (default from ``Options/pieces``).
            public var pieces: Int?
            /// Largest spend modelled (default: 99 % saturation).
            public var maxSpend: Double?

            /// A curve.
            public init(maxUplift: Double, scale: Double? = nil, halfSaturation: Double? = nil, pieces: Int? = nil, maxSpend: Double? = nil) {
                self.maxUplift = maxUplift
                self.scale = scale
                self.halfSaturation = halfSaturation
                self.pieces = pieces
                self.maxSpend = maxSpend
            }

            enum CodingKeys: String, CodingKey {
                case scale, pieces
                case maxUplift = "max_uplift"
                case halfSaturation = "half_saturation"
                case maxSpend = "max_spend"
            }
        }
    }

    /// One segment × moment × channel cell with its current spend, limits and response.
    public struct Cell: Sendable, Codable, Equatable {
        /// Optional id (default `segment/moment/channel`).
        public var id: String?
        /// Segment id.
        public var segment: String
        /// Moment id.
        public var moment: String
        /// Channel id.
        public var channel: String
        /// Spend in the current plan (default 0).
        public var current: Double?
        /// Lowest allowed spend.
        public var min: Double?
        /// Highest allowed spend.
        public var max: Double?
        /// A spend that must not change.
        public var fixed: Double?
        /// Tags for grouped constraints.
        public var tags: [String]?
        /// The response curve.
        public var response: Response

        /// A cell.
        public init(
            id: String? = nil, segment: String, moment: String, channel: String, current: Double? = nil,
            min: Double? = nil, max: Double? = nil, fixed: Double? = nil, tags: [String]? = nil, response: Response
        ) {
            self.id = id
            self.segment = segment
            self.moment = moment
            self.channel = channel
            self.current = current
            self.min = min
            self.max = max
            self.fixed = fixed
            self.tags = tags
            self.response = response
        }
    }

    /// Creates a saturating cell for every segment with ``label`` (or every segment in ``segments``) at a moment
    /// and channel. Per customer: the uplift at saturation is `uplift_fraction × CLV`, the curve scale is
    /// `scale_per_customer`; scaled by the segment's size, so the cell's curve is
    /// `n·f·CLV·(1 − exp(−spend/(n·scale)))`: spend follows customer value.
    public struct Template: Sendable, Codable, Equatable {
        /// Applies to segments with this label.
        public var label: SegmentLabel?
        /// Or to these segment ids.
        public var segments: [String]?
        /// Moment id.
        public var moment: String
        /// Channel id.
        public var channel: String
        /// Uplift per customer at saturation as a fraction of the segment's CLV (> 0).
        public var upliftFraction: Double
        /// Spend per customer at 63 % saturation (> 0).
        public var scalePerCustomer: Double
        /// Current spend per customer (default 0).
        public var currentPerCustomer: Double?
        /// Lowest spend per customer.
        public var minPerCustomer: Double?
        /// Highest spend per customer.
        public var maxPerCustomer: Double?
        /// Number of chords.
        public var pieces: Int?
        /// Tags for grouped constraints.
        public var tags: [String]?

        /// A template.
        public init(
            label: SegmentLabel? = nil, segments: [String]? = nil, moment: String, channel: String,
            upliftFraction: Double, scalePerCustomer: Double, currentPerCustomer: Double? = nil,
            minPerCustomer: Double? = nil, maxPerCustomer: Double? = nil, pieces: Int? = nil, tags: [String]? = nil
        ) {
            self.label = label
            self.segments = segments
            self.moment = moment
            self.channel = channel
            self.upliftFraction = upliftFraction
            self.scalePerCustomer = scalePerCustomer
            self.currentPerCustomer = currentPerCustomer
            self.minPerCustomer = minPerCustomer
            self.maxPerCustomer = maxPerCustomer
            self.pieces = pieces
            self.tags = tags
        }

        enum CodingKeys: String, CodingKey {
            case label, segments, moment, channel, pieces, tags
            case upliftFraction = "uplift_fraction"
            case scalePerCustomer = "scale_per_customer"
            case currentPerCustomer = "current_per_customer"
            case minPerCustomer = "min_per_customer"
            case maxPerCustomer = "max_per_customer"
        }
    }

    /// One constraint. Exactly one kind:
    /// - a **group** (one selector of `moment`, `stage`, `segment`, `channel`, `tag`, `label`) with `min`/`max`
    ///   on its spend and/or `min_share`/`max_share` of the total spend;
    /// - `roi_floor: k`: `Σ uplift ≥ k·Σ spend`;
    /// - `max_increase`/`max_decrease`: change limits of every cell (or the selected group's cells) relative to
    ///   its current spend, as fractions (`0.5` = ±50 %);
    /// - `units_per_customer`: a frequency cap `Σ units ≤ cap × customers` per segment over the selected cells.
    public struct Constraint: Sendable, Codable, Equatable {
        /// Name used in reports (default generated).
        public var name: String?
        /// Selector: a moment id.
        public var moment: String?
        /// Selector: a stage.
        public var stage: Stage?
        /// Selector: a segment id.
        public var segment: String?
        /// Selector: a channel id.
        public var channel: String?
        /// Selector: a tag.
        public var tag: String?
        /// Selector: a segment label.
        public var label: SegmentLabel?
        /// Lowest group spend.
        public var min: Double?
        /// Highest group spend.
        public var max: Double?
        /// Lowest share of the total spend, in [0, 1].
        public var minShare: Double?
        /// Highest share of the total spend, in [0, 1].
        public var maxShare: Double?
        /// Portfolio ROI floor k.
        public var roiFloor: Double?
        /// Largest increase over current spend, as a fraction of current.
        public var maxIncrease: Double?
        /// Largest decrease from current spend, as a fraction of current (≤ 1).
        public var maxDecrease: Double?
        /// Frequency cap: units per customer.
        public var unitsPerCustomer: Double?

        /// An empty constraint (set the fields).
        public init(name: String? = nil) { self.name = name }

        enum CodingKeys: String, CodingKey {
            case name, moment, stage, segment, channel, tag, label, min, max
            case minShare = "min_share"
            case maxShare = "max_share"
            case roiFloor = "roi_floor"
            case maxIncrease = "max_increase"
            case maxDecrease = "max_decrease"
            case unitsPerCustomer = "units_per_customer"
        }
    }

    /// Modelling options.
    public struct Options: Sendable, Codable, Equatable {
        /// How non-concave breakpoints are handled.
        public enum NonConcave: String, Sendable, Codable, Equatable {
            /// Reject the plan.
            case reject
            /// Replace the curve by its upper concave envelope and warn (default, as issue 6 asks: "a warning
            /// for non-concave breakpoints (replaced by their concave envelope)").
            case envelope
        }
        /// Default number of chords for smooth curves (default 16).
        public var pieces: Int?
        /// Smooth curves are modelled up to the spend reaching this fraction of `max_uplift` (default 0.99).
        public var saturation: Double?
        /// Non-concave breakpoints: envelope (default) or reject.
        public var nonconcave: NonConcave?

        /// Options.
        public init(pieces: Int? = nil, saturation: Double? = nil, nonconcave: NonConcave? = nil) {
            self.pieces = pieces
            self.saturation = saturation
            self.nonconcave = nonconcave
        }
    }
}

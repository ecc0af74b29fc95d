/// A stage of the customer journey, in funnel order (Court et al., "The consumer decision journey",
/// McKinsey Quarterly 2009; Lemon & Verhoef, "Understanding Customer Experience Throughout the Customer Journey",
/// Journal of Marketing 80(6), 2016: pre-purchase, purchase and post-purchase stages).
///
/// The raw value is the stage's position in the funnel; ``name`` is its spelling in a journey event log.
public enum JourneyStage: Int, CaseIterable, Comparable, Sendable, Codable {
    /// The customer learns the brand or product exists.
    case awareness
    /// The customer evaluates it against alternatives.
    case consideration
    /// The customer chooses it.
    case decision
    /// The customer buys.
    case purchase
    /// Delivery, use, service and loyalty contacts after the (first) purchase.
    case postPurchase

    /// The stage's name in a journey event log: `awareness`, `consideration`, `decision`, `purchase`,
    /// `post_purchase`.
    public var name: String {
        switch self {
        case .awareness: return "awareness"
        case .consideration: return "consideration"
        case .decision: return "decision"
        case .purchase: return "purchase"
        case .postPurchase: return "post_purchase"
        }
    }

    /// The stage named `text`: one of the ``name`` spellings, ignoring ASCII case, with `-` or a space accepted
    /// for `_` (`Post-Purchase` is ``postPurchase``); `nil` for anything else.
    public init?(name text: String) {
        let normalized = String(text.lowercased().map { $0 == "-" || $0 == " " ? "_" : $0 })
        guard let stage = JourneyStage.allCases.first(where: { $0.name == normalized }) else { return nil }
        self = stage
    }

    /// The next stage of the funnel, `nil` after ``postPurchase``.
    public var next: JourneyStage? { JourneyStage(rawValue: rawValue + 1) }

    /// Funnel order.
    public static func < (lhs: JourneyStage, rhs: JourneyStage) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Encodes as ``name``.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }

    /// Decodes from ``name``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let stage = JourneyStage(name: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown journey stage '\(text)'")
        }
        self = stage
    }
}

/// The time unit of recency, T, horizons and model rates.
///
/// Purchases are always collapsed per calendar day; the unit only scales day counts: `t = days / unit.days`.
/// With `.week` this is lifetimes' `summary_data_from_transaction_data(freq="D", freq_multiplier=7)`, the
/// convention of the CDNOW summary of Fader, Hardie & Lee (2005) (recency 30.43 weeks = 213 days / 7).
public enum TimeUnit: String, Sendable, CaseIterable, Codable {
    /// One day.
    case day
    /// Seven days.
    case week
    /// An average Gregorian month, 365.2425 / 12 = 30.436875 days.
    case month
    /// An average Gregorian year, 365.2425 days.
    case year

    /// Length in days.
    public var days: Double {
        switch self {
        case .day: return 1
        case .week: return 7
        case .month: return 365.2425 / 12
        case .year: return 365.2425
        }
    }
}

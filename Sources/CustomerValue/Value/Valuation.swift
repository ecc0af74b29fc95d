#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// When the cash flows of future purchases are discounted.
public enum CashFlowTiming: String, Sendable, CaseIterable, Codable {
    /// Each purchase is discounted at the moment it happens with force of interest `δ = ln(1+d)/L`
    /// (d per discount period of L time units): `DEP = ∫₀ᴴ e^(−δt) dN(t)`, where `N(t)` is the conditional
    /// expected number of purchases by t. Computed as `e^(−δH) N(H) + δ ∫₀ᴴ e^(−δt) N(t) dt` (integration by
    /// parts) with adaptive Gauss–Legendre quadrature (8- and 16-point rules per panel; see
    /// ``Valuation/discountedExpectedPurchases(_:frequency:recency:age:)``). The natural convention for the
    /// continuous-time Pareto/NBD and BG/NBD (Fader, Hardie & Lee 2005, "RFM and CLV", eq. 2).
    case continuous
    /// Purchases are grouped into discount periods of L time units and discounted at each period's end:
    /// `DEP = Σᵢ [N(iL) − N((i−1)L)] / (1+d)ⁱ` (the last period is cut at H). With `L = 4.345` weeks this is
    /// lifetimes' `customer_lifetime_value(..., freq="W")`.
    case endOfPeriod
}

/// Discounting and margin settings for customer lifetime value over a finite horizon.
public struct Valuation: Sendable, Equatable {
    /// Horizon H in model time units (> 0).
    public var horizon: Double
    /// Discount rate d per discount period (> −1; 0 means no discounting).
    public var discountRate: Double
    /// Length L of a discount period in model time units (> 0), e.g. 52/12 weeks for a monthly rate.
    public var discountPeriod: Double
    /// Margin as a fraction of spend (CLV = margin × expected spend × discounted expected purchases).
    public var margin: Double
    /// Discounting convention.
    public var timing: CashFlowTiming

    /// Validated settings.
    /// - Throws: ``CustomerValueError/invalidOption(name:value:reason:)`` for a non-positive or non-finite
    ///   horizon or period, a rate ≤ −1, or a non-finite margin.
    public init(horizon: Double, discountRate: Double, discountPeriod: Double = 1, margin: Double = 1, timing: CashFlowTiming = .continuous)
        throws(CustomerValueError)
    {
        guard horizon.isFinite, horizon > 0 else { throw .invalidOption(name: "horizon", value: "\(horizon)", reason: "must be positive") }
        guard discountRate.isFinite, discountRate > -1 else {
            throw .invalidOption(name: "discount rate", value: "\(discountRate)", reason: "must be greater than −1")
        }
        guard discountPeriod.isFinite, discountPeriod > 0 else {
            throw .invalidOption(name: "discount period", value: "\(discountPeriod)", reason: "must be positive")
        }
        guard margin.isFinite else { throw .invalidOption(name: "margin", value: "\(margin)", reason: "must be finite") }
        guard timing == .continuous || (horizon / discountPeriod) <= 1e6 else {
            throw .invalidOption(name: "horizon", value: "\(horizon)", reason: "more than a million discount periods")
        }
        self.horizon = horizon
        self.discountRate = discountRate
        self.discountPeriod = discountPeriod
        self.margin = margin
        self.timing = timing
    }

    /// Force of interest `δ = ln(1+d)/L` per time unit.
    public var forceOfInterest: Double { log1p(discountRate) / discountPeriod }

    /// Discounted expected purchases in (T, T+H] for one customer, by ``timing``; `nil` if a series fails.
    ///
    /// Continuous: adaptive Gauss–Legendre on [0, H] — a panel is accepted when its 8- and 16-point values agree
    /// to 1e-11 relative, otherwise bisected. `N(t)` is analytic in t, so one panel (24 evaluations) usually
    /// suffices; a test compares with the end-of-period sum on a very fine grid.
    /// - Complexity: O(panels × 32) evaluations of `N(t)` (continuous) or O(H/L) (end of period).
    public func discountedExpectedPurchases<M: PurchaseModel>(
        _ model: M, frequency x: Double, recency tx: Double, age T: Double
    ) -> Double? {
        let H = horizon
        let pAlive = model.probabilityAlive(frequency: x, recency: tx, age: T)
        guard pAlive.isFinite else { return nil }
        switch timing {
        case .endOfPeriod:
            let periods = Int((H / discountPeriod - 1e-9).rounded(.up))
            var previous = 0.0, total = 0.0
            var factor = 1.0
            let step = 1 / (1 + discountRate)
            for i in 1...max(periods, 1) {
                let t = min(Double(i) * discountPeriod, H)
                factor *= step
                guard let n = model.expectedPurchases(t, frequency: x, recency: tx, age: T, probabilityAlive: pAlive) else { return nil }
                total += (n - previous) * factor
                previous = n
            }
            return total
        case .continuous:
            let delta = forceOfInterest
            guard let nH = model.expectedPurchases(H, frequency: x, recency: tx, age: T, probabilityAlive: pAlive) else { return nil }
            if delta == 0 { return nH }
            var failed = false
            let integral = Self.adaptiveIntegral(from: 0, to: H, depth: 0) { t in
                guard let n = model.expectedPurchases(t, frequency: x, recency: tx, age: T, probabilityAlive: pAlive) else {
                    failed = true
                    return 0
                }
                return exp(-delta * t) * n
            }
            if failed { return nil }
            return exp(-delta * H) * nH + delta * integral
        }
    }

    static let coarse = GaussLegendre(points: 8)
    static let fine = GaussLegendre(points: 16)

    /// Adaptive Gauss–Legendre: accept the 16-point value of a panel when the 8-point value agrees to 1e-11
    /// relative (the 16-point rule is then far more accurate still), otherwise bisect (at most 12 levels).
    static func adaptiveIntegral(from a: Double, to b: Double, depth: Int, _ f: (Double) -> Double) -> Double {
        let g8 = coarse.integrate(from: a, to: b, f)
        let g16 = fine.integrate(from: a, to: b, f)
        if abs(g16 - g8) <= 1e-11 * abs(g16) || depth >= 12 { return g16 }
        let mid = 0.5 * (a + b)
        return adaptiveIntegral(from: a, to: mid, depth: depth + 1, f) + adaptiveIntegral(from: mid, to: b, depth: depth + 1, f)
    }

    /// Lifetime value when only a margin per period and a constant retention rate are known (Gupta &
    /// Lehmann 2003, "Customers as Assets", *J. Interactive Marketing* 17(1); Fader & Hardie, "Reconciling and
    /// Clarifying CLV Formulas", 2012): with margin m received at the end of each period the customer is retained,
    ///
    ///     CLV = m·r / (1 + d − r)          (first margin one period from now)
    ///     CLV = m·(1 + d) / (1 + d − r)     (`startOfPeriod`: the current period's margin is received now)
    ///
    /// - Throws: ``CustomerValueError/invalidOption(name:value:reason:)`` unless 0 ≤ r ≤ 1, d > −1 and
    ///   1 + d − r > 0 (the series converges).
    public static func retentionValue(margin m: Double, retention r: Double, discountRate d: Double, startOfPeriod: Bool = false)
        throws(CustomerValueError) -> Double
    {
        guard r.isFinite, r >= 0, r <= 1 else { throw .invalidOption(name: "retention", value: "\(r)", reason: "must be in [0, 1]") }
        guard d.isFinite, d > -1 else { throw .invalidOption(name: "discount rate", value: "\(d)", reason: "must be greater than −1") }
        guard 1 + d - r > 0 else {
            throw .invalidOption(name: "discount rate", value: "\(d)", reason: "1 + d − r must be positive (the value is infinite)")
        }
        guard m.isFinite else { throw .invalidOption(name: "margin", value: "\(m)", reason: "must be finite") }
        return startOfPeriod ? m * (1 + d) / (1 + d - r) : m * r / (1 + d - r)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The shifted-beta-geometric (sBG) model of contractual retention: Fader & Hardie (2007), "How to Project
/// Customer Retention", *Journal of Interactive Marketing* 21(1).
///
/// Each customer renews every period with a constant probability 1 − θ, θ ~ Beta(α, β) across customers.
/// With `P(T = t)` the probability of churning in period t and `S(t)` the probability of surviving t periods:
///
///     P(1) = α/(α+β),   P(t) = (β+t−2)/(α+β+t−1) · P(t−1),
///     S(t) = B(α, β+t)/B(α, β) = (β+t−1)/(α+β+t−1) · S(t−1),   S(0) = 1,
///
/// and the retention rate `r_t = S(t)/S(t−1) = (β+t−1)/(α+β+t−1)` rises with t (sorting, not loyalty).
/// The likelihood of a cohort observed for n periods is `Σₜ (lost in t) ln P(t) + (alive at n) ln S(n)`.
public struct ShiftedBetaGeometric: Sendable, Equatable, Codable {
    /// Beta shape α.
    public var alpha: Double
    /// Beta shape β.
    public var beta: Double

    /// `"sbg"`.
    public static let name = "sbg"
    /// `alpha, beta`.
    public static let parameterNames = ["alpha", "beta"]

    /// A model with the given parameters (both > 0).
    public init(alpha: Double, beta: Double) {
        self.alpha = alpha
        self.beta = beta
    }

    /// Log-likelihood of a cohort from the numbers still active at the start (index 0) and at the end of each
    /// period (`alive[t]`, non-increasing).
    static func logLikelihood(alpha: Dual, beta: Dual, alive: [Double]) -> Dual? {
        var p = alpha / (alpha + beta)  // P(1)
        var s = 1 - p  // S(1) = β/(α+β)
        var total = Dual.zero
        for t in 1..<alive.count {
            if t > 1 {
                let tt = Double(t)
                p = p * ((beta + (tt - 2)) / (alpha + beta + (tt - 1)))
                s = s * ((beta + (tt - 1)) / (alpha + beta + (tt - 1)))
            }
            let lost = alive[t - 1] - alive[t]
            if lost > 0 { total += log(p) * lost }
        }
        if let last = alive.last, alive.count > 1, last > 0 { total += log(s) * last }
        return total.value.isFinite ? total : nil
    }

    /// Fits α, β to a cohort: `alive[0]` customers at the start, `alive[t]` still active after t periods.
    ///
    /// - Throws: ``CustomerValueError/insufficientData(model:reason:)`` for fewer than two periods, or
    ///   ``CustomerValueError/invalidOption(name:value:reason:)`` for negative, non-finite or increasing counts.
    public static func fit(alive: [Double], minimizer: BFGSMinimizer = BFGSMinimizer()) throws(CustomerValueError)
        -> Fitted<ShiftedBetaGeometric>
    {
        guard alive.count >= 2 else { throw .insufficientData(model: name, reason: "need the cohort size and at least one period") }
        for t in alive.indices {
            guard alive[t].isFinite, alive[t] >= 0 else {
                throw .invalidOption(name: "alive[\(t)]", value: "\(alive[t])", reason: "must be a finite non-negative count")
            }
            if t > 0, alive[t] > alive[t - 1] {
                throw .invalidOption(name: "alive[\(t)]", value: "\(alive[t])", reason: "survivors cannot increase")
            }
        }
        guard alive[0] > alive[alive.count - 1] else {
            throw .insufficientData(model: name, reason: "no customer churned; α, β are not identified")
        }
        let fit = MaximumLikelihood.fit(
            model: name, names: parameterNames, start: [1, 1], observations: alive[0], minimizer: minimizer
        ) { p in logLikelihood(alpha: p[0], beta: p[1], alive: alive) }
        return Fitted(model: ShiftedBetaGeometric(alpha: fit.parameters[0], beta: fit.parameters[1]), fit: fit)
    }

    /// `S(t)`, the probability of surviving t periods.
    public func survival(_ t: Int) -> Double {
        var s = 1.0
        if t <= 0 { return 1 }
        for k in 1...t { s *= (beta + Double(k) - 1) / (alpha + beta + Double(k) - 1) }
        return s
    }

    /// Retention rate `r_t = (β+t−1)/(α+β+t−1)` in period t ≥ 1.
    public func retentionRate(_ t: Int) -> Double { (beta + Double(t) - 1) / (alpha + beta + Double(t) - 1) }

    /// Discounted expected residual lifetime (Fader & Hardie 2010, "Customer-Base Valuation in a Contractual
    /// Setting: The Perils of Ignoring Heterogeneity", *Marketing Science* 29(1), eq. 5) of a customer who has been
    /// active for n periods (made n − 1 renewals) and is about to make the n-th renewal decision:
    /// `DERL(d | n) = Σ_{t≥n} S(t)/S(n−1) · (1+d)^−(t−n)`: the first possible payment is counted undiscounted.
    /// With `horizon` periods the sum stops after that many terms; without, it runs until a term falls below
    /// 1e-15 of the total. Multiply by the margin per period for the residual lifetime value.
    ///
    /// - Precondition: n ≥ 1, d > −1.
    /// - Complexity: O(number of terms); about `ln(1e-15)/ln((1+d)⁻¹)` terms without a horizon.
    public func discountedExpectedResidualLifetime(discountRate d: Double, periodsActive n: Int, horizon: Int? = nil) -> Double {
        precondition(n >= 1 && d > -1)
        var ratio = 1.0  // S(t)/S(n−1) for t = n−1
        var total = 0.0
        var k = 0
        let limit = horizon ?? 10_000_000
        var t = n
        while k < limit {
            ratio *= retentionRate(t)
            let term = ratio / pow(1 + d, Double(t - n))
            total += term
            k += 1
            t += 1
            if horizon == nil && term < 1e-15 * total { break }
        }
        return total
    }

    /// Closed form of the infinite-horizon ``discountedExpectedResidualLifetime(discountRate:periodsActive:horizon:)``
    /// (Fader & Hardie 2010, eq. 6): `DERL = (β+n−1)/(α+β+n−1) · ₂F₁(1, β+n; α+β+n; 1/(1+d))`.
    /// Returns `nil` when the series does not converge (d ≤ 0).
    public func discountedExpectedResidualLifetimeClosedForm(discountRate d: Double, periodsActive n: Int) -> Double? {
        let nn = Double(n)
        guard d > 0, let l = logHypergeometric2F1(1, beta + nn, alpha + beta + nn, 1 / (1 + d)) else { return nil }
        return (beta + nn - 1) / (alpha + beta + nn - 1) * exp(l)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The beta-geometric/NBD model of Fader, Hardie & Lee (2005), "'Counting Your Customers' the Easy Way",
/// *Marketing Science* 24(2).
///
/// While active, a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each purchase they
/// drop out with probability p ~ Beta(a, b). The likelihood of (x, tₓ, T) is (FHL eq. 6)
///
///     L = B(a, b+x)/B(a,b) · Γ(r+x)αʳ / (Γ(r)(α+T)^(r+x))
///       + 1{x>0} · B(a+1, b+x−1)/B(a,b) · Γ(r+x)αʳ / (Γ(r)(α+tₓ)^(r+x)),
///
/// evaluated here as `ln L = r ln α + ln Γ(r+x) − ln Γ(r) + ln Γ(a+b) + ln Γ(b+x−1) − ln Γ(b) − ln Γ(a+b+x)
/// − (r+x) ln(α+tₓ) + ln[a + (b+x−1)((α+tₓ)/(α+T))^(r+x)]` for x > 0 (and `r ln(α/(α+T))` for x = 0), which
/// never overflows: the power is at most 1.
public struct BGNBD: PurchaseModel, Equatable, Codable {
    /// Shape of the purchase-rate gamma.
    public var r: Double
    /// Scale (rate) of the purchase-rate gamma.
    public var alpha: Double
    /// Dropout-probability beta shape a.
    public var a: Double
    /// Dropout-probability beta shape b.
    public var b: Double

    /// `"bgnbd"`.
    public static let name = "bgnbd"
    /// `r, alpha, a, b`.
    public static let parameterNames = ["r", "alpha", "a", "b"]
    /// `[r, alpha, a, b]`.
    public var parameters: [Double] { [r, alpha, a, b] }

    /// A model with the given parameters (all > 0).
    public init(r: Double, alpha: Double, a: Double, b: Double) {
        self.r = r
        self.alpha = alpha
        self.a = a
        self.b = b
    }

    /// From `[r, alpha, a, b]`.
    public init(parameters p: [Double]) { self.init(r: p[0], alpha: p[1], a: p[2], b: p[3]) }

    /// `r = 1`, α from the mean rate, `a = b = 1`.
    public static func startingValues(_ patterns: RepeatPatterns) -> [Double] {
        let s = rateStart(patterns)
        return [s.r, s.alpha, 1, 1]
    }

    /// BG/NBD log-likelihood (see the type's documentation); `ln Γ` terms once per distinct x.
    /// - Complexity: O(patterns) with four transcendental functions per pattern.
    public static func logLikelihood(_ p: [Dual], patterns: RepeatPatterns) -> Dual? {
        let r = p[0], alpha = p[1], a = p[2], b = p[3]
        let logAlpha = log(alpha)
        let lgR = logGamma(r), lgAB = logGamma(a + b), lgB = logGamma(b)
        var total = Dual.zero
        for group in patterns.frequencyGroups {
            let x = group.frequency
            var c = r * logAlpha
            if x > 0 {
                c += logGamma(r + x) - lgR + lgAB + logGamma(b + (x - 1)) - lgB - logGamma(a + b + x)
            }
            total += c * group.weight
        }
        let logAgeTerm = RepeatPatterns.mapLevels(patterns.ageLevels) { log(alpha + $0) }
        let logRecencyTerm = RepeatPatterns.mapLevels(patterns.recencyLevels) { log(alpha + $0) }
        total += ChunkedSum.sum(count: patterns.count) { range in
            var s = Dual.zero
            for i in range {
                let x = patterns.frequency[i], w = patterns.weight[i]
                let lT = logAgeTerm[Int(patterns.ageLevel[i])]
                if x == 0 {
                    s += (r * lT) * (-w)
                } else {
                    let lTx = logRecencyTerm[Int(patterns.recencyLevel[i])]
                    let rx = r + x
                    let term = log(a + (b + (x - 1)) * exp(rx * (lTx - lT))) - rx * lTx
                    s += term * w
                }
            }
            return s
        }
        return total.value.isFinite ? total : nil
    }

    /// `P(alive | x, tₓ, T) = 1 / (1 + 1{x>0}·a/(b+x−1)·((α+T)/(α+tₓ))^(r+x))` (FHL 2005, eq. 13 in the
    /// technical appendix), evaluated through its logarithm so that huge powers give 0, not NaN.
    public func probabilityAlive(frequency x: Double, recency tx: Double, age T: Double) -> Double {
        if x == 0 { return 1 }
        let logOdds = log(a) - log(b + x - 1) + (r + x) * (log(alpha + T) - log(alpha + tx))
        return 1 / (1 + exp(logOdds))
    }

    /// FHL 2005 eq. 10:
    /// `E[Y(t) | x, tₓ, T] = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
    /// · P(alive)`, with the hypergeometric term evaluated in Euler's form
    /// `(1−z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z)`, whose terms shrink even for x in the thousands.
    /// At `a = 1` (removable singularity) the value is taken as the mean at `a ± 1e-7`.
    public func expectedPurchases(_ t: Double, frequency x: Double, recency tx: Double, age T: Double, probabilityAlive p: Double) -> Double? {
        if t <= 0 { return 0 }
        if abs(a - 1) < 1e-7 {
            var lo = self, hi = self
            lo.a = 1 - 1e-7
            hi.a = 1 + 1e-7
            guard let l = lo.expectedPurchases(t, frequency: x, recency: tx, age: T, probabilityAlive: p),
                let h = hi.expectedPurchases(t, frequency: x, recency: tx, age: T, probabilityAlive: p)
            else { return nil }
            return 0.5 * (l + h)
        }
        let z = t / (alpha + T + t)
        let log1mz = log(alpha + T) - log(alpha + T + t)
        guard let lh = logHypergeometric2F1(a + b - 1 - r, a - 1, a + b + x - 1, z) else { return nil }
        let bracket = -expm1((a - 1) * log1mz + lh)
        return (a + b + x - 1) / (a - 1) * bracket * p
    }

    /// FHL 2005 eq. 9: `E[X(t)] = (a+b−1)/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))]`.
    public func expectedPurchasesNewCustomer(_ t: Double) -> Double? {
        if t <= 0 { return 0 }
        if abs(a - 1) < 1e-7 {
            var lo = self, hi = self
            lo.a = 1 - 1e-7
            hi.a = 1 + 1e-7
            guard let l = lo.expectedPurchasesNewCustomer(t), let h = hi.expectedPurchasesNewCustomer(t) else { return nil }
            return 0.5 * (l + h)
        }
        let z = t / (alpha + t)
        let log1mz = log(alpha) - log(alpha + t)
        // Euler: (1−z)^r ₂F₁(r, b; a+b−1; z) = (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b−1; z).
        guard let lh = logHypergeometric2F1(a + b - 1 - r, a - 1, a + b - 1, z) else { return nil }
        return (a + b - 1) / (a - 1) * -expm1((a - 1) * log1mz + lh)
    }
}

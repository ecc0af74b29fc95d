#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The modified BG/NBD of Batislam, Denizel & Filiztekin (2007), "Empirical validation and comparison of
/// models for customer base analysis", *International Journal of Research in Marketing* 24(3).
///
/// As BG/NBD, but a customer may also drop out at time 0 (right after the first purchase), so customers with
/// x = 0 can be dead. Likelihood:
///
///     L = Γ(r+x)αʳ/Γ(r) · [ B(a, b+x+1)/B(a,b) · (α+T)^−(r+x) + B(a+1, b+x)/B(a,b) · (α+tₓ)^−(r+x) ],
///
/// computed as `ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln Γ(a+b) + ln Γ(b+x+1) − ln Γ(b) − ln Γ(a+b+x+1)
/// − (r+x) ln(α+T) + ln(1 + a/(b+x)·((α+T)/(α+tₓ))^(r+x))` with the last term by `ln(1 + eᵘ)`.
public struct MBGNBD: PurchaseModel, Equatable, Codable {
    /// Shape of the purchase-rate gamma.
    public var r: Double
    /// Rate of the purchase-rate gamma.
    public var alpha: Double
    /// Dropout beta shape a.
    public var a: Double
    /// Dropout beta shape b.
    public var b: Double

    /// `"mbgnbd"`.
    public static let name = "mbgnbd"
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

    /// `r = 1`, α from the mean rate, `a = 1`, `b = 3`.
    public static func startingValues(_ patterns: RepeatPatterns) -> [Double] {
        let s = rateStart(patterns)
        return [s.r, s.alpha, 1, 3]
    }

    /// MBG/NBD log-likelihood (see the type's documentation).
    /// - Complexity: O(patterns), four transcendental functions per pattern.
    public static func logLikelihood(_ p: [Dual], patterns: RepeatPatterns) -> Dual? {
        let r = p[0], alpha = p[1], a = p[2], b = p[3]
        let lgR = logGamma(r), lgAB = logGamma(a + b), lgB = logGamma(b)
        let rLogAlpha = r * log(alpha), logA = log(a)
        var total = Dual.zero
        var logOddsBase = [Dual](repeating: .zero, count: patterns.frequencyGroups.count)
        for (k, group) in patterns.frequencyGroups.enumerated() {
            let x = group.frequency
            let c = logGamma(r + x) - lgR + rLogAlpha + lgAB + logGamma(b + x + 1) - lgB - logGamma(a + b + x + 1)
            total += c * group.weight
            logOddsBase[k] = logA - log(b + x)
        }
        let logAgeTerm = RepeatPatterns.mapLevels(patterns.ageLevels) { log(alpha + $0) }
        let logRecencyTerm = RepeatPatterns.mapLevels(patterns.recencyLevels) { log(alpha + $0) }
        total += ChunkedSum.sum(count: patterns.count) { range in
            var s = Dual.zero
            for i in range {
                let rx = r + patterns.frequency[i]
                let lT = logAgeTerm[Int(patterns.ageLevel[i])], lTx = logRecencyTerm[Int(patterns.recencyLevel[i])]
                let u = logOddsBase[Int(patterns.groupOfPattern[i])] + rx * (lT - lTx)
                s += (logAddExp(u, .zero) - rx * lT) * patterns.weight[i]
            }
            return s
        }
        return total.value.isFinite ? total : nil
    }

    /// `P(alive | x, tₓ, T) = 1 / (1 + a/(b+x)·((α+T)/(α+tₓ))^(r+x))` (Batislam et al. 2007).
    public func probabilityAlive(frequency x: Double, recency tx: Double, age T: Double) -> Double {
        let logOdds = log(a) - log(b + x) + (r + x) * (log(alpha + T) - log(alpha + tx))
        return 1 / (1 + exp(logOdds))
    }

    /// `E[Y(t) | x, tₓ, T] = (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x+1; a+b+x; z)] · P(alive)`,
    /// `z = t/(α+T+t)`, with the hypergeometric term in Euler's form `(1−z)^(a−1) ₂F₁(a+b−r, a−1; a+b+x; z)`.
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
        guard let lh = logHypergeometric2F1(a + b - r, a - 1, a + b + x, z) else { return nil }
        return (a + b + x) / (a - 1) * -expm1((a - 1) * log1mz + lh) * p
    }

    /// `E[X(t)] = b/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b+1; a+b; t/(α+t))]` (Batislam et al. 2007): the BG/NBD
    /// mean with `E[(1−p)/p] = b/(a−1)` for the extra dropout at time 0; Euler's form as above.
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
        guard let lh = logHypergeometric2F1(a + b - r, a - 1, a + b, z) else { return nil }
        return b / (a - 1) * -expm1((a - 1) * log1mz + lh)
    }
}

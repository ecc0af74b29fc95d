#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Pareto/NBD model of Schmittlein, Morrison & Colombo (1987), "Counting Your Customers: Who Are They and
/// What Will They Do Next?", *Management Science* 33(1).
///
/// While alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α); the lifetime is exponential with
/// rate μ ~ Gamma(s, β). Following Fader & Hardie, "A Note on Deriving the Pareto/NBD Model and Related
/// Expressions" (2005), eq. 22,
///
///     L = Γ(r+x) αʳ βˢ / Γ(r) · { 1/((α+T)^(r+x) (β+T)ˢ) + s/(r+s+x) · A₀ },
///
/// with, for α ≥ β, `A₀ = F(tₓ)/(α+tₓ)^(r+s+x) − F(T)/(α+T)^(r+s+x)`, `F(y) = ₂F₁(r+s+x, s+1; r+s+x+1; (α−β)/(α+y))`,
/// and for α < β the same with α and β exchanged and `F(y) = ₂F₁(r+s+x, r+x; r+s+x+1; (β−α)/(β+y))`, which is
/// evaluated by Euler's transformation as `((α+y)/(β+y))^(1−r−x) ₂F₁(1, s+1; r+s+x+1; (β−α)/(β+y))`. Either way
/// the series argument lies in [0, 1) and its terms do not grow with x, so customers with x = 10,000 are
/// handled. Everything is combined in log space (`ln A₀` by `ln(eᵘ − eᵛ)`), so nothing overflows.
public struct ParetoNBD: PurchaseModel, Equatable, Codable {
    /// Shape of the purchase-rate gamma.
    public var r: Double
    /// Rate of the purchase-rate gamma.
    public var alpha: Double
    /// Shape of the dropout-rate gamma.
    public var s: Double
    /// Rate of the dropout-rate gamma.
    public var beta: Double

    /// `"pareto-nbd"`.
    public static let name = "pareto-nbd"
    /// `r, alpha, s, beta`.
    public static let parameterNames = ["r", "alpha", "s", "beta"]
    /// `[r, alpha, s, beta]`.
    public var parameters: [Double] { [r, alpha, s, beta] }

    /// A model with the given parameters (all > 0).
    public init(r: Double, alpha: Double, s: Double, beta: Double) {
        self.r = r
        self.alpha = alpha
        self.s = s
        self.beta = beta
    }

    /// From `[r, alpha, s, beta]`.
    public init(parameters p: [Double]) { self.init(r: p[0], alpha: p[1], s: p[2], beta: p[3]) }

    /// `r = 1`, α from the mean rate, `s = 1`, β = mean age.
    public static func startingValues(_ patterns: RepeatPatterns) -> [Double] {
        let st = rateStart(patterns)
        var sumT = 0.0
        for i in 0..<patterns.count { sumT += patterns.weight[i] * patterns.age[i] }
        return [st.r, st.alpha, 1, max(1e-3, sumT / max(patterns.totalWeight, 1))]
    }

    /// `ln[F(y)/(α+y)^(r+s+x)]` (α ≥ β) or `ln[F(y)/(β+y)^(r+s+x)]` (α < β): one of the two terms of A₀.
    static func logA0Term(r: Dual, alpha: Dual, s: Dual, beta: Dual, x: Double, y: Double) -> Dual? {
        let rsx = r + s + x
        let c = rsx + 1
        if alpha.value >= beta.value {
            let ay = alpha + y
            let z = (alpha - beta) / ay
            guard let lf = logHypergeometric2F1(rsx, s + 1, c, z) else { return nil }
            return lf - rsx * log(ay)
        } else {
            let ay = alpha + y, by = beta + y
            let z = (beta - alpha) / by
            guard let lf = logHypergeometric2F1(Dual(1), s + 1, c, z) else { return nil }
            return lf + (1 - r - x) * (log(ay) - log(by)) - rsx * log(by)
        }
    }

    /// `ln A₀ = ln(eᵘ − eᵛ)` from its two terms u (at tₓ) and v (at T); `−∞` when tₓ = T or rounding makes v ≥ u.
    static func logA0(u: Dual, v: Dual, tx: Double, T: Double) -> Dual {
        if tx >= T || v.value >= u.value { return Dual(-.infinity) }
        return logSubExp(u, v)
    }

    /// `ln A₀` (see the type's documentation), or `nil` if a series fails.
    static func logA0(r: Dual, alpha: Dual, s: Dual, beta: Dual, x: Double, tx: Double, T: Double) -> Dual? {
        guard let u = logA0Term(r: r, alpha: alpha, s: s, beta: beta, x: x, y: tx) else { return nil }
        if tx >= T { return Dual(-.infinity) }
        guard let v = logA0Term(r: r, alpha: alpha, s: s, beta: beta, x: x, y: T) else { return nil }
        return logA0(u: u, v: v, tx: tx, T: T)
    }

    /// Pareto/NBD log-likelihood (Fader & Hardie 2005 note, eq. 22). `ln Γ` terms once per distinct x; the
    /// hypergeometric terms once per distinct (x, tₓ) and (x, T) pair, in parallel; then one `ln(eᵘ − eᵛ)` and one
    /// `ln(eᵃ + eᵇ)` per pattern.
    /// - Complexity: O((distinct (x,tₓ) + distinct (x,T)) × series length + patterns).
    public static func logLikelihood(_ p: [Dual], patterns: RepeatPatterns) -> Dual? {
        let r = p[0], alpha = p[1], s = p[2], beta = p[3]
        let lgR = logGamma(r)
        let c0 = r * log(alpha) + s * log(beta) - lgR
        var total = Dual.zero
        for group in patterns.frequencyGroups {
            total += (c0 + logGamma(r + group.frequency)) * group.weight
        }
        nonisolated(unsafe) var failed = false
        func terms(_ pairs: [(group: Int32, level: Int32)], _ levels: [Double]) -> [Dual] {
            var out = [Dual](repeating: .zero, count: pairs.count)
            out.withUnsafeMutableBufferPointer { buffer in
                nonisolated(unsafe) let o = buffer
                ChunkedSum.forEach(count: pairs.count, chunkSize: 256) { range in
                    for k in range {
                        let x = patterns.frequencyGroups[Int(pairs[k].group)].frequency
                        guard let t = logA0Term(r: r, alpha: alpha, s: s, beta: beta, x: x, y: levels[Int(pairs[k].level)])
                        else {
                            failed = true
                            continue
                        }
                        o[k] = t
                    }
                }
            }
            return out
        }
        let u = terms(patterns.recencyPairs, patterns.recencyLevels)
        let v = terms(patterns.agePairs, patterns.ageLevels)
        if failed { return nil }
        let logAlphaT = RepeatPatterns.mapLevels(patterns.ageLevels) { log(alpha + $0) }
        let logBetaT = RepeatPatterns.mapLevels(patterns.ageLevels) { log(beta + $0) }
        let logS = log(s)
        let logRSX = patterns.frequencyGroups.map { log(r + s + $0.frequency) }
        let sum = ChunkedSum.sum(count: patterns.count) { range in
            var acc = Dual.zero
            for i in range {
                let x = patterns.frequency[i], level = Int(patterns.ageLevel[i])
                let first = -(r + x) * logAlphaT[level] - s * logBetaT[level]
                let la0 = logA0(
                    u: u[Int(patterns.recencyPair[i])], v: v[Int(patterns.agePair[i])], tx: patterns.recency[i],
                    T: patterns.age[i])
                let second = la0.value == -.infinity ? Dual(-.infinity) : logS - logRSX[Int(patterns.groupOfPattern[i])] + la0
                acc += logAddExp(first, second) * patterns.weight[i]
            }
            return acc
        }
        total += sum
        return total.value.isFinite ? total : nil
    }

    /// `ln` of the odds `(1 − P(alive))/P(alive) = s/(r+s+x) · (α+T)^(r+x) (β+T)ˢ · A₀`.
    func logOddsDead(frequency x: Double, recency tx: Double, age T: Double) -> Double? {
        guard let la0 = Self.logA0(r: Dual(r), alpha: Dual(alpha), s: Dual(s), beta: Dual(beta), x: x, tx: tx, T: T)
        else { return nil }
        return log(s) - log(r + s + x) + (r + x) * log(alpha + T) + s * log(beta + T) + la0.value
    }

    /// `P(alive | x, tₓ, T) = 1 / (1 + s/(r+s+x)·(α+T)^(r+x)(β+T)ˢ·A₀)` (Fader & Hardie 2005 note, eq. 18).
    /// Returns NaN only if the hypergeometric series fails (z extremely close to 1).
    public func probabilityAlive(frequency x: Double, recency tx: Double, age T: Double) -> Double {
        guard let lo = logOddsDead(frequency: x, recency: tx, age: T) else { return .nan }
        return 1 / (1 + exp(lo))
    }

    /// `E[Y(t) | x, tₓ, T] = (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive)`
    /// (Fader & Hardie 2005 note, eq. 20); at s = 1 the bracket over (s−1) becomes `ln((β+T+t)/(β+T))`.
    public func expectedPurchases(_ t: Double, frequency x: Double, recency tx: Double, age T: Double, probabilityAlive p: Double) -> Double? {
        if t <= 0 { return 0 }
        return (r + x) / (alpha + T) * Self.lifetimeFactor(s: s, base: beta + T, t: t) * p
    }

    /// `(β+T)·[1 − ((β+T)/(β+T+t))^(s−1)]/(s−1)`, continuous in s.
    static func lifetimeFactor(s: Double, base: Double, t: Double) -> Double {
        let l = log(base) - log(base + t)  // < 0
        if abs(s - 1) < 1e-9 { return -base * l }
        return base * -expm1((s - 1) * l) / (s - 1)
    }

    /// `E[X(t)] = rβ/(α(s−1)) · [1 − (β/(β+t))^(s−1)]` (Schmittlein et al. 1987, eq. 17).
    public func expectedPurchasesNewCustomer(_ t: Double) -> Double? {
        if t <= 0 { return 0 }
        return r / alpha * Self.lifetimeFactor(s: s, base: beta, t: t)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005, "RFM and CLV: Using Iso-Value
/// Curves for Customer Base Analysis", *Journal of Marketing Research* 42(4); after Colombo & Jiang 1999).
///
/// Transaction values are Gamma(p, ν) with ν ~ Gamma(q, γ) across customers; for a customer with x repeat
/// transactions of mean value m̄,
///
///     f(m̄ | p, q, γ, x) = Γ(px+q) / (Γ(px)Γ(q)) · γ^q m̄^(px−1) x^(px) / (γ + x m̄)^(px+q),
///
/// and the conditional expected spend is `E[M | x, m̄] = p(γ + x m̄)/(px + q − 1)`, a weighted mean of the
/// population mean `pγ/(q−1)` and m̄. Only customers with x > 0 enter the fit.
public struct GammaGamma: Sendable, Equatable, Codable {
    /// Shape of transaction values.
    public var p: Double
    /// Shape of the scale heterogeneity.
    public var q: Double
    /// Rate of the scale heterogeneity (`gamma` in the papers' notation γ).
    public var gamma: Double

    /// `"gamma-gamma"`.
    public static let name = "gamma-gamma"
    /// `p, q, gamma`.
    public static let parameterNames = ["p", "q", "gamma"]
    /// `[p, q, gamma]`.
    public var parameters: [Double] { [p, q, gamma] }

    /// A model with the given parameters (all > 0).
    public init(p: Double, q: Double, gamma: Double) {
        self.p = p
        self.q = q
        self.gamma = gamma
    }

    /// Repeat buyers' frequencies and mean spends, grouped by frequency for the fit.
    public struct SpendData: Sendable {
        /// x > 0 of each repeat buyer (sorted by x, ties in input order).
        public let frequency: [Double]
        /// m̄ > 0 of each repeat buyer.
        public let meanSpend: [Double]
        /// `ln m̄`, precomputed.
        let logMeanSpend: [Double]
        /// Runs of equal frequency.
        let groups: [(x: Double, range: Range<Int>)]
        /// Index into ``groups`` of each buyer.
        let groupOfBuyer: [Int32]
        /// `Σ ln m̄` over buyers (a constant of the likelihood's data part).
        let sumLogSpend: Double

        /// Keeps the customers with x > 0 (and m̄ > 0).
        /// - Throws: ``CustomerValueError/insufficientData(model:reason:)`` when no customer has x > 0 and
        ///   m̄ > 0, or ``CustomerValueError/invalidCustomer(customer:reason:)`` for a repeat buyer with m̄ = 0
        ///   is not thrown: such customers carry no spend information and are skipped.
        public init(frequency: [Int], meanSpend: [Double]) throws(CustomerValueError) {
            precondition(frequency.count == meanSpend.count)
            // Stable counting sort of the repeat buyers by frequency (O(n + distinct x · log)).
            var counts: [Int: Int] = [:]
            for i in frequency.indices where frequency[i] > 0 && meanSpend[i] > 0 && meanSpend[i].isFinite {
                counts[frequency[i], default: 0] += 1
            }
            var next: [Int: Int] = [:]
            var offset = 0
            for x in counts.keys.sorted() {
                next[x] = offset
                offset += counts[x] ?? 0
            }
            var keep = [Int](repeating: 0, count: offset)
            for i in frequency.indices where frequency[i] > 0 && meanSpend[i] > 0 && meanSpend[i].isFinite {
                let slot = next[frequency[i]] ?? 0
                keep[slot] = i
                next[frequency[i]] = slot + 1
            }
            guard !keep.isEmpty else {
                throw .insufficientData(model: GammaGamma.name, reason: "no repeat buyers with a positive mean spend")
            }
            self.frequency = keep.map { Double(frequency[$0]) }
            self.meanSpend = keep.map { meanSpend[$0] }
            self.logMeanSpend = self.meanSpend.map { log($0) }
            var groups: [(Double, Range<Int>)] = []
            var start = 0
            while start < keep.count {
                var end = start + 1
                while end < keep.count && self.frequency[end] == self.frequency[start] { end += 1 }
                groups.append((self.frequency[start], start..<end))
                start = end
            }
            self.groups = groups
            var groupOf = [Int32](repeating: 0, count: keep.count)
            for (g, group) in groups.enumerated() {
                for i in group.1 { groupOf[i] = Int32(g) }
            }
            self.groupOfBuyer = groupOf
            self.sumLogSpend = self.logMeanSpend.reduce(0, +)
        }

        /// From a summary's frequency and monetary value.
        /// - Throws: as ``init(frequency:meanSpend:)``, and `insufficientData` when the summary has no monetary value.
        public init(_ summary: CustomerSummary) throws(CustomerValueError) {
            guard let m = summary.monetaryValue else {
                throw .insufficientData(model: GammaGamma.name, reason: "the summary has no monetary_value column")
            }
            try self.init(frequency: summary.frequency, meanSpend: m)
        }
    }

    /// Gamma-Gamma log-likelihood; `ln Γ(px+q) − ln Γ(px) + px ln x` once per distinct x.
    /// - Complexity: O(repeat buyers), one logarithm per buyer.
    public static func logLikelihood(_ params: [Dual], data: SpendData) -> Dual? {
        let p = params[0], q = params[1], g = params[2]
        let perCustomer = q * log(g) - logGamma(q)
        var total = Dual.zero
        var px = [Dual](repeating: .zero, count: data.groups.count)
        for (k, group) in data.groups.enumerated() {
            px[k] = p * group.x
            total += (logGamma(px[k] + q) - logGamma(px[k]) + px[k] * log(group.x) + perCustomer) * Double(group.range.count)
        }
        // Per buyer, ℓᵢ = px(ln m̄ − Lᵢ) − ln m̄ − q Lᵢ + (per-x terms), Lᵢ = ln(γ + x m̄). The data part reduces to
        // the sums Σ x(ln m̄ − Lᵢ), Σ Lᵢ, Σ x/(γ+x m̄), Σ 1/(γ+x m̄), accumulated in plain Doubles (one
        // logarithm and one division per buyer); the gradient is assembled from them by the chain rule.
        let gv = g.value
        let sums = ChunkedSum.sum(count: data.frequency.count) { range in
            var acc = SIMD4<Double>.zero
            for i in range {
                let x = data.frequency[i]
                let d = gv + x * data.meanSpend[i]
                let l = log(d), inv = 1 / d
                acc += SIMD4(x * (data.logMeanSpend[i] - l), l, x * inv, inv)
            }
            return Dual(0, gradient: acc)
        }.gradient
        let pv = p.value, qv = q.value
        let value = pv * sums[0] - data.sumLogSpend - qv * sums[1]
        let gradient = p.gradient * sums[0] - q.gradient * sums[1]
            - g.gradient * (pv * sums[2] + qv * sums[3])
        total += Dual(value, gradient: gradient)
        return total.value.isFinite ? total : nil
    }

    /// Fits p, q, γ by maximum likelihood (start: p = q = γ = 1... scaled so that the start mean spend matches).
    /// - Complexity: O(repeat buyers) per evaluation.
    public static func fit(_ data: SpendData, minimizer: BFGSMinimizer = BFGSMinimizer()) -> Fitted<GammaGamma> {
        let mean = data.meanSpend.reduce(0, +) / Double(data.meanSpend.count)
        // p·γ/(q−1) = mean at p = 1, q = 2: γ = mean.
        let fit = MaximumLikelihood.fit(
            model: name, names: parameterNames, start: [1, 2, max(mean, 1e-6)],
            observations: Double(data.frequency.count), minimizer: minimizer
        ) { p in logLikelihood(p, data: data) }
        return Fitted(model: GammaGamma(p: fit.parameters[0], q: fit.parameters[1], gamma: fit.parameters[2]), fit: fit)
    }

    /// `E[M | x, m̄] = p(γ + x m̄)/(px + q − 1)`; for x = 0 the population mean `pγ/(q − 1)`.
    /// Infinite when `q ≤ 1` and x = 0 (the population mean does not exist).
    public func expectedSpend(frequency x: Double, meanSpend m: Double) -> Double {
        let mm = x > 0 ? m : 0
        let d = p * x + q - 1
        return d > 0 ? p * (gamma + x * mm) / d : .infinity
    }
}

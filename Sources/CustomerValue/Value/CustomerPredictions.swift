/// Where the expected spend per purchase comes from.
public enum SpendModel: Sendable {
    /// Gamma-Gamma conditional expectation `E[M | x, m̄]` (needs the summary's monetary value).
    case gammaGamma(GammaGamma)
    /// The customer's observed mean repeat spend m̄ (0 for customers without repeat purchases).
    case observedMean
    /// The same spend for everyone (1 gives CLV in units of purchases).
    case constant(Double)
}

/// Per-customer predictions of a fitted purchase model (columnar, in the order of the summary).
public struct CustomerPredictions: Sendable, Equatable {
    /// `P(alive at T | x, tₓ, T)`.
    public var probabilityAlive: [Double]
    /// Expected purchases in (T, T+H].
    public var expectedPurchases: [Double]
    /// Expected spend per future purchase.
    public var expectedSpend: [Double]
    /// Discounted expected purchases in (T, T+H] (see ``Valuation``).
    public var discountedPurchases: [Double]
    /// `CLV = margin × expected spend × discounted expected purchases`.
    public var lifetimeValue: [Double]

    /// Predicts every customer of `summary`, evaluating the model once per distinct (x, tₓ, T) pattern.
    ///
    /// - Throws: ``CustomerValueError/insufficientData(model:reason:)`` when the spend model needs a monetary
    ///   value the summary lacks; ``CustomerValueError/predictionFailed(customer:reason:)`` naming a customer
    ///   whose hypergeometric series did not converge.
    /// - Complexity: O(patterns × quadrature nodes) model evaluations, in parallel, plus O(customers).
    public init<M: PurchaseModel>(
        model: M, summary: CustomerSummary, spend: SpendModel, valuation: Valuation, patterns: RepeatPatterns? = nil
    ) throws(CustomerValueError) {
        let patterns = patterns ?? RepeatPatterns(summary)
        precondition(patterns.patternOfCustomer.count == summary.count)
        let k = patterns.count
        var alive = [Double](repeating: 0, count: k), purchases = alive, discounted = alive
        var failures = [Bool](repeating: false, count: k)
        alive.withUnsafeMutableBufferPointer { pa in
            purchases.withUnsafeMutableBufferPointer { pp in
                discounted.withUnsafeMutableBufferPointer { pd in
                    failures.withUnsafeMutableBufferPointer { pf in
                        nonisolated(unsafe) let (a, p, d, f) = (pa, pp, pd, pf)
                        ChunkedSum.forEach(count: k) { range in
                            for i in range {
                                let x = patterns.frequency[i], tx = patterns.recency[i], T = patterns.age[i]
                                a[i] = model.probabilityAlive(frequency: x, recency: tx, age: T)
                                guard a[i].isFinite,
                                    let e = model.expectedPurchases(
                                        valuation.horizon, frequency: x, recency: tx, age: T, probabilityAlive: a[i]),
                                    let dep = valuation.discountedExpectedPurchases(model, frequency: x, recency: tx, age: T),
                                    a[i].isFinite, e.isFinite, dep.isFinite
                                else {
                                    f[i] = true
                                    continue
                                }
                                p[i] = e
                                d[i] = dep
                            }
                        }
                    }
                }
            }
        }
        if let bad = failures.firstIndex(of: true) {
            let customer = patterns.patternOfCustomer.firstIndex(of: Int32(bad)).map { summary.customerIDs[$0] } ?? "?"
            throw .predictionFailed(
                customer: customer, reason: "\(M.name) prediction did not converge (x \(patterns.frequency[bad]), tₓ \(patterns.recency[bad]), T \(patterns.age[bad]))")
        }
        let n = summary.count
        var spendValues = [Double](repeating: 0, count: n)
        switch spend {
        case .constant(let c):
            for i in 0..<n { spendValues[i] = c }
        case .observedMean, .gammaGamma:
            guard let m = summary.monetaryValue else {
                throw .insufficientData(model: "spend", reason: "the summary has no monetary value")
            }
            if case .gammaGamma(let gg) = spend {
                for i in 0..<n { spendValues[i] = gg.expectedSpend(frequency: Double(summary.frequency[i]), meanSpend: m[i]) }
            } else {
                spendValues = m
            }
        }
        probabilityAlive = patterns.perCustomer(alive)
        expectedPurchases = patterns.perCustomer(purchases)
        let dep = patterns.perCustomer(discounted)
        discountedPurchases = dep
        expectedSpend = spendValues
        let margin = valuation.margin
        lifetimeValue = (0..<n).map { margin * spendValues[$0] * dep[$0] }
    }
}

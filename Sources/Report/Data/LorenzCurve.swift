/// The Lorenz curve of customer value: customers sorted from least to most valuable, `L(p)` = share of the
/// total value held by the poorest fraction `p` of customers (Lorenz, "Methods of measuring the concentration
/// of wealth", JASA 9(70), 1905). It is convex, runs from (0, 0) to (1, 1), and `1 − L(1 − x)` is the share
/// held by the top `x` of customers.
///
/// Only ``points`` (at most a few hundred) are kept, never one point per customer; the Gini coefficient
/// `G = 1 − 2∫L` is computed exactly from all values (Gini 1912; the sorted-sum form
/// `G = (2 Σ i·vᵢ)/(n Σ vᵢ) − (n + 1)/n`, vᵢ ascending, i = 1…n).
public struct LorenzCurve: Sendable, Equatable {
    /// `(p, L(p))` at `p = j/m`, `j = 0…m`, with L evaluated exactly at the customer boundary `⌊p·n⌋`.
    public var points: [(p: Double, share: Double)]
    /// The Gini coefficient in [0, 1] (for non-negative values).
    public var gini: Double
    /// Number of customers.
    public var count: Int
    /// Σ values.
    public var total: Double
    /// Share of value held by the top 1 %, 10 % and 20 % of customers (the `⌈f·n⌉` most valuable; exact, from all
    /// values).
    public var topShares: [(fraction: Double, share: Double)]

    /// Equality of all stored numbers.
    public static func == (a: LorenzCurve, b: LorenzCurve) -> Bool {
        a.gini == b.gini && a.count == b.count && a.total == b.total
            && a.points.map(\.p) == b.points.map(\.p) && a.points.map(\.share) == b.points.map(\.share)
            && a.topShares.map(\.fraction) == b.topShares.map(\.fraction) && a.topShares.map(\.share) == b.topShares.map(\.share)
    }

    /// The number of customers in the top fraction `f` of `n`: `⌈f·n⌉` (at least one customer).
    static func topCount(_ n: Int, _ f: Double) -> Int { min(n, max(1, Int((Double(n) * f - 1e-9).rounded(.up)))) }

    /// The curve of `values` sampled at `samples + 1` points; nil when there are no values or their sum is
    /// not positive.
    /// - Complexity: O(N log N) (one sort of a copy).
    public init?(_ values: [Double], samples: Int = 200) {
        let n = values.count
        guard n > 0 else { return nil }
        let sorted = values.sorted()
        var cumulative = 0.0
        var weighted = 0.0
        // Prefix sums only at the sample boundaries and the top-share boundaries.
        let m = max(1, min(samples, n))
        let tops = [0.01, 0.1, 0.2]
        var boundaries: [Int] = (0...m).map { j in Int((Double(j) * Double(n) / Double(m)).rounded(.down)) }
        boundaries += tops.map { n - LorenzCurve.topCount(n, $0) }
        var wanted = Array(Set(boundaries)).sorted()
        var prefix: [Int: Double] = [:]
        var w = 0
        if w < wanted.count && wanted[w] == 0 { prefix[0] = 0; w += 1 }
        for i in 0..<n {
            cumulative += sorted[i]
            weighted += Double(i + 1) * sorted[i]
            while w < wanted.count && wanted[w] == i + 1 {
                prefix[i + 1] = cumulative
                w += 1
            }
        }
        wanted.removeAll()
        guard cumulative > 0 && cumulative.isFinite else { return nil }
        total = cumulative
        count = n
        points = (0...m).map { j in
            let b = Int((Double(j) * Double(n) / Double(m)).rounded(.down))
            return (p: Double(j) / Double(m), share: j == m ? 1 : (prefix[b] ?? 0) / cumulative)
        }
        gini = 2 * weighted / (Double(n) * cumulative) - Double(n + 1) / Double(n)
        topShares = tops.map { f in
            let b = n - LorenzCurve.topCount(n, f)
            return (fraction: f, share: 1 - (prefix[b] ?? 0) / cumulative)
        }
    }
}

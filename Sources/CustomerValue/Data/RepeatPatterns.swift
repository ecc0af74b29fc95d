/// Customers compressed to distinct `(x, tₓ, T)` patterns with weights, grouped by frequency.
///
/// The BG/NBD, MBG/NBD and Pareto/NBD likelihoods and predictions depend on a customer only through
/// `(x, tₓ, T)`, so they are evaluated once per pattern and weighted by its count. Patterns are sorted by
/// `(x, tₓ, T)`; the terms that depend on `x` alone (the `ln Γ` terms) are evaluated once per distinct `x`
/// (``frequencyGroups``). Cohort data (everyone has the same T, times in whole weeks or days) compress by
/// one to three orders of magnitude.
public struct RepeatPatterns: Sendable, Equatable {
    /// x of each pattern (as a Double; integer valued).
    public let frequency: [Double]
    /// tₓ of each pattern.
    public let recency: [Double]
    /// T of each pattern.
    public let age: [Double]
    /// Number of customers with the pattern (or a supplied weight).
    public let weight: [Double]
    /// For each customer of the source summary, the index of its pattern (empty when built from weights).
    public let patternOfCustomer: [Int32]
    /// Distinct frequencies with the contiguous range of their patterns and the total weight.
    public let frequencyGroups: [FrequencyGroup]

    /// A run of patterns sharing the frequency x.
    public struct FrequencyGroup: Sendable, Equatable {
        /// The shared frequency.
        public let frequency: Double
        /// Pattern indices.
        public let patterns: Range<Int>
        /// Sum of the patterns' weights.
        public let weight: Double
    }

    /// Total weight (number of customers).
    public var totalWeight: Double { frequencyGroups.reduce(0) { $0 + $1.weight } }
    /// Number of distinct patterns.
    public var count: Int { frequency.count }

    /// Compresses a summary.
    /// - Complexity: O(n log n) for the sort; memory O(n) for the customer → pattern map.
    public init(_ summary: CustomerSummary) {
        let n = summary.count
        let order = (0..<n).sorted { i, j in
            let xi = summary.frequency[i], xj = summary.frequency[j]
            if xi != xj { return xi < xj }
            if summary.recency[i] != summary.recency[j] { return summary.recency[i] < summary.recency[j] }
            if summary.age[i] != summary.age[j] { return summary.age[i] < summary.age[j] }
            return i < j
        }
        var f: [Double] = [], r: [Double] = [], a: [Double] = [], w: [Double] = []
        var map = [Int32](repeating: 0, count: n)
        for i in order {
            let x = Double(summary.frequency[i]), tx = summary.recency[i], t = summary.age[i]
            if let last = f.indices.last, f[last] == x, r[last] == tx, a[last] == t {
                w[last] += 1
            } else {
                f.append(x)
                r.append(tx)
                a.append(t)
                w.append(1)
            }
            map[i] = Int32(f.count - 1)
        }
        self.init(frequency: f, recency: r, age: a, weight: w, map: map)
    }

    /// Patterns given directly with weights (e.g. a published table of counts). Identical patterns are merged.
    ///
    /// - Precondition: equal lengths, weights > 0, `0 ≤ tₓ ≤ T`.
    public init(frequency: [Int], recency: [Double], age: [Double], weight: [Double]) {
        precondition(frequency.count == recency.count && recency.count == age.count && age.count == weight.count)
        let order = frequency.indices.sorted {
            (frequency[$0], recency[$0], age[$0], $0) < (frequency[$1], recency[$1], age[$1], $1)
        }
        var f: [Double] = [], r: [Double] = [], a: [Double] = [], w: [Double] = []
        for i in order {
            precondition(weight[i] > 0 && recency[i] >= 0 && recency[i] <= age[i])
            let x = Double(frequency[i])
            if let last = f.indices.last, f[last] == x, r[last] == recency[i], a[last] == age[i] {
                w[last] += weight[i]
            } else {
                f.append(x)
                r.append(recency[i])
                a.append(age[i])
                w.append(weight[i])
            }
        }
        self.init(frequency: f, recency: r, age: a, weight: w, map: [])
    }

    private init(frequency f: [Double], recency r: [Double], age a: [Double], weight w: [Double], map: [Int32]) {
        var groups: [FrequencyGroup] = []
        var start = 0
        while start < f.count {
            var end = start
            var total = 0.0
            while end < f.count && f[end] == f[start] {
                total += w[end]
                end += 1
            }
            groups.append(FrequencyGroup(frequency: f[start], patterns: start..<end, weight: total))
            start = end
        }
        self.frequency = f
        self.recency = r
        self.age = a
        self.weight = w
        self.patternOfCustomer = map
        self.frequencyGroups = groups
    }

    /// Expands per-pattern values to per-customer values with ``patternOfCustomer``.
    public func perCustomer(_ values: [Double]) -> [Double] {
        precondition(values.count == count)
        return patternOfCustomer.map { values[Int($0)] }
    }
}

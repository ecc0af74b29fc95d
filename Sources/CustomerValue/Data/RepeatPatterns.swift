/// Customers compressed to distinct `(x, tₓ, T)` patterns with weights, grouped by frequency.
///
/// The BG/NBD, MBG/NBD and Pareto/NBD likelihoods and predictions depend on a customer only through
/// `(x, tₓ, T)`, so they are evaluated once per pattern and weighted by its count. Patterns are sorted by
/// `(x, tₓ, T)`; the terms that depend on `x` alone (the `ln Γ` terms) are evaluated once per distinct `x`
/// (``frequencyGroups``). Cohort data (everyone has the same T, times in whole weeks or days) compress by
/// one to three orders of magnitude.
public struct RepeatPatterns: Sendable {
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
    /// Index into ``frequencyGroups`` of each pattern.
    public let groupOfPattern: [Int32]
    /// Distinct values of T, increasing; ``ageLevel`` indexes it per pattern. Times measured in whole days take
    /// few distinct values, so `ln(α+T)` is evaluated once per level instead of once per pattern.
    public let ageLevels: [Double]
    /// Index into ``ageLevels`` of each pattern.
    public let ageLevel: [Int32]
    /// Distinct values of tₓ, increasing.
    public let recencyLevels: [Double]
    /// Index into ``recencyLevels`` of each pattern.
    public let recencyLevel: [Int32]
    /// Distinct (frequency group, recency level) pairs; terms of the Pareto/NBD likelihood that depend on
    /// (x, tₓ) only are evaluated once per pair.
    public let recencyPairs: [(group: Int32, level: Int32)]
    /// Index into ``recencyPairs`` of each pattern.
    public let recencyPair: [Int32]
    /// Distinct (frequency group, age level) pairs.
    public let agePairs: [(group: Int32, level: Int32)]
    /// Index into ``agePairs`` of each pattern.
    public let agePair: [Int32]

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
    /// - Complexity: O(n) hashing plus O(k log k) for sorting the k distinct patterns; memory O(n) for the
    ///   customer → pattern map.
    public init(_ summary: CustomerSummary) {
        // Hash the (x, tₓ, T) triples to distinct patterns (O(n)), sort only the distinct ones, then renumber.
        // An open-addressing table on the values' bits with a multiply-xorshift mix: a million customers cost 0.1 s
        // of CPU in `Dictionary`'s seeded SipHash, a few milliseconds here (perf, `capm run` on 1M customers).
        struct Key {
            let x: Int
            let tx: Double
            let t: Double
        }
        func mix(_ key: Key) -> Int {
            // `+ 0` turns −0 into +0 so equal values have equal bits (tₓ and T are never NaN: built from days).
            var h = UInt64(bitPattern: Int64(key.x)) &* 0x9E37_79B9_7F4A_7C15
            h ^= (key.tx + 0).bitPattern &* 0xC2B2_AE3D_27D4_EB4F
            h ^= (key.t + 0).bitPattern &* 0x1656_67B1_9E37_79F9
            h ^= h >> 29
            h = h &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 32
            return Int(truncatingIfNeeded: h)
        }
        let n = summary.count
        var table = [Int32](repeating: -1, count: 1 << 12)
        var keys: [Key] = []
        var counts: [Double] = []
        var first = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            let key = Key(x: summary.frequency[i], tx: summary.recency[i], t: summary.age[i])
            let mask = table.count - 1
            var slot = mix(key) & mask
            var found: Int32 = -1
            while table[slot] >= 0 {
                let k = keys[Int(table[slot])]
                if k.x == key.x && k.tx == key.tx && k.t == key.t {
                    found = table[slot]
                    break
                }
                slot = (slot + 1) & mask
            }
            if found >= 0 {
                first[i] = found
                counts[Int(found)] += 1
                continue
            }
            let k = Int32(keys.count)
            table[slot] = k
            keys.append(key)
            counts.append(1)
            first[i] = k
            if 2 * keys.count > table.count {
                // Grow to keep the load under one half.
                table = [Int32](repeating: -1, count: table.count * 2)
                let bigger = table.count - 1
                for (c, key) in keys.enumerated() {
                    var s = mix(key) & bigger
                    while table[s] >= 0 { s = (s + 1) & bigger }
                    table[s] = Int32(c)
                }
            }
        }
        let order = keys.indices.sorted { (keys[$0].x, keys[$0].tx, keys[$0].t) < (keys[$1].x, keys[$1].tx, keys[$1].t) }
        var rank = [Int32](repeating: 0, count: keys.count)
        for (r, k) in order.enumerated() { rank[k] = Int32(r) }
        let map = first.map { rank[Int($0)] }
        self.init(
            frequency: order.map { Double(keys[$0].x) }, recency: order.map { keys[$0].tx }, age: order.map { keys[$0].t },
            weight: order.map { counts[$0] }, map: map)
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
        var groupOf = [Int32](repeating: 0, count: f.count)
        for (g, group) in groups.enumerated() {
            for i in group.patterns { groupOf[i] = Int32(g) }
        }
        self.groupOfPattern = groupOf
        (self.ageLevels, self.ageLevel) = Self.levels(a)
        (self.recencyLevels, self.recencyLevel) = Self.levels(r)
        (self.recencyPairs, self.recencyPair) = Self.pairs(groupOf, recencyLevel)
        (self.agePairs, self.agePair) = Self.pairs(groupOf, ageLevel)
    }

    /// Distinct (group, level) pairs in order of first appearance, and the pair index of each pattern.
    private static func pairs(_ groups: [Int32], _ levels: [Int32]) -> ([(group: Int32, level: Int32)], [Int32]) {
        var index: [Int64: Int32] = [:]
        var list: [(group: Int32, level: Int32)] = []
        var of = [Int32](repeating: 0, count: groups.count)
        for i in groups.indices {
            let key = Int64(groups[i]) << 32 | Int64(levels[i])
            if let k = index[key] {
                of[i] = k
            } else {
                let k = Int32(list.count)
                index[key] = k
                list.append((groups[i], levels[i]))
                of[i] = k
            }
        }
        return (list, of)
    }

    /// Distinct sorted values and the index of each value among them.
    private static func levels(_ values: [Double]) -> ([Double], [Int32]) {
        let distinct = Array(Set(values)).sorted()
        var position: [Double: Int32] = [:]
        position.reserveCapacity(distinct.count)
        for (i, v) in distinct.enumerated() { position[v] = Int32(i) }
        return (distinct, values.map { position[$0] ?? 0 })
    }

    /// `f(level)` for every level (used for `ln(α + T)` on dual numbers; levels are few, so sequential).
    static func mapLevels(_ levels: [Double], _ f: (Double) -> Dual) -> [Dual] {
        levels.map(f)
    }

    /// Expands per-pattern values to per-customer values with ``patternOfCustomer``.
    public func perCustomer(_ values: [Double]) -> [Double] {
        precondition(values.count == count)
        return patternOfCustomer.map { values[Int($0)] }
    }
}

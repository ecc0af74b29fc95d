/// The portfolio label of a segment, from its value and its risk (CAPM's value × risk grid).
public enum SegmentLabel: String, Sendable, Codable, CaseIterable {
    /// High value, high probability of being alive: retain and develop.
    case champions
    /// High value, low probability of being alive: the value is at risk, win back.
    case atRisk = "at_risk"
    /// Low value, high probability of being alive: grow.
    case promising
    /// Low value, low probability of being alive: minimal spend.
    case dormant
}

/// The per-customer columns a segment profile summarises: a generic table, independent of how the values were
/// estimated (any lifetime-value model's output works).
public struct CustomerColumns: Sendable {
    /// Customer lifetime value per customer (required).
    public var clv: [Double]
    /// Probability that the customer is still alive, in [0, 1] (needed for labels).
    public var pAlive: [Double]?
    /// Further numeric columns to average per segment (e.g. `frequency`, `recency`, `T`, `monetary`), by name.
    public var numeric: [(name: String, values: [Double])]

    /// A table of per-customer columns.
    public init(clv: [Double], pAlive: [Double]? = nil, numeric: [(name: String, values: [Double])] = []) {
        self.clv = clv
        self.pAlive = pAlive
        self.numeric = numeric
    }
}

/// The thresholds that turn a segment's value and risk into a ``SegmentLabel``.
///
/// A segment is *high value* when its mean CLV ≥ ``valueFactor`` × the portfolio reference CLV, and *likely alive*
/// when its mean P(alive) ≥ ``aliveFactor`` × the portfolio reference P(alive) (or ≥ an absolute threshold).
/// Then: high & alive → champions, high & not → at risk, low & alive → promising, low & not → dormant.
/// Defaults: references are the portfolio means (P(alive) weighted by CLV, so it reflects where the value
/// sits), factors 1.
public struct LabelRule: Sendable, Codable, Equatable {
    /// What a segment statistic is compared with.
    public enum Reference: Sendable, Codable, Equatable {
        /// The portfolio mean over customers.
        case mean
        /// The portfolio median over customers.
        case median
        /// The CLV-weighted portfolio mean Σ clvᵢ·vᵢ / Σ clvᵢ (falls back to the mean when Σ clv = 0).
        case clvWeightedMean
        /// A fixed threshold (the factor is ignored).
        case absolute(Double)
    }

    /// Reference for the segment's mean CLV.
    public var valueReference: Reference
    /// Multiplier of the value reference.
    public var valueFactor: Double
    /// Reference for the segment's mean P(alive).
    public var aliveReference: Reference
    /// Multiplier of the P(alive) reference.
    public var aliveFactor: Double

    /// A rule; the defaults compare with the portfolio mean CLV and the CLV-weighted mean P(alive).
    public init(
        valueReference: Reference = .mean, valueFactor: Double = 1, aliveReference: Reference = .clvWeightedMean,
        aliveFactor: Double = 1
    ) {
        self.valueReference = valueReference
        self.valueFactor = valueFactor
        self.aliveReference = aliveReference
        self.aliveFactor = aliveFactor
    }

    /// The threshold for the values `values` (weights `clv` for the CLV-weighted mean).
    func threshold(_ reference: Reference, factor: Double, values: [Double], clv: [Double]) -> Double {
        switch reference {
        case .absolute(let t): return t
        case .mean: return factor * values.reduce(0, +) / Double(values.count)
        case .median: return factor * SegmentProfile.median(values)
        case .clvWeightedMean:
            let total = clv.reduce(0, +)
            if !(total > 0) { return factor * values.reduce(0, +) / Double(values.count) }
            var s = 0.0
            for i in values.indices { s += clv[i] * values[i] }
            return factor * s / total
        }
    }
}

/// The CAPM summary of one segment: its size, its share of customers and of value, value and risk statistics,
/// the means of the other numeric columns, and its portfolio label.
public struct SegmentProfile: Sendable, Codable, Equatable {
    /// Segment index (the k-means cluster).
    public let segment: Int
    /// Portfolio label (nil without P(alive)).
    public let label: SegmentLabel?
    /// Number of customers.
    public let size: Int
    /// size / N.
    public let customerShare: Double
    /// Σ segment CLV / Σ portfolio CLV (0 when the portfolio CLV is 0).
    public let clvShare: Double
    /// Mean CLV in the segment.
    public let meanCLV: Double
    /// Median CLV in the segment.
    public let medianCLV: Double
    /// Total CLV in the segment.
    public let totalCLV: Double
    /// Mean P(alive) in the segment.
    public let meanPAlive: Double?
    /// Means of the other numeric columns, in the order given.
    public let means: [NamedValue]

    /// A named number (keeps JSON key order stable).
    public struct NamedValue: Sendable, Codable, Equatable {
        /// Column name.
        public let name: String
        /// Value.
        public let value: Double
    }

    /// The profiles of segments `0..<k` for customers with `labels`.
    ///
    /// - Throws: ``SegmentationError/lengthMismatch(what:expected:actual:)`` when a column's length differs from
    ///   the number of labels; ``SegmentationError/invalidParameter(name:value:reason:)`` for a label outside
    ///   0..<k or a P(alive) outside [0, 1]; ``SegmentationError/nonFiniteValue(row:column:value:)`` for NaN.
    /// - Complexity: O(N·(columns)) expected (medians by selection).
    public static func profiles(
        labels: [Int32], clusterCount k: Int, customers: CustomerColumns, rule: LabelRule = LabelRule()
    ) throws(SegmentationError) -> [SegmentProfile] {
        let n = labels.count
        if n == 0 { throw .noPoints }
        if customers.clv.count != n { throw .lengthMismatch(what: "clv", expected: n, actual: customers.clv.count) }
        if let p = customers.pAlive {
            if p.count != n { throw .lengthMismatch(what: "p_alive", expected: n, actual: p.count) }
            if let bad = p.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
                throw .invalidParameter(name: "p_alive", value: "\(p[bad]) at row \(bad)", reason: "must be in [0, 1]")
            }
        }
        for column in customers.numeric where column.values.count != n {
            throw .lengthMismatch(what: column.name, expected: n, actual: column.values.count)
        }
        if let bad = customers.clv.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteValue(row: bad, column: 0, value: customers.clv[bad])
        }
        if let bad = labels.firstIndex(where: { $0 < 0 || Int($0) >= k }) {
            throw .invalidParameter(name: "label", value: "\(labels[bad]) at row \(bad)", reason: "must be in 0..<\(k)")
        }
        // One pass in row order: per segment its size, sums (in row order, as a per-segment loop would add them) and
        // CLV values for the median — sequential reads of every column instead of a gather per segment.
        let columns = customers.numeric.count
        var sizes = [Int](repeating: 0, count: k)
        for label in labels { sizes[Int(label)] += 1 }
        var clvOf = sizes.map { size -> [Double] in
            var values: [Double] = []
            values.reserveCapacity(size)
            return values
        }
        var clvSum = [Double](repeating: 0, count: k)
        var pAliveSum = [Double](repeating: 0, count: k)
        var sums = [Double](repeating: 0, count: k * columns)
        for i in 0..<n {
            let c = Int(labels[i])
            clvOf[c].append(customers.clv[i])
            clvSum[c] += customers.clv[i]
            if let p = customers.pAlive { pAliveSum[c] += p[i] }
        }
        for (j, column) in customers.numeric.enumerated() {
            for i in 0..<n { sums[Int(labels[i]) * columns + j] += column.values[i] }
        }
        let totalCLV = customers.clv.reduce(0, +)
        let valueThreshold = rule.threshold(
            rule.valueReference, factor: rule.valueFactor, values: customers.clv, clv: customers.clv)
        let aliveThreshold = customers.pAlive.map {
            rule.threshold(rule.aliveReference, factor: rule.aliveFactor, values: $0, clv: customers.clv)
        }
        return (0..<k).map { c in
            let size = sizes[c]
            let total = clvSum[c]
            let mean = size == 0 ? 0 : total / Double(size)
            let pAlive = customers.pAlive.map { _ in size == 0 ? 0 : pAliveSum[c] / Double(size) }
            var label: SegmentLabel?
            if let pAlive, let aliveThreshold, size > 0 {
                let high = mean >= valueThreshold
                let alive = pAlive >= aliveThreshold
                label = high ? (alive ? .champions : .atRisk) : (alive ? .promising : .dormant)
            }
            let means = customers.numeric.enumerated().map { (j, column) in
                NamedValue(name: column.name, value: size == 0 ? 0 : sums[c * columns + j] / Double(size))
            }
            return SegmentProfile(
                segment: c, label: label, size: size, customerShare: Double(size) / Double(n),
                clvShare: totalCLV != 0 ? total / totalCLV : 0, meanCLV: mean,
                medianCLV: size == 0 ? 0 : median(clvOf[c]), totalCLV: total, meanPAlive: pAlive, means: means)
        }
    }

    /// The median (mean of the two middle values for an even count), by selection rather than a full sort.
    /// - Complexity: O(n) expected (``OrderStatistics/select(_:rank:)``).
    static func median(_ values: [Double]) -> Double {
        if values.isEmpty { return 0 }
        var work = values
        let m = work.count / 2
        let upper = OrderStatistics.select(&work, rank: m)
        guard work.count % 2 == 0 else { return upper }
        // After selecting rank m, the lower middle value is the largest of the elements before it.
        let lower = work[0..<m].max() ?? upper
        return (lower + upper) / 2
    }
}

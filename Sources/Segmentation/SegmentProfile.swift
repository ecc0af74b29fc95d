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
    /// - Complexity: O(N·(columns) + N log N) (medians).
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
        var members = [[Int]](repeating: [], count: k)
        for i in 0..<n { members[Int(labels[i])].append(i) }
        let totalCLV = customers.clv.reduce(0, +)
        let valueThreshold = rule.threshold(
            rule.valueReference, factor: rule.valueFactor, values: customers.clv, clv: customers.clv)
        let aliveThreshold = customers.pAlive.map {
            rule.threshold(rule.aliveReference, factor: rule.aliveFactor, values: $0, clv: customers.clv)
        }
        return (0..<k).map { c in
            let rows = members[c]
            let clv = rows.map { customers.clv[$0] }
            let total = clv.reduce(0, +)
            let mean = rows.isEmpty ? 0 : total / Double(rows.count)
            let pAlive = customers.pAlive.map { p in
                rows.isEmpty ? 0 : rows.reduce(0.0) { $0 + p[$1] } / Double(rows.count)
            }
            var label: SegmentLabel?
            if let pAlive, let aliveThreshold, !rows.isEmpty {
                let high = mean >= valueThreshold
                let alive = pAlive >= aliveThreshold
                label = high ? (alive ? .champions : .atRisk) : (alive ? .promising : .dormant)
            }
            let means = customers.numeric.map { column in
                NamedValue(
                    name: column.name,
                    value: rows.isEmpty ? 0 : rows.reduce(0.0) { $0 + column.values[$1] } / Double(rows.count))
            }
            return SegmentProfile(
                segment: c, label: label, size: rows.count, customerShare: Double(rows.count) / Double(n),
                clvShare: totalCLV != 0 ? total / totalCLV : 0, meanCLV: mean,
                medianCLV: rows.isEmpty ? 0 : median(clv), totalCLV: total, meanPAlive: pAlive, means: means)
        }
    }

    /// The median (mean of the two middle values for an even count).
    static func median(_ values: [Double]) -> Double {
        if values.isEmpty { return 0 }
        let sorted = values.sorted()
        let m = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2
    }
}

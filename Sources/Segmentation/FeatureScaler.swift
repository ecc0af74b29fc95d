import Foundation

/// Per-column feature scaling, fitted on the customers being segmented and stored with the model, so new
/// customers are mapped into the same space before assignment.
///
/// Each column j is transformed as zⱼ = (t(xⱼ) − centreⱼ) / scaleⱼ, where t is `log1p` (ln(1 + x), for skewed
/// money and count columns) for the chosen columns and the identity otherwise:
/// - ``Method/zscore``: centre = mean, scale = population standard deviation (scikit-learn's `StandardScaler`);
/// - ``Method/robust``: centre = median, scale = interquartile range q₇₅ − q₂₅ with linear interpolation between
///   order statistics (NumPy's default percentile, scikit-learn's `RobustScaler`); when the IQR is zero but the
///   column is not constant (zero-inflated counts), the standard deviation is used instead;
/// - ``Method/none``: centre 0, scale 1 (only `log1p` applies).
public struct FeatureScaler: Sendable, Equatable, Codable {
    /// How columns are centred and scaled.
    public enum Method: String, Sendable, Codable, CaseIterable {
        /// Mean and population standard deviation.
        case zscore
        /// Median and interquartile range.
        case robust
        /// No centring or scaling.
        case none
    }

    /// The scaling method.
    public let method: Method
    /// Column names, in feature order.
    public let names: [String]
    /// Whether `log1p` is applied to each column before centring.
    public let log1p: [Bool]
    /// Centre of each (transformed) column.
    public let centers: [Double]
    /// Scale of each (transformed) column, > 0.
    public let scales: [Double]

    /// Fits a scaler to the columns of `data`.
    ///
    /// - Parameters:
    ///   - names: one name per column (used in errors and stored with the model).
    ///   - logColumns: names of the columns to pass through `log1p` first.
    /// - Throws: ``SegmentationError/unknownColumn(name:available:)`` for a `logColumns` name not in `names`,
    ///   ``SegmentationError/logOfInvalidValue(row:column:name:value:)`` for a value ≤ −1 in a log column,
    ///   ``SegmentationError/constantColumn(column:name:)`` when a column has zero spread (z-score, robust).
    /// - Complexity: O(N·d) for z-score, O(N log N · d) for robust (a sort per column).
    public static func fit(
        _ data: FeatureMatrix, names: [String], method: Method, logColumns: Set<String> = []
    ) throws(SegmentationError) -> FeatureScaler {
        guard names.count == data.columns else {
            throw .lengthMismatch(what: "feature names", expected: data.columns, actual: names.count)
        }
        for name in logColumns.sorted() where !names.contains(name) {
            throw .unknownColumn(name: name, available: names)
        }
        let logFlags = names.map { logColumns.contains($0) }
        var centers: [Double] = []
        var scales: [Double] = []
        // z-score: the plain columns' moments in two row-major passes (a column copy per feature read the whole
        // matrix once per column); log columns keep their column copy, whose log1p runs once, in parallel.
        let moments = method == .zscore ? rowMajorMoments(data, columns: logFlags.map { !$0 }) : []
        for j in 0..<data.columns {
            switch method {
            case .none:
                // Nothing to estimate; a log column's domain is still checked here, as for the other methods.
                if logFlags[j] { _ = try transformedColumn(data, j, log: true, name: names[j]) }
                centers.append(0)
                scales.append(1)
            case .zscore:
                let (mean, sd) =
                    logFlags[j]
                    ? meanAndDeviation(try transformedColumn(data, j, log: true, name: names[j])) : moments[j]
                if !(sd > 0) { throw .constantColumn(column: j, name: names[j]) }
                if !sd.isFinite || !mean.isFinite { throw .valuesOverflow(column: j, name: names[j]) }
                centers.append(mean)
                scales.append(sd)
            case .robust:
                let column = try transformedColumn(data, j, log: logFlags[j], name: names[j])
                let sorted = column.sorted()
                let iqr = percentile(sorted, 0.75) - percentile(sorted, 0.25)
                if !(sorted[sorted.count - 1] > sorted[0]) { throw .constantColumn(column: j, name: names[j]) }
                let scale = iqr > 0 ? iqr : meanAndDeviation(column).deviation
                if !scale.isFinite { throw .valuesOverflow(column: j, name: names[j]) }
                centers.append(percentile(sorted, 0.5))
                scales.append(scale)
            }
        }
        return FeatureScaler(method: method, names: names, log1p: logFlags, centers: centers, scales: scales)
    }

    /// A scaler from stored parameters (e.g. a decoded model).
    public init(method: Method, names: [String], log1p: [Bool], centers: [Double], scales: [Double]) {
        self.method = method
        self.names = names
        self.log1p = log1p
        self.centers = centers
        self.scales = scales
    }

    /// Checks that the stored parameters are consistent: one name, flag, centre and scale per column, finite
    /// centres and positive finite scales (a decoded model file could hold anything).
    public func validate() throws(SegmentationError) {
        let d = names.count
        for (what, count) in [("log1p flags", log1p.count), ("centres", centers.count), ("scales", scales.count)]
        where count != d {
            throw .lengthMismatch(what: "scaler \(what)", expected: d, actual: count)
        }
        for j in 0..<d where !centers[j].isFinite || !(scales[j] > 0) || !scales[j].isFinite {
            throw .invalidParameter(
                name: "scaler column '\(names[j])'", value: "centre \(centers[j]), scale \(scales[j])",
                reason: "centre must be finite and scale positive")
        }
    }

    /// Whether the scaler leaves values unchanged (method `none`, no log1p column).
    public var isIdentity: Bool {
        !log1p.contains(true) && centers.allSatisfy { $0 == 0 } && scales.allSatisfy { $0 == 1 }
    }

    /// The scaled features z = (t(x) − centre) / scale; `data` itself (no copy) when ``isIdentity``.
    ///
    /// `data` is consumed: when the caller passes its last use of the matrix (or `consume`s it), the elements are
    /// scaled in place and no second N × d buffer is allocated (1M × 32: 256 MB less at peak); otherwise Swift's
    /// copy-on-write makes one copy first, as a non-consuming transform would.
    ///
    /// - Throws: ``SegmentationError/lengthMismatch(what:expected:actual:)`` for a different column count,
    ///   ``SegmentationError/logOfInvalidValue(row:column:name:value:)`` for a value ≤ −1 in a log column,
    ///   ``SegmentationError/nonFiniteValue(row:column:value:)`` for a scaled value that overflows (the first such
    ///   element in row order).
    /// - Complexity: O(N·d), in parallel over fixed row chunks.
    public func transform(_ data: consuming FeatureMatrix) throws(SegmentationError) -> FeatureMatrix {
        guard data.columns == names.count else {
            throw .lengthMismatch(what: "feature columns", expected: names.count, actual: data.columns)
        }
        try validate()
        if isIdentity { return data }
        let d = data.columns
        // Element-wise, so in parallel over fixed row chunks (identical results for any thread count). A chunk stops
        // at its first value outside log1p's domain or whose scaled value is not finite, leaving that element as it
        // was, and the earliest such element over all chunks is thrown (with its input value for log1p's domain,
        // its scaled value when that overflows).
        let partition = ChunkPartition(rows: data.rows, maximumChunks: max(1, data.rows / 32_768))
        var firstBad = [Int](repeating: Int.max, count: partition.count)
        let (log1p, centers, scales) = (self.log1p, self.centers, self.scales)
        data.elements.withUnsafeMutableBufferPointer { o in
            firstBad.withUnsafeMutableBufferPointer { b in
                let (values, bad) = (SharedPointer(base: o.start), SharedPointer(base: b.start))
                partition.forEach(threads: ProcessInfo.processInfo.activeProcessorCount) { c in
                    rows: for i in partition.range(c) {
                        for j in 0..<d {
                            var v = values.base[i * d + j]
                            if log1p[j] {
                                if !(v > -1) {
                                    bad.base[c] = i * d + j
                                    break rows
                                }
                                v = Foundation.log1p(v)
                            }
                            let z = (v - centers[j]) / scales[j]
                            if !z.isFinite {
                                bad.base[c] = i * d + j
                                break rows
                            }
                            values.base[i * d + j] = z
                        }
                    }
                }
            }
        }
        if let bad = firstBad.min(), bad != Int.max {
            let (row, column, value) = (bad / d, bad % d, data.elements[bad])
            if log1p[column] && !(value > -1) {
                throw .logOfInvalidValue(row: row, column: column, name: names[column], value: value)
            }
            let scaled = ((log1p[column] ? Foundation.log1p(value) : value) - centers[column]) / scales[column]
            throw .nonFiniteValue(row: row, column: column, value: scaled)
        }
        return data
    }

    /// Maps scaled points back to input units: x = expm1(z·scale + centre) for log columns, z·scale + centre
    /// otherwise.
    public func inverseTransform(_ scaled: FeatureMatrix) throws(SegmentationError) -> FeatureMatrix {
        let d = names.count
        guard scaled.columns == d else {
            throw .lengthMismatch(what: "feature columns", expected: d, actual: scaled.columns)
        }
        try validate()
        var out = scaled.elements
        for i in 0..<scaled.rows {
            for j in 0..<d {
                let v = out[i * d + j] * scales[j] + centers[j]
                out[i * d + j] = log1p[j] ? Foundation.expm1(v) : v
            }
        }
        return try FeatureMatrix(rows: scaled.rows, columns: d, elements: out)
    }

    static func transformedColumn(
        _ data: FeatureMatrix, _ j: Int, log: Bool, name: String
    ) throws(SegmentationError) -> [Double] {
        var column = data.column(j)
        if log {
            if let bad = column.firstIndex(where: { !($0 > -1) }) {
                throw .logOfInvalidValue(row: bad, column: j, name: name, value: column[bad])
            }
            let partition = ChunkPartition(rows: column.count, maximumChunks: max(1, column.count / 32_768))
            column.withUnsafeMutableBufferPointer { buffer in
                let values = SharedPointer(base: buffer.start)
                partition.forEach(threads: ProcessInfo.processInfo.activeProcessorCount) { c in
                    for i in partition.range(c) { values.base[i] = Foundation.log1p(values.base[i]) }
                }
            }
        }
        return column
    }

    /// Mean and population standard deviation of the columns j with `columns[j]` (others: (0, 0)), in two
    /// sequential row-major passes: per column the same additions in the same (row) order as
    /// ``meanAndDeviation(_:)`` on the column, so the same bits, while reading the matrix only twice.
    /// - Complexity: O(N·d), two reads of the matrix.
    static func rowMajorMoments(_ data: FeatureMatrix, columns: [Bool]) -> [(mean: Double, deviation: Double)] {
        let n = data.rows
        let d = data.columns
        var sums = [Double](repeating: 0, count: d)
        var squares = [Double](repeating: 0, count: d)
        data.elements.withUnsafeBufferPointer { x in
            for i in 0..<n { for j in 0..<d where columns[j] { sums[j] += x[i * d + j] } }
        }
        let means = sums.map { $0 / Double(n) }
        data.elements.withUnsafeBufferPointer { x in
            for i in 0..<n {
                for j in 0..<d where columns[j] { squares[j] += (x[i * d + j] - means[j]) * (x[i * d + j] - means[j]) }
            }
        }
        return (0..<d).map { columns[$0] ? (means[$0], (squares[$0] / Double(n)).squareRoot()) : (0, 0) }
    }

    /// Mean and population standard deviation (two-pass).
    static func meanAndDeviation(_ values: [Double]) -> (mean: Double, deviation: Double) {
        let mean = values.reduce(0, +) / Double(values.count)
        let ss = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (mean, (ss / Double(values.count)).squareRoot())
    }

    /// The q-quantile of sorted values by linear interpolation between order statistics (NumPy's "linear").
    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}

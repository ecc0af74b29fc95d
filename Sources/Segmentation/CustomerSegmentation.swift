/// One segmentation of a customer table, end to end: scale the features (optional `log1p` per column, then z-score
/// or robust scaling), run k-means at a given k or choose k over a range by a validity index, compute the
/// validity indices at the chosen k, the CAPM segment profiles with value × risk labels, and the
/// ``SegmentationReport``. `capm segment` and the `capm run` pipeline both call this, so the two give the same
/// segments for the same features, options and seed.
///
/// Method: k-means (Lloyd 1982; k-means++ seeding, Arthur & Vassilvitskii 2007) on scaled features; k by the
/// silhouette (Rousseeuw 1987), Calinski–Harabasz (1974) or Davies–Bouldin (1979) index; labels from the segment's
/// mean CLV and mean P(alive) against portfolio references (``LabelRule``).
public struct CustomerSegmentation: Sendable {
    /// How k is set.
    public enum ClusterCount: Sendable, Equatable {
        /// A given k.
        case fixed(Int)
        /// The k in the range that scores best by the rule.
        case automatic(range: ClosedRange<Int>, rule: KSelection.Rule)
    }

    /// The clustering's result with the report built from it.
    public struct Outcome: Sendable {
        /// The machine-readable report (what `capm segment --format json` prints).
        public var report: SegmentationReport
        /// The kept k-means run (labels per customer, centroids in scaled space).
        public var result: KMeansResult
        /// The fitted feature scaling.
        public var scaler: FeatureScaler
    }

    /// Feature scaling method.
    public var scaling: FeatureScaler.Method
    /// Feature names passed through `log1p` before scaling (money columns).
    public var logColumns: Set<String>
    /// The k-means configuration (its ``KMeans/clusterCount`` is set from ``clusterCount``).
    public var kMeans: KMeans
    /// Fixed or automatic k.
    public var clusterCount: ClusterCount
    /// Rows above which the silhouette is computed on a seeded sample.
    public var silhouetteSample: Int
    /// Whether to compute the validity indices for a fixed k.
    public var computeMetrics: Bool
    /// Thresholds of the value × risk labels.
    public var labelRule: LabelRule
    /// Initial centroids in input units (k × d); k is then their row count.
    public var initialCentroids: FeatureMatrix?

    /// A segmentation configuration; the defaults are those of `capm segment`.
    public init(
        scaling: FeatureScaler.Method = .zscore, logColumns: Set<String> = [], kMeans: KMeans = KMeans(clusterCount: 1),
        clusterCount: ClusterCount = .automatic(range: 2...10, rule: .silhouette), silhouetteSample: Int = 10_000,
        computeMetrics: Bool = true, labelRule: LabelRule = LabelRule(), initialCentroids: FeatureMatrix? = nil
    ) {
        self.scaling = scaling
        self.logColumns = logColumns
        self.kMeans = kMeans
        self.clusterCount = clusterCount
        self.silhouetteSample = silhouetteSample
        self.computeMetrics = computeMetrics
        self.labelRule = labelRule
        self.initialCentroids = initialCentroids
    }

    /// Segments the rows of `features` (columns named `names`).
    ///
    /// `features` is consumed and scaled in place when the caller passes its last use of the matrix (see
    /// ``FeatureScaler/transform(_:)``), so the run holds one N × d matrix, not two.
    ///
    /// - Parameters:
    ///   - weights: optional sample weights, one per row.
    ///   - customers: the per-customer columns the profiles summarise (nil: no profiles, no labels).
    ///   - onIteration: called after every k-means iteration (progress reports).
    ///   - onFit: called after each candidate k of an automatic choice is fitted (progress reports).
    ///   - onCandidate: called for each candidate k of an automatic choice once its metrics are known (after all
    ///     fits: the silhouettes of all k are computed together).
    /// - Throws: ``SegmentationError`` from scaling, k-means, the metrics or the profiles;
    ///   ``SegmentationError/initialCentroidsShape(expectedRows:expectedColumns:rows:columns:)`` for initial
    ///   centroids that do not fit.
    /// - Complexity: O(N·d) scaling, O(iterations·N·k·d) per k-means fit, O(m²·d) silhouette on m sampled rows,
    ///   O(N log N) profiles (medians).
    public func run(
        features: consuming FeatureMatrix, names: [String], weights: [Double]? = nil, customers: CustomerColumns? = nil,
        onIteration: (KMeansIteration) -> Void = { _ in }, onFit: (_ k: Int, _ result: KMeansResult) -> Void = { _, _ in },
        onCandidate: (KSelection.Candidate) -> Void = { _ in }
    ) throws(SegmentationError) -> Outcome {
        let scaler = try FeatureScaler.fit(features, names: names, method: scaling, logColumns: logColumns)
        let d = features.columns
        // The last use of `features`: scaled in place when the caller passed its only reference.
        let scaled = try scaler.transform(consume features)
        var configuration = kMeans
        var fixedK: Int?
        var range: ClosedRange<Int> = 2...10
        var rule = KSelection.Rule.silhouette
        switch clusterCount {
        case .fixed(let k): fixedK = k
        case .automatic(let r, let ru): (range, rule) = (r, ru)
        }
        if let initial = initialCentroids {
            if initial.columns != d || (fixedK.map { $0 != initial.rows } ?? false) {
                throw .initialCentroidsShape(
                    expectedRows: fixedK ?? initial.rows, expectedColumns: d, rows: initial.rows,
                    columns: initial.columns)
            }
            configuration.initialization = .centroids(try scaler.transform(initial))
            fixedK = initial.rows
        }
        let result: KMeansResult
        var metrics: KSelection.Candidate?
        var selection: SegmentationReport.Selection?
        if let fixedK {
            configuration.clusterCount = fixedK
            result = try configuration.fit(scaled, weights: weights, onIteration: onIteration)
            if computeMetrics && fixedK >= 2 && result.sizes.filter({ $0 > 0 }).count >= 2 {
                let silhouette = try ClusterMetrics.silhouette(
                    scaled, labels: result.labels, clusterCount: fixedK, sampleSize: silhouetteSample,
                    seed: configuration.seed, threads: configuration.threads)
                let (db, ch) = try ClusterMetrics.daviesBouldinAndCalinskiHarabasz(
                    scaled, labels: result.labels, clusterCount: fixedK, threads: configuration.threads)
                metrics = KSelection.Candidate(
                    k: fixedK, inertia: result.inertia, silhouette: silhouette, daviesBouldin: db,
                    calinskiHarabasz: ch, iterations: result.iterations, converged: result.converged)
            }
        } else {
            let outcome = try KSelection(
                kMeans: configuration, range: range, rule: rule, silhouetteSample: silhouetteSample
            ).run(scaled, weights: weights, onIteration: onIteration, onFit: onFit, onCandidate: onCandidate)
            result = outcome.result
            configuration.clusterCount = outcome.chosenK
            metrics = outcome.candidates.first { $0.k == outcome.chosenK }
            selection = .init(rule: rule, candidates: outcome.candidates)
        }
        let profiles = try customers.map { (columns) throws(SegmentationError) in
            try SegmentProfile.profiles(
                labels: result.labels, clusterCount: configuration.clusterCount, customers: columns, rule: labelRule)
        }
        let report = try SegmentationReport(
            result: result, configuration: configuration, scaler: scaler, metrics: metrics, selection: selection,
            profiles: profiles)
        return Outcome(report: report, result: result, scaler: scaler)
    }
}

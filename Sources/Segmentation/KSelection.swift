/// Choosing the number of clusters k over a range by an internal validity index.
///
/// For every k in the range the configured ``KMeans`` runs (same seed, restarts, options) and the inertia, the
/// silhouette (sampled above ``silhouetteSample`` rows), the Davies–Bouldin and the Calinski–Harabasz indices are
/// recorded. The chosen k optimises ``rule`` (ties go to the smaller k, the simpler segmentation):
/// - ``Rule/silhouette`` (default): the largest mean silhouette (Rousseeuw 1987);
/// - ``Rule/calinskiHarabasz``: the largest Calinski–Harabasz index;
/// - ``Rule/daviesBouldin``: the smallest Davies–Bouldin index.
/// k = 1 has no index and is never chosen; a range starting at 1 is evaluated from 2.
public struct KSelection: Sendable {
    /// The index that picks k.
    public enum Rule: String, Sendable, Codable, CaseIterable {
        /// Largest mean silhouette.
        case silhouette
        /// Largest Calinski–Harabasz index.
        case calinskiHarabasz = "calinski-harabasz"
        /// Smallest Davies–Bouldin index.
        case daviesBouldin = "davies-bouldin"
    }

    /// The metrics of one candidate k.
    public struct Candidate: Sendable, Codable, Equatable {
        /// Number of clusters.
        public let k: Int
        /// Final (weighted) inertia of the best restart.
        public let inertia: Double
        /// Mean silhouette (sampled for large N).
        public let silhouette: Double
        /// Davies–Bouldin index.
        public let daviesBouldin: Double
        /// Calinski–Harabasz index.
        public let calinskiHarabasz: Double
        /// Lloyd iterations of the best restart.
        public let iterations: Int
        /// Whether it converged.
        public let converged: Bool

        /// A candidate's record.
        public init(
            k: Int, inertia: Double, silhouette: Double, daviesBouldin: Double, calinskiHarabasz: Double,
            iterations: Int, converged: Bool
        ) {
            self.k = k
            self.inertia = inertia
            self.silhouette = silhouette
            self.daviesBouldin = daviesBouldin
            self.calinskiHarabasz = calinskiHarabasz
            self.iterations = iterations
            self.converged = converged
        }
    }

    /// The clustering configuration run for every k (its ``KMeans/clusterCount`` is replaced).
    public var kMeans: KMeans
    /// The candidate cluster counts.
    public var range: ClosedRange<Int>
    /// The rule that picks k.
    public var rule: Rule
    /// Rows above which the silhouette is computed on a seeded sample of this size.
    public var silhouetteSample: Int

    /// A selection over `range` with the given base configuration.
    public init(kMeans: KMeans, range: ClosedRange<Int>, rule: Rule = .silhouette, silhouetteSample: Int = 10_000) {
        self.kMeans = kMeans
        self.range = range
        self.rule = rule
        self.silhouetteSample = silhouetteSample
    }

    /// The outcome: all candidates, the chosen k and its clustering.
    public struct Outcome: Sendable {
        /// Metrics per k, in increasing k.
        public let candidates: [Candidate]
        /// The chosen k.
        public let chosenK: Int
        /// The clustering at the chosen k.
        public let result: KMeansResult
    }

    /// Runs k-means for every k in the range (capped at the number of distinct rows) and picks k by ``rule``.
    ///
    /// The silhouettes of all k are computed together at the end, on one sample (``SilhouetteSample``): each pairwise
    /// distance of the sample is computed once for all k instead of once per k, with the same values as one k at a
    /// time. Until then each fitted k is kept with its labels packed to one byte per row (k ≤ 256), N bytes per k.
    /// `onIteration` is called after every k-means iteration, `onFit` after each k's fit (progress reports),
    /// `onCandidate` for each k once its metrics are known.
    ///
    /// - Throws: ``SegmentationError`` from k-means or the metrics; `invalidParameter` when the range holds no
    ///   k ≥ 2 that the data allow.
    /// - Complexity: Σ_k O(iterations·N·k·d) + O(m²·(d + K)) for the silhouettes of K candidates on m sampled rows.
    public func run(
        _ data: FeatureMatrix, weights: [Double]? = nil, onIteration: (KMeansIteration) -> Void = { _ in },
        onFit: (_ k: Int, _ result: KMeansResult) -> Void = { _, _ in }, onCandidate: (Candidate) -> Void = { _ in }
    ) throws(SegmentationError) -> Outcome {
        let low = max(2, range.lowerBound)
        let distinct = KMeans.distinctRowCount(data, upTo: range.upperBound)
        let high = min(range.upperBound, distinct)
        guard low <= high else {
            throw .invalidParameter(
                name: "k range", value: "\(range.lowerBound)...\(range.upperBound)",
                reason: "needs some 2 ≤ k ≤ \(distinct) (distinct rows)")
        }
        var first = kMeans
        first.clusterCount = low
        try first.validate(data, weights: weights)
        // Every k fits the same data: its column moments (centring, tolerance) are computed once.
        let moments = KMeans.columnMoments(
            data, partition: ChunkPartition(rows: data.rows, maximumChunks: kMeans.chunkCount), threads: kMeans.threads)
        var sample = try SilhouetteSample(data, sampleSize: silhouetteSample, seed: kMeans.seed)
        var fitted: [(result: PackedResult, daviesBouldin: Double, calinskiHarabasz: Double)] = []
        for k in low...high {
            var model = kMeans
            model.clusterCount = k
            let result = try model.fit(data, weights: weights, moments: moments, onIteration: onIteration)
            try sample.add(labels: result.labels, clusterCount: k)
            let (db, ch) = try ClusterMetrics.daviesBouldinAndCalinskiHarabasz(
                data, labels: result.labels, clusterCount: k, threads: kMeans.threads)
            onFit(k, result)
            fitted.append((PackedResult(result, clusterCount: k), db, ch))
        }
        let silhouettes = sample.scores(threads: kMeans.threads)
        var candidates: [Candidate] = []
        var best: (score: Double, index: Int)?
        for (index, fit) in fitted.enumerated() {
            let k = low + index
            let candidate = Candidate(
                k: k, inertia: fit.result.inertia, silhouette: silhouettes[index], daviesBouldin: fit.daviesBouldin,
                calinskiHarabasz: fit.calinskiHarabasz, iterations: fit.result.iterations,
                converged: fit.result.converged)
            candidates.append(candidate)
            onCandidate(candidate)
            let score: Double
            switch rule {
            case .silhouette: score = candidate.silhouette
            case .calinskiHarabasz: score = candidate.calinskiHarabasz
            case .daviesBouldin: score = -candidate.daviesBouldin
            }
            if best.map({ score > $0.score }) ?? true { best = (score, index) }
        }
        guard let best else {
            throw .invalidParameter(name: "k range", value: "\(range)", reason: "no candidate k")
        }
        return Outcome(candidates: candidates, chosenK: low + best.index, result: fitted[best.index].result.unpacked())
    }
}

/// A fitted candidate kept until k is chosen: its labels packed to one byte per row when k ≤ 256 (a quarter of
/// ``KMeansResult/labels``), unpacked to the same values for the chosen one.
struct PackedResult {
    private var result: KMeansResult
    private let packed: [UInt8]?

    init(_ result: KMeansResult, clusterCount k: Int) {
        var result = result
        if k <= 256 {
            packed = result.labels.map { UInt8(truncatingIfNeeded: $0) }
            result.labels = []
        } else {
            packed = nil
        }
        self.result = result
    }

    var inertia: Double { result.inertia }
    var iterations: Int { result.iterations }
    var converged: Bool { result.converged }

    /// The result with its labels.
    func unpacked() -> KMeansResult {
        guard let packed else { return result }
        var full = result
        full.labels = packed.map { Int32($0) }
        return full
    }
}

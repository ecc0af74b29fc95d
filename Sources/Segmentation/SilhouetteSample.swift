import CAPMNumerics
import CKMeansKernels

/// The rows a silhouette is computed on — all N, or a seeded sample — with one or more clusterings of them, scored
/// together: every pairwise distance is computed once and added for each clustering (the candidate k of
/// ``KSelection`` share the sample). Each clustering's score is the bits ``ClusterMetrics/silhouette(_:labels:clusterCount:sampleSize:seed:threads:)``
/// gives for it alone.
///
/// Only the sampled rows' features (m × d) and labels (m per clustering) are kept, not the clusterings' N labels.
public struct SilhouetteSample: Sendable {
    /// Rows of the data the sample holds, increasing.
    public let rows: [Int]
    /// Rows of the data the clusterings label.
    let dataRows: Int
    let d: Int
    /// m × d row-major features of the sampled rows, gathered once: the m² pair loop then streams a block that stays
    /// in cache instead of jumping across the whole N × d matrix (measured: at N = 1M, m = 10,000 the scattered reads
    /// made the silhouette 10× slower than the arithmetic needs).
    let features: [Double]
    /// Per clustering added: the sampled rows' labels (m each), and its number of clusters.
    private(set) var labels: [[Int32]] = []
    private(set) var clusterCounts: [Int] = []

    /// Draws the sample: every row when N ≤ `sampleSize`, else `sampleSize` rows drawn without replacement by
    /// `Xoshiro256(seed: seed, stream: 0)` (scikit-learn's `silhouette_score(sample_size=…)`).
    ///
    /// - Throws: ``SegmentationError/noPoints`` or ``SegmentationError/noFeatures`` for an empty matrix.
    public init(_ data: FeatureMatrix, sampleSize: Int = 10_000, seed: UInt64 = 0) throws(SegmentationError) {
        if data.rows == 0 { throw .noPoints }
        if data.columns == 0 { throw .noFeatures }
        let rows = ClusterMetrics.sampleRows(n: data.rows, sampleSize: sampleSize, seed: seed)
        let d = data.columns
        var features = [Double](repeating: 0, count: rows.count * d)
        for (a, r) in rows.enumerated() {
            for j in 0..<d { features[a * d + j] = data.elements[r * d + j] }
        }
        self.rows = rows
        self.dataRows = data.rows
        self.d = d
        self.features = features
    }

    /// The number of clusterings added.
    public var clusteringCount: Int { labels.count }

    /// Adds a clustering of the data (N labels in 0 ..< `clusterCount`); only the sampled rows' labels are kept.
    ///
    /// - Throws: ``SegmentationError/lengthMismatch(what:expected:actual:)`` or `invalidParameter` for labels that
    ///   do not fit the data or the cluster count; ``SegmentationError/undefinedMetric(metric:reason:)`` when the
    ///   sampled points fall in fewer than 2 of its clusters or each in its own (the clustering is not added).
    public mutating func add(labels all: [Int32], clusterCount k: Int) throws(SegmentationError) {
        try ClusterMetrics.checkLabels(all, rows: dataRows, k)
        let sampled = rows.map { all[$0] }
        let present = Self.clusterSizes(sampled, clusterCount: k).filter { $0 > 0 }.count
        if present < 2 || present == rows.count {
            throw .undefinedMetric(
                metric: "silhouette",
                reason: "\(present) clusters among \(rows.count) points (need 2 ≤ clusters < points)")
        }
        labels.append(sampled)
        clusterCounts.append(k)
    }

    /// Points per cluster among `labels`.
    static func clusterSizes(_ labels: [Int32], clusterCount k: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: k)
        for t in labels { counts[Int(t)] += 1 }
        return counts
    }

    /// The mean silhouette of every clustering added, in the order added (see
    /// ``ClusterMetrics/silhouette(_:labels:clusterCount:sampleSize:seed:threads:)``).
    ///
    /// - Complexity: O(m²·(d + c)) for m sampled rows and c clusterings, parallel over rows, deterministic.
    public func scores(threads: Int = 1) -> [Double] {
        let m = rows.count
        let d = self.d
        let labels = self.labels
        let c = labels.count
        // Per clustering: its cluster sizes in the sample and the first slot of its clusters in a row's sums.
        let sizes = (0..<c).map { Self.clusterSizes(labels[$0], clusterCount: clusterCounts[$0]) }
        let offsets = clusterCounts.indices.map { clusterCounts[..<$0].reduce(0, +) }
        let width = clusterCounts.reduce(0, +)
        if c == 0 { return [] }
        var slots = [Int32](repeating: 0, count: c * m)
        for q in 0..<c {
            for b in 0..<m { slots[q * m + b] = Int32(offsets[q]) + labels[q][b] }
        }
        let instructionSet = KernelInstructionSet.best
        let blocks = instructionSet == .avx2 ? DistanceKernels.featureMajorBlocks(features, rows: m, columns: d) : []
        var values = [Double](repeating: 0, count: c * m)
        let partition = ChunkPartition(rows: m, maximumChunks: 256)
        features.withUnsafeBufferPointer { xb in
        blocks.withUnsafeBufferPointer { bb in
        slots.withUnsafeBufferPointer { sb in
        values.withUnsafeMutableBufferPointer { vb in
            let x = SharedConstPointer(base: xb.start)
            let block = SharedConstPointer(base: bb.start)
            let slot = SharedConstPointer(base: sb.start)
            let out = SharedPointer(base: vb.start)
            let useBlocks = instructionSet == .avx2
            partition.forEach(threads: threads) { chunk in
                let range = partition.range(chunk)
                let sums = ClusterMetrics.distanceSums(
                    x.base, blocks: useBlocks ? block.base : nil, slots: slot.base, labelings: c, rows: m,
                    columns: d, width: width, of: range, instructionSet: instructionSet)
                for q in 0..<c {
                    let size = sizes[q]
                    let k = size.count
                    for a in range {
                        let own = Int(labels[q][a])
                        if size[own] == 1 {
                            out.base[q * m + a] = 0
                            continue
                        }
                        let row = (a - range.lowerBound) * width + offsets[q]
                        let within = sums[row + own] / Double(size[own] - 1)
                        var nearest = Double.infinity
                        for t in 0..<k where t != own && size[t] > 0 {
                            nearest = min(nearest, sums[row + t] / Double(size[t]))
                        }
                        let denominator = max(within, nearest)
                        out.base[q * m + a] = denominator > 0 ? (nearest - within) / denominator : 0
                    }
                }
            }
        }
        }
        }
        }
        return (0..<c).map { q in values[(q * m)..<((q + 1) * m)].reduce(0, +) / Double(m) }
    }
}

import CAPMNumerics
import CKMeansKernels

/// Internal validity indices of a clustering, computed on the features the clustering used (unweighted, as
/// scikit-learn's `sklearn.metrics`). Clusters with no points are ignored; at least two non-empty clusters are
/// needed.
public enum ClusterMetrics {
    /// The mean silhouette coefficient (Rousseeuw 1987, "Silhouettes: a graphical aid to the interpretation and
    /// validation of cluster analysis", J. Comput. Appl. Math. 20): for point i with mean distance a(i) to the
    /// other points of its cluster and smallest mean distance b(i) to the points of another cluster,
    /// s(i) = (b − a) / max(a, b), and s(i) = 0 in a singleton cluster. Range −1…1, higher is better.
    ///
    /// Exact over all N points when N ≤ `sampleSize`; otherwise over `sampleSize` rows drawn without replacement
    /// by `Xoshiro256(seed: seed, stream: 0)` (scikit-learn's `silhouette_score(sample_size=…)`).
    ///
    /// - Throws: ``SegmentationError/undefinedMetric(metric:reason:)`` when the (sampled) points fall in fewer
    ///   than 2 clusters or every point is its own cluster.
    /// - Complexity: O(m²·d) for m = min(N, sampleSize) points, parallel over rows, deterministic; the distance
    ///   sums run in C (AVX2 when the CPU has it: 10,000 × 32 in 4.1 ns per pair, about 7× the Swift loop).
    public static func silhouette(
        _ data: FeatureMatrix, labels: [Int32], clusterCount k: Int, sampleSize: Int = 10_000, seed: UInt64 = 0,
        threads: Int = 1
    ) throws(SegmentationError) -> Double {
        // The sample checks the data and the labels.
        var sample = try SilhouetteSample(data, sampleSize: sampleSize, seed: seed)
        try sample.add(labels: labels, clusterCount: k)
        return sample.scores(threads: threads)[0]
    }

    /// For each sample row a in `range`, the sums of its Euclidean distances to the rows of each cluster of each
    /// clustering (`result[(a − range.lowerBound)·width + slot]`, `slots[q·m + b]` the slot of row b in clustering
    /// q), by the C kernel `capm_silhouette_sums`: the bits of the scalar loop (squares added in feature order,
    /// multiply then add; distances added in ascending row order) on both instruction sets. `blocks`
    /// (`DistanceKernels.featureMajorBlocks`) selects the AVX2 version; nil runs the portable one.
    static func distanceSums(
        _ sample: UnsafePointer<Double>, blocks: UnsafePointer<Double>?, slots: UnsafePointer<Int32>, labelings: Int,
        rows m: Int, columns d: Int, width: Int, of range: Range<Int>, instructionSet: KernelInstructionSet
    ) -> [Double] {
        var sums = [Double](repeating: 0, count: range.count * width)
        sums.withUnsafeMutableBufferPointer { sb in
            var pass = capm_silhouette_pass(
                m: m, d: d, width: width, labelings: labelings, x: sample, blocks: blocks, slots: slots,
                first: range.lowerBound, count: range.count, sums: sb.baseAddress)
            capm_silhouette_sums(&pass, instructionSet.c)
        }
        return sums
    }

    /// The Davies–Bouldin index (Davies & Bouldin 1979, "A cluster separation measure", IEEE TPAMI 1(2)):
    /// (1/k) Σᵢ maxⱼ≠ᵢ (sᵢ + sⱼ) / ‖cᵢ − cⱼ‖, with cᵢ the mean of cluster i and sᵢ the mean distance of its points
    /// to cᵢ. Lower is better; 0 when every cluster is a single point.
    ///
    /// The two passes over the data (means, scatters) run on `threads` workers over fixed chunks, reduced in chunk
    /// order: the same bits for any thread count.
    /// - Complexity: O(N·d + k²·d).
    public static func daviesBouldin(
        _ data: FeatureMatrix, labels: [Int32], clusterCount k: Int, threads: Int = 1
    ) throws(SegmentationError) -> Double {
        try checkLabels(data, labels, k)
        let (centroids, counts) = means(data, labels, k, threads: threads)
        try checkDaviesBouldin(counts)
        let sums = centroidDistanceSums(data, labels, centroids, k, threads: threads)
        return daviesBouldin(centroids: centroids, counts: counts, distanceSums: sums.distance, d: data.columns)
    }

    /// The Calinski–Harabasz index (Caliński & Harabasz 1974, "A dendrite method for cluster analysis", Comm. in
    /// Statistics 3(1)): [B / (k − 1)] / [W / (N − k)], B = Σ_c n_c ‖c − x̄‖² the between-cluster and
    /// W = Σᵢ ‖xᵢ − c_{ℓ(i)}‖² the within-cluster sum of squares (k = non-empty clusters). Higher is better;
    /// 1 when W = 0 (scikit-learn's convention).
    ///
    /// Two passes over the data (means, W) on `threads` workers over fixed chunks, reduced in chunk order (the same
    /// bits for any thread count); x̄ = Σ_c n_c·c̄ / N from the means.
    /// - Complexity: O(N·d).
    public static func calinskiHarabasz(
        _ data: FeatureMatrix, labels: [Int32], clusterCount k: Int, threads: Int = 1
    ) throws(SegmentationError) -> Double {
        try checkLabels(data, labels, k)
        let (centroids, counts) = means(data, labels, k, threads: threads)
        try checkCalinskiHarabasz(counts, rows: data.rows)
        let sums = centroidDistanceSums(data, labels, centroids, k, threads: threads)
        return calinskiHarabasz(
            centroids: centroids, counts: counts, squaredDistanceSums: sums.squared, d: data.columns)
    }

    /// Both ``daviesBouldin(_:labels:clusterCount:threads:)`` and ``calinskiHarabasz(_:labels:clusterCount:threads:)``
    /// — the same values — from one means pass and one distance pass (each row's distance to its cluster mean gives
    /// both the Davies–Bouldin scatter and the Calinski–Harabasz W), half the passes of calling the two.
    ///
    /// - Throws: what the two functions throw, the Davies–Bouldin conditions first.
    /// - Complexity: O(N·d), two passes over the data.
    public static func daviesBouldinAndCalinskiHarabasz(
        _ data: FeatureMatrix, labels: [Int32], clusterCount k: Int, threads: Int = 1
    ) throws(SegmentationError) -> (daviesBouldin: Double, calinskiHarabasz: Double) {
        try checkLabels(data, labels, k)
        let (centroids, counts) = means(data, labels, k, threads: threads)
        try checkDaviesBouldin(counts)
        try checkCalinskiHarabasz(counts, rows: data.rows)
        let d = data.columns
        let sums = centroidDistanceSums(data, labels, centroids, k, threads: threads)
        return (
            daviesBouldin(centroids: centroids, counts: counts, distanceSums: sums.distance, d: d),
            calinskiHarabasz(centroids: centroids, counts: counts, squaredDistanceSums: sums.squared, d: d)
        )
    }

    static func checkDaviesBouldin(_ counts: [Int]) throws(SegmentationError) {
        if counts.filter({ $0 > 0 }).count < 2 {
            throw .undefinedMetric(metric: "Davies–Bouldin index", reason: "fewer than 2 non-empty clusters")
        }
    }

    static func checkCalinskiHarabasz(_ counts: [Int], rows n: Int) throws(SegmentationError) {
        let present = counts.filter { $0 > 0 }.count
        if present < 2 || present >= n {
            throw .undefinedMetric(
                metric: "Calinski–Harabasz index", reason: "\(present) clusters among \(n) points (need 2 ≤ k < N)")
        }
    }

    /// The Davies–Bouldin index from the cluster means, sizes and per-cluster sums of distances to the mean.
    static func daviesBouldin(centroids: [Double], counts: [Int], distanceSums: [Double], d: Int) -> Double {
        let clusters = counts.indices.filter { counts[$0] > 0 }
        var scatter = distanceSums
        for c in clusters { scatter[c] /= Double(counts[c]) }
        var total = 0.0
        for a in clusters {
            var worst = 0.0
            for b in clusters where b != a {
                var s = 0.0
                for j in 0..<d {
                    let t = centroids[a * d + j] - centroids[b * d + j]
                    s += t * t
                }
                let separation = s.squareRoot()
                let ratio = separation > 0 ? (scatter[a] + scatter[b]) / separation : .infinity
                worst = max(worst, ratio)
            }
            total += worst
        }
        return total / Double(clusters.count)
    }

    /// The Calinski–Harabasz index from the cluster means, sizes and per-cluster sums of squared distances to the
    /// mean.
    static func calinskiHarabasz(centroids: [Double], counts: [Int], squaredDistanceSums: [Double], d: Int) -> Double {
        let n = counts.reduce(0, +)
        let k = counts.count
        let present = counts.filter { $0 > 0 }.count
        // x̄ from the cluster means, Σ_c n_c·c̄ / N (no pass over the data).
        var overall = [Double](repeating: 0, count: d)
        for c in 0..<k where counts[c] > 0 { for j in 0..<d { overall[j] += Double(counts[c]) * centroids[c * d + j] } }
        for j in 0..<d { overall[j] /= Double(n) }
        var between = 0.0
        for c in 0..<k where counts[c] > 0 {
            var s = 0.0
            for j in 0..<d {
                let t = centroids[c * d + j] - overall[j]
                s += t * t
            }
            between += Double(counts[c]) * s
        }
        let within = squaredDistanceSums.reduce(0, +)
        if within == 0 { return 1 }
        return (between / Double(present - 1)) / (within / Double(n - present))
    }

    /// Unweighted cluster means (k × d, row-major) and sizes.
    static func means(_ data: FeatureMatrix, _ labels: [Int32], _ k: Int, threads: Int = 1) -> ([Double], [Int]) {
        let d = data.columns
        // Per cluster d sums and the count (exact in Double below 2⁵³ rows).
        let totals = clusterSums(data, labels, k, width: d + 1, threads: threads) { row, _, slot in
            for j in 0..<d { slot[j] += row[j] }
            slot[d] += 1
        }
        var means = [Double](repeating: 0, count: k * d)
        var counts = [Int](repeating: 0, count: k)
        for c in 0..<k {
            counts[c] = Int(totals[c * (d + 1) + d])
            if counts[c] > 0 { for j in 0..<d { means[c * d + j] = totals[c * (d + 1) + j] / Double(counts[c]) } }
        }
        return (means, counts)
    }

    /// Per cluster, the sums over its rows of the distance ‖xᵢ − c‖ and of its square to the cluster's centroid in
    /// `centroids` (k × d, difference form) — the Davies–Bouldin scatter and the Calinski–Harabasz W from one pass —
    /// by ``clusterSums(_:_:_:width:threads:_:)``.
    static func centroidDistanceSums(
        _ data: FeatureMatrix, _ labels: [Int32], _ centroids: [Double], _ k: Int, threads: Int
    ) -> (distance: [Double], squared: [Double]) {
        let d = data.columns
        let sums = centroids.withUnsafeBufferPointer { cb in
            let center = cb.start
            return clusterSums(data, labels, k, width: 2, threads: threads) { row, c, slot in
                let s = DistanceKernels.squaredDistance(row, center + c * d, d: d)
                slot[0] += s.squareRoot()
                slot[1] += s
            }
        }
        return ((0..<k).map { sums[2 * $0] }, (0..<k).map { sums[2 * $0 + 1] })
    }

    /// Σ over the rows of each cluster of `width` values that `accumulate(row, label, slot)` adds into `slot`
    /// (k × width, row-major result). Rows are split into at most 64 fixed chunks, each summed in row order into its
    /// own slot (slots a cache line apart, see `PassPartials`), and the chunks are added in chunk order: the result
    /// does not depend on `threads`.
    /// - Complexity: O(N·cost of `accumulate` + 64·k·width).
    static func clusterSums(
        _ data: FeatureMatrix, _ labels: [Int32], _ k: Int, width: Int, threads: Int,
        _ accumulate: (_ row: UnsafePointer<Double>, _ label: Int, _ slot: UnsafeMutablePointer<Double>) -> Void
    ) -> [Double] {
        let d = data.columns
        let partition = ChunkPartition(rows: data.rows, maximumChunks: 64)
        let stride = PassPartials.padded(k * width)
        var partial = [Double](repeating: 0, count: partition.count * stride)
        withoutActuallyEscaping(accumulate) { add in
            data.elements.withUnsafeBufferPointer { xb in
                labels.withUnsafeBufferPointer { lb in
                    partial.withUnsafeMutableBufferPointer { pb in
                        let (x, label, out) = (SharedConstPointer(base: xb.start), SharedConstPointer(base: lb.start), SharedPointer(base: pb.start))
                        nonisolated(unsafe) let add = add
                        partition.forEach(threads: threads) { c in
                            let slot = out.base + c * stride
                            for i in partition.range(c) {
                                let l = Int(label.base[i])
                                add(x.base + i * d, l, slot + l * width)
                            }
                        }
                    }
                }
            }
        }
        var total = [Double](repeating: 0, count: k * width)
        for c in 0..<partition.count { for t in 0..<(k * width) { total[t] += partial[c * stride + t] } }
        return total
    }

    static func checkLabels(_ data: FeatureMatrix, _ labels: [Int32], _ k: Int) throws(SegmentationError) {
        if data.rows == 0 { throw .noPoints }
        if data.columns == 0 { throw .noFeatures }
        try checkLabels(labels, rows: data.rows, k)
    }

    /// `rows` labels, each in 0 ..< k.
    static func checkLabels(_ labels: [Int32], rows: Int, _ k: Int) throws(SegmentationError) {
        if labels.count != rows {
            throw .lengthMismatch(what: "labels", expected: rows, actual: labels.count)
        }
        if k < 1 { throw .invalidClusterCount(k: k, points: rows) }
        if let bad = labels.firstIndex(where: { $0 < 0 || Int($0) >= k }) {
            throw .invalidParameter(name: "label", value: "\(labels[bad]) at row \(bad)", reason: "must be in 0..<\(k)")
        }
    }

    /// All rows when n ≤ sampleSize, else `sampleSize` distinct rows in increasing order (Floyd's algorithm).
    static func sampleRows(n: Int, sampleSize: Int, seed: UInt64) -> [Int] {
        if sampleSize <= 0 || n <= sampleSize { return Array(0..<n) }
        var rng = Xoshiro256(seed: seed, stream: 0)
        var taken = Set<Int>()
        for j in (n - sampleSize)..<n {
            let t = Int(rng.next() % UInt64(j + 1))
            if !taken.insert(t).inserted { taken.insert(j) }
        }
        return taken.sorted()
    }
}

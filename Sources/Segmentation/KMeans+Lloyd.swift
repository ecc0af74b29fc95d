import CAPMNumerics
import Foundation

/// One Lloyd run's outcome, in centred coordinates.
struct LloydRun: Sendable {
    var centroids: [Double]
    var labels: [Int32]
    var inertia: Double
    var iterations: Int
    var convergence: KMeansConvergence
    var repairs: Int
    var iterationSeconds: [Double]
    /// Process CPU seconds of each iteration (``ProcessCPUClock``).
    var iterationCPUSeconds: [Double] = []
    var seedingSeconds: Double = 0
}

/// What a fused pass does with each row once its nearest centroid is known.
enum PassMode: Sendable, Equatable {
    /// Add the row's centred features xᵢ − μ (× wᵢ) to its cluster's sums (a Lloyd update).
    case update
    /// Unweighted Lloyd update of sums kept from the previous pass: only a row whose label changes is recorded —
    /// xᵢ − μ moved from the sums of its previous cluster to those of its new one, and one unit of weight with it —
    /// so the chunk sums receive the change. Every label must be a cluster index on entry.
    case changes
    /// Add wᵢ‖xᵢ − c‖² (difference form) to the inertia: labels and inertia at final centroids.
    case final
    /// Labels only (assigning new customers).
    case assign

    /// Whether the pass adds to the per-chunk sums and weights (``update`` and ``changes``).
    var updatesSums: Bool { self == .update || self == .changes }
}

/// Per-chunk partial results of one fused pass.
///
/// Each chunk's sums and weights start ``sumStride`` and ``weightStride`` elements apart: the slot rounded up to
/// whole 64-byte cache lines plus one more line, so two chunks never write the same line whatever the array's
/// alignment. Packed slots shared lines between neighbouring chunks, which two workers claimed together (when they
/// took chunks in turn from one counter) and then advanced through in step: every row's `weights[label] += 1` then
/// bounced the line between the cores (1M × 8, k = 8: a second thread took the iteration from 8.6 to 8.5 ms while
/// burning 2.7× the CPU time). Workers now start on runs of chunks far apart, but a stolen chunk can still neighbour
/// one in progress.
struct PassPartials {
    /// Elements from one chunk's sums to the next: k·d rounded up to 8 Doubles, plus 8.
    let sumStride: Int
    /// Elements from one chunk's weights to the next: k rounded up to 8 Doubles, plus 8.
    let weightStride: Int
    var sums: [Double]  // chunkCount × sumStride, Σ wᵢ (xᵢ − μ) per cluster in the first k·d of each slot
    var weights: [Double]  // chunkCount × weightStride, Σ wᵢ per cluster in the first k of each slot
    var inertia: [Double]  // chunkCount
    var changed: [Int]  // chunkCount

    init(chunks: Int, k: Int, d: Int) {
        sumStride = Self.padded(k * d)
        weightStride = Self.padded(k)
        sums = [Double](repeating: 0, count: chunks * sumStride)
        weights = [Double](repeating: 0, count: chunks * weightStride)
        inertia = [Double](repeating: 0, count: chunks)
        changed = [Int](repeating: 0, count: chunks)
    }

    /// `count` Doubles rounded up to whole 64-byte lines, plus one line of gap.
    static func padded(_ count: Int) -> Int { (count + 7) / 8 * 8 + 8 }

    /// The per-cluster sums and weights and the number of changed labels, added in chunk order so the
    /// floating-point result does not depend on the thread count.
    func reduced(k: Int, d: Int) -> (sums: [Double], weights: [Double], changed: Int) {
        var totalSums = [Double](repeating: 0, count: k * d)
        var totalWeights = [Double](repeating: 0, count: k)
        var totalChanged = 0
        for c in 0..<changed.count {
            for t in 0..<(k * d) { totalSums[t] += sums[c * sumStride + t] }
            for t in 0..<k { totalWeights[t] += weights[c * weightStride + t] }
            totalChanged += changed[c]
        }
        return (totalSums, totalWeights, totalChanged)
    }
}

extension KMeans {
    /// Passes from one full recomputation of the cluster sums to the next in an unweighted Lloyd run; the passes
    /// between add only the changes of label to the sums of the previous pass (``PassMode/changes``). On a Gaussian
    /// cloud of 1M rows (d = 16 or 32, random rows as initial centroids) 9–13 % of the rows change cluster in the
    /// third iteration, 0.4–0.7 % (k = 8) or 2–3 % (k = 32) from the sixth on: recording those instead of every
    /// row takes the record step out of the pass. Every change adds two roundings to the sums it touches;
    /// recomputing them every 16 passes bounds how many accumulate.
    static let sumsRefreshInterval = 16

    /// Lloyd iterations from `initial` (centred k × d centroids) until strict convergence, the shift tolerance,
    /// or `maxIterations`; then labels and inertia at the final centroids.
    static func lloyd(
        _ data: FeatureMatrix, weights: [Double]?, mean: [Double], initial: [Double], k: Int,
        maxIterations: Int, tolerance: Double, partition: ChunkPartition, threads: Int, single: [Float]? = nil,
        instructionSet: KernelInstructionSet = .best, sumsRefresh: Int = sumsRefreshInterval,
        onIteration: (_ iteration: Int, _ changed: Int, _ shift: Double) -> Void = { _, _, _ in }
    ) -> LloydRun {
        let n = data.rows
        let d = data.columns
        var centroids = initial
        var labels = [Int32](repeating: -1, count: n)
        var partials = PassPartials(chunks: partition.count, k: k, d: d)
        var iterationSeconds: [Double] = []
        var iterationCPUSeconds: [Double] = []
        var convergence = KMeansConvergence.maxIterations
        var repairs = 0
        var iterations = 0
        var lastInertia = 0.0
        // The clusters' sums and weights after the previous pass, when the next may add only its changes to them
        // (unweighted runs; nil after an empty-cluster repair, which moves rows the labels do not show).
        var running: (sums: [Double], weights: [Double])?
        var lastChanged = n
        for iteration in 1...maxIterations {
            let start = ContinuousClock.now
            let cpuStart = ProcessCPUClock.now()
            iterations = iteration
            // The Float copy is centred, so its panel is built from the centred centroids; a Double pass reads the
            // rows as stored, with the Float screen of the centred centroids.
            let panel = single == nil
                ? CentroidPanel(centred: centroids, mean: mean, k: k, d: d)
                : CentroidPanel(centroids: centroids, k: k, d: d)
            // Sums from all rows on the first pass, after a repair, after a pass that changed more than a quarter
            // of the labels (a moved row costs two records) and every `sumsRefresh` passes (so that the
            // roundings of the changes do not add up over a long run); otherwise only the changes.
            let previous = (iteration - 1) % sumsRefresh != 0 && 4 * lastChanged <= n ? running : nil
            fusedPass(
                data, weights: weights, mean: mean, panel: panel, labels: &labels, partials: &partials,
                mode: previous == nil ? .update : .changes, partition: partition, threads: threads, single: single,
                instructionSet: instructionSet)
            // Reduce in chunk order: the floating-point result does not depend on the thread count.
            var (sums, clusterWeights, changed) = partials.reduced(k: k, d: d)
            if let previous {
                for t in 0..<(k * d) { sums[t] = previous.sums[t] + sums[t] }
                for c in 0..<k { clusterWeights[c] = previous.weights[c] + clusterWeights[c] }
            }
            running = weights == nil ? (sums, clusterWeights) : nil
            lastChanged = changed
            if clusterWeights.contains(where: { $0 == 0 }) {
                running = nil
                var moves: [(row: Int, from: Int, to: Int)] = []
                repairs += repairEmptyClusters(
                    data, weights: weights, mean: mean, centroids: centroids, labels: labels, sums: &sums,
                    clusterWeights: &clusterWeights, partition: partition, threads: threads, moves: &moves)
            }
            var shift = 0.0
            for c in 0..<k where clusterWeights[c] > 0 {
                let scale = 1 / clusterWeights[c]
                for j in 0..<d {
                    let updated = sums[c * d + j] * scale
                    let delta = updated - centroids[c * d + j]
                    shift += delta * delta
                    centroids[c * d + j] = updated
                }
            }
            iterationSeconds.append(seconds(since: start))
            iterationCPUSeconds.append(ProcessCPUClock.now() - cpuStart)
            onIteration(iteration, changed, shift)
            if changed == 0 && iteration > 1 {
                convergence = .labelsStable
                break
            }
            if shift <= tolerance {
                convergence = .centroidShift
                break
            }
        }
        // Labels and inertia at the final centroids (one more pass, as scikit-learn's final E-step and inertia).
        do {
            let panel = CentroidPanel(centred: centroids, mean: mean, k: k, d: d)
            fusedPass(
                data, weights: weights, mean: mean, panel: panel, labels: &labels, partials: &partials,
                mode: .final, partition: partition, threads: threads, instructionSet: instructionSet)
            lastInertia = partials.inertia.reduce(0, +)
        }
        return LloydRun(
            centroids: centroids, labels: labels, inertia: lastInertia, iterations: iterations,
            convergence: convergence, repairs: repairs, iterationSeconds: iterationSeconds,
            iterationCPUSeconds: iterationCPUSeconds)
    }

    /// Centroids in input coordinates, c = c′ + μ, for the distance kernels (which read the rows as stored).
    static func uncentred(_ centred: [Double], mean: [Double], k: Int, d: Int) -> [Double] {
        var out = centred
        for c in 0..<k { for j in 0..<d { out[c * d + j] += mean[j] } }
        return out
    }

    /// The fused pass: for every row, the nearest centroid (expanded form, ties to the lower index); in an
    /// ``PassMode/update`` pass also the weighted sums of centred rows and the weights per cluster, per chunk; in a
    /// ``PassMode/final`` pass the exact squared distance Σⱼ (xᵢⱼ − cⱼ)² per chunk (difference form, no
    /// cancellation). The data stream from memory once. The chunk's work runs in the C kernel
    /// (`capm_kmeans_pass_f64`/`_f32`, AVX2 + FMA when the CPU has them): Swift compiles SIMD types for baseline
    /// x86-64 (SSE2, no FMA), which left the pass 0.66–1.02× scikit-learn's speed.
    ///
    /// Single precision (`single`, update passes only): the kernel reads the centred Float copy of the rows,
    /// Float(xᵢ − μ), and a Float panel built from the centred centroids (half the bytes, twice the lanes); sums are
    /// Float within each window of 256 rows and Double across windows (see `capm_kmeans_pass_f32`). Final passes
    /// always read the Double data.
    static func fusedPass(
        _ data: FeatureMatrix, weights: [Double]?, mean: [Double], panel: CentroidPanel, labels: inout [Int32],
        partials: inout PassPartials, mode: PassMode, partition: ChunkPartition, threads: Int,
        single: [Float]? = nil, instructionSet: KernelInstructionSet = .best
    ) {
        let d = data.columns
        let k = panel.k
        let useSingle = single != nil && mode.updatesSums
        let singleData = single ?? []
        let (sumStride, weightStride) = (partials.sumStride, partials.weightStride)
        singleData.withUnsafeBufferPointer { x32b in
        data.elements.withUnsafeBufferPointer { xb in
        mean.withUnsafeBufferPointer { mb in
        labels.withUnsafeMutableBufferPointer { labb in
        partials.sums.withUnsafeMutableBufferPointer { sb in
        partials.weights.withUnsafeMutableBufferPointer { wb in
        partials.inertia.withUnsafeMutableBufferPointer { ib in
        partials.changed.withUnsafeMutableBufferPointer { chb in
            let x32 = SharedConstPointer(base: x32b.start)
            let x = SharedConstPointer(base: xb.start)
            let mu = SharedConstPointer(base: mb.start)
            let lab = SharedPointer(base: labb.start)
            let sums = SharedPointer(base: sb.start)
            let wsum = SharedPointer(base: wb.start)
            let inertia = SharedPointer(base: ib.start)
            let changed = SharedPointer(base: chb.start)
            withOptionalBuffer(weights) { w in
                partition.forEach(threads: threads) { c in
                    let rows = partition.range(c)
                    let first = rows.lowerBound
                    var chunkSums: UnsafeMutablePointer<Double>?
                    var chunkWeights: UnsafeMutablePointer<Double>?
                    if mode.updatesSums {
                        chunkSums = sums.base + c * sumStride
                        chunkWeights = wsum.base + c * weightStride
                        chunkSums?.update(repeating: 0, count: k * d)
                        chunkWeights?.update(repeating: 0, count: k)
                    }
                    let result = runFusedKernel(
                        rows: rows.count, x: useSingle ? .float(x32.base + first * d) : .double(x.base + first * d),
                        panel: panel, mean: mu.base, weights: w.map { $0.base + first }, labels: lab.base + first, sums: chunkSums,
                        clusterWeights: chunkWeights, mode: mode, instructionSet: instructionSet)
                    inertia.base[c] = result.inertia
                    changed.base[c] = result.changed
                }
            }
        }
        }
        }
        }
        }
        }
        }
        }
    }

    /// Re-seeds each empty cluster with the point farthest from its own centroid (largest wᵢ‖xᵢ − c_{ℓ(i)}‖²
    /// ordering by distance, ties to the lower row), moving that point's contribution out of its old cluster, as
    /// scikit-learn's `_relocate_empty_clusters`. Returns the number of clusters re-seeded.
    @discardableResult
    static func repairEmptyClusters(
        _ data: FeatureMatrix, weights: [Double]?, mean: [Double], centroids: [Double], labels: [Int32],
        sums: inout [Double], clusterWeights: inout [Double], partition: ChunkPartition, threads: Int,
        moves: inout [(row: Int, from: Int, to: Int)]
    ) -> Int {
        let d = data.columns
        let empty = clusterWeights.indices.filter { clusterWeights[$0] == 0 }
        let m = empty.count
        // Per chunk, the m farthest rows (distance descending, row ascending).
        var candidates = [[(distance: Double, row: Int)]](repeating: [], count: partition.count)
        data.elements.withUnsafeBufferPointer { xb in
            withOptionalBuffer(weights) { w in
                candidates.withUnsafeMutableBufferPointer { cb in
                    let x = SharedConstPointer(base: xb.start)
                    let out = SharedPointer(base: cb.start)
                    partition.forEach(threads: threads) { c in
                        var top: [(distance: Double, row: Int)] = []
                        for i in partition.range(c) where (w?.base[i] ?? 1) > 0 {
                            let label = Int(labels[i])
                            var s = 0.0
                            for j in 0..<d {
                                let t = (x.base[i * d + j] - mean[j]) - centroids[label * d + j]
                                s += t * t
                            }
                            if top.count < m || s > top[top.count - 1].distance {
                                var position = top.count
                                while position > 0 && top[position - 1].distance < s { position -= 1 }
                                top.insert((s, i), at: position)
                                if top.count > m { top.removeLast() }
                            }
                        }
                        out.base[c] = top
                    }
                }
            }
        }
        var merged = candidates.flatMap { $0 }
        merged.sort { $0.distance != $1.distance ? $0.distance > $1.distance : $0.row < $1.row }
        var repaired = 0
        for (slot, cluster) in empty.enumerated() where slot < merged.count {
            let i = merged[slot].row
            let w = weights?[i] ?? 1
            let old = Int(labels[i])
            for j in 0..<d {
                let v = (data.elements[i * d + j] - mean[j]) * w
                sums[old * d + j] -= v
                sums[cluster * d + j] = v
            }
            clusterWeights[cluster] = w
            clusterWeights[old] -= w
            moves.append((i, old, cluster))
            repaired += 1
        }
        return repaired
    }
}

/// Calls `body` with a shared pointer to `array`'s elements, or `nil` when there is no array (unit weights),
/// without letting the pointer escape.
func withOptionalBuffer<R>(_ array: [Double]?, _ body: (SharedConstPointer<Double>?) -> R) -> R {
    guard let array else { return body(nil) }
    return array.withUnsafeBufferPointer { buffer in
        body(buffer.baseAddress.map { SharedConstPointer(base: $0) })
    }
}

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
    var seedingSeconds: Double = 0
}

/// Per-chunk partial results of one fused pass.
struct PassPartials {
    var sums: [Double]  // chunkCount × k × d, Σ wᵢ (xᵢ − μ) per cluster
    var weights: [Double]  // chunkCount × k, Σ wᵢ per cluster
    var inertia: [Double]  // chunkCount
    var changed: [Int]  // chunkCount

    init(chunks: Int, k: Int, d: Int) {
        sums = [Double](repeating: 0, count: chunks * k * d)
        weights = [Double](repeating: 0, count: chunks * k)
        inertia = [Double](repeating: 0, count: chunks)
        changed = [Int](repeating: 0, count: chunks)
    }

    /// The per-cluster sums and weights and the number of changed labels, added in chunk order so the
    /// floating-point result does not depend on the thread count.
    func reduced(k: Int, d: Int) -> (sums: [Double], weights: [Double], changed: Int) {
        var totalSums = [Double](repeating: 0, count: k * d)
        var totalWeights = [Double](repeating: 0, count: k)
        var totalChanged = 0
        for c in 0..<changed.count {
            for t in 0..<(k * d) { totalSums[t] += sums[c * k * d + t] }
            for t in 0..<k { totalWeights[t] += weights[c * k + t] }
            totalChanged += changed[c]
        }
        return (totalSums, totalWeights, totalChanged)
    }
}

extension KMeans {
    /// Lloyd iterations from `initial` (centred k × d centroids) until strict convergence, the shift tolerance,
    /// or `maxIterations`; then labels and inertia at the final centroids.
    static func lloyd(
        _ data: FeatureMatrix, weights: [Double]?, mean: [Double], initial: [Double], k: Int,
        kernel: DistanceKernel, maxIterations: Int, tolerance: Double, partition: ChunkPartition, threads: Int,
        blockRows: Int, single: [Float]? = nil
    ) -> LloydRun {
        let n = data.rows
        let d = data.columns
        var centroids = initial
        var labels = [Int32](repeating: -1, count: n)
        var partials = PassPartials(chunks: partition.count, k: k, d: d)
        var iterationSeconds: [Double] = []
        var convergence = KMeansConvergence.maxIterations
        var repairs = 0
        var iterations = 0
        var lastInertia = 0.0
        for iteration in 1...maxIterations {
            let start = ContinuousClock.now
            iterations = iteration
            let panel = CentroidPanel(centroids: uncentred(centroids, mean: mean, k: k, d: d), k: k, d: d)
            fusedPass(
                data, weights: weights, mean: mean, panel: panel, kernel: kernel, labels: &labels,
                partials: &partials, accumulate: true, partition: partition, threads: threads, blockRows: blockRows,
                single: single)
            // Reduce in chunk order: the floating-point result does not depend on the thread count.
            var (sums, clusterWeights, changed) = partials.reduced(k: k, d: d)
            if clusterWeights.contains(where: { $0 == 0 }) {
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
            let panel = CentroidPanel(centroids: uncentred(centroids, mean: mean, k: k, d: d), k: k, d: d)
            fusedPass(
                data, weights: weights, mean: mean, panel: panel, kernel: kernel, labels: &labels,
                partials: &partials, accumulate: false, partition: partition, threads: threads, blockRows: blockRows)
            lastInertia = partials.inertia.reduce(0, +)
        }
        return LloydRun(
            centroids: centroids, labels: labels, inertia: lastInertia, iterations: iterations,
            convergence: convergence, repairs: repairs, iterationSeconds: iterationSeconds)
    }

    /// Centroids in input coordinates, c = c′ + μ, for the distance kernels (which read the rows as stored).
    static func uncentred(_ centred: [Double], mean: [Double], k: Int, d: Int) -> [Double] {
        var out = centred
        for c in 0..<k { for j in 0..<d { out[c * d + j] += mean[j] } }
        return out
    }

    /// The fused pass: for every row, the nearest centroid and its squared distance; with `accumulate`, the
    /// weighted sums of centred rows and weights per cluster, per chunk. The data stream from memory once.
    static func fusedPass(
        _ data: FeatureMatrix, weights: [Double]?, mean: [Double], panel: CentroidPanel, kernel: DistanceKernel,
        labels: inout [Int32], partials: inout PassPartials, accumulate: Bool, partition: ChunkPartition,
        threads: Int, blockRows: Int, single: [Float]? = nil
    ) {
        let d = data.columns
        let k = panel.k
        let groups = panel.groups
        let useGEMM = kernel == .gemm
        // Single precision: update passes read the Float copy (half the bytes) through SGEMM; final passes (labels
        // and exact inertia) always read the Double data.
        let useSingle = single != nil && accumulate && useGEMM
        let singleData = single ?? []
        singleData.withUnsafeBufferPointer { x32b in
        panel.rowMajor32.withUnsafeBufferPointer { c32b in
        panel.norms32.withUnsafeBufferPointer { n32b in
        let singlePointers: SinglePrecisionPointers? = useSingle ? SinglePrecisionPointers(
            x: SharedConstPointer(base: x32b.start), centroids: SharedConstPointer(base: c32b.start),
            norms: SharedConstPointer(base: n32b.start)) : nil
        data.elements.withUnsafeBufferPointer { xb in
            mean.withUnsafeBufferPointer { mb in
                panel.expanded.withUnsafeBufferPointer { lb in
                    panel.rowMajor.withUnsafeBufferPointer { cb in
                        panel.norms.withUnsafeBufferPointer { nb in
                            labels.withUnsafeMutableBufferPointer { labb in
                                partials.sums.withUnsafeMutableBufferPointer { sb in
                                    partials.weights.withUnsafeMutableBufferPointer { wb in
                                        partials.inertia.withUnsafeMutableBufferPointer { ib in
                                            partials.changed.withUnsafeMutableBufferPointer { chb in
                                                let x = SharedConstPointer(base: xb.start)
                                                let mu = SharedConstPointer(base: mb.start)
                                                let lanes = SharedConstPointer(base: lb.start)
                                                let cent = SharedConstPointer(base: cb.start)
                                                let norms = SharedConstPointer(base: nb.start)
                                                let lab = SharedPointer(base: labb.start)
                                                let sums = SharedPointer(base: sb.start)
                                                let wsum = SharedPointer(base: wb.start)
                                                let inertia = SharedPointer(base: ib.start)
                                                let changed = SharedPointer(base: chb.start)
                                                withOptionalBuffer(weights) { w in
                                                partition.forEach(threads: threads) { c in
                                                    let chunk = ChunkKernelArguments(
                                                        rows: partition.range(c), d: d, k: k, groups: groups,
                                                        x: x.base, mean: mu.base, weights: w?.base, lanes: lanes.base,
                                                        centroids: cent.base, norms: norms.base, labels: lab.base,
                                                        sums: sums.base + c * k * d, clusterWeights: wsum.base + c * k,
                                                        accumulate: accumulate, blockRows: blockRows)
                                                    let (chunkInertia, chunkChanged) =
                                                        singlePointers.map { chunk.runSGEMM($0) }
                                                        ?? (useGEMM ? chunk.runGEMM() : chunk.runSIMD())
                                                    inertia.base[c] = chunkInertia
                                                    changed.base[c] = chunkChanged
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

/// Everything one chunk of a fused pass needs, as raw pointers (the pass is the measured hot loop).
///
/// Two modes: an *update* pass (`accumulate`) assigns labels and adds each row's centred features to its cluster's
/// sums; a *final* pass assigns labels and computes the exact inertia Σ wᵢ ‖(xᵢ − μ) − c‖² (difference form, no
/// cancellation). Update passes skip the exact distance, as scikit-learn's Lloyd iterations do.
struct ChunkKernelArguments {
    let rows: Range<Int>
    let d: Int
    let k: Int
    let groups: Int
    let x: UnsafePointer<Double>
    let mean: UnsafePointer<Double>
    let weights: UnsafePointer<Double>?
    let lanes: UnsafePointer<SIMD8<Double>>
    let centroids: UnsafePointer<Double>
    let norms: UnsafePointer<Double>
    let labels: UnsafeMutablePointer<Int32>
    let sums: UnsafeMutablePointer<Double>
    let clusterWeights: UnsafeMutablePointer<Double>
    let accumulate: Bool
    let blockRows: Int

    /// Records row `i`'s label and, in an update pass, adds its centred features xᵢ − μ (summing centred values
    /// keeps the sums accurate when features have a large offset); in a final pass returns its weighted exact
    /// squared distance Σⱼ (xᵢⱼ − cⱼ)² (difference form: no cancellation). Also reports whether the label changed.
    @inline(__always)
    func record(row i: Int, label: Int) -> (changed: Bool, inertia: Double) {
        let newLabel = Int32(truncatingIfNeeded: label)
        let changed = labels[i] != newLabel
        labels[i] = newLabel
        let point = x + i &* d
        if accumulate {
            let s = sums + label &* d
            if let weights {
                let w = weights[i]
                for j in 0..<d { s[j] += w * (point[j] - mean[j]) }
                clusterWeights[label] += w
            } else {
                for j in 0..<d { s[j] += point[j] - mean[j] }
                clusterWeights[label] += 1
            }
            return (changed, 0)
        }
        let c = centroids + label &* d
        var distance = 0.0
        for j in 0..<d {
            let t = point[j] - c[j]
            distance += t * t
        }
        return (changed, (weights?[i] ?? 1) * distance)
    }

    func clearPartials() {
        guard accumulate else { return }
        sums.update(repeating: 0, count: k * d)
        clusterWeights.update(repeating: 0, count: k)
    }

    /// The SIMD kernel over this chunk's rows: eight centroids per vector operation in the expanded form
    /// ‖c‖² − 2 x·c, one multiply and one add per coordinate, reading each row in place.
    func runSIMD() -> (inertia: Double, changed: Int) {
        var inertia = 0.0
        var changed = 0
        clearPartials()
        for i in rows {
            let label = DistanceKernels.nearestExpanded(x + i &* d, d: d, lanes: lanes, groups: groups, count: k)
            let (moved, contribution) = record(row: i, label: label)
            inertia += contribution
            if moved { changed &+= 1 }
        }
        return (inertia, changed)
    }

    /// The blocked GEMM kernel over this chunk's rows: per block of `blockRows` rows (read in place), the block
    /// D ← ‖c‖² − 2·X·Cᵀ (BLAS `dgemm` with β = 1 onto rows pre-filled with ‖c‖²), then the arg-min per row.
    func runGEMM() -> (inertia: Double, changed: Int) {
        let b = max(1, min(blockRows, rows.count))
        let width = groups &* 8
        // The block's distance rows as whole groups of 8 (padding columns come out +∞ from the padded panel).
        // Raw memory: BLAS writes it as Double, the arg-min reads it back with raw loads of SIMD8<Double>.
        let block = UnsafeMutableRawPointer.allocate(
            byteCount: b * width * MemoryLayout<Double>.stride, alignment: MemoryLayout<SIMD8<Double>>.alignment)
        defer { block.deallocate() }
        let dots = block.bindMemory(to: Double.self, capacity: b * width)
        var inertia = 0.0
        var changed = 0
        clearPartials()
        var start = rows.lowerBound
        while start < rows.upperBound {
            let count = min(b, rows.upperBound - start)
            // Pre-fill each distance row with ‖c‖², one 8-lane store per group (a per-row `update(from:)` was a
            // `memmove` call per row in the profile).
            for g in 0..<groups {
                let v = UnsafeRawPointer(norms).loadUnaligned(fromByteOffset: g &* 64, as: SIMD8<Double>.self)
                for r in 0..<count { block.storeBytes(of: v, toByteOffset: (r &* groups &+ g) &* 64, as: SIMD8<Double>.self) }
            }
            BLAS.gemmABt(m: count, n: width, k: d, alpha: -2, a: x + start &* d, b: centroids, beta: 1, c: dots)
            let distances = UnsafeRawPointer(block)
            if accumulate && weights == nil {
                // The common update pass, written out flat (no per-row tuple, weight or mode branches).
                for r in 0..<count {
                    let label = DistanceKernels.argmin(distances + r &* width &* 8, groups: groups, count: k)
                    let i = start &+ r
                    let newLabel = Int32(truncatingIfNeeded: label)
                    changed &+= labels[i] != newLabel ? 1 : 0
                    labels[i] = newLabel
                    let s = sums + label &* d
                    let point = x + i &* d
                    for j in 0..<d { s[j] += point[j] - mean[j] }
                    clusterWeights[label] += 1
                }
            } else {
                for r in 0..<count {
                    let label = DistanceKernels.argmin(distances + r &* width &* 8, groups: groups, count: k)
                    let (moved, contribution) = record(row: start &+ r, label: label)
                    inertia += contribution
                    changed &+= moved ? 1 : 0
                }
            }
            start &+= count
        }
        return (inertia, changed)
    }
}

/// The single-precision copies an update pass reads in ``KMeans/Precision/float32`` mode.
struct SinglePrecisionPointers: Sendable {
    let x: SharedConstPointer<Float>
    let centroids: SharedConstPointer<Float>
    let norms: SharedConstPointer<Float>
}

extension ChunkKernelArguments {
    /// The update pass in single precision: per block, D ← ‖c‖² − 2·X·Cᵀ with BLAS `sgemm` on the Float copy of the
    /// rows (half the memory traffic of `dgemm`, twice its peak rate), the arg-min in Float, and the centroid sums
    /// accumulated in Double from the Float rows.
    func runSGEMM(_ single: SinglePrecisionPointers) -> (inertia: Double, changed: Int) {
        let b = max(1, min(blockRows, rows.count))
        let width = groups &* 8
        // Raw memory: BLAS writes it as Float, the arg-min reads it back with raw loads of SIMD8<Float>.
        let block = UnsafeMutableRawPointer.allocate(
            byteCount: b * width * MemoryLayout<Float>.stride, alignment: MemoryLayout<SIMD8<Float>>.alignment)
        defer { block.deallocate() }
        let dots = block.bindMemory(to: Float.self, capacity: b * width)
        var changed = 0
        clearPartials()
        var start = rows.lowerBound
        while start < rows.upperBound {
            let count = min(b, rows.upperBound - start)
            for g in 0..<groups {
                let v = UnsafeRawPointer(single.norms.base).loadUnaligned(
                    fromByteOffset: g &* 32, as: SIMD8<Float>.self)
                for r in 0..<count { block.storeBytes(of: v, toByteOffset: (r &* groups &+ g) &* 32, as: SIMD8<Float>.self) }
            }
            BLAS.gemmABt(
                m: count, n: width, k: d, alpha: -2, a: single.x.base + start &* d, b: single.centroids.base, beta: 1,
                c: dots)
            let distances = UnsafeRawPointer(block)
            for r in 0..<count {
                let label = DistanceKernels.argmin32(distances + r &* width &* 4, groups: groups, count: k)
                let i = start &+ r
                let newLabel = Int32(truncatingIfNeeded: label)
                changed &+= labels[i] != newLabel ? 1 : 0
                labels[i] = newLabel
                let s = sums + label &* d
                let point = single.x.base + i &* d
                let w = weights?[i] ?? 1
                for j in 0..<d { s[j] += w * (Double(point[j]) - mean[j]) }
                clusterWeights[label] += w
            }
            start &+= count
        }
        return (0, changed)
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

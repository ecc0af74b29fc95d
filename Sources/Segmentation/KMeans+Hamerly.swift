import CKMeansKernels
import Foundation

extension KMeans {
    /// Hamerly's accelerated Lloyd iteration (Hamerly 2010, "Making k-means even faster", SIAM SDM): the same fixed
    /// point as ``lloyd(_:weights:mean:initial:k:maxIterations:tolerance:partition:threads:single:instructionSet:sumsRefresh:)``
    /// (up to floating-point ties), skipping distance computations with two bounds per row.
    ///
    /// Per row i: an upper bound uᵢ ≥ ‖xᵢ − c_{ℓ(i)}‖ and a lower bound lᵢ ≤ the distance to the second-closest
    /// centroid. After the centroids move by p_c, uᵢ += p_{ℓ(i)} and lᵢ −= max_{c≠ℓ(i)} p_c. With
    /// s_c = ½ min_{c′≠c} ‖c − c′‖, row i keeps its label without any distance when uᵢ ≤ max(s_{ℓ(i)}, lᵢ); else uᵢ is
    /// tightened to the exact distance, and only if the test still fails are all k distances computed.
    ///
    /// Cluster sums are kept per chunk and updated only for rows that change cluster, so a row that passes the
    /// test is not read at all (its bounds and label are): per iteration the data stream shrinks to the rows near
    /// a boundary. Sums are reduced in chunk order, so results do not depend on the thread count.
    ///
    /// - Complexity: O(N·k·d) for the first iteration, then O(N + (rows failing the test)·k·d) per iteration;
    ///   memory: two N-vectors of bounds in addition to Lloyd's.
    static func hamerly(
        _ data: FeatureMatrix, weights: [Double]?, mean: [Double], initial: [Double], k: Int, maxIterations: Int,
        tolerance: Double, partition: ChunkPartition, threads: Int, instructionSet: KernelInstructionSet = .best,
        onIteration: (_ iteration: Int, _ changed: Int, _ shift: Double) -> Void = { _, _, _ in }
    ) -> LloydRun {
        let n = data.rows
        let d = data.columns
        var centroids = initial
        var labels = [Int32](repeating: -1, count: n)
        var upper = [Double](repeating: 0, count: n)
        var lower = [Double](repeating: 0, count: n)
        var partials = PassPartials(chunks: partition.count, k: k, d: d)
        var movement = [Double](repeating: 0, count: k)
        var iterationSeconds: [Double] = []
        var iterationCPUSeconds: [Double] = []
        var convergence = KMeansConvergence.maxIterations
        var repairs = 0
        var iterations = 0
        for iteration in 1...maxIterations {
            let start = ContinuousClock.now
            let cpuStart = ProcessCPUClock.now()
            iterations = iteration
            let raw = uncentred(centroids, mean: mean, k: k, d: d)
            let half = halfSeparations(raw, k: k, d: d)
            hamerlyPass(
                data, weights: weights, mean: mean, centroids: raw, half: half, movement: movement,
                initial: iteration == 1, labels: &labels, upper: &upper, lower: &lower, partials: &partials,
                partition: partition, threads: threads, instructionSet: instructionSet)
            var (sums, clusterWeights, changed) = partials.reduced(k: k, d: d)
            if clusterWeights.contains(where: { $0 == 0 }) {
                var moves: [(row: Int, from: Int, to: Int)] = []
                repairs += repairEmptyClusters(
                    data, weights: weights, mean: mean, centroids: centroids, labels: labels, sums: &sums,
                    clusterWeights: &clusterWeights, partition: partition, threads: threads, moves: &moves)
                // Mirror the moves in the owning chunks' sums and labels; the moved rows get trivial bounds so they
                // are re-examined next iteration.
                for move in moves {
                    let chunk = partition.chunk(containing: move.row)
                    let w = weights?[move.row] ?? 1
                    for j in 0..<d {
                        let v = (data.elements[move.row * d + j] - mean[j]) * w
                        partials.sums[chunk * partials.sumStride + move.from * d + j] -= v
                        partials.sums[chunk * partials.sumStride + move.to * d + j] += v
                    }
                    partials.weights[chunk * partials.weightStride + move.from] -= w
                    partials.weights[chunk * partials.weightStride + move.to] += w
                    labels[move.row] = Int32(move.to)
                    upper[move.row] = .infinity
                    lower[move.row] = 0
                }
            }
            var shift = 0.0
            for c in 0..<k {
                var moved = 0.0
                if clusterWeights[c] > 0 {
                    let scale = 1 / clusterWeights[c]
                    for j in 0..<d {
                        let updated = sums[c * d + j] * scale
                        let delta = updated - centroids[c * d + j]
                        moved += delta * delta
                        centroids[c * d + j] = updated
                    }
                }
                shift += moved
                movement[c] = moved.squareRoot()
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
        var partialsForFinal = PassPartials(chunks: partition.count, k: k, d: d)
        let panel = CentroidPanel(centred: centroids, mean: mean, k: k, d: d)
        fusedPass(
            data, weights: weights, mean: mean, panel: panel, labels: &labels, partials: &partialsForFinal,
            mode: .final, partition: partition, threads: threads, instructionSet: instructionSet)
        return LloydRun(
            centroids: centroids, labels: labels, inertia: partialsForFinal.inertia.reduce(0, +),
            iterations: iterations, convergence: convergence, repairs: repairs, iterationSeconds: iterationSeconds,
            iterationCPUSeconds: iterationCPUSeconds)
    }

    /// s_c = ½ min_{c′≠c} ‖c − c′‖ (+∞ when k = 1).
    static func halfSeparations(_ centroids: [Double], k: Int, d: Int) -> [Double] {
        var half = [Double](repeating: .infinity, count: k)
        for a in 0..<k {
            for b in (a + 1)..<max(a + 1, k) {
                var s = 0.0
                for j in 0..<d {
                    let t = centroids[a * d + j] - centroids[b * d + j]
                    s += t * t
                }
                let h = s.squareRoot() / 2
                half[a] = min(half[a], h)
                half[b] = min(half[b], h)
            }
        }
        return half
    }

    /// One Hamerly pass over all chunks (see ``hamerly(_:weights:mean:initial:k:maxIterations:tolerance:partition:threads:)``);
    /// with `initial`, every row gets exact bounds and the chunk sums are rebuilt from scratch.
    static func hamerlyPass(
        _ data: FeatureMatrix, weights: [Double]?, mean: [Double], centroids: [Double], half: [Double],
        movement: [Double], initial: Bool, labels: inout [Int32], upper: inout [Double], lower: inout [Double],
        partials: inout PassPartials, partition: ChunkPartition, threads: Int,
        instructionSet: KernelInstructionSet = .best
    ) {
        let d = data.columns
        let k = half.count
        // The centroids feature-major, 4 per block, for the AVX2 full search.
        let useBlocks = instructionSet == .avx2
        let blocks = useBlocks ? DistanceKernels.featureMajorBlocks(centroids, rows: k, columns: d) : []
        // The largest and second-largest centroid movement, for the lower-bound update.
        var largest = 0
        for c in 1..<max(1, k) where movement[c] > movement[largest] { largest = c }
        var secondLargest = 0.0
        for c in 0..<k where c != largest { secondLargest = max(secondLargest, movement[c]) }
        let largestMove = movement.isEmpty ? 0 : movement[largest]
        let (largestIndex, secondMove) = (largest, secondLargest)
        let (sumStride, weightStride) = (partials.sumStride, partials.weightStride)
        data.elements.withUnsafeBufferPointer { xb in
          centroids.withUnsafeBufferPointer { centroidBuffer in
          blocks.withUnsafeBufferPointer { blockBuffer in
            withOptionalBuffer(weights) { w in
                labels.withUnsafeMutableBufferPointer { lb in
                    upper.withUnsafeMutableBufferPointer { ub in
                        lower.withUnsafeMutableBufferPointer { lob in
                            partials.sums.withUnsafeMutableBufferPointer { sb in
                                partials.weights.withUnsafeMutableBufferPointer { wb in
                                    partials.changed.withUnsafeMutableBufferPointer { cb in
                                        let x = SharedConstPointer(base: xb.start)
                                        let cents = SharedConstPointer(base: centroidBuffer.start)
                                        let block = SharedConstPointer(base: blockBuffer.start)
                                        let lab = SharedPointer(base: lb.start)
                                        let up = SharedPointer(base: ub.start)
                                        let low = SharedPointer(base: lob.start)
                                        let sums = SharedPointer(base: sb.start)
                                        let wsum = SharedPointer(base: wb.start)
                                        let changedOut = SharedPointer(base: cb.start)
                                        partition.forEach(threads: threads) { chunk in
                                            let s = sums.base + chunk * sumStride
                                            let cw = wsum.base + chunk * weightStride
                                            if initial {
                                                s.update(repeating: 0, count: k * d)
                                                cw.update(repeating: 0, count: k)
                                            }
                                            var changed = 0
                                            for i in partition.range(chunk) {
                                                let point = x.base + i &* d
                                                var label = Int(lab.base[i])
                                                var u: Double
                                                var l: Double
                                                if initial {
                                                    u = .infinity
                                                    l = 0
                                                } else {
                                                    u = up.base[i] + movement[label]
                                                    l = low.base[i] - (label == largestIndex ? secondMove : largestMove)
                                                    let bound = max(half[label], l)
                                                    if u <= bound {
                                                        up.base[i] = u
                                                        low.base[i] = l
                                                        continue
                                                    }
                                                    u = exactDistance(point, cents.base + label &* d, d)
                                                    if u <= bound {
                                                        up.base[i] = u
                                                        low.base[i] = l
                                                        continue
                                                    }
                                                }
                                                // All k distances: nearest and second nearest (ties to the lower
                                                // index), in C: the scalar loop's bits, 8 centroids per AVX2 step.
                                                let two = capm_kmeans_nearest_two(
                                                    point, cents.base, useBlocks ? block.base : nil, k, d,
                                                    instructionSet.c)
                                                let bestIndex = Int(two.index)
                                                u = two.best.squareRoot()
                                                l = two.second.squareRoot()
                                                let weight = w?.base[i] ?? 1
                                                if initial || bestIndex != label {
                                                    if !initial {
                                                        let from = s + label &* d
                                                        for j in 0..<d { from[j] -= weight * (point[j] - mean[j]) }
                                                        cw[label] -= weight
                                                    }
                                                    let to = s + bestIndex &* d
                                                    for j in 0..<d { to[j] += weight * (point[j] - mean[j]) }
                                                    cw[bestIndex] += weight
                                                    changed &+= 1
                                                    label = bestIndex
                                                    lab.base[i] = Int32(truncatingIfNeeded: label)
                                                }
                                                up.base[i] = u
                                                low.base[i] = l
                                            }
                                            changedOut.base[chunk] = changed
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

    /// ‖x − c‖ in the difference form.
    @inline(__always)
    static func exactDistance(_ x: UnsafePointer<Double>, _ center: UnsafePointer<Double>, _ d: Int) -> Double {
        var s = 0.0
        for j in 0..<d {
            let t = x[j] - center[j]
            s += t * t
        }
        return s.squareRoot()
    }
}

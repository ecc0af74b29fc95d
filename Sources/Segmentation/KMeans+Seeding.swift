import CAPMNumerics
import CKMeansKernels
import Foundation

extension KMeans {
    /// Greedy k-means++ seeding (Arthur & Vassilvitskii 2007; the greedy variant of scikit-learn's
    /// `_kmeans_plusplus`): the first centroid is a row drawn with probability ∝ wᵢ; each next one is the best of
    /// L = 2 + ⌊ln k⌋ candidate rows drawn with probability ∝ wᵢ·D(xᵢ)², "best" meaning the smallest potential
    /// Σᵢ wᵢ·min(D(xᵢ)², ‖xᵢ − candidate‖²).
    ///
    /// Distances to the L candidates are evaluated eight at a time, and the closest distances updated, by the C
    /// seeding passes (`capm_kmeans_candidate_potentials`, `capm_kmeans_update_closest`: AVX2 or portable C, the
    /// same bits as plain scalar code); every sum is reduced in fixed chunk order, so the seeding is identical for any
    /// thread count and instruction set.
    ///
    /// - Returns: k × d centroids (row-major, input units).
    /// - Throws: ``SegmentationError/tooFewDistinctPoints(k:distinct:)`` when the potential reaches zero before k
    ///   centroids are chosen (every positive-weight row coincides with a chosen centroid).
    /// - Complexity: O(N·k·(L + 1)·d) time, one N-vector of squared distances.
    static func seedPlusPlus(
        _ data: FeatureMatrix, weights: [Double]?, k: Int, partition: ChunkPartition, threads: Int,
        rng: inout Xoshiro256, instructionSet: KernelInstructionSet = .best
    ) throws(SegmentationError) -> [Double] {
        let n = data.rows
        let d = data.columns
        let trials = 2 + Int(log(Double(k)))
        var centers = [Double](repeating: 0, count: k * d)
        var closest = [Double](repeating: 0, count: n)
        var chunkPotential = [Double](repeating: 0, count: partition.count)

        let totalWeight = weights?.reduce(0, +) ?? Double(n)
        let first = sampleIndex(target: rng.nextOpenUnit() * totalWeight, n: n) { weights?[$0] ?? 1 }
        for j in 0..<d { centers[j] = data.elements[first * d + j] }
        updateClosest(
            data, weights: weights, candidate: first, closest: &closest, chunkPotential: &chunkPotential,
            partition: partition, threads: threads, initialise: true, instructionSet: instructionSet)

        var candidatePotential = [Double](repeating: 0, count: partition.count * 8)
        for c in 1..<max(1, k) {
            let potential = chunkPotential.reduce(0, +)
            if !(potential > 0) { throw .tooFewDistinctPoints(k: k, distinct: c) }
            // Draw L candidates by inverse-CDF search over the cumulative wᵢ·D(xᵢ)², chunk by chunk.
            var candidates: [Int] = []
            for _ in 0..<trials {
                let target = rng.nextOpenUnit() * potential
                candidates.append(
                    sampleByPotential(
                        target: target, closest: closest, weights: weights, chunkPotential: chunkPotential,
                        partition: partition))
            }
            // Potentials after adding each candidate, in one pass (up to 8 candidates per SIMD group).
            var best = 0
            var bestPotential = Double.infinity
            var offset = 0
            while offset < candidates.count {
                let group = Array(candidates[offset..<min(offset + 8, candidates.count)])
                candidatePotentials(
                    data, weights: weights, candidates: group, closest: closest, output: &candidatePotential,
                    partition: partition, threads: threads, instructionSet: instructionSet)
                for t in group.indices {
                    var total = 0.0
                    for chunk in 0..<partition.count { total += candidatePotential[chunk * 8 + t] }
                    if total < bestPotential {
                        bestPotential = total
                        best = candidates[offset + t]
                    }
                }
                offset += 8
            }
            for j in 0..<d { centers[c * d + j] = data.elements[best * d + j] }
            updateClosest(
                data, weights: weights, candidate: best, closest: &closest, chunkPotential: &chunkPotential,
                partition: partition, threads: threads, initialise: false, instructionSet: instructionSet)
        }
        return centers
    }

    /// The first index whose cumulative weight reaches `target` (clipped to the last row).
    static func sampleIndex(target: Double, n: Int, weight: (Int) -> Double) -> Int {
        var running = 0.0
        for i in 0..<n {
            running += weight(i)
            if running >= target && weight(i) > 0 { return i }
        }
        return n - 1
    }

    /// NumPy's `searchsorted(cumsum(w·D²), target)`, clipped: first the chunk (by chunk potentials), then the row.
    static func sampleByPotential(
        target: Double, closest: [Double], weights: [Double]?, chunkPotential: [Double], partition: ChunkPartition
    ) -> Int {
        var running = 0.0
        var chosenChunk = partition.count - 1
        for c in 0..<partition.count {
            if running + chunkPotential[c] >= target && chunkPotential[c] > 0 {
                chosenChunk = c
                break
            }
            running += chunkPotential[c]
        }
        let range = partition.range(chosenChunk)
        var last = range.upperBound - 1
        for i in range {
            let v = (weights?[i] ?? 1) * closest[i]
            if v > 0 { last = i }
            running += v
            if running >= target && v > 0 { return i }
        }
        return last
    }

    /// `closest[i] ← min(closest[i], ‖xᵢ − x_candidate‖²)` (or `=` when `initialise`), with per-chunk Σ wᵢ·closest[i].
    static func updateClosest(
        _ data: FeatureMatrix, weights: [Double]?, candidate: Int, closest: inout [Double],
        chunkPotential: inout [Double], partition: ChunkPartition, threads: Int, initialise: Bool,
        instructionSet: KernelInstructionSet = .best
    ) {
        let d = data.columns
        data.elements.withUnsafeBufferPointer { xb in
            withOptionalBuffer(weights) { w in
                closest.withUnsafeMutableBufferPointer { cb in
                    chunkPotential.withUnsafeMutableBufferPointer { pb in
                        let x = SharedConstPointer(base: xb.start)
                        let out = SharedPointer(base: cb.start)
                        let pot = SharedPointer(base: pb.start)
                        partition.forEach(threads: threads) { c in
                            var pass = seedPass(
                                rows: partition.range(c), d: d, x: x.base, weights: w?.base, closest: out.base)
                            pass.center = x.base + candidate * d
                            pass.initialise = initialise ? 1 : 0
                            pot.base[c] = capm_kmeans_update_closest(&pass, instructionSet.c)
                        }
                    }
                }
            }
        }
    }

    /// A seeding pass over the chunk `rows` of row-major `x` (d features), its weights and closest distances.
    static func seedPass(
        rows: Range<Int>, d: Int, x: UnsafePointer<Double>, weights: UnsafePointer<Double>?,
        closest: UnsafeMutablePointer<Double>
    ) -> capm_kmeans_seed_pass {
        var pass = capm_kmeans_seed_pass()
        pass.rows = rows.count
        pass.d = d
        pass.x = x + rows.lowerBound * d
        pass.weights = weights.map { $0 + rows.lowerBound }
        pass.closest = closest + rows.lowerBound
        return pass
    }

    /// Per chunk and candidate t (≤ 8): Σᵢ wᵢ·min(closest[i], ‖xᵢ − x_{candidate t}‖²) into `output[chunk·8 + t]`
    /// (+∞ for unused lanes).
    static func candidatePotentials(
        _ data: FeatureMatrix, weights: [Double]?, candidates: [Int], closest: [Double], output: inout [Double],
        partition: ChunkPartition, threads: Int, instructionSet: KernelInstructionSet = .best
    ) {
        let d = data.columns
        var lanes = [Double](repeating: .infinity, count: d * 8)
        for (t, row) in candidates.enumerated() {
            for j in 0..<d { lanes[8 * j + t] = data.elements[row * d + j] }
        }
        let used = candidates.count
        data.elements.withUnsafeBufferPointer { xb in
            withOptionalBuffer(weights) { w in
                closest.withUnsafeBufferPointer { cb in
                    lanes.withUnsafeBufferPointer { lb in
                        output.withUnsafeMutableBufferPointer { ob in
                            let x = SharedConstPointer(base: xb.start)
                            let near = SharedConstPointer(base: cb.start)
                            let l = SharedConstPointer(base: lb.start)
                            let out = SharedPointer(base: ob.start)
                            partition.forEach(threads: threads) { c in
                                // The pass only reads `closest` (the field is shared with the closest update).
                                var pass = seedPass(
                                    rows: partition.range(c), d: d, x: x.base, weights: w?.base,
                                    closest: UnsafeMutablePointer(mutating: near.base))
                                pass.lanes = l.base
                                capm_kmeans_candidate_potentials(&pass, instructionSet.c)
                                withUnsafeBytes(of: pass.potentials) { raw in
                                    let totals = raw.bindMemory(to: Double.self)
                                    for t in 0..<8 { out.base[c * 8 + t] = t < used ? totals[t] : .infinity }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// k distinct rows drawn with probability ∝ wᵢ without replacement (uniform when unweighted).
    ///
    /// - Complexity: O(N) for the cumulative weights plus O(k log N) expected draws.
    static func seedRandom(_ data: FeatureMatrix, weights: [Double]?, k: Int, rng: inout Xoshiro256) -> [Double] {
        let n = data.rows
        let d = data.columns
        var chosen: [Int] = []
        var taken = Set<Int>()
        if let weights {
            var cumulative = [Double](repeating: 0, count: n)
            var running = 0.0
            for i in 0..<n {
                running += weights[i]
                cumulative[i] = running
            }
            var attempts = 0
            while chosen.count < k && attempts < 64 * k {
                attempts += 1
                let target = rng.nextOpenUnit() * running
                var lo = 0
                var hi = n - 1
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if cumulative[mid] >= target { hi = mid } else { lo = mid + 1 }
                }
                if weights[lo] > 0 && taken.insert(lo).inserted { chosen.append(lo) }
            }
            // Heavily concentrated weights: fill with the remaining positive-weight rows in order.
            var i = 0
            while chosen.count < k && i < n {
                if weights[i] > 0 && taken.insert(i).inserted { chosen.append(i) }
                i += 1
            }
            i = 0
            while chosen.count < k && i < n {
                if taken.insert(i).inserted { chosen.append(i) }
                i += 1
            }
        } else {
            // Floyd's algorithm: k distinct indices in O(k) draws.
            for j in (n - k)..<n {
                let t = Int(rng.next() % UInt64(j + 1))
                if taken.insert(t).inserted { chosen.append(t) } else {
                    taken.insert(j)
                    chosen.append(j)
                }
            }
        }
        var centers = [Double](repeating: 0, count: k * d)
        for (c, row) in chosen.enumerated() {
            for j in 0..<d { centers[c * d + j] = data.elements[row * d + j] }
        }
        return centers
    }
}

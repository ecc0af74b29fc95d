import CAPMNumerics
import CKMeansKernels
import Foundation

extension KMeans {
    /// Greedy k-means++ seeding (Arthur & Vassilvitskii 2007; the greedy variant of scikit-learn's
    /// `_kmeans_plusplus`): the first centroid is a row drawn with probability ∝ wᵢ; each next one is the best of
    /// L = 2 + ⌊ln k⌋ candidate rows drawn with probability ∝ wᵢ·D(xᵢ)², "best" meaning the smallest potential
    /// Σᵢ wᵢ·min(D(xᵢ)², ‖xᵢ − candidate‖²).
    ///
    /// Distances to the L candidates are evaluated four or eight at a time by the C candidate pass
    /// (`capm_kmeans_candidate_potentials`: AVX2 or portable C, the same bits as plain scalar code). One read of the
    /// data per centroid: the update D(xᵢ)² ← min(D(xᵢ)², ‖xᵢ − chosen‖²) is deferred to the next step's candidate
    /// pass, which carries the chosen centroid in a spare lane, and the per-chunk potentials after the update are
    /// the chosen candidate's own per-chunk sums. Only the chunks a draw lands in are updated at once (a draw needs
    /// their rows' D²); lowering a row again in the candidate pass leaves it unchanged. Every sum is reduced in fixed
    /// chunk order, so the seeding is identical for any thread count and instruction set, and to the two-pass form.
    ///
    /// - Returns: k × d centroids (row-major, input units).
    /// - Throws: ``SegmentationError/tooFewDistinctPoints(k:distinct:)`` when the potential reaches zero before k
    ///   centroids are chosen (every positive-weight row coincides with a chosen centroid).
    /// - Complexity: O(N·k·(L + 1)·d) time, k reads of the data, one N-vector of squared distances.
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
            data, weights: weights, candidate: first, chunks: 0..<partition.count, closest: &closest,
            chunkPotential: &chunkPotential, partition: partition, threads: threads, initialise: true,
            instructionSet: instructionSet)

        // The chosen centroid whose closest update is still pending (none after the first: it was applied above).
        var pending: Int?
        var candidatePotential = [Double](repeating: 0, count: partition.count * 8)
        for c in 1..<max(1, k) {
            let potential = chunkPotential.reduce(0, +)
            if !(potential > 0) { throw .tooFewDistinctPoints(k: k, distinct: c) }
            // Draw L candidates by inverse-CDF search over the cumulative wᵢ·D(xᵢ)², chunk by chunk.
            var candidates: [Int] = []
            var current = Set<Int>()
            for _ in 0..<trials {
                let target = rng.nextOpenUnit() * potential
                let (chunk, before) = chunkByPotential(target: target, chunkPotential: chunkPotential)
                if let pending, current.insert(chunk).inserted {
                    var ignored = chunkPotential
                    updateClosest(
                        data, weights: weights, candidate: pending, chunks: chunk..<(chunk + 1), closest: &closest,
                        chunkPotential: &ignored, partition: partition, threads: 1, initialise: false,
                        instructionSet: instructionSet)
                }
                candidates.append(
                    sampleRow(
                        target: target, in: partition.range(chunk), before: before, closest: closest,
                        weights: weights))
            }
            // Potentials after adding each candidate, one pass per group of up to 8 lanes; the first group also
            // applies the pending update.
            var best = 0
            var bestPotential = Double.infinity
            var offset = 0
            while offset < candidates.count {
                let width = pending == nil ? 8 : 7
                let group = Array(candidates[offset..<min(offset + width, candidates.count)])
                candidatePotentials(
                    data, weights: weights, candidates: group, pending: pending, closest: &closest,
                    output: &candidatePotential, partition: partition, threads: threads,
                    instructionSet: instructionSet)
                pending = nil
                for t in group.indices {
                    var total = 0.0
                    for chunk in 0..<partition.count { total += candidatePotential[chunk * 8 + t] }
                    if total < bestPotential {
                        bestPotential = total
                        best = candidates[offset + t]
                        for chunk in 0..<partition.count { chunkPotential[chunk] = candidatePotential[chunk * 8 + t] }
                    }
                }
                offset += group.count
            }
            for j in 0..<d { centers[c * d + j] = data.elements[best * d + j] }
            pending = best
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

    /// The chunk where NumPy's `searchsorted(cumsum(w·D²), target)` lands, found from the chunk potentials alone,
    /// and the cumulative potential before it. A target past the total (by rounding) is clipped to the last chunk
    /// with a positive potential.
    static func chunkByPotential(target: Double, chunkPotential: [Double]) -> (chunk: Int, before: Double) {
        var running = 0.0
        var last = (chunk: chunkPotential.count - 1, before: 0.0)
        for c in chunkPotential.indices {
            if chunkPotential[c] > 0 {
                if running + chunkPotential[c] >= target { return (c, running) }
                last = (c, running)
            }
            running += chunkPotential[c]
        }
        return last
    }

    /// The row of `rows` where the cumulative potential, starting at `before`, reaches `target` (clipped to the
    /// chunk's last row with a positive potential).
    static func sampleRow(
        target: Double, in rows: Range<Int>, before: Double, closest: [Double], weights: [Double]?
    ) -> Int {
        var running = before
        var last = rows.upperBound - 1
        for i in rows {
            let v = (weights?[i] ?? 1) * closest[i]
            if v > 0 { last = i }
            running += v
            if running >= target && v > 0 { return i }
        }
        return last
    }

    /// `closest[i] ← min(closest[i], ‖xᵢ − x_candidate‖²)` (or `=` when `initialise`) over the rows of `chunks`,
    /// with their per-chunk Σ wᵢ·closest[i] in `chunkPotential`.
    static func updateClosest(
        _ data: FeatureMatrix, weights: [Double]?, candidate: Int, chunks: Range<Int>, closest: inout [Double],
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
                        let first = chunks.lowerBound
                        ChunkPartition(rows: chunks.count, maximumChunks: chunks.count).forEach(threads: threads) {
                            let c = first + $0
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

    /// Per chunk and candidate t: Σᵢ wᵢ·min(closest[i], ‖xᵢ − x_{candidate t}‖²) into `output[chunk·8 + t]` (+∞ for
    /// unused lanes). With a `pending` centroid (at most 7 candidates), every closest[i] is first lowered to
    /// ‖xᵢ − x_pending‖² (Swift's `min`) and the candidates are capped with the lowered value.
    static func candidatePotentials(
        _ data: FeatureMatrix, weights: [Double]?, candidates: [Int], pending: Int? = nil, closest: inout [Double],
        output: inout [Double], partition: ChunkPartition, threads: Int, instructionSet: KernelInstructionSet = .best
    ) {
        let d = data.columns
        let used = candidates.count
        let lanesNeeded = used + (pending == nil ? 0 : 1)
        precondition(lanesNeeded <= 8, "at most 8 lanes: 8 candidates, or 7 and the pending centroid")
        let width = lanesNeeded <= 4 ? 4 : 8
        var lanes = [Double](repeating: .infinity, count: d * width)
        for (t, row) in candidates.enumerated() {
            for j in 0..<d { lanes[width * j + t] = data.elements[row * d + j] }
        }
        if let pending {
            for j in 0..<d { lanes[width * j + width - 1] = data.elements[pending * d + j] }
        }
        data.elements.withUnsafeBufferPointer { xb in
            withOptionalBuffer(weights) { w in
                closest.withUnsafeMutableBufferPointer { cb in
                    lanes.withUnsafeBufferPointer { lb in
                        output.withUnsafeMutableBufferPointer { ob in
                            let x = SharedConstPointer(base: xb.start)
                            let near = SharedPointer(base: cb.start)
                            let l = SharedConstPointer(base: lb.start)
                            let out = SharedPointer(base: ob.start)
                            partition.forEach(threads: threads) { c in
                                var pass = seedPass(
                                    rows: partition.range(c), d: d, x: x.base, weights: w?.base, closest: near.base)
                                pass.lanes = l.base
                                pass.width = width
                                pass.pending = pending == nil ? 0 : 1
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

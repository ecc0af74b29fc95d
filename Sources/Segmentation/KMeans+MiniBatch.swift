import CAPMNumerics
import Foundation

extension KMeans {
    /// Steps without an improvement of the smoothed batch inertia after which a mini-batch run stops.
    static let miniBatchPatience = 10

    /// The rows a mini-batch run seeds k-means++ on: 3 × the batch size (at least 3k) rows drawn uniformly with
    /// replacement, as scikit-learn's `MiniBatchKMeans(init_size=None)` — seeding on all N rows would cost more
    /// than the whole mini-batch run.
    static func miniBatchSeedingRows(n: Int, k: Int, batch: Int, rng: inout Xoshiro256) -> [Int] {
        let size = min(n, max(3 * batch, 3 * k))
        if size == n { return Array(0..<n) }
        return (0..<size).map { _ in Int.random(in: 0..<n, using: &rng) }
    }

    /// Mini-batch k-means (Sculley 2010, "Web-scale k-means clustering", WWW; batched per-centre learning rates as
    /// in scikit-learn's `MiniBatchKMeans`), from `initial` (centred k × d centroids).
    ///
    /// Each step draws `batch` rows uniformly with replacement (`rng`), assigns them to the nearest current centroid
    /// (the fused kernel in assignment mode), and moves every centroid c that received rows to the weighted mean of its past
    /// and new rows: c ← (c·W_c + Σ_{batch→c} wᵢ xᵢ) / (W_c + Σ_{batch→c} wᵢ), W_c += Σ wᵢ — a per-centre learning
    /// rate 1/W_c that decays as the centre accumulates rows. The batch's mean exact squared distance, smoothed
    /// exponentially with α = min(1, 2·batch/(N + 1)), is the progress measure: the run stops when it has not
    /// improved for ``miniBatchPatience`` steps (`noImprovement`) or after `maxEpochs` × ⌈N/batch⌉ steps. The
    /// centroid-shift tolerance of Lloyd is not used: a step's shift shrinks like 1/W_c by construction, so any fixed
    /// tolerance stops the run after a few dozen steps (measured: 35 steps on 4M rows) long before it settles.
    /// A final parallel pass over all rows gives the labels and the exact inertia (difference form).
    ///
    /// Deterministic: the batches depend only on `rng`, each batch is processed in row order, and the final pass
    /// reduces in chunk order, so the result does not depend on `threads`.
    ///
    /// - Complexity: O(batch·k·d) per step, O(N·k·d) for the final pass; memory: the labels plus O(batch + k·d).
    static func miniBatch(
        _ data: FeatureMatrix, weights: [Double]?, mean: [Double], initial: [Double], k: Int, batch: Int,
        maxEpochs: Int, partition: ChunkPartition, threads: Int, instructionSet: KernelInstructionSet = .best,
        rng: inout Xoshiro256, onEpoch: (_ epoch: Int) -> Void = { _ in }
    ) -> LloydRun {
        let n = data.rows
        let d = data.columns
        let b = min(batch, n)
        let stepsPerEpoch = (n + b - 1) / b
        let (maxSteps, stepsOverflow) = maxEpochs.multipliedReportingOverflow(by: stepsPerEpoch)
        let stepLimit = stepsOverflow ? Int.max : maxSteps
        let alpha = min(1, 2 * Double(b) / Double(n + 1))
        var centroids = initial
        var counts = [Double](repeating: 0, count: k)
        var batchRows = [Int](repeating: 0, count: b)
        var gathered = [Double](repeating: 0, count: b * d)
        var batchLabels = [Int32](repeating: 0, count: b)
        var batchSums = [Double](repeating: 0, count: k * d)
        var batchWeights = [Double](repeating: 0, count: k)
        var smoothed = Double.nan
        var bestSmoothed = Double.infinity
        var stepsWithoutImprovement = 0
        var convergence = KMeansConvergence.maxIterations
        var steps = 0
        let epochStart = ContinuousClock.now
        let cpuStart = ProcessCPUClock.now()
        while steps < stepLimit {
            steps += 1
            for r in 0..<b { batchRows[r] = Int.random(in: 0..<n, using: &rng) }
            let panel = CentroidPanel(centred: centroids, mean: mean, k: k, d: d)
            for c in 0..<(k * d) { batchSums[c] = 0 }
            for c in 0..<k { batchWeights[c] = 0 }
            var batchInertia = 0.0
            var batchWeight = 0.0
            // Gather the batch's rows into one contiguous buffer first: the loop of independent loads lets the
            // random-row cache misses overlap, which the distance kernel's dependent work did not (perf: 66 % of
            // a 4M-row run stalled in the kernel on the first touch of each row).
            data.elements.withUnsafeBufferPointer { xb in
                gathered.withUnsafeMutableBufferPointer { gb in
                    let x = xb.start
                    let g = gb.start
                    for r in 0..<b {
                        let source = x + batchRows[r] * d
                        let target = g + r * d
                        for j in 0..<d { target[j] = source[j] }
                    }
                }
            }
            // The batch's labels by the fused kernel in assignment mode (rows of the gathered buffer).
            gathered.withUnsafeBufferPointer { xb in
                mean.withUnsafeBufferPointer { mb in
                    batchLabels.withUnsafeMutableBufferPointer { lb in
                        _ = runFusedKernel(
                            rows: b, x: .double(xb.start), panel: panel, mean: mb.start, weights: nil,
                            labels: lb.start, sums: nil, clusterWeights: nil, mode: .assign,
                            instructionSet: instructionSet)
                    }
                }
            }
            gathered.withUnsafeBufferPointer { xb in
                let x = xb.start
                for r in 0..<b {
                    let i = batchRows[r]
                    let point = x + r * d
                    let label = Int(batchLabels[r])
                    let w = weights?[i] ?? 1
                    var distance = 0.0
                    for j in 0..<d {
                        let centred = point[j] - mean[j]
                        let t = centred - centroids[label * d + j]
                        distance += t * t
                        batchSums[label * d + j] += w * centred
                    }
                    batchWeights[label] += w
                    batchInertia += w * distance
                    batchWeight += w
                }
            }
            for c in 0..<k where batchWeights[c] > 0 {
                let total = counts[c] + batchWeights[c]
                for j in 0..<d {
                    centroids[c * d + j] = (centroids[c * d + j] * counts[c] + batchSums[c * d + j]) / total
                }
                counts[c] = total
            }
            if steps % stepsPerEpoch == 0 { onEpoch(steps / stepsPerEpoch) }
            // Progress: exponentially smoothed mean batch inertia (batches with zero total weight carry no signal).
            if batchWeight > 0 {
                let value = batchInertia / batchWeight
                smoothed = smoothed.isNaN ? value : smoothed * (1 - alpha) + value * alpha
                if smoothed < bestSmoothed {
                    bestSmoothed = smoothed
                    stepsWithoutImprovement = 0
                } else {
                    stepsWithoutImprovement += 1
                    if stepsWithoutImprovement >= miniBatchPatience {
                        convergence = .noImprovement
                        break
                    }
                }
            }
        }
        let stepsSeconds = seconds(since: epochStart)
        let stepsCPUSeconds = ProcessCPUClock.now() - cpuStart
        // Labels and exact inertia of all rows at the final centroids.
        var labels = [Int32](repeating: -1, count: n)
        var partials = PassPartials(chunks: partition.count, k: k, d: d)
        let panel = CentroidPanel(centred: centroids, mean: mean, k: k, d: d)
        fusedPass(
            data, weights: weights, mean: mean, panel: panel, labels: &labels, partials: &partials,
            mode: .final, partition: partition, threads: threads, instructionSet: instructionSet)
        return LloydRun(
            centroids: centroids, labels: labels, inertia: partials.inertia.reduce(0, +), iterations: steps,
            convergence: convergence, repairs: 0,
            iterationSeconds: steps > 0 ? [stepsSeconds / Double(steps)] : [],
            iterationCPUSeconds: steps > 0 ? [stepsCPUSeconds / Double(steps)] : [])
    }
}

extension KMeans {
    /// Greedy k-means++ on the rows of ``miniBatchSeedingRows(n:k:batch:rng:)``; if that sample holds fewer than k
    /// distinct rows (heavily duplicated data), on all rows.
    static func seedMiniBatch(
        _ data: FeatureMatrix, weights: [Double]?, k: Int, batch: Int, partition: ChunkPartition, threads: Int,
        rng: inout Xoshiro256, instructionSet: KernelInstructionSet = .best
    ) throws(SegmentationError) -> [Double] {
        let rows = miniBatchSeedingRows(n: data.rows, k: k, batch: batch, rng: &rng)
        if rows.count < data.rows {
            let d = data.columns
            var elements = [Double](repeating: 0, count: rows.count * d)
            for (r, i) in rows.enumerated() { for j in 0..<d { elements[r * d + j] = data.elements[i * d + j] } }
            let sample = try FeatureMatrix(rows: rows.count, columns: d, elements: elements)
            let sampleWeights = weights.map { w in rows.map { w[$0] } }
            do {
                return try seedPlusPlus(
                    sample, weights: sampleWeights, k: k,
                    partition: ChunkPartition(rows: rows.count, maximumChunks: partition.count), threads: threads,
                    rng: &rng, instructionSet: instructionSet)
            } catch {
                // Fewer than k distinct positive-weight rows in the sample: seed on all rows below.
            }
        }
        return try seedPlusPlus(
            data, weights: weights, k: k, partition: partition, threads: threads, rng: &rng,
            instructionSet: instructionSet)
    }
}

import CAPMNumerics
import Foundation

/// Weighted k-means clustering (Lloyd 1982, "Least squares quantization in PCM", IEEE Trans. Inf. Theory 28(2)):
/// minimise the inertia Σᵢ wᵢ ‖xᵢ − c_{ℓ(i)}‖² over centroids c₁…c_k and labels ℓ.
///
/// Each Lloyd iteration assigns every point to its nearest centroid and moves each centroid to the weighted mean
/// of its points, fused in one streaming pass over the data. The pass is cut into a fixed number of chunks
/// (``chunkCount``) whose partial sums are reduced in chunk order, so the result is bitwise identical for any
/// ``threads``. Conventions follow scikit-learn's `KMeans(algorithm="lloyd")`:
/// - the data are centred on the column means before clustering (the inertia is then computed without the
///   cancellation of the expanded form), centroids are reported in input units;
/// - the iteration stops when no label changes (*strict* convergence) or when the total squared centroid shift
///   Σ_c ‖c_new − c_old‖² ≤ ``tolerance`` × mean column variance, or after ``maxIterations``;
/// - an empty cluster is re-seeded with the point farthest from its own centroid (then the next farthest…);
/// - ``restarts`` runs from independent seedings keep the one with the smallest inertia.
///
/// Seeding is greedy k-means++ (Arthur & Vassilvitskii 2007, "k-means++: the advantages of careful seeding",
/// SODA; greedy variant with 2 + ⌊ln k⌋ local trials as in scikit-learn), uniform random rows, or explicit
/// centroids.
public struct KMeans: Sendable {
    /// How the first centroids are chosen.
    public enum Initialization: Sendable, Equatable {
        /// Greedy k-means++: each new centroid is the best (lowest resulting inertia) of 2 + ⌊ln k⌋ candidates
        /// drawn with probability ∝ wᵢ·D(xᵢ)², D the distance to the nearest centroid chosen so far.
        case kMeansPlusPlus
        /// k distinct rows drawn with probability ∝ wᵢ without replacement.
        case random
        /// Explicit k × d starting centroids (in input units); ``KMeans/restarts`` is ignored.
        case centroids(FeatureMatrix)
    }

    /// How the Lloyd fixed point is iterated.
    public enum Algorithm: String, Sendable, CaseIterable, Codable {
        /// Chosen by ``KMeans/automaticAlgorithm(features:clusters:)`` (Lloyd, as measured).
        case automatic
        /// Plain Lloyd: every row against every centroid each iteration (scikit-learn's `algorithm="lloyd"`).
        case lloyd
        /// Hamerly's bounds (Hamerly 2010): rows far from any boundary skip all distance work; same fixed point.
        case hamerly
        /// Mini-batch k-means (Sculley 2010): centroids updated from random batches of ``KMeans/miniBatchSize``
        /// rows with per-centre learning rates, then one full pass for labels and inertia. An approximation of the
        /// Lloyd fixed point for very large N; never chosen by ``automatic``. ``KMeans/maxIterations`` counts epochs
        /// (N/batch steps each); ``KMeansResult/iterations`` reports steps; the run stops early when the smoothed
        /// batch inertia stops improving (``tolerance`` is not used).
        case minibatch
    }

    /// Floating-point precision of the Lloyd update passes.
    public enum Precision: String, Sendable, CaseIterable, Codable {
        /// Double throughout.
        case float64
        /// The update passes read a centred Float copy of the rows, Float(xᵢ − μ) as scikit-learn centres its
        /// data, with a Float centroid panel (half the memory traffic, eight lanes per AVX2 vector instead of
        /// four). Cluster sums are Float within each window of 256 rows and Double across windows (scikit-learn
        /// keeps them in Float throughout); seeding, empty-cluster repair and the final labels and inertia stay in
        /// Double. Costs N·d·4 bytes for the copy. Lloyd only.
        case float32
    }

    /// Which implementation of the fused pass runs.
    ///
    /// Every pass runs the fused kernel of the C target `CKMeansKernels`: per block of rows the expanded-form
    /// distances ‖c‖² − 2·x·c to 8 centroids per vector, the lowest-index arg-min in registers, then the row's
    /// contribution to its cluster sums — each row read once. The BLAS `dgemm` path it replaced was slower in every
    /// measured shape (`Docs/segmentation.md`, "Measured"). Both implementations add the sums in the same order
    /// without fused multiply-adds, so for the same labels they give bit-identical centroids; labels can differ
    /// only where two centroids are equally near up to rounding (the AVX2 distances use FMA).
    public enum DistanceKernel: String, Sendable, CaseIterable, Codable {
        /// ``avx2`` when the CPU has it, ``portable`` otherwise.
        case automatic
        /// The AVX2 + FMA register-blocked micro-kernel (x86-64 with AVX2, FMA and OS support for the YMM state);
        /// asking for it on a CPU without them is an error.
        case avx2
        /// Plain C: what any CPU computes (to reproduce, on an AVX2 machine, a run made on one without).
        case portable
    }

    /// Number of clusters k.
    public var clusterCount: Int
    /// Seeding method.
    public var initialization: Initialization
    /// Number of independent seedings; the run with the smallest inertia is kept.
    public var restarts: Int
    /// Upper bound on Lloyd iterations per run.
    public var maxIterations: Int
    /// Relative tolerance on the total squared centroid shift (multiplied by the mean column variance).
    public var tolerance: Double
    /// Seed of the random streams: restart r uses `Xoshiro256(seed: seed, stream: r)`.
    public var seed: UInt64
    /// Worker threads for the parallel passes (results do not depend on it).
    public var threads: Int
    /// Iteration scheme.
    public var algorithm: Algorithm
    /// Precision of the Lloyd update passes.
    public var precision: Precision
    /// Distance kernel of the Lloyd passes.
    public var kernel: DistanceKernel
    /// Number of fixed chunks the rows are cut into (the reduction order); results depend on it, not on
    /// ``threads``.
    public var chunkCount: Int
    /// Rows per step of ``Algorithm/minibatch`` (scikit-learn's default 1024).
    public var miniBatchSize: Int

    /// A k-means configuration with scikit-learn's defaults (k-means++, 300 iterations, tolerance 1e-4).
    public init(
        clusterCount: Int, initialization: Initialization = .kMeansPlusPlus, restarts: Int = 1,
        maxIterations: Int = 300, tolerance: Double = 1e-4, seed: UInt64 = 0,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount, algorithm: Algorithm = .automatic,
        kernel: DistanceKernel = .automatic, chunkCount: Int = 64, precision: Precision = .float64,
        miniBatchSize: Int = 1024
    ) {
        self.miniBatchSize = miniBatchSize
        self.algorithm = algorithm
        self.precision = precision
        self.clusterCount = clusterCount
        self.initialization = initialization
        self.restarts = restarts
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.seed = seed
        self.threads = threads
        self.kernel = kernel
        self.chunkCount = chunkCount
    }

    /// The implementation ``DistanceKernel/automatic`` resolves to on this CPU: ``DistanceKernel/avx2`` when cpuid
    /// reports AVX2 and FMA (and the OS saves the YMM state), ``DistanceKernel/portable`` otherwise. The same for
    /// every shape: the fused kernel beat the blocked BLAS `dgemm`/`sgemm` path in every measured cell
    /// (`Docs/segmentation.md`, "Measured"; N ∈ {1M, 4M}, d ∈ {8, 16, 32}, k ∈ {8, 32}).
    public static var automaticKernel: DistanceKernel { KernelInstructionSet.best == .avx2 ? .avx2 : .portable }

    /// The scheme ``Algorithm/automatic`` resolves to: Lloyd with the fused kernel.
    ///
    /// Measured (`Docs/segmentation.md`, "Measured", whole fits to convergence on 1M-row Gaussian blobs from the same
    /// start, 2 threads): with the fused C kernel, Lloyd reached the same fixed point in the same iterations 2.3×
    /// (d = 8, k = 8), 2.2× (d = 8, k = 32) and 1.2× (d = 16, k = 32) faster than Hamerly, whose first iteration and
    /// full searches are scalar. (Against the former GEMM Lloyd pass Hamerly had won for k ≥ 16, d ≤ 16.) Larger k
    /// was not measured; Hamerly stays selectable.
    public static func automaticAlgorithm(features d: Int, clusters k: Int) -> Algorithm {
        .lloyd
    }

    /// Clusters the rows of `data`.
    ///
    /// - Parameters:
    ///   - data: N × d features (finite by construction of ``FeatureMatrix``).
    ///   - weights: optional non-negative sample weights, one per row (at least one positive).
    ///   - onIteration: called on the calling thread after every iteration of every restart (progress reports).
    /// - Returns: the best run's centroids (input units), labels, inertia and convergence report.
    /// - Throws: ``SegmentationError`` for k outside 1…N, fewer than k distinct rows, bad weights, a wrong
    ///   initial-centroid shape or options outside their domain.
    /// - Complexity: O(N·k·d) per iteration; memory: the data plus labels (4 bytes per row) plus
    ///   O(chunkCount·k·d); k-means++ seeding adds one N-vector of distances; float32 a Float copy (N·d·4 bytes).
    public func fit(
        _ data: FeatureMatrix, weights: [Double]? = nil, onIteration: (KMeansIteration) -> Void = { _ in }
    ) throws(SegmentationError) -> KMeansResult {
        try fit(data, weights: weights, moments: nil, onIteration: onIteration)
    }

    /// ``fit(_:weights:)`` with the column moments of `data` already computed by ``columnMoments(_:partition:threads:)``
    /// over this configuration's chunks (``KSelection`` fits every k on the same data), or nil to compute them.
    func fit(
        _ data: FeatureMatrix, weights: [Double]?, moments: (mean: [Double], variance: [Double])?,
        onIteration: (KMeansIteration) -> Void = { _ in }
    ) throws(SegmentationError) -> KMeansResult {
        try validate(data, weights: weights)
        let n = data.rows
        let d = data.columns
        let k = clusterCount
        let distinct = Self.distinctRowCount(data, upTo: k)
        if distinct < k { throw .tooFewDistinctPoints(k: k, distinct: distinct) }
        let partition = ChunkPartition(rows: n, maximumChunks: chunkCount)
        let single = precision == .float32
        if single && (algorithm == .hamerly || algorithm == .minibatch) {
            throw .invalidParameter(
                name: "precision", value: "float32", reason: "single precision runs with the Lloyd algorithm only")
        }
        let resolvedKernel = kernel == .automatic ? Self.automaticKernel : kernel
        let instructionSet: KernelInstructionSet = resolvedKernel == .avx2 ? .avx2 : .portable
        let resolvedAlgorithm =
            single ? .lloyd : (algorithm == .automatic ? Self.automaticAlgorithm(features: d, clusters: k) : algorithm)
        let (mean, variance) = moments ?? Self.columnMoments(data, partition: partition, threads: threads)
        var singleCopy: [Float]?
        if single {
            guard let copy = Self.centredSingleCopy(data, mean: mean) else {
                throw .invalidParameter(
                    name: "precision", value: "float32",
                    reason: "a feature minus its column mean exceeds the Float range (±3.4e38); use float64")
            }
            singleCopy = copy
        }
        // Squared distances between rows stay below about 4·N·Σⱼ varⱼ; past the Double range the fit would return
        // infinite inertia and empty clusters, so such data is refused (z-scores or log1p bring it back in range).
        if let j = variance.firstIndex(where: { !$0.isFinite }) { throw .valuesOverflow(column: j, name: nil) }
        if !(4 * Double(n) * variance.reduce(0, +)).isFinite {
            throw .valuesOverflow(column: variance.indices.max { variance[$0] < variance[$1] } ?? 0, name: nil)
        }
        let absoluteTolerance = tolerance * variance.reduce(0, +) / Double(d)

        var best: LloydRun?
        var restartInertias: [Double] = []
        var bestRestart = 0
        let runs: Int
        if case .centroids = initialization { runs = 1 } else { runs = restarts }
        for r in 0..<runs {
            var rng = Xoshiro256(seed: seed, stream: UInt64(r))
            let start = ContinuousClock.now
            var initial: [Double]
            switch initialization {
            case .kMeansPlusPlus where resolvedAlgorithm == .minibatch:
                initial = try Self.seedMiniBatch(
                    data, weights: weights, k: k, batch: miniBatchSize, partition: partition, threads: threads,
                    rng: &rng, instructionSet: instructionSet)
            case .kMeansPlusPlus:
                initial = try Self.seedPlusPlus(
                    data, weights: weights, k: k, partition: partition, threads: threads, rng: &rng,
                    instructionSet: instructionSet)
            case .random:
                initial = Self.seedRandom(data, weights: weights, k: k, rng: &rng)
            case .centroids(let c):
                initial = c.elements
            }
            let seedingSeconds = Self.seconds(since: start)
            for c in 0..<k { for j in 0..<d { initial[c * d + j] -= mean[j] } }
            func report(_ iteration: Int, _ changed: Int?, _ shift: Double?) {
                onIteration(KMeansIteration(
                    clusterCount: k, restart: r, restarts: runs, iteration: iteration, maxIterations: maxIterations,
                    changedLabels: changed, centroidShift: shift))
            }
            var run: LloydRun
            switch resolvedAlgorithm {
            case .lloyd, .automatic:
                run = Self.lloyd(
                    data, weights: weights, mean: mean, initial: initial, k: k, maxIterations: maxIterations,
                    tolerance: absoluteTolerance, partition: partition, threads: threads, single: singleCopy,
                    instructionSet: instructionSet, onIteration: { report($0, $1, $2) })
            case .minibatch:
                run = Self.miniBatch(
                    data, weights: weights, mean: mean, initial: initial, k: k, batch: miniBatchSize,
                    maxEpochs: maxIterations, partition: partition, threads: threads, instructionSet: instructionSet,
                    rng: &rng, onEpoch: { report($0, nil, nil) })
            case .hamerly:
                run = Self.hamerly(
                    data, weights: weights, mean: mean, initial: initial, k: k, maxIterations: maxIterations,
                    tolerance: absoluteTolerance, partition: partition, threads: threads, instructionSet: instructionSet,
                    onIteration: { report($0, $1, $2) })
            }
            run.seedingSeconds = seedingSeconds
            restartInertias.append(run.inertia)
            if best.map({ run.inertia < $0.inertia }) ?? true {
                best = run
                bestRestart = r
            }
        }
        guard let run = best else { throw .invalidParameter(name: "restarts", value: "\(restarts)", reason: "no run") }
        var centroids = run.centroids
        for c in 0..<k { for j in 0..<d { centroids[c * d + j] += mean[j] } }
        var sizes = [Int](repeating: 0, count: k)
        for label in run.labels { sizes[Int(label)] += 1 }
        let centroidMatrix: FeatureMatrix
        do { centroidMatrix = try FeatureMatrix(rows: k, columns: d, elements: centroids) } catch {
            // Only reachable if the iteration overflowed (|x| near the Double range).
            throw .invalidParameter(name: "data", value: "range", reason: "centroids overflowed: \(error)")
        }
        return KMeansResult(
            centroids: centroidMatrix, labels: run.labels, inertia: run.inertia, iterations: run.iterations,
            convergence: run.convergence, sizes: sizes, restartInertias: restartInertias, bestRestart: bestRestart,
            precision: precision, algorithm: resolvedAlgorithm, kernel: resolvedKernel, absoluteTolerance: absoluteTolerance, emptyClusterRepairs: run.repairs,
            iterationSeconds: run.iterationSeconds, iterationCPUSeconds: run.iterationCPUSeconds,
            seedingSeconds: run.seedingSeconds)
    }

    func validate(_ data: FeatureMatrix, weights: [Double]?) throws(SegmentationError) {
        if data.rows == 0 { throw .noPoints }
        if data.columns == 0 { throw .noFeatures }
        if clusterCount < 1 || clusterCount > data.rows {
            throw .invalidClusterCount(k: clusterCount, points: data.rows)
        }
        if restarts < 1 { throw .invalidParameter(name: "restarts", value: "\(restarts)", reason: "must be ≥ 1") }
        if maxIterations < 1 {
            throw .invalidParameter(name: "maxIterations", value: "\(maxIterations)", reason: "must be ≥ 1")
        }
        if !(tolerance >= 0) || !tolerance.isFinite {
            throw .invalidParameter(name: "tolerance", value: "\(tolerance)", reason: "must be finite and ≥ 0")
        }
        if threads < 1 { throw .invalidParameter(name: "threads", value: "\(threads)", reason: "must be ≥ 1") }
        if chunkCount < 1 {
            throw .invalidParameter(name: "chunkCount", value: "\(chunkCount)", reason: "must be ≥ 1")
        }
        if kernel == .avx2 && !KernelInstructionSet.avx2.isAvailable {
            throw .invalidParameter(name: "kernel", value: "avx2", reason: "this CPU lacks AVX2 and FMA; use automatic or portable")
        }
        if miniBatchSize < 1 {
            throw .invalidParameter(name: "miniBatchSize", value: "\(miniBatchSize)", reason: "must be ≥ 1")
        }
        if let weights {
            if weights.count != data.rows {
                throw .lengthMismatch(what: "sample weights", expected: data.rows, actual: weights.count)
            }
            var total = 0.0
            for (i, w) in weights.enumerated() {
                if !(w >= 0) || !w.isFinite { throw .invalidWeight(row: i, value: w) }
                total += w
            }
            if !(total > 0) || !total.isFinite { throw .invalidWeight(row: nil, value: total) }
        }
        if case .centroids(let c) = initialization, c.rows != clusterCount || c.columns != data.columns {
            throw .initialCentroidsShape(
                expectedRows: clusterCount, expectedColumns: data.columns, rows: c.rows, columns: c.columns)
        }
    }

    /// The number of distinct rows, counting only up to `limit` (stops scanning once `limit` are found).
    ///
    /// - Complexity: O(N·d) in the worst case (few distinct rows); typically O(limit·d).
    static func distinctRowCount(_ data: FeatureMatrix, upTo limit: Int) -> Int {
        var seen = Set<[Double]>()
        let d = data.columns
        for i in 0..<data.rows {
            // Adding 0.0 maps −0.0 to +0.0 so both hash alike.
            seen.insert((0..<d).map { data.elements[i * d + $0] + 0.0 })
            if seen.count >= limit { return seen.count }
        }
        return seen.count
    }

    /// Column means and (population) variances, in a deterministic two-pass chunked computation.
    static func columnMoments(
        _ data: FeatureMatrix, partition: ChunkPartition, threads: Int
    ) -> (mean: [Double], variance: [Double]) {
        let d = data.columns
        let n = data.rows
        // Chunk slots a cache line apart (see PassPartials): packed d-Double slots shared lines between the two
        // workers, whose every row wrote them.
        let stride = PassPartials.padded(d)
        var partial = [Double](repeating: 0, count: partition.count * stride)
        var mean = [Double](repeating: 0, count: d)
        var variance = [Double](repeating: 0, count: d)
        data.elements.withUnsafeBufferPointer { xb in
            let x = SharedConstPointer(base: xb.start)
            partial.withUnsafeMutableBufferPointer { pb in
                let p = SharedPointer(base: pb.start)
                partition.forEach(threads: threads) { c in
                    let out = p.base + c * stride
                    for i in partition.range(c) { for j in 0..<d { out[j] += x.base[i * d + j] } }
                }
            }
            for c in 0..<partition.count { for j in 0..<d { mean[j] += partial[c * stride + j] } }
            for j in 0..<d { mean[j] /= Double(n) }
            for i in partial.indices { partial[i] = 0 }
            let mu = mean
            partial.withUnsafeMutableBufferPointer { pb in
                let p = SharedPointer(base: pb.start)
                partition.forEach(threads: threads) { c in
                    let out = p.base + c * stride
                    for i in partition.range(c) {
                        for j in 0..<d {
                            let t = x.base[i * d + j] - mu[j]
                            out[j] += t * t
                        }
                    }
                }
            }
            for c in 0..<partition.count { for j in 0..<d { variance[j] += partial[c * stride + j] } }
            for j in 0..<d { variance[j] /= Double(n) }
        }
        return (mean, variance)
    }

    /// The centred single-precision copy Float(xᵢⱼ − μⱼ) read by the float32 update passes. Centring in Double
    /// before rounding keeps the Float rows' digits for the spread of each column instead of its offset (a CLV
    /// column near 10⁴ with a spread of 10 keeps about 4 more digits). `nil` when a value does not fit in Float
    /// (|xᵢⱼ − μⱼ| beyond ±3.4e38 rounds to ±∞).
    /// - Complexity: O(N·d); N·d·4 bytes.
    static func centredSingleCopy(_ data: FeatureMatrix, mean: [Double]) -> [Float]? {
        let d = data.columns
        let count = data.rows * d
        var finite = true
        let copy = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            HugePages.advise(UnsafeMutableRawBufferPointer(out))  // streamed every iteration (see `HugePages`)
            data.elements.withUnsafeBufferPointer { x in
                mean.withUnsafeBufferPointer { mu in
                    var e = 0
                    while e < count {
                        for j in 0..<d { out[e + j] = Float(x[e + j] - mu[j]) }
                        e += d
                    }
                }
            }
            initialized = count
            finite = out.allSatisfy { $0.isFinite }
        }
        return finite ? copy : nil
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}

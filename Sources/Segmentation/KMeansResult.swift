/// Why a Lloyd run stopped.
public enum KMeansConvergence: String, Sendable, Codable, Equatable {
    /// No label changed in the last iteration (the fixed point was reached exactly).
    case labelsStable
    /// The total squared centroid shift fell to or below the absolute tolerance.
    case centroidShift
    /// ``KMeans/maxIterations`` was reached first.
    case maxIterations
    /// Mini-batch k-means only: the smoothed batch inertia did not improve for 10 consecutive steps (early stop).
    case noImprovement

    /// Whether the run converged (`labelsStable`, `centroidShift` or `noImprovement`).
    public var converged: Bool { self != .maxIterations }
}

/// The outcome of ``KMeans/fit(_:weights:)``: the best run over all restarts.
public struct KMeansResult: Sendable {
    /// k × d centroids in input units.
    public let centroids: FeatureMatrix
    /// The cluster of each row, 0..<k (4 bytes per row to keep millions of customers compact).
    public internal(set) var labels: [Int32]
    /// Σᵢ wᵢ ‖xᵢ − c_{ℓ(i)}‖² at the returned centroids and labels.
    public let inertia: Double
    /// Lloyd iterations of the best run.
    public let iterations: Int
    /// Why the best run stopped.
    public let convergence: KMeansConvergence
    /// Number of rows per cluster.
    public let sizes: [Int]
    /// Final inertia of every restart, in restart order.
    public let restartInertias: [Double]
    /// Index of the kept restart.
    public let bestRestart: Int
    /// Precision of the update passes.
    public let precision: KMeans.Precision
    /// The iteration scheme that ran.
    public let algorithm: KMeans.Algorithm
    /// The distance kernel of the Lloyd passes that ran.
    public let kernel: KMeans.DistanceKernel
    /// The absolute tolerance used: ``KMeans/tolerance`` × mean column variance.
    public let absoluteTolerance: Double
    /// Number of empty-cluster re-seedings in the best run.
    public let emptyClusterRepairs: Int
    /// Wall-clock seconds of each Lloyd iteration of the best run (fused assign + update pass, plus repairs).
    public let iterationSeconds: [Double]
    /// Process CPU seconds of each Lloyd iteration of the best run (every thread; what Python's
    /// `time.process_time()` measures), so iterations compare with other tools on a machine shared with other load.
    public let iterationCPUSeconds: [Double]
    /// Wall-clock seconds of the best run's seeding.
    public let seedingSeconds: Double

    /// Whether the best run converged before ``KMeans/maxIterations``.
    public var converged: Bool { convergence.converged }
}

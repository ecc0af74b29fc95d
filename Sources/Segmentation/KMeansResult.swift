import Foundation

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

/// One finished iteration of a k-means run, for progress reports (``KMeans/fit(_:weights:onIteration:)``).
public struct KMeansIteration: Sendable, Equatable, CustomStringConvertible {
    /// The number of clusters being fitted.
    public let clusterCount: Int
    /// The restart (seeding) this iteration belongs to, 0-based, and how many there are.
    public let restart: Int, restarts: Int
    /// The iteration number within the restart, from 1 (mini-batch: the epoch, N/batch steps each).
    public let iteration: Int
    /// ``KMeans/maxIterations`` (mini-batch: epochs).
    public let maxIterations: Int
    /// Rows whose label changed in this iteration (nil for mini-batch, which labels a sample per step).
    public let changedLabels: Int?
    /// Σ‖c_new − c_old‖² over the centroids in this iteration (the quantity the tolerance bounds), in scaled
    /// units (nil for mini-batch).
    public let centroidShift: Double?

    /// An iteration report (``KMeans`` creates them; public for callers that test their progress handlers).
    public init(
        clusterCount: Int, restart: Int, restarts: Int, iteration: Int, maxIterations: Int, changedLabels: Int?,
        centroidShift: Double?
    ) {
        self.clusterCount = clusterCount
        self.restart = restart
        self.restarts = restarts
        self.iteration = iteration
        self.maxIterations = maxIterations
        self.changedLabels = changedLabels
        self.centroidShift = centroidShift
    }

    /// One progress line, e.g. `k = 8, restart 2/4, iteration 37/300: 1204 labels changed, centroid shift 3.1e-05`
    /// (mini-batch: `k = 5, epoch 2/100`; the restart only when there are several).
    public var description: String {
        var text = "k = \(clusterCount)"
        if restarts > 1 { text += ", restart \(restart + 1)/\(restarts)" }
        text += changedLabels == nil ? ", epoch " : ", iteration "
        text += "\(iteration)/\(maxIterations)"
        if let changedLabels, let centroidShift {
            text += String(format: ": %d labels changed, centroid shift %.3g", changedLabels, centroidShift)
        }
        return text
    }
}

/// The machine-readable summary of a segmentation run (`capm segment --format json`): the clustering, its
/// metrics, the k selection if any, the CAPM segment profiles and the run's timing.
public struct SegmentationReport: Sendable, Codable {
    /// Number of segments.
    public var k: Int
    /// Feature column names, in order.
    public var features: [String]
    /// The fitted scaling (apply to new customers before assignment).
    public var scaling: FeatureScaler
    /// Final inertia in scaled space.
    public var inertia: Double
    /// Lloyd iterations of the kept run.
    public var iterations: Int
    /// Whether the kept run converged.
    public var converged: Bool
    /// Why it stopped.
    public var convergence: KMeansConvergence
    /// k centroids in input units (inverse scaling of ``scaledCentroids``; for log1p columns the back-transformed
    /// mean of the logs).
    public var centroids: [[Double]]
    /// k centroids in scaled space (what the distances are measured in).
    public var scaledCentroids: [[Double]]
    /// Customers per segment.
    public var sizes: [Int]
    /// Validity indices at the chosen k (nil when not computed).
    public var metrics: KSelection.Candidate?
    /// The automatic choice of k (nil when k was given).
    public var selection: Selection?
    /// CAPM profiles per segment (nil without a `clv` column).
    public var profiles: [SegmentProfile]?
    /// How the run was configured and how long it took.
    public var run: RunInfo

    /// The automatic k selection.
    public struct Selection: Sendable, Codable {
        /// The rule that chose k.
        public var rule: KSelection.Rule
        /// Metrics of every candidate k.
        public var candidates: [KSelection.Candidate]

        /// A selection record.
        public init(rule: KSelection.Rule, candidates: [KSelection.Candidate]) {
            self.rule = rule
            self.candidates = candidates
        }
    }

    /// Configuration and timing.
    public struct RunInfo: Sendable, Codable {
        /// Random seed.
        public var seed: UInt64
        /// Restarts run.
        public var restarts: Int
        /// Final inertia of each restart.
        public var restartInertias: [Double]
        /// Worker threads.
        public var threads: Int
        /// Precision of the update passes.
        public var precision: KMeans.Precision
        /// Iteration scheme that ran.
        public var algorithm: KMeans.Algorithm
        /// Distance kernel that ran.
        public var kernel: KMeans.DistanceKernel
        /// Relative tolerance given.
        public var tolerance: Double
        /// Absolute tolerance used (relative × mean column variance).
        public var absoluteTolerance: Double
        /// Iteration cap.
        public var maxIterations: Int
        /// Empty-cluster repairs in the kept run.
        public var emptyClusterRepairs: Int
        /// Seconds spent seeding the kept run.
        public var seedingSeconds: Double
        /// Seconds per Lloyd iteration of the kept run.
        public var iterationSeconds: [Double]
        /// Process CPU seconds per Lloyd iteration of the kept run (all threads).
        public var iterationCPUSeconds: [Double]

        /// A run record.
        public init(
            seed: UInt64, restarts: Int, restartInertias: [Double], threads: Int, precision: KMeans.Precision,
            algorithm: KMeans.Algorithm,
            kernel: KMeans.DistanceKernel,
            tolerance: Double, absoluteTolerance: Double, maxIterations: Int, emptyClusterRepairs: Int,
            seedingSeconds: Double, iterationSeconds: [Double], iterationCPUSeconds: [Double] = []
        ) {
            self.seed = seed
            self.restarts = restarts
            self.restartInertias = restartInertias
            self.threads = threads
            self.precision = precision
            self.algorithm = algorithm
            self.kernel = kernel
            self.tolerance = tolerance
            self.absoluteTolerance = absoluteTolerance
            self.maxIterations = maxIterations
            self.emptyClusterRepairs = emptyClusterRepairs
            self.seedingSeconds = seedingSeconds
            self.iterationSeconds = iterationSeconds
            self.iterationCPUSeconds = iterationCPUSeconds
        }

        /// Decodes a run record; reports written before ``iterationCPUSeconds`` existed read it as empty.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                seed: try c.decode(UInt64.self, forKey: .seed), restarts: try c.decode(Int.self, forKey: .restarts),
                restartInertias: try c.decode([Double].self, forKey: .restartInertias),
                threads: try c.decode(Int.self, forKey: .threads),
                precision: try c.decode(KMeans.Precision.self, forKey: .precision),
                algorithm: try c.decode(KMeans.Algorithm.self, forKey: .algorithm),
                kernel: try c.decode(KMeans.DistanceKernel.self, forKey: .kernel),
                tolerance: try c.decode(Double.self, forKey: .tolerance),
                absoluteTolerance: try c.decode(Double.self, forKey: .absoluteTolerance),
                maxIterations: try c.decode(Int.self, forKey: .maxIterations),
                emptyClusterRepairs: try c.decode(Int.self, forKey: .emptyClusterRepairs),
                seedingSeconds: try c.decode(Double.self, forKey: .seedingSeconds),
                iterationSeconds: try c.decode([Double].self, forKey: .iterationSeconds),
                iterationCPUSeconds: try c.decodeIfPresent([Double].self, forKey: .iterationCPUSeconds) ?? [])
        }
    }

    /// The report of a clustering `result` of features scaled by `scaler`.
    ///
    /// - Throws: ``SegmentationError`` from the inverse scaling.
    public init(
        result: KMeansResult, configuration: KMeans, scaler: FeatureScaler, metrics: KSelection.Candidate?,
        selection: Selection?, profiles: [SegmentProfile]?
    ) throws(SegmentationError) {
        k = result.centroids.rows
        features = scaler.names
        scaling = scaler
        inertia = result.inertia
        iterations = result.iterations
        converged = result.converged
        convergence = result.convergence
        centroids = try scaler.inverseTransform(result.centroids).rowArrays
        scaledCentroids = result.centroids.rowArrays
        sizes = result.sizes
        self.metrics = metrics
        self.selection = selection
        self.profiles = profiles
        run = RunInfo(
            seed: configuration.seed, restarts: result.restartInertias.count, restartInertias: result.restartInertias,
            threads: configuration.threads, precision: result.precision, algorithm: result.algorithm, kernel: result.kernel, tolerance: configuration.tolerance,
            absoluteTolerance: result.absoluteTolerance, maxIterations: configuration.maxIterations,
            emptyClusterRepairs: result.emptyClusterRepairs, seedingSeconds: result.seedingSeconds,
            iterationSeconds: result.iterationSeconds, iterationCPUSeconds: result.iterationCPUSeconds)
    }
}

import CAPMNumerics
import Foundation
import Testing
@testable import Segmentation

/// The iteration schemes under test.
enum Engine: String, CaseIterable, CustomTestStringConvertible {
    case lloyd, hamerly

    var testDescription: String { rawValue }

    func configure(_ model: KMeans) -> KMeans {
        var model = model
        model.algorithm = self == .lloyd ? .lloyd : .hamerly
        return model
    }
}

@Suite("k-means")
struct KMeansTests {
    static let blobCenters: [[Double]] = [[0, 0, 0], [10, 0, 5], [0, 12, -4], [-9, -9, 9]]

    @Test("well-separated blobs are recovered exactly", arguments: Engine.allCases)
    func recoversBlobs(engine: Engine) throws {
        let (data, truth) = try gaussianBlobs(centers: Self.blobCenters, perCluster: 150, spread: 0.5, seed: 7)
        // k-means++ puts one seed in each blob with high probability; uniform random seeding often does not
        // (4!/4⁴ ≈ 9% per restart), so it is tested for the fixed point it reaches, not for recovery.
        for seed in UInt64(1)...5 {
            let model = engine.configure(KMeans(clusterCount: 4, restarts: 2, seed: seed, threads: 2))
            let result = try model.fit(data)
            #expect(adjustedRandIndex(truth, result.labels.map(Int.init)) == 1)
            #expect(result.converged)
            #expect(result.sizes.sorted() == [150, 150, 150, 150])
        }
        let random = try engine.configure(KMeans(clusterCount: 4, initialization: .random, restarts: 3, seed: 11))
            .fit(data)
        #expect(random.restartInertias.min() == random.inertia)
        #expect(random.restartInertias[random.bestRestart] == random.inertia)
        #expect(random.converged)
    }

    @Test("every iteration reports its wall and process CPU time", arguments: Engine.allCases)
    func iterationTimes(engine: Engine) throws {
        let (data, _) = try gaussianBlobs(centers: Self.blobCenters, perCluster: 2_000, spread: 4, seed: 4)
        let result = try engine.configure(KMeans(clusterCount: 5, maxIterations: 6, tolerance: 0, seed: 1, threads: 2))
            .fit(data)
        #expect(result.iterationSeconds.count == result.iterations)
        #expect(result.iterationCPUSeconds.count == result.iterations)
        #expect(result.iterationCPUSeconds.allSatisfy { $0 >= 0 } && result.iterationCPUSeconds.reduce(0, +) > 0)
    }

    @Test("onIteration reports every iteration of every restart, in order", arguments: Engine.allCases)
    func iterationProgress(engine: Engine) throws {
        let (data, _) = try gaussianBlobs(centers: Self.blobCenters, perCluster: 500, spread: 3, seed: 9)
        var steps: [KMeansIteration] = []
        let result = try engine.configure(KMeans(clusterCount: 6, restarts: 3, maxIterations: 50, seed: 2, threads: 2))
            .fit(data) { steps.append($0) }
        #expect(steps.allSatisfy { $0.clusterCount == 6 && $0.restarts == 3 && $0.maxIterations == 50 })
        for r in 0..<3 {
            let run = steps.filter { $0.restart == r }
            #expect(!run.isEmpty && run.map(\.iteration) == Array(1...run.count))
            // Every label is new in the first iteration.
            #expect(run.first?.changedLabels == data.rows)
        }
        // Restarts in order, and the kept run's count is the result's.
        #expect(steps.map(\.restart) == steps.map(\.restart).sorted())
        let kept = steps.filter { $0.restart == result.bestRestart }
        #expect(kept.count == result.iterations)
        switch result.convergence {
        case .labelsStable: #expect(kept.last?.changedLabels == 0)
        case .centroidShift: #expect((kept.last?.centroidShift ?? .infinity) <= result.absoluteTolerance)
        default: Issue.record("blobs should converge, stopped by \(result.convergence)")
        }
    }

    @Test("mini-batch reports one step per completed epoch, without label counts")
    func miniBatchProgress() throws {
        let (data, _) = try gaussianBlobs(centers: Self.blobCenters, perCluster: 500, spread: 3, seed: 9)
        var steps: [KMeansIteration] = []
        let model = KMeans(clusterCount: 4, maxIterations: 3, seed: 5, algorithm: .minibatch, miniBatchSize: 256)
        let result = try model.fit(data) { steps.append($0) }
        // 2,000 rows in batches of 256: 8 steps per epoch.
        #expect(steps.map(\.iteration) == Array(stride(from: 1, through: result.iterations / 8, by: 1)))
        #expect(steps.allSatisfy { $0.changedLabels == nil && $0.centroidShift == nil })
    }

    @Test("a report written before iterationCPUSeconds existed still decodes, with no CPU times")
    func reportWithoutCPUTimes() throws {
        let (data, _) = try gaussianBlobs(centers: Self.blobCenters, perCluster: 50, spread: 1, seed: 2)
        let result = try KMeans(clusterCount: 4, seed: 3).fit(data)
        let scaler = try FeatureScaler.fit(data, names: ["a", "b", "c"], method: .none)
        let report = try SegmentationReport(
            result: result, configuration: KMeans(clusterCount: 4, seed: 3), scaler: scaler, metrics: nil,
            selection: nil, profiles: nil)
        #expect(report.run.iterationCPUSeconds.count == result.iterations)
        var object = try #require(
            try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        var run = try #require(object["run"] as? [String: Any])
        run.removeValue(forKey: "iterationCPUSeconds")
        object["run"] = run
        let old = try JSONSerialization.data(withJSONObject: object)
        let decoded = try JSONDecoder().decode(SegmentationReport.self, from: old)
        #expect(decoded.run.iterationCPUSeconds.isEmpty)
        #expect(decoded.run.iterationSeconds == report.run.iterationSeconds)
    }

    @Test("the table shows a centroid's rounding residue (centred coordinates) as 0; CSV and JSON keep it")
    func tableSnapsResidue() throws {
        let (data, _) = try gaussianBlobs(centers: Self.blobCenters, perCluster: 50, spread: 1, seed: 2)
        let result = try KMeans(clusterCount: 4, seed: 3).fit(data)
        var report = try SegmentationReport(
            result: result, configuration: KMeans(clusterCount: 4, seed: 3),
            scaler: try FeatureScaler.fit(data, names: ["a", "b", "c"], method: .none), metrics: nil,
            selection: nil, profiles: nil)
        report.centroids[0][0] = -2.132e-14
        report.centroids[1][0] = 48
        report.centroids[2][0] = 1e-3
        let lines = report.profileTable().split(separator: "\n", omittingEmptySubsequences: false)
        let title = try #require(lines.firstIndex(of: "centroids (input units)"))
        // Title, header (segment, size, a, b, c), then segments 0, 1, 2.
        let rows = lines[(title + 2)...].map { $0.split(separator: " ") }
        #expect(rows[0][2] == "0" && rows[1][2] == "48" && rows[2][2] == "0.001")
        #expect(report.profileCSV().contains("-2.132e-14"))
    }

    /// The cells of the table titled `title` in `table`: its header and rows, split at runs of two or more blanks.
    static func tableSection(_ title: String, in table: String) -> [[String]]? {
        let lines = table.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(of: title) else { return nil }
        return lines[(start + 1)...].prefix { !$0.isEmpty }.map { line in
            line.replacingOccurrences(of: "  +", with: "\t", options: .regularExpression)
                .split(separator: "\t").map(String.init)
        }
    }

    @Test("the table: profiles, centroids headed by the feature names, means only of columns without a centroid")
    func tableSections() throws {
        let (data, _) = try gaussianBlobs(centers: Self.blobCenters, perCluster: 50, spread: 1, seed: 2)
        let configuration = KMeans(clusterCount: 4, seed: 3)
        let result = try configuration.fit(data)
        let names = ["a", "b,x", "c"]
        let clv = data.column(0).map { abs($0) }
        let customers = CustomerColumns(
            clv: clv, pAlive: clv.map { 1 / (1 + $0) },
            numeric: [("b,x", data.column(1)), ("c", data.column(2)), ("extra", data.column(0))])
        let profiles = try SegmentProfile.profiles(labels: result.labels, clusterCount: 4, customers: customers)
        var report = try SegmentationReport(
            result: result, configuration: configuration,
            scaler: try FeatureScaler.fit(data, names: names, method: .none), metrics: nil, selection: nil,
            profiles: profiles)
        let table = report.profileTable()
        let profileRows = try #require(Self.tableSection("profiles", in: table))
        #expect(profileRows.first == [
            "segment", "label", "size", "customer_share", "clv_share", "mean_clv", "median_clv", "total_clv",
            "mean_p_alive",
        ])
        #expect(profileRows.dropFirst().map { $0[2] } == result.sizes.map { "\($0)" })
        #expect(profileRows.dropFirst().map { $0[1] } == profiles.map { $0.label?.rawValue ?? "-" })
        #expect(profileRows.dropFirst().allSatisfy { $0[3].hasSuffix("%") && $0[4].hasSuffix("%") })
        let centroidRows = try #require(Self.tableSection("centroids (input units)", in: table))
        // A comma in a feature name keeps it one column (the rows are not parsed back from the CSV).
        #expect(centroidRows.first == ["segment", "a", "b,x", "c"])
        #expect(centroidRows.count == 5 && centroidRows.allSatisfy { $0.count == 4 })
        let title = "means (columns not shown as centroids: non-features and log1p features)"
        #expect(Self.tableSection(title, in: table)?.first == ["segment", "extra"])
        // A log1p feature's centroid is expm1(mean log1p x), not its mean: its mean is listed too.
        report.scaling = FeatureScaler(
            method: .none, names: names, log1p: [false, false, true], centers: [0, 0, 0], scales: [1, 1, 1])
        let means = try #require(Self.tableSection(title, in: report.profileTable()))
        #expect(means.first == ["segment", "c", "extra"])
        #expect(means[1][1] == TextTable.number(profiles[0].means[1].value))
    }

    @Test(
        "table numbers: whole numbers in full, plain decimals with four significant digits, %.4g outside 1e-3 ..< 1e9",
        arguments: [
            (10140.0, "10140"), (-0.0, "0"), (48, "48"), (191634.42, "191634"), (74.1351, "74.14"), (0.4305, "0.4305"),
            (0.026449, "0.02645"), (1e-3, "0.001"), (0.99999, "1"), (-5.3426, "-5.343"), (2.5e-4, "0.00025"),
            (3.2e9 + 0.5, "3.2e+09"), (1e15, "1e+15"), (.infinity, "inf"), (.nan, "nan"),
        ])
    func tableNumbers(value: Double, shown: String) {
        #expect(TextTable.number(value) == shown)
    }

    @Test(
        "table shares: percent with the numbers' four significant digits",
        arguments: [(0.5071, "50.71%"), (0.00635, "0.635%"), (1.0, "100%"), (0.0, "0%"), (0.115, "11.5%")])
    func tableShares(fraction: Double, shown: String) {
        #expect(TextTable.percent(fraction) == shown)
    }

    @Test("inertia equals a direct recomputation", arguments: Engine.allCases)
    func inertiaMatchesDirect(engine: Engine) throws {
        let (data, _) = try gaussianBlobs(centers: Self.blobCenters, perCluster: 80, spread: 3, seed: 3)
        let weights = (0..<data.rows).map { Double(1 + $0 % 3) }
        for w in [nil, weights] {
            let result = try engine.configure(KMeans(clusterCount: 6, seed: 5, threads: 2)).fit(data, weights: w)
            let direct = directInertia(data, centroids: result.centroids, labels: result.labels, weights: w)
            #expect(abs(result.inertia - direct) <= 1e-10 * direct)
        }
    }

    /// Unweighted Lloyd runs add only the label changes to the sums after their first pass (`PassMode.changes`).
    @Test("results are bitwise identical for 1, 2 and 4 threads", arguments: Engine.allCases, [true, false])
    func deterministicAcrossThreads(engine: Engine, weighted: Bool) throws {
        let (data, _) = try gaussianBlobs(centers: Self.blobCenters, perCluster: 500, spread: 4, seed: 9)
        let weights = weighted ? (0..<data.rows).map { 0.5 + Double($0 % 7) } : nil
        let results = try [1, 2, 4].map { threads in
            try engine.configure(KMeans(clusterCount: 7, restarts: 2, seed: 42, threads: threads, chunkCount: 16))
                .fit(data, weights: weights)
        }
        #expect(results[0].iterations >= 5)
        for other in results.dropFirst() {
            #expect(other.labels == results[0].labels)
            #expect(other.centroids == results[0].centroids)
            #expect(other.inertia == results[0].inertia)
            #expect(other.iterations == results[0].iterations)
        }
    }

    @Test("the same seed gives the same result; another seed may differ only in its start")
    func seedReproducible() throws {
        let (data, _) = try gaussianBlobs(centers: Self.blobCenters, perCluster: 100, spread: 5, seed: 1)
        let a = try KMeans(clusterCount: 5, seed: 3).fit(data)
        let b = try KMeans(clusterCount: 5, seed: 3).fit(data)
        #expect(a.labels == b.labels)
        #expect(a.inertia == b.inertia)
    }

    /// The portable C pass reproduces the AVX2 one: integer-valued blobs make every distance exact, so the
    /// labels, centroids and inertia agree to the bit, for every algorithm that runs the pass.
    @Test("the portable and AVX2 passes give identical fits", arguments: [KMeans.Algorithm.lloyd, .hamerly, .minibatch])
    func portableMatchesAVX2(algorithm: KMeans.Algorithm) throws {
        let (blobs, _) = try gaussianBlobs(centers: Self.blobCenters, perCluster: 200, spread: 2, seed: 4)
        let data = try FeatureMatrix(rows: blobs.rows, columns: blobs.columns, elements: blobs.elements.map { ($0 * 4).rounded() })
        let portable = try KMeans(clusterCount: 9, seed: 8, algorithm: algorithm, kernel: .portable).fit(data)
        #expect(portable.kernel == .portable && portable.algorithm == algorithm)
        let automatic = try KMeans(clusterCount: 9, seed: 8, algorithm: algorithm).fit(data)
        #expect(automatic.kernel == KMeans.automaticKernel)
        #expect(portable.labels == automatic.labels && portable.centroids == automatic.centroids)
        #expect(portable.inertia == automatic.inertia)
    }

    @Test("Lloyd fixed point on a hand example", arguments: Engine.allCases)
    func handExample(engine: Engine) throws {
        let data = try FeatureMatrix([[0], [1], [10], [11], [12]])
        let start = try FeatureMatrix([[1], [2]])
        let result = try engine.configure(KMeans(clusterCount: 2, initialization: .centroids(start), tolerance: 0))
            .fit(data)
        // Iteration 1: {0,1} → 0.5 and {10,11,12} → 11 (2 is nearer to 10, 11, 12 than 1 is; 1 is a tie → index 0).
        #expect(result.labels == [0, 0, 1, 1, 1])
        #expect(result.centroids.elements == [0.5, 11])
        #expect(result.inertia == 0.25 + 0.25 + 1 + 0 + 1)
        #expect(result.convergence == .labelsStable)
        #expect(result.iterations == 2)
    }

    @Test("values whose squared distances overflow are a typed error, not infinite inertia and empty clusters")
    func overflowingValues() throws {
        let data = try FeatureMatrix([[5, 1e300], [6, -1e300], [1, 1], [2, 3]])
        #expect(throws: SegmentationError.valuesOverflow(column: 1, name: nil)) {
            try KMeans(clusterCount: 2, seed: 1).fit(data)
        }
        // Each variance finite, but distances of (2e154)² per feature are not; 1e153 still fits.
        let wide = try FeatureMatrix([[1e154, 0], [-1e154, 1e154], [0, -1e154], [1, 2]])
        #expect(throws: SegmentationError.self) { try KMeans(clusterCount: 2, seed: 1).fit(wide) }
        let fits = try FeatureMatrix([[1e153, 0], [-1e153, 1e153], [0, -1e153], [1, 2]])
        #expect(try KMeans(clusterCount: 2, seed: 1).fit(fits).inertia.isFinite)
        #expect(throws: SegmentationError.valuesOverflow(column: 1, name: "b")) {
            try FeatureScaler.fit(data, names: ["a", "b"], method: .zscore)
        }
        #expect(SegmentationError.valuesOverflow(column: 1, name: "b").description.hasPrefix("feature column 1 ('b'): "))
        // Robust scaling brings the column back in range.
        let scaler = try FeatureScaler.fit(data, names: ["a", "b"], method: .robust)
        #expect(try KMeans(clusterCount: 2, seed: 1).fit(scaler.transform(data)).inertia.isFinite)
    }

    @Test("weights act like repeated rows", arguments: Engine.allCases)
    func weightsAreMultiplicities(engine: Engine) throws {
        let data = try FeatureMatrix([[0, 0], [1, 0], [10, 10], [11, 10], [10, 11]])
        let repeated = try FeatureMatrix([[0, 0], [1, 0], [1, 0], [1, 0], [10, 10], [11, 10], [10, 11], [10, 11]])
        let start = try FeatureMatrix([[0, 0], [10, 10]])
        let model = engine.configure(KMeans(clusterCount: 2, initialization: .centroids(start), tolerance: 0))
        let weighted = try model.fit(data, weights: [1, 3, 1, 1, 2])
        let plain = try model.fit(repeated)
        for (a, b) in zip(weighted.centroids.elements, plain.centroids.elements) { #expect(abs(a - b) <= 1e-12) }
        #expect(abs(weighted.inertia - plain.inertia) <= 1e-12)
        #expect(weighted.centroids.elements[0] == 0.75)
    }

    @Test("an empty cluster is re-seeded with the farthest point", arguments: Engine.allCases)
    func emptyClusterRepair(engine: Engine) throws {
        // The third centroid is far from every point: it gets no point in the first assignment.
        let data = try FeatureMatrix([[0], [1], [2], [20], [21], [22], [50]])
        let start = try FeatureMatrix([[1], [21], [1000]])
        let result = try engine.configure(KMeans(clusterCount: 3, initialization: .centroids(start), tolerance: 0))
            .fit(data)
        #expect(result.emptyClusterRepairs >= 1)
        #expect(result.sizes.allSatisfy { $0 > 0 })
        #expect(result.centroids.elements.contains(50))
        let direct = directInertia(data, centroids: result.centroids, labels: result.labels)
        #expect(abs(result.inertia - direct) <= 1e-12)
    }

    @Test("bad input gives typed errors")
    func typedErrors() throws {
        let data = try FeatureMatrix([[0, 1], [2, 3], [4, 5]])
        #expect(throws: SegmentationError.invalidClusterCount(k: 4, points: 3)) {
            try KMeans(clusterCount: 4).fit(data)
        }
        #expect(throws: SegmentationError.invalidClusterCount(k: 0, points: 3)) {
            try KMeans(clusterCount: 0).fit(data)
        }
        #expect(throws: SegmentationError.nonFiniteValue(row: 1, column: 0, value: .infinity)) {
            try FeatureMatrix([[0, 1], [.infinity, 3]])
        }
        #expect(throws: SegmentationError.self) { try FeatureMatrix([[0, 1], [.nan, 3]]) }
        let duplicated = try FeatureMatrix([[1, 1], [1, 1], [2, 2], [1, 1]])
        #expect(throws: SegmentationError.tooFewDistinctPoints(k: 3, distinct: 2)) {
            try KMeans(clusterCount: 3).fit(duplicated)
        }
        #expect(throws: SegmentationError.lengthMismatch(what: "sample weights", expected: 3, actual: 2)) {
            try KMeans(clusterCount: 2).fit(data, weights: [1, 2])
        }
        #expect(throws: SegmentationError.invalidWeight(row: 1, value: -1)) {
            try KMeans(clusterCount: 2).fit(data, weights: [1, -1, 1])
        }
        #expect(throws: SegmentationError.invalidWeight(row: nil, value: 0)) {
            try KMeans(clusterCount: 2).fit(data, weights: [0, 0, 0])
        }
        let wrongShape = try FeatureMatrix([[0, 1, 2], [1, 2, 3]])
        #expect(throws: SegmentationError.initialCentroidsShape(expectedRows: 2, expectedColumns: 2, rows: 2, columns: 3)) {
            try KMeans(clusterCount: 2, initialization: .centroids(wrongShape)).fit(data)
        }
        #expect(throws: SegmentationError.noFeatures) {
            try KMeans(clusterCount: 1).fit(FeatureMatrix(rows: 3, columns: 0, elements: []))
        }
        #expect(throws: SegmentationError.self) { try KMeans(clusterCount: 2, maxIterations: 0).fit(data) }
        #expect(throws: SegmentationError.self) { try KMeans(clusterCount: 2, tolerance: -1).fit(data) }
        // Every error prints as one line.
        let error = SegmentationError.tooFewDistinctPoints(k: 3, distinct: 2)
        #expect(!error.description.contains("\n"))
    }

    @Test("k = 1 gives the mean and the total sum of squares")
    func singleCluster() throws {
        let data = try FeatureMatrix([[1, 2], [3, 4], [5, 9]])
        let result = try KMeans(clusterCount: 1).fit(data)
        #expect(result.centroids.elements == [3, 5])
        #expect(abs(result.inertia - (4 + 9 + 0 + 1 + 4 + 16)) <= 1e-12)
    }
}

@Suite("Hamerly's bounds")
struct HamerlyTests {
    @Test("Hamerly reaches Lloyd's fixed point: same labels, iterations and inertia", arguments: [1, 4, 13])
    func matchesLloyd(k: Int) throws {
        let (data, _) = try gaussianBlobs(
            centers: KMeansTests.blobCenters, perCluster: 300, spread: 3, seed: UInt64(20 + k))
        let weights = (0..<data.rows).map { 0.5 + Double($0 % 5) }
        for w in [nil, weights] {
            let lloyd = try KMeans(clusterCount: k, tolerance: 0, seed: 6, algorithm: .lloyd).fit(data, weights: w)
            let hamerly = try KMeans(clusterCount: k, tolerance: 0, seed: 6, algorithm: .hamerly).fit(data, weights: w)
            #expect(hamerly.labels == lloyd.labels)
            #expect(hamerly.iterations == lloyd.iterations)
            #expect(abs(hamerly.inertia - lloyd.inertia) <= 1e-10 * lloyd.inertia)
            for (a, b) in zip(hamerly.centroids.elements, lloyd.centroids.elements) {
                #expect(abs(a - b) <= 1e-9 * max(1, abs(b)))
            }
        }
    }

    @Test("Hamerly is bitwise identical for 1, 2 and 4 threads")
    func deterministic() throws {
        let (data, _) = try gaussianBlobs(centers: KMeansTests.blobCenters, perCluster: 400, spread: 4, seed: 3)
        let results = try [1, 2, 4].map { threads in
            try KMeans(clusterCount: 9, seed: 2, threads: threads, algorithm: .hamerly, chunkCount: 16).fit(data)
        }
        for other in results.dropFirst() {
            #expect(other.labels == results[0].labels)
            #expect(other.centroids == results[0].centroids)
            #expect(other.inertia == results[0].inertia)
        }
    }

    @Test("Hamerly repairs empty clusters like Lloyd")
    func emptyCluster() throws {
        let data = try FeatureMatrix([[0], [1], [2], [20], [21], [22], [50]])
        let start = try FeatureMatrix([[1], [21], [1000]])
        let lloyd = try KMeans(clusterCount: 3, initialization: .centroids(start), tolerance: 0, algorithm: .lloyd)
            .fit(data)
        let hamerly = try KMeans(clusterCount: 3, initialization: .centroids(start), tolerance: 0, algorithm: .hamerly)
            .fit(data)
        #expect(hamerly.emptyClusterRepairs >= 1)
        #expect(hamerly.algorithm == .hamerly && lloyd.algorithm == .lloyd)
        #expect(hamerly.labels == lloyd.labels)
        #expect(hamerly.centroids == lloyd.centroids)
        #expect(hamerly.inertia == lloyd.inertia)
    }
}

@Suite("single precision")
struct SinglePrecisionTests {
    @Test("float32 update passes reach the float64 fixed point on blobs, identical for any thread count")
    func matchesDouble() throws {
        let (data, truth) = try gaussianBlobs(centers: KMeansTests.blobCenters, perCluster: 300, spread: 1.5, seed: 12)
        let double = try KMeans(clusterCount: 4, seed: 3, algorithm: .lloyd).fit(data)
        let singles = try [1, 3].map { threads in
            try KMeans(clusterCount: 4, seed: 3, threads: threads, precision: .float32).fit(data)
        }
        let single = singles[0]
        #expect(single.precision == .float32 && single.kernel == KMeans.automaticKernel && single.algorithm == .lloyd)
        #expect(single.labels == double.labels)
        #expect(adjustedRandIndex(truth, single.labels.map(Int.init)) == 1)
        #expect(abs(single.inertia - double.inertia) <= 1e-9 * double.inertia)
        for (a, b) in zip(single.centroids.elements, double.centroids.elements) { #expect(abs(a - b) <= 1e-5) }
        #expect(singles[1].labels == single.labels && singles[1].centroids == single.centroids)
        let direct = directInertia(data, centroids: single.centroids, labels: single.labels)
        #expect(abs(single.inertia - direct) <= 1e-10 * direct)
    }

    @Test("float32 with Hamerly or mini-batch, or beyond the Float range, is a typed error")
    func unsupported() throws {
        let data = try FeatureMatrix([[0], [1], [5], [6]])
        #expect(throws: SegmentationError.self) {
            try KMeans(clusterCount: 2, algorithm: .hamerly, precision: .float32).fit(data)
        }
        #expect(throws: SegmentationError.self) {
            try KMeans(clusterCount: 2, algorithm: .minibatch, precision: .float32).fit(data)
        }
        // Values whose distance from the column mean does not fit in Float: a typed error, not ±∞ distances.
        let huge = try FeatureMatrix([[0], [1], [1e39], [2e39]])
        #expect(throws: SegmentationError.invalidParameter(
            name: "precision", value: "float32",
            reason: "a feature minus its column mean exceeds the Float range (±3.4e38); use float64")) {
            try KMeans(clusterCount: 2, precision: .float32).fit(huge)
        }
        #expect(try KMeans(clusterCount: 2).fit(huge).inertia.isFinite)  // float64 handles them
    }
}

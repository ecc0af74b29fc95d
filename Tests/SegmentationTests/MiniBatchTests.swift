import CAPMNumerics
import Testing

@testable import Segmentation

@Suite("mini-batch k-means")
struct MiniBatchTests {
    @Test("finds Lloyd's partition of separated blobs, inertia within 1% of Lloyd's")
    func recoversBlobs() throws {
        let (data, truth) = try gaussianBlobs(centers: KMeansTests.blobCenters, perCluster: 3000, spread: 1.5, seed: 21)
        let lloyd = try KMeans(clusterCount: 4, seed: 5, algorithm: .lloyd).fit(data)
        let mini = try KMeans(clusterCount: 4, seed: 5, algorithm: .minibatch, miniBatchSize: 256).fit(data)
        #expect(mini.algorithm == .minibatch)
        // Nearly the same partition as Lloyd's (only rows near a boundary between blobs may differ).
        #expect(adjustedRandIndex(lloyd.labels.map(Int.init), mini.labels.map(Int.init)) >= 0.999)
        #expect(adjustedRandIndex(truth, mini.labels.map(Int.init)) >= 0.999)
        #expect(mini.inertia <= lloyd.inertia * 1.01)
        #expect(mini.inertia >= lloyd.inertia * (1 - 1e-12))
        #expect(mini.iterations >= 1 && mini.converged)
        #expect(mini.sizes.reduce(0, +) == data.rows)
    }

    @Test("deterministic for a seed and identical for any thread count")
    func deterministic() throws {
        let (data, _) = try gaussianBlobs(centers: KMeansTests.blobCenters, perCluster: 2000, spread: 2.5, seed: 4)
        let runs = try [1, 1, 3].map { threads in
            try KMeans(clusterCount: 6, restarts: 2, seed: 9, threads: threads, algorithm: .minibatch, miniBatchSize: 100)
                .fit(data)
        }
        for run in runs.dropFirst() {
            #expect(run.labels == runs[0].labels)
            #expect(run.inertia == runs[0].inertia)
            #expect(run.centroids == runs[0].centroids)
            #expect(run.iterations == runs[0].iterations)
        }
        // The reported inertia is the exact inertia of the returned labels and centroids.
        let d = data.columns
        var direct = 0.0
        for i in 0..<data.rows {
            let c = Int(runs[0].labels[i])
            for j in 0..<d {
                let t = data[i, j] - runs[0].centroids[c, j]
                direct += t * t
            }
        }
        #expect(abs(direct - runs[0].inertia) <= 1e-9 * direct)
    }

    @Test("the epoch cap bounds the number of steps")
    func epochCap() throws {
        let (data, _) = try gaussianBlobs(centers: KMeansTests.blobCenters, perCluster: 250, spread: 3, seed: 2)
        // 1000 rows, batch 100: one epoch is 10 steps, fewer than the early-stopping patience can end.
        let run = try KMeans(clusterCount: 4, maxIterations: 1, tolerance: 0, algorithm: .minibatch, miniBatchSize: 100)
            .fit(data)
        #expect(run.iterations <= 10)
    }

    @Test("bad options are typed errors")
    func badOptions() throws {
        let (data, _) = try gaussianBlobs(centers: KMeansTests.blobCenters, perCluster: 10, spread: 1, seed: 1)
        #expect(throws: SegmentationError.self) {
            try KMeans(clusterCount: 2, algorithm: .minibatch, miniBatchSize: 0).fit(data)
        }
        #expect(throws: SegmentationError.self) {
            try KMeans(clusterCount: 2, algorithm: .minibatch, precision: .float32).fit(data)
        }
    }
}

import Foundation
import Testing
@testable import Segmentation

/// Brute-force definitions, written independently of the library code.
enum BruteForce {
    static func distance(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
    }

    static func mean(_ rows: [[Double]]) -> [Double] {
        (0..<rows[0].count).map { j in rows.map { $0[j] }.reduce(0, +) / Double(rows.count) }
    }

    static func silhouette(_ rows: [[Double]], _ labels: [Int]) -> Double {
        var total = 0.0
        for i in rows.indices {
            let own = rows.indices.filter { labels[$0] == labels[i] && $0 != i }
            if own.isEmpty { continue }  // singleton: s = 0
            let a = own.map { distance(rows[i], rows[$0]) }.reduce(0, +) / Double(own.count)
            var b = Double.infinity
            for other in Set(labels) where other != labels[i] {
                let members = rows.indices.filter { labels[$0] == other }
                b = min(b, members.map { distance(rows[i], rows[$0]) }.reduce(0, +) / Double(members.count))
            }
            total += (b - a) / max(a, b)
        }
        return total / Double(rows.count)
    }

    static func daviesBouldin(_ rows: [[Double]], _ labels: [Int]) -> Double {
        let clusters = Array(Set(labels)).sorted()
        let centers = clusters.map { c in mean(rows.indices.filter { labels[$0] == c }.map { rows[$0] }) }
        let scatter = clusters.enumerated().map { (t, c) in
            let members = rows.indices.filter { labels[$0] == c }
            return members.map { distance(rows[$0], centers[t]) }.reduce(0, +) / Double(members.count)
        }
        var total = 0.0
        for a in clusters.indices {
            total += clusters.indices.filter { $0 != a }.map {
                (scatter[a] + scatter[$0]) / distance(centers[a], centers[$0])
            }.max()!
        }
        return total / Double(clusters.count)
    }

    static func calinskiHarabasz(_ rows: [[Double]], _ labels: [Int]) -> Double {
        let clusters = Array(Set(labels)).sorted()
        let overall = mean(rows)
        var between = 0.0
        var within = 0.0
        for c in clusters {
            let members = rows.indices.filter { labels[$0] == c }.map { rows[$0] }
            let center = mean(members)
            between += Double(members.count) * pow(distance(center, overall), 2)
            within += members.map { pow(distance($0, center), 2) }.reduce(0, +)
        }
        let n = Double(rows.count)
        let k = Double(clusters.count)
        return (between / (k - 1)) / (within / (n - k))
    }
}

@Suite("cluster metrics")
struct ClusterMetricsTests {
    static let rows: [[Double]] = [[0, 0], [1, 0], [0, 2], [5, 5], [6, 5], [5, 7], [6, 6], [20, 1], [9, 9]]
    static let labels: [Int] = [0, 0, 0, 1, 1, 1, 1, 2, 1]

    @Test("silhouette, Davies–Bouldin and Calinski–Harabasz equal brute-force definitions")
    func matchBruteForce() throws {
        let data = try FeatureMatrix(Self.rows)
        let labels = Self.labels.map(Int32.init)
        let s = try ClusterMetrics.silhouette(data, labels: labels, clusterCount: 3, threads: 2)
        let db = try ClusterMetrics.daviesBouldin(data, labels: labels, clusterCount: 3)
        let ch = try ClusterMetrics.calinskiHarabasz(data, labels: labels, clusterCount: 3)
        #expect(abs(s - BruteForce.silhouette(Self.rows, Self.labels)) <= 1e-12)
        #expect(abs(db - BruteForce.daviesBouldin(Self.rows, Self.labels)) <= 1e-12)
        #expect(abs(ch - BruteForce.calinskiHarabasz(Self.rows, Self.labels)) <= 1e-9 * ch)
    }

    @Test("Davies–Bouldin and Calinski–Harabasz: the same bits for any thread count, brute force to rounding")
    func indicesAcrossThreads() throws {
        // 70,000 rows: 64 chunks of about 1,100 rows, so 2 and 3 workers split them differently.
        let (data, truth) = try gaussianBlobs(
            centers: [[0, 0, 0], [5, 1, 0], [0, 6, 2], [3, 3, 9]], perCluster: 17_500, spread: 1.5, seed: 12)
        let labels = truth.map(Int32.init)
        let db = try ClusterMetrics.daviesBouldin(data, labels: labels, clusterCount: 4)
        let ch = try ClusterMetrics.calinskiHarabasz(data, labels: labels, clusterCount: 4)
        for threads in [2, 3] {
            #expect(try ClusterMetrics.daviesBouldin(data, labels: labels, clusterCount: 4, threads: threads) == db)
            #expect(try ClusterMetrics.calinskiHarabasz(data, labels: labels, clusterCount: 4, threads: threads) == ch)
        }
        // Both from one distance pass: the same bits as each on its own, for any thread count.
        for threads in [1, 2, 3] {
            let both = try ClusterMetrics.daviesBouldinAndCalinskiHarabasz(
                data, labels: labels, clusterCount: 4, threads: threads)
            #expect(both.daviesBouldin == db && both.calinskiHarabasz == ch, "\(threads) threads")
        }
        let rows = data.rowArrays
        #expect(abs(db - BruteForce.daviesBouldin(rows, truth)) <= 1e-12 * db)
        #expect(abs(ch - BruteForce.calinskiHarabasz(rows, truth)) <= 1e-9 * ch)
    }

    @Test("a hand-computed silhouette: two pairs on a line")
    func handSilhouette() throws {
        // Points 0, 1 | 10, 11: a = 1 for all; b = 10, 9, 9, 10 (mean distance to the other pair), s = 1 − a/b.
        let data = try FeatureMatrix([[0], [1], [10], [11]])
        let s = try ClusterMetrics.silhouette(data, labels: [0, 0, 1, 1], clusterCount: 2)
        let expected = ((1 - 1 / 10.5) + (1 - 1 / 9.5) + (1 - 1 / 9.5) + (1 - 1 / 10.5)) / 4
        #expect(abs(s - expected) <= 1e-15)
        // Calinski–Harabasz: overall mean 5.5, centres 0.5 and 10.5: B = 2·5² + 2·5² = 100, W = 4·0.25 = 1,
        // (B/1)/(W/2) = 200.
        let ch = try ClusterMetrics.calinskiHarabasz(data, labels: [0, 0, 1, 1], clusterCount: 2)
        #expect(abs(ch - 200) <= 1e-12)
        // Davies–Bouldin: s = 0.5 each, centres 10 apart: (0.5 + 0.5)/10.
        let db = try ClusterMetrics.daviesBouldin(data, labels: [0, 0, 1, 1], clusterCount: 2)
        #expect(abs(db - 0.1) <= 1e-15)
    }

    @Test("sampled silhouette is the exact silhouette of the sampled rows, deterministic for a seed")
    func sampledSilhouette() throws {
        let (data, truth) = try gaussianBlobs(centers: [[0, 0], [6, 0], [0, 6]], perCluster: 200, spread: 1, seed: 2)
        let labels = truth.map(Int32.init)
        let exact = try ClusterMetrics.silhouette(data, labels: labels, clusterCount: 3, sampleSize: 0)
        let a = try ClusterMetrics.silhouette(data, labels: labels, clusterCount: 3, sampleSize: 150, seed: 4)
        let b = try ClusterMetrics.silhouette(data, labels: labels, clusterCount: 3, sampleSize: 150, seed: 4, threads: 3)
        #expect(a == b)
        #expect(abs(a - exact) < 0.05)
        let rows = ClusterMetrics.sampleRows(n: 600, sampleSize: 150, seed: 4)
        let sub = try FeatureMatrix(rows.map { data.row($0) })
        let direct = try ClusterMetrics.silhouette(sub, labels: rows.map { labels[$0] }, clusterCount: 3)
        #expect(abs(a - direct) <= 1e-14)
    }

    @Test("undefined metrics throw")
    func undefined() throws {
        let data = try FeatureMatrix([[0], [1], [2]])
        #expect(throws: SegmentationError.self) {
            try ClusterMetrics.silhouette(data, labels: [0, 0, 0], clusterCount: 1)
        }
        #expect(throws: SegmentationError.self) {
            try ClusterMetrics.calinskiHarabasz(data, labels: [0, 1, 2], clusterCount: 3)
        }
        #expect(throws: SegmentationError.self) {
            try ClusterMetrics.daviesBouldin(data, labels: [0, 0, 5], clusterCount: 2)
        }
    }
}

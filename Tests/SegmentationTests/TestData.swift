import CAPMNumerics
@testable import Segmentation

/// Gaussian blobs: `perCluster` points around each of `centers` with standard deviation `spread`; labels in
/// generation order.
func gaussianBlobs(
    centers: [[Double]], perCluster: Int, spread: Double, seed: UInt64
) throws -> (data: FeatureMatrix, labels: [Int]) {
    var rng = Xoshiro256(seed: seed)
    var rows: [[Double]] = []
    var labels: [Int] = []
    for (c, center) in centers.enumerated() {
        for _ in 0..<perCluster {
            rows.append(center.map { $0 + spread * rng.nextStandardNormal() })
            labels.append(c)
        }
    }
    return (try FeatureMatrix(rows), labels)
}

/// Adjusted Rand index (Hubert & Arabie 1985) between two labelings, computed from the contingency table.
func adjustedRandIndex(_ a: [Int], _ b: [Int]) -> Double {
    func choose2(_ x: Int) -> Double { Double(x) * Double(x - 1) / 2 }
    var table: [Int: [Int: Int]] = [:]
    var rowSums: [Int: Int] = [:]
    var columnSums: [Int: Int] = [:]
    for (x, y) in zip(a, b) {
        table[x, default: [:]][y, default: 0] += 1
        rowSums[x, default: 0] += 1
        columnSums[y, default: 0] += 1
    }
    let index = table.values.flatMap { $0.values }.map(choose2).reduce(0, +)
    let rows = rowSums.values.map(choose2).reduce(0, +)
    let columns = columnSums.values.map(choose2).reduce(0, +)
    let expected = rows * columns / choose2(a.count)
    let maximum = (rows + columns) / 2
    return (index - expected) / (maximum - expected)
}

/// Inertia Σ wᵢ‖xᵢ − c_{ℓ(i)}‖² recomputed directly, in input units.
func directInertia(_ data: FeatureMatrix, centroids: FeatureMatrix, labels: [Int32], weights: [Double]? = nil) -> Double {
    var total = 0.0
    for i in 0..<data.rows {
        let c = Int(labels[i])
        var s = 0.0
        for j in 0..<data.columns {
            let t = data[i, j] - centroids[c, j]
            s += t * t
        }
        total += (weights?[i] ?? 1) * s
    }
    return total
}

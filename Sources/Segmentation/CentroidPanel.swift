import CKMeansKernels

/// The current centroids laid out for the fused Lloyd pass (C target `CKMeansKernels`).
///
/// `expanded` holds the centroids in groups of 8 as the micro-kernel reads them: per group g, ‖c‖² of its 8
/// centroids, then −2·cⱼ of the 8 centroids for every coordinate j (8 contiguous values each), so one point is
/// compared with 8 centroids per vector multiply-add of the expanded form ‖c‖² − 2·x·c (‖x‖² is common to all
/// centroids and dropped for the arg-min). Padding lanes (when 8 ∤ k) hold ‖c‖² = +∞ and −2c = 0, so they never
/// win. `expanded32` is the same panel in Float for single-precision passes; `rowMajor` the k × d centroids for the
/// final pass's exact distances.
struct CentroidPanel: Sendable {
    let k: Int
    let d: Int
    let groups: Int
    /// `expanded[(g·(d+1))·8 + l]` = ‖c_{8g+l}‖², `expanded[(g·(d+1) + 1 + j)·8 + l]` = −2·c_{8g+l, j}.
    let expanded: [Double]
    /// ``expanded`` rounded to Float (norms from the Double centroids).
    let expanded32: [Float]
    /// The k × d centroids, row-major.
    let rowMajor: [Double]

    init(centroids: [Double], k: Int, d: Int) {
        precondition(centroids.count == k * d, "CentroidPanel: centroid array has the wrong size")
        self.k = k
        self.d = d
        groups = (k + 7) / 8
        rowMajor = centroids
        let stride = (d + 1) * 8
        var expanded = [Double](repeating: 0, count: groups * stride)
        for g in 0..<groups { for l in 0..<8 { expanded[g * stride + l] = .infinity } }
        for c in 0..<k {
            let base = (c / 8) * stride + c % 8
            var norm = 0.0
            for j in 0..<d {
                let v = centroids[c * d + j]
                norm += v * v
                expanded[base + 8 + 8 * j] = -2 * v
            }
            expanded[base] = norm
        }
        self.expanded = expanded
        expanded32 = expanded.map { Float($0) }
    }
}

/// Small distance helpers shared by seeding and the metrics.
enum DistanceKernels {
    /// Squared Euclidean distance Σⱼ (aⱼ − bⱼ)².
    @inline(__always)
    static func squaredDistance(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, d: Int) -> Double {
        var s = 0.0
        for j in 0..<d {
            let t = a[j] - b[j]
            s += t * t
        }
        return s
    }
}

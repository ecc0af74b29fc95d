import CAPMNumerics

/// The current centroids laid out for the two distance kernels of a Lloyd pass.
///
/// - `lanes`: centroids in groups of 8, coordinate-major within a group: `lanes[g·d + j]` holds coordinate `j` of
///   centroids `8g … 8g+7` in one `SIMD8<Double>`. One point is compared with 8 centroids per vector operation
///   without horizontal sums. Padding lanes (when 8 ∤ k) hold +∞ so they never win.
/// - `rowMajor` and `norms`: the k × d centroids and their squared norms ‖c‖² for the GEMM form
///   ‖x − c‖² = ‖x‖² − 2 x·c + ‖c‖² (‖x‖² is constant per point and dropped for the arg-min).
struct CentroidPanel: Sendable {
    let k: Int
    let d: Int
    let groups: Int
    let lanes: [SIMD8<Double>]
    let rowMajor: [Double]
    let norms: [Double]

    init(centroids: [Double], k: Int, d: Int) {
        precondition(centroids.count == k * d, "CentroidPanel: centroid array has the wrong size")
        self.k = k
        self.d = d
        groups = (k + 7) / 8
        var lanes = [SIMD8<Double>](repeating: SIMD8(repeating: .infinity), count: groups * d)
        for c in 0..<k {
            let g = c / 8
            let lane = c % 8
            for j in 0..<d { lanes[g * d + j][lane] = centroids[c * d + j] }
        }
        self.lanes = lanes
        rowMajor = centroids
        norms = (0..<k).map { c in
            var s = 0.0
            for j in 0..<d { s += centroids[c * d + j] * centroids[c * d + j] }
            return s
        }
    }
}

/// The distance kernels of a Lloyd pass.
enum DistanceKernels {
    /// The nearest centroid to the point `x` (d values) and its squared distance, in the exact difference form
    /// Σⱼ (xⱼ − cⱼ)², eight centroids per `SIMD8` operation, two groups interleaved to hide add latency.
    ///
    /// Ties go to the lowest centroid index (as NumPy's `argmin`).
    ///
    /// Unsafe pointers and `@inline(__always)`: this is the innermost loop of every Lloyd pass (measured by
    /// `Benchmarks/scripts/segmentation/compare_sklearn.py`; bounds checks cost a factor of several here).
    @inline(__always)
    static func nearest(
        _ x: UnsafePointer<Double>, d: Int, lanes: UnsafePointer<SIMD8<Double>>, groups: Int
    ) -> (index: Int, distance: Double) {
        var bestValue = SIMD8<Double>(repeating: .infinity)
        var bestGroup = SIMD8<Int64>(repeating: 0)
        var g = 0
        while g + 2 <= groups {
            var a0 = SIMD8<Double>()
            var a1 = SIMD8<Double>()
            let p0 = lanes + g * d
            let p1 = p0 + d
            for j in 0..<d {
                let xj = SIMD8<Double>(repeating: x[j])
                let t0 = xj - p0[j]
                let t1 = xj - p1[j]
                a0 += t0 * t0
                a1 += t1 * t1
            }
            let m0 = a0 .< bestValue
            bestValue.replace(with: a0, where: m0)
            bestGroup.replace(with: Int64(g), where: m0)
            let m1 = a1 .< bestValue
            bestValue.replace(with: a1, where: m1)
            bestGroup.replace(with: Int64(g + 1), where: m1)
            g += 2
        }
        if g < groups {
            var a0 = SIMD8<Double>()
            let p0 = lanes + g * d
            for j in 0..<d {
                let t0 = SIMD8<Double>(repeating: x[j]) - p0[j]
                a0 += t0 * t0
            }
            let m0 = a0 .< bestValue
            bestValue.replace(with: a0, where: m0)
            bestGroup.replace(with: Int64(g), where: m0)
        }
        var best = Int(bestGroup[0]) * 8
        var bestDistance = bestValue[0]
        for lane in 1..<8 {
            let v = bestValue[lane]
            let c = Int(bestGroup[lane]) * 8 + lane
            if v < bestDistance || (v == bestDistance && c < best) {
                best = c
                bestDistance = v
            }
        }
        return (best, bestDistance)
    }

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

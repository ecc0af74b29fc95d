import CAPMNumerics

/// The current centroids laid out for the two distance kernels of a Lloyd pass.
///
/// - `expanded`: centroids in groups of 8 for the SIMD kernel: per group, ‖c‖² of its 8 centroids, then −2·cⱼ for
///   every coordinate j, each in one `SIMD8<Double>`. One point is compared with 8 centroids per vector
///   multiply-add without horizontal sums. Padding lanes (when 8 ∤ k) hold ‖c‖² = +∞ so they never win.
/// - `rowMajor` and `norms`: the k × d centroids and their squared norms ‖c‖² for the GEMM form
///   ‖x − c‖² = ‖x‖² − 2 x·c + ‖c‖² (‖x‖² is constant per point and dropped for the arg-min).
struct CentroidPanel: Sendable {
    let k: Int
    let d: Int
    let groups: Int
    /// Expanded-form panel: `expanded[g·(d+1)]` holds ‖c‖² of centroids 8g…8g+7 (+∞ in padding lanes), then
    /// `expanded[g·(d+1) + 1 + j]` holds −2·cⱼ.
    let expanded: [SIMD8<Double>]
    let rowMajor: [Double]
    let norms: [Double]
    /// Single-precision copies of ``rowMajor`` and ``norms`` for the `sgemm` update pass.
    let rowMajor32: [Float]
    let norms32: [Float]

    init(centroids: [Double], k: Int, d: Int) {
        precondition(centroids.count == k * d, "CentroidPanel: centroid array has the wrong size")
        self.k = k
        self.d = d
        groups = (k + 7) / 8
        rowMajor = centroids
        let norms = (0..<k).map { c in
            var s = 0.0
            for j in 0..<d { s += centroids[c * d + j] * centroids[c * d + j] }
            return s
        }
        self.norms = norms
        rowMajor32 = centroids.map { Float($0) }
        norms32 = (0..<k).map { c in
            var s: Float = 0
            for j in 0..<d { s += Float(centroids[c * d + j]) * Float(centroids[c * d + j]) }
            return s
        }
        var expanded = [SIMD8<Double>](repeating: SIMD8(repeating: 0), count: groups * (d + 1))
        for g in 0..<groups { expanded[g * (d + 1)] = SIMD8(repeating: .infinity) }
        for c in 0..<k {
            let g = c / 8
            let lane = c % 8
            expanded[g * (d + 1)][lane] = norms[c]
            for j in 0..<d { expanded[g * (d + 1) + 1 + j][lane] = -2 * centroids[c * d + j] }
        }
        self.expanded = expanded
    }
}

/// The distance kernels of a Lloyd pass.
enum DistanceKernels {
    /// The nearest centroid to the point `x` by the expanded form ‖c‖² − 2 x·c (the term ‖x‖² is common to all
    /// centroids), eight centroids per `SIMD8` multiply-add, two groups interleaved; ties go to the lowest index.
    ///
    /// Unsafe pointers and `@inline(__always)`: innermost loop of every Lloyd pass (see `runSIMD`).
    @inline(__always)
    static func nearestExpanded(
        _ x: UnsafePointer<Double>, d: Int, lanes: UnsafePointer<SIMD8<Double>>, groups: Int
    ) -> Int {
        var bestValue = SIMD8<Double>(repeating: .infinity)
        var bestGroup = SIMD8<Int64>(repeating: 0)
        let stride = d &+ 1
        var g = 0
        while g &+ 2 <= groups {
            let p0 = lanes + g &* stride
            let p1 = p0 + stride
            var a0 = p0[0]
            var a1 = p1[0]
            for j in 0..<d {
                let xj = SIMD8<Double>(repeating: x[j])
                a0 += xj * p0[j &+ 1]
                a1 += xj * p1[j &+ 1]
            }
            let m0 = a0 .< bestValue
            bestValue.replace(with: a0, where: m0)
            bestGroup.replace(with: Int64(g), where: m0)
            let m1 = a1 .< bestValue
            bestValue.replace(with: a1, where: m1)
            bestGroup.replace(with: Int64(g &+ 1), where: m1)
            g &+= 2
        }
        if g < groups {
            let p0 = lanes + g &* stride
            var a0 = p0[0]
            for j in 0..<d { a0 += SIMD8<Double>(repeating: x[j]) * p0[j &+ 1] }
            let m0 = a0 .< bestValue
            bestValue.replace(with: a0, where: m0)
            bestGroup.replace(with: Int64(g), where: m0)
        }
        // Lane reduction: the smallest value, ties to the smallest centroid index.
        var best = Int(bestGroup[0]) &* 8
        var bestDistance = bestValue[0]
        for lane in 1..<8 {
            let v = bestValue[lane]
            let c = Int(bestGroup[lane]) &* 8 &+ lane
            if v < bestDistance || (v == bestDistance && c < best) {
                best = c
                bestDistance = v
            }
        }
        return best
    }

    /// The index of the smallest of `count` finite values (the first one on ties, as NumPy's `argmin`).
    ///
    /// Two branch-free passes: the minimum m over four independent running minima, then a bit mask of the
    /// positions holding m (64 at a time) whose lowest set bit is the answer. The nearest centroid of a row is
    /// unpredictable, so compare-and-branch loops mispredict about half the time; perf on the GEMM kernel showed the
    /// arg-min dominating before this form (hot loop, one call per row).
    @inline(__always)
    static func argmin<T: BinaryFloatingPoint>(_ values: UnsafePointer<T>, count: Int) -> Int {
        var m0 = values[0], m1 = values[0], m2 = values[0], m3 = values[0]
        var c = 0
        while c &+ 4 <= count {
            m0 = Swift.min(m0, values[c])
            m1 = Swift.min(m1, values[c &+ 1])
            m2 = Swift.min(m2, values[c &+ 2])
            m3 = Swift.min(m3, values[c &+ 3])
            c &+= 4
        }
        while c < count {
            m0 = Swift.min(m0, values[c])
            c &+= 1
        }
        let minimum = Swift.min(Swift.min(m0, m1), Swift.min(m2, m3))
        var base = 0
        while base < count {
            let end = Swift.min(base &+ 64, count)
            var bits: UInt64 = 0
            var position = base
            while position < end {
                bits |= UInt64(values[position] == minimum ? 1 : 0) << UInt64(position &- base)
                position &+= 1
            }
            if bits != 0 { return base &+ bits.trailingZeroBitCount }
            base = end
        }
        return 0
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

import CAPMNumerics

/// The current centroids laid out for the two distance kernels of a Lloyd pass.
///
/// - `expanded`: centroids in groups of 8 for the SIMD kernel: per group, ‖c‖² of its 8 centroids, then −2·cⱼ for
///   every coordinate j, each in one `SIMD8<Double>`. One point is compared with 8 centroids per vector
///   multiply-add without horizontal sums. Padding lanes (when 8 ∤ k) hold ‖c‖² = +∞ so they never win.
/// - `rowMajor` and `norms`: the k × d centroids and their squared norms ‖c‖² for the GEMM form
///   ‖x − c‖² = ‖x‖² − 2 x·c + ‖c‖² (‖x‖² is constant per point and dropped for the arg-min), padded to
///   `paddedK` = 8·groups rows: padding rows are zero with ‖c‖² = +∞, so a GEMM block has whole groups of 8
///   columns for the vector arg-min and the padding never wins.
struct CentroidPanel: Sendable {
    let k: Int
    let d: Int
    let groups: Int
    /// k rounded up to a multiple of 8 (the GEMM column count).
    let paddedK: Int
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
        paddedK = groups * 8
        rowMajor = centroids + [Double](repeating: 0, count: (paddedK - k) * d)
        let norms = (0..<k).map { c in
            var s = 0.0
            for j in 0..<d { s += centroids[c * d + j] * centroids[c * d + j] }
            return s
        }
        self.norms = norms + [Double](repeating: .infinity, count: paddedK - k)
        rowMajor32 = rowMajor.map { Float($0) }
        norms32 = (0..<k).map { c in
            var s: Float = 0
            for j in 0..<d { s += Float(centroids[c * d + j]) * Float(centroids[c * d + j]) }
            return s
        } + [Float](repeating: .infinity, count: paddedK - k)
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
    /// Unsafe pointers and `@inline(__always)`: innermost loop of every SIMD Lloyd pass (see `runSIMD`). The running
    /// minimum is kept per lane with the centroid index of each lane (as a Double), so the arg-min is lane-wise
    /// compare-and-select plus one horizontal reduction per row, with no branch.
    @inline(__always)
    static func nearestExpanded(
        _ x: UnsafePointer<Double>, d: Int, lanes: UnsafePointer<SIMD8<Double>>, groups: Int, count k: Int
    ) -> Int {
        var best = SIMD8<Double>(repeating: .infinity)
        var bestIndex = laneIndices
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
            keepSmaller(&best, &bestIndex, a0, laneIndices + SIMD8(repeating: Double(g &* 8)))
            keepSmaller(&best, &bestIndex, a1, laneIndices + SIMD8(repeating: Double(g &* 8 &+ 8)))
            g &+= 2
        }
        if g < groups {
            let p0 = lanes + g &* stride
            var a0 = p0[0]
            for j in 0..<d { a0 += SIMD8<Double>(repeating: x[j]) * p0[j &+ 1] }
            keepSmaller(&best, &bestIndex, a0, laneIndices + SIMD8(repeating: Double(g &* 8)))
        }
        return lowestIndexOfMinimum(best, bestIndex, limit: k)
    }

    /// The index of the smallest of the first `k` values of a distance row (raw memory holding `groups` SIMD8<Double> vectors, aligned; the
    /// first on ties, as NumPy's `argmin`; padding lanes hold +∞). Branch-free: a lane-wise running minimum with its index, then one
    /// horizontal reduction. Hot loop of the GEMM kernel (one call per row).
    @inline(__always)
    static func argmin(_ row: UnsafeRawPointer, groups: Int, count k: Int) -> Int {
        var best = row.load(as: SIMD8<Double>.self)
        var bestIndex = laneIndices
        var g = 1
        while g < groups {
            keepSmaller(
                &best, &bestIndex, row.load(fromByteOffset: g &* 64, as: SIMD8<Double>.self),
                laneIndices + SIMD8(repeating: Double(g &* 8)))
            g &+= 1
        }
        return lowestIndexOfMinimum(best, bestIndex, limit: k)
    }

    /// Single-precision ``argmin(_:groups:count:)`` (the `sgemm` update pass).
    @inline(__always)
    static func argmin32(_ row: UnsafeRawPointer, groups: Int, count k: Int) -> Int {
        var best = row.load(as: SIMD8<Float>.self)
        var bestIndex = laneIndices32
        var g = 1
        while g < groups {
            keepSmaller(
                &best, &bestIndex, row.load(fromByteOffset: g &* 32, as: SIMD8<Float>.self),
                laneIndices32 + SIMD8(repeating: Float(g &* 8)))
            g &+= 1
        }
        return lowestIndexOfMinimum(best, bestIndex, limit: k)
    }

    /// 0, 1, …, 7: the centroid index of each lane of group 0. Computed properties, not `static let`: a global
    /// constant costs a `swift_once` check per call, which kept the arg-min from being inlined (perf).
    @inline(__always) static var laneIndices: SIMD8<Double> { SIMD8(0, 1, 2, 3, 4, 5, 6, 7) }
    @inline(__always) static var laneIndices32: SIMD8<Float> { SIMD8(0, 1, 2, 3, 4, 5, 6, 7) }

    /// Lane-wise: where `candidate` < `best`, take the candidate's value and index.
    ///
    /// Written lane by lane with scalar `?:`: the compiler turns that into `cmpltpd` + and/andn/or and `minpd`,
    /// whereas `SIMD` comparisons, `replacing(with:where:)` and `pointwiseMin` went through `SIMDMask` conversions
    /// (or a per-lane loop through the stack for `SIMD8`) — perf showed those dominating the pass.
    @inline(__always)
    static func keepSmaller(
        _ best: inout SIMD8<Double>, _ bestIndex: inout SIMD8<Double>, _ v: SIMD8<Double>, _ i: SIMD8<Double>
    ) {
        let b = best
        let j = bestIndex
        bestIndex = SIMD8(
            v[0] < b[0] ? i[0] : j[0], v[1] < b[1] ? i[1] : j[1], v[2] < b[2] ? i[2] : j[2],
            v[3] < b[3] ? i[3] : j[3], v[4] < b[4] ? i[4] : j[4], v[5] < b[5] ? i[5] : j[5],
            v[6] < b[6] ? i[6] : j[6], v[7] < b[7] ? i[7] : j[7])
        best = SIMD8(
            v[0] < b[0] ? v[0] : b[0], v[1] < b[1] ? v[1] : b[1], v[2] < b[2] ? v[2] : b[2],
            v[3] < b[3] ? v[3] : b[3], v[4] < b[4] ? v[4] : b[4], v[5] < b[5] ? v[5] : b[5],
            v[6] < b[6] ? v[6] : b[6], v[7] < b[7] ? v[7] : b[7])
    }

    /// Single-precision ``keepSmaller(_:_:_:_:)``.
    @inline(__always)
    static func keepSmaller(
        _ best: inout SIMD8<Float>, _ bestIndex: inout SIMD8<Float>, _ v: SIMD8<Float>, _ i: SIMD8<Float>
    ) {
        let b = best
        let j = bestIndex
        bestIndex = SIMD8(
            v[0] < b[0] ? i[0] : j[0], v[1] < b[1] ? i[1] : j[1], v[2] < b[2] ? i[2] : j[2],
            v[3] < b[3] ? i[3] : j[3], v[4] < b[4] ? i[4] : j[4], v[5] < b[5] ? i[5] : j[5],
            v[6] < b[6] ? i[6] : j[6], v[7] < b[7] ? i[7] : j[7])
        best = SIMD8(
            v[0] < b[0] ? v[0] : b[0], v[1] < b[1] ? v[1] : b[1], v[2] < b[2] ? v[2] : b[2],
            v[3] < b[3] ? v[3] : b[3], v[4] < b[4] ? v[4] : b[4], v[5] < b[5] ? v[5] : b[5],
            v[6] < b[6] ? v[6] : b[6], v[7] < b[7] ? v[7] : b[7])
    }

    /// The lowest index among the lanes holding the smallest value: a `minpd` tree for the minimum m, then the
    /// minimum of the indices of the lanes ≤ m (+∞ elsewhere). Returns 0 if the values are NaN or the winner is not
    /// below `limit` (possible only with non-finite distances), so a label is always in range.
    @inline(__always)
    static func lowestIndexOfMinimum(_ v: SIMD8<Double>, _ index: SIMD8<Double>, limit: Int) -> Int {
        let m4 = SIMD4(
            v[4] < v[0] ? v[4] : v[0], v[5] < v[1] ? v[5] : v[1], v[6] < v[2] ? v[6] : v[2], v[7] < v[3] ? v[7] : v[3])
        let m2 = SIMD2(m4[2] < m4[0] ? m4[2] : m4[0], m4[3] < m4[1] ? m4[3] : m4[1])
        let m = m2[1] < m2[0] ? m2[1] : m2[0]
        // Indices of the lanes equal to m (+∞ elsewhere) by a SIMD4 select: the scalar `?:` form with a constant
        // operand was compiled into branches.
        let all = SIMD4<Double>(repeating: m)
        let none = SIMD4<Double>(repeating: .infinity)
        let lo = none.replacing(with: index.lowHalf, where: v.lowHalf .<= all)
        let hi = none.replacing(with: index.highHalf, where: v.highHalf .<= all)
        let c4 = SIMD4(
            hi[0] < lo[0] ? hi[0] : lo[0], hi[1] < lo[1] ? hi[1] : lo[1], hi[2] < lo[2] ? hi[2] : lo[2],
            hi[3] < lo[3] ? hi[3] : lo[3])
        let c2 = SIMD2(c4[2] < c4[0] ? c4[2] : c4[0], c4[3] < c4[1] ? c4[3] : c4[1])
        let i = c2[1] < c2[0] ? c2[1] : c2[0]
        return i < Double(limit) ? Int(i) : 0
    }

    /// Single-precision ``lowestIndexOfMinimum(_:_:limit:)`` (concrete types: a generic version left the
    /// float-to-integer conversion unspecialised).
    @inline(__always)
    static func lowestIndexOfMinimum(_ v: SIMD8<Float>, _ index: SIMD8<Float>, limit: Int) -> Int {
        let m4 = SIMD4(
            v[4] < v[0] ? v[4] : v[0], v[5] < v[1] ? v[5] : v[1], v[6] < v[2] ? v[6] : v[2], v[7] < v[3] ? v[7] : v[3])
        let m2 = SIMD2(m4[2] < m4[0] ? m4[2] : m4[0], m4[3] < m4[1] ? m4[3] : m4[1])
        let m = m2[1] < m2[0] ? m2[1] : m2[0]
        // Indices of the lanes equal to m (+∞ elsewhere) by a SIMD4 select: the scalar `?:` form with a constant
        // operand was compiled into branches.
        let all = SIMD4<Float>(repeating: m)
        let none = SIMD4<Float>(repeating: .infinity)
        let lo = none.replacing(with: index.lowHalf, where: v.lowHalf .<= all)
        let hi = none.replacing(with: index.highHalf, where: v.highHalf .<= all)
        let c4 = SIMD4(
            hi[0] < lo[0] ? hi[0] : lo[0], hi[1] < lo[1] ? hi[1] : lo[1], hi[2] < lo[2] ? hi[2] : lo[2],
            hi[3] < lo[3] ? hi[3] : lo[3])
        let c2 = SIMD2(c4[2] < c4[0] ? c4[2] : c4[0], c4[3] < c4[1] ? c4[3] : c4[1])
        let i = c2[1] < c2[0] ? c2[1] : c2[0]
        return i < Float(limit) ? Int(i) : 0
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

import CKMeansKernels

/// The current centroids laid out for the fused Lloyd pass (C target `CKMeansKernels`).
///
/// `expanded` holds the centroids in groups of 8 as the micro-kernel reads them: per group g, ‖c‖² of its 8
/// centroids, then −2·cⱼ of the 8 centroids for every coordinate j (8 contiguous values each), so one point is
/// compared with 8 centroids per vector multiply-add of the expanded form ‖c‖² − 2·x·c (‖x‖² is common to all
/// centroids and dropped for the arg-min). Padding lanes (when 8 ∤ k) hold ‖c‖² = +∞ and −2c = 0, so they never
/// win. `expanded32` is the same panel in Float for single-precision passes; `rowMajor` the k × d centroids for the
/// final pass's exact distances; `screen` (when built from centred centroids) the Float screen of Double passes.
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
    /// The Float screen of Double passes, or nil.
    let screen: FloatScreen?

    /// The panel of `centroids` (k × d, row-major, in the coordinates of the rows), without a screen.
    init(centroids: [Double], k: Int, d: Int) {
        precondition(centroids.count == k * d, "CentroidPanel: centroid array has the wrong size")
        self.init(centroids: centroids, k: k, d: d, screen: nil)
    }

    /// The panel of the centroids `centred` + `mean` in the rows' coordinates (`centred`: k × d, in coordinates
    /// centred by the column means `mean`; c = c′ + μ rounded as ``KMeans/uncentred(_:mean:k:d:)`` does), with the
    /// Float screen built from `centred`.
    init(centred: [Double], mean: [Double], k: Int, d: Int) {
        precondition(centred.count == k * d && mean.count == d, "CentroidPanel: centroid array has the wrong size")
        let uncentred = KMeans.uncentred(centred, mean: mean, k: k, d: d)
        self.init(
            centroids: uncentred, k: k, d: d,
            screen: FloatScreen(centred: centred, uncentred: uncentred, mean: mean, k: k, d: d))
    }

    private init(centroids: [Double], k: Int, d: Int, screen: FloatScreen?) {
        self.k = k
        self.d = d
        groups = (k + 7) / 8
        rowMajor = centroids
        expanded = Self.expandedPanel(centroids, k: k, d: d)
        expanded32 = expanded.map { Float($0) }
        self.screen = screen
    }

    /// The grouped layout of ``expanded`` for `centroids` (k × d): ‖c‖² summed in feature order, then −2·cⱼ.
    static func expandedPanel(_ centroids: [Double], k: Int, d: Int) -> [Double] {
        let groups = (k + 7) / 8
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
        return expanded
    }
}

/// The Float screen of a Double pass (see `capm_kmeans_pass_f64` in `Sources/CKMeansKernels`): the panel of the
/// centroids centred by the column means, c − μ, rounded to Float, with the three norms of its error bound. The
/// kernel compares each row with it in Float and keeps the Float label only when the runner-up is farther than the
/// bound; the labels are those of the Double kernel either way.
struct FloatScreen: Sendable {
    /// The expanded panel of c − μ, rounded to Float.
    let expanded32: [Float]
    /// max_c ‖c − μ‖.
    let centredNorm: Double
    /// max_c ‖c‖ (the Double panel's centroids).
    let norm: Double
    /// ‖μ‖.
    let meanNorm: Double

    init(centred: [Double], uncentred: [Double], mean: [Double], k: Int, d: Int) {
        expanded32 = CentroidPanel.expandedPanel(centred, k: k, d: d).map { Float($0) }
        func largestNorm(_ rows: [Double]) -> Double {
            var largest = 0.0
            for c in 0..<k {
                var s = 0.0
                for j in 0..<d { s += rows[c * d + j] * rows[c * d + j] }
                largest = max(largest, s)
            }
            return largest.squareRoot()
        }
        centredNorm = largestNorm(centred)
        norm = largestNorm(uncentred)
        meanNorm = mean.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }
}

/// Small distance helpers shared by seeding, Hamerly and the metrics.
enum DistanceKernels {
    /// The m × d row-major `points` feature-major in blocks of 4 rows, `blocks[4q·d + 4j + l]` = row 4q + l,
    /// feature j (zero past the last row): the layout from which the AVX2 kernels (silhouette sums, Hamerly's
    /// nearest two) load one feature of 4 rows at once.
    static func featureMajorBlocks(_ points: [Double], rows m: Int, columns d: Int) -> [Double] {
        var blocks = [Double](repeating: 0, count: (m + 3) / 4 * 4 * d)
        for a in 0..<m {
            for j in 0..<d { blocks[(a / 4) * 4 * d + 4 * j + a % 4] = points[a * d + j] }
        }
        return blocks
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

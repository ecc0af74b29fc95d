import Foundation

/// Row and column scale factors for `A' = R·A·S` (powers of two, so scaling adds no rounding error).
///
/// Four passes of geometric-mean scaling (each row, then each column, divided by `sqrt(min|a|·max|a|)`),
/// then equilibration of the columns to a largest entry of 1 (Curtis & Reid 1972; Tomlin, *On scaling linear
/// programming problems*, Math. Prog. Study 4, 1975; Ploskas & Samaras 2013 compare the variants).
struct Scaling {
    var row: [Double]
    var column: [Double]

    static func identity(rows: Int, columns: Int) -> Scaling {
        Scaling(row: [Double](repeating: 1, count: rows), column: [Double](repeating: 1, count: columns))
    }

    /// Computes the factors for `a`.
    /// - Complexity: O(passes · nonzeros).
    static func compute(for a: SparseColumnMatrix) -> Scaling {
        let m = a.rows
        let n = a.columns
        var r = [Double](repeating: 1, count: m)
        var c = [Double](repeating: 1, count: n)
        func pow2(_ v: Double) -> Double { v > 0 && v.isFinite ? exp2((log2(v)).rounded()) : 1 }
        for _ in 0..<4 {
            var rmin = [Double](repeating: .infinity, count: m)
            var rmax = [Double](repeating: 0, count: m)
            for j in 0..<n {
                for k in a.columnStarts[j]..<a.columnStarts[j + 1] {
                    let i = Int(a.rowIndices[k])
                    let v = abs(a.values[k]) * c[j]
                    rmin[i] = min(rmin[i], v)
                    rmax[i] = max(rmax[i], v)
                }
            }
            for i in 0..<m where rmax[i] > 0 { r[i] = pow2(1 / (rmin[i] * rmax[i]).squareRoot()) }
            for j in 0..<n {
                var lo = Double.infinity
                var hi = 0.0
                for k in a.columnStarts[j]..<a.columnStarts[j + 1] {
                    let v = abs(a.values[k]) * r[Int(a.rowIndices[k])]
                    lo = min(lo, v)
                    hi = max(hi, v)
                }
                if hi > 0 { c[j] = pow2(1 / (lo * hi).squareRoot()) }
            }
        }
        for j in 0..<n {
            var hi = 0.0
            for k in a.columnStarts[j]..<a.columnStarts[j + 1] {
                hi = max(hi, abs(a.values[k]) * r[Int(a.rowIndices[k])] * c[j])
            }
            if hi > 0 { c[j] *= pow2(1 / hi) }
        }
        return Scaling(row: r, column: c)
    }
}

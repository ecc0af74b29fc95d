import CLapack

/// The factorization of a simplex basis `B` (m×m, columns of `[A I]`) with product-form updates.
///
/// **Design.** The logical (slack) columns of `B` are unit vectors. With `S` the rows whose logical is basic,
/// `J` the basic structural columns and `R` the other rows (`|R| = |J| = k`), the basis is block triangular
/// after permutation, and `B·x = b` reduces to the dense k×k "bump" system `A[R,J]·x_J = b_R` followed by
/// `x_S = b_S − A[S,J]·x_J`. The bump is factored by LAPACK `dgetrf` (partial pivoting) and solved by
/// `dgetrs` (the `_work` entry points, which skip LAPACKE's O(k²) NaN scan on every call). Between
/// refactorizations each basis change `B ← B·E` is kept as an eta column (product form of the inverse,
/// Dantzig & Orchard-Hays 1954), applied after the LU solve in FTRAN and before it (transposed, in reverse
/// order) in BTRAN.
///
/// Dense LU is chosen because Netlib-size bumps are at most ~1,000 wide and the allocation models keep
/// most logicals basic; a sparse Markowitz LU (Suhl & Suhl 1990) is the upgrade path for larger bumps.
struct BasisFactorization {
    let rows: Int
    let structurals: Int
    /// Basic variable of each position at factorization time.
    private(set) var head: [Int] = []
    /// Bump data.
    private var bumpRows: [Int] = []  // R, in bump order
    private var bumpColumnPosition: [Int] = []  // position in the basis of bump column t
    private var bumpColumns: [Int] = []  // structural index of bump column t
    private var rowInBump: [Int] = []  // row -> index in R or -1
    private var logicalPosition: [Int] = []  // row -> position of its basic logical, or -1
    private var lu: [Double] = []
    private var pivots: [Int32] = []
    private var k = 0
    /// Eta file: pivot position, pivot value, off-pivot entries.
    private var etaPosition: [Int] = []
    private var etaPivot: [Double] = []
    private var etaStarts: [Int] = [0]
    private var etaIndex: [Int] = []
    private var etaValue: [Double] = []
    private var work: [Double] = []

    init(rows: Int, structurals: Int) {
        self.rows = rows
        self.structurals = structurals
    }

    /// The number of eta updates since the last factorization.
    var updateCount: Int { etaPosition.count }

    /// Factors the basis whose position `p` holds variable `basis[p]` (structural `< n`, logical `n + i`).
    ///
    /// Returns the positions whose columns were found (numerically) dependent; those are replaced by the
    /// returned logicals `(position, logical variable)` and the basis refactored, so the factorization is always
    /// usable on return.
    /// - Complexity: O(k³) for a bump of width k, plus O(nnz of B).
    mutating func factor(_ basis: inout [Int], matrix a: SparseColumnMatrix) -> [(position: Int, variable: Int)] {
        var replaced: [(Int, Int)] = []
        for _ in 0..<8 {
            let singular = tryFactor(basis, matrix: a)
            if singular.isEmpty { return replaced }
            // Replace dependent bump columns by logicals of uncovered rows.
            var covered = [Bool](repeating: false, count: rows)
            for p in 0..<rows where basis[p] >= structurals { covered[basis[p] - structurals] = true }
            let dependentPositions = Set(singular.map { bumpColumnPosition[$0.column] })
            let freeRows = singular.map { bumpRows[$0.row] }.filter { !covered[$0] }
            var candidates = freeRows
            if candidates.count < dependentPositions.count {
                for i in 0..<rows where !covered[i] && !candidates.contains(i) { candidates.append(i) }
            }
            var ci = 0
            for p in dependentPositions.sorted() where ci < candidates.count {
                let v = structurals + candidates[ci]
                ci += 1
                basis[p] = v
                replaced.append((p, v))
            }
        }
        // Last resort: the slack basis.
        for p in 0..<rows { basis[p] = structurals + p }
        replaced = (0..<rows).map { ($0, structurals + $0) }
        _ = tryFactor(basis, matrix: a)
        return replaced
    }

    /// One factorization attempt; returns the (bump column, bump row) pairs of tiny pivots.
    private mutating func tryFactor(_ basis: [Int], matrix a: SparseColumnMatrix) -> [(column: Int, row: Int)] {
        head = basis
        etaPosition.removeAll(keepingCapacity: true)
        etaPivot.removeAll(keepingCapacity: true)
        etaStarts = [0]
        etaIndex.removeAll(keepingCapacity: true)
        etaValue.removeAll(keepingCapacity: true)
        logicalPosition = [Int](repeating: -1, count: rows)
        bumpColumns = []
        bumpColumnPosition = []
        for p in 0..<rows {
            let v = basis[p]
            if v >= structurals { logicalPosition[v - structurals] = p } else {
                bumpColumns.append(v)
                bumpColumnPosition.append(p)
            }
        }
        rowInBump = [Int](repeating: -1, count: rows)
        bumpRows = []
        for i in 0..<rows where logicalPosition[i] < 0 {
            rowInBump[i] = bumpRows.count
            bumpRows.append(i)
        }
        k = bumpColumns.count
        precondition(bumpRows.count == k, "basis with duplicate logicals")
        lu = [Double](repeating: 0, count: k * k)
        pivots = [Int32](repeating: 0, count: k)
        work = [Double](repeating: 0, count: max(k, 1))
        if k == 0 { return [] }
        var maxAbs = 0.0
        for t in 0..<k {
            let j = bumpColumns[t]
            for e in a.columnStarts[j]..<a.columnStarts[j + 1] {
                let r = rowInBump[Int(a.rowIndices[e])]
                if r >= 0 {
                    lu[r + t * k] = a.values[e]
                    maxAbs = max(maxAbs, abs(a.values[e]))
                }
            }
        }
        let n32 = Int32(k)
        _ = lu.withUnsafeMutableBufferPointer { pa in
            pivots.withUnsafeMutableBufferPointer { pp in
                LAPACKE_dgetrf_work(LAPACK_COL_MAJOR, n32, n32, pa.baseAddress, n32, pp.baseAddress)
            }
        }
        // Row permutation: bump position i holds original bump row perm[i].
        var perm = Array(0..<k)
        for i in 0..<k { perm.swapAt(i, Int(pivots[i]) - 1) }
        var bad: [(Int, Int)] = []
        let threshold = 1e-11 * max(maxAbs, 1e-300)
        for i in 0..<k where !(abs(lu[i + i * k]) > threshold) { bad.append((i, perm[i])) }
        return bad
    }

    /// FTRAN: overwrites `b` (indexed by row) with `x = B⁻¹·b` (indexed by basis position).
    /// - Complexity: O(k² + nnz(B) + eta entries).
    mutating func ftran(_ b: inout [Double], matrix a: SparseColumnMatrix) {
        if k > 0 {
            var nonzero = false
            for t in 0..<k {
                work[t] = b[bumpRows[t]]
                if work[t] != 0 { nonzero = true }
            }
            // A right-hand side that is zero on the bump rows (e.g. an entering logical of a row outside the
            // bump) has x_J = 0: skip the O(k²) triangular solves.
            if nonzero { solveBump(transposed: false) }
            // x_S = b_S − A[S,J]·x_J, computed in place in b (rows of S keep their b value until now).
            for t in 0..<k {
                let xt = work[t]
                if xt == 0 { continue }
                let j = bumpColumns[t]
                for e in a.columnStarts[j]..<a.columnStarts[j + 1] {
                    let i = Int(a.rowIndices[e])
                    if logicalPosition[i] >= 0 { b[i] -= a.values[e] * xt }
                }
            }
        }
        // Scatter to positions: logical of row i sits at logicalPosition[i]; bump column t at its position.
        var x = [Double](repeating: 0, count: rows)
        for i in 0..<rows where logicalPosition[i] >= 0 { x[logicalPosition[i]] = b[i] }
        for t in 0..<k { x[bumpColumnPosition[t]] = work[t] }
        applyEtas(&x)
        b = x
    }

    private func applyEtas(_ x: inout [Double]) {
        for e in 0..<etaPosition.count {
            let r = etaPosition[e]
            let xr = x[r] / etaPivot[e]
            x[r] = xr
            if xr == 0 { continue }
            for q in etaStarts[e]..<etaStarts[e + 1] { x[etaIndex[q]] -= etaValue[q] * xr }
        }
    }

    /// BTRAN: overwrites `c` (indexed by basis position) with `y = B⁻ᵀ·c` (indexed by row).
    /// - Complexity: O(k² + nnz(B) + eta entries).
    mutating func btran(_ c: inout [Double], matrix a: SparseColumnMatrix) {
        var e = etaPosition.count - 1
        while e >= 0 {
            let r = etaPosition[e]
            var s = c[r]
            for q in etaStarts[e]..<etaStarts[e + 1] { s -= etaValue[q] * c[etaIndex[q]] }
            c[r] = s / etaPivot[e]
            e -= 1
        }
        var y = [Double](repeating: 0, count: rows)
        for i in 0..<rows where logicalPosition[i] >= 0 { y[i] = c[logicalPosition[i]] }
        if k > 0 {
            for t in 0..<k {
                let j = bumpColumns[t]
                var s = c[bumpColumnPosition[t]]
                for q in a.columnStarts[j]..<a.columnStarts[j + 1] {
                    let i = Int(a.rowIndices[q])
                    if logicalPosition[i] >= 0 { s -= a.values[q] * y[i] }
                }
                work[t] = s
            }
            if work.contains(where: { $0 != 0 }) { solveBump(transposed: true) }
            for t in 0..<k { y[bumpRows[t]] = work[t] }
        }
        c = y
    }

    /// Solves `M·w = work` or `Mᵀ·w = work` in place with the bump's LU factors (LAPACK `dgetrs`).
    private mutating func solveBump(transposed: Bool) {
        let n32 = Int32(k)
        let trans = CChar(UInt8(ascii: transposed ? "T" : "N"))
        _ = lu.withUnsafeBufferPointer { pa in
            pivots.withUnsafeBufferPointer { pp in
                work.withUnsafeMutableBufferPointer { pw in
                    LAPACKE_dgetrs_work(
                        LAPACK_COL_MAJOR, trans, n32, 1, pa.baseAddress, n32, pp.baseAddress, pw.baseAddress, n32)
                }
            }
        }
    }

    /// Records the basis change at position `r` with the FTRAN'd entering column `alpha` (by position).
    mutating func update(position r: Int, column alpha: [Double]) {
        etaPosition.append(r)
        etaPivot.append(alpha[r])
        for i in 0..<rows where i != r && alpha[i] != 0 && abs(alpha[i]) > 1e-14 {
            etaIndex.append(i)
            etaValue.append(alpha[i])
        }
        etaStarts.append(etaIndex.count)
        head[r] = -1
    }

    /// The number of stored eta entries.
    var etaEntries: Int { etaIndex.count }
}

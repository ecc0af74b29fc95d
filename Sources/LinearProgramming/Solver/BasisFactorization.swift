import CAPMNumerics
import CLapack

/// The factorization of a simplex basis `B` (m×m, columns of `[A I]`) with product-form updates.
///
/// **Design.** The logical (slack) columns of `B` are unit vectors. With `S` the rows whose logical is basic,
/// `J` the basic structural columns and `R` the other rows (`|R| = |J| = k`), the basis is block triangular
/// after permutation, and `B·x = b` reduces to the k×k "bump" system `M·x_J = b_R` (`M = A[R,J]`) followed by
/// `x_S = b_S − A[S,J]·x_J`. The bump is triangularised first (Suhl & Suhl 1990, §3; Koberstein 2005, §5.1):
/// column singletons of the active submatrix are pivoted first (U rows, no L multipliers), then row singletons
/// (L columns, U rows of one entry); neither changes the remaining submatrix, so both cost no arithmetic and no
/// fill. Only the **nucleus** left over is factored densely by LAPACK `dgetrf` (partial pivoting) and solved
/// by `dgetrs` (the `_work` entry points, which skip LAPACKE's O(n²) NaN scan on every call). Between
/// refactorizations each basis change `B ← B·E` is kept as an eta column (product form of the inverse,
/// Dantzig & Orchard-Hays 1954), applied after the bump solve in FTRAN and before it (transposed, in reverse
/// order) in BTRAN.
///
/// Factoring the nucleus instead of the whole bump made `cycle`, `degen3`, `ganges`, `czprob` and `25fv47`
/// 1.6–6× faster in CPU time (Docs/lp-solver.md, "Measured"); a sparse Markowitz LU of the nucleus with
/// Forrest–Tomlin updates (Suhl & Suhl 1990; Forrest & Tomlin 1972) is the next step for LPs whose nucleus
/// itself is thousands wide and sparse.
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
    private var k = 0
    /// Column-singleton pivots (U rows: the pivot row's other entries, by bump column).
    private var stage1 = TriangularPart()
    /// Row-singleton pivots (L columns: the pivot column's other entries divided by the pivot, by bump row).
    private var stage2 = TriangularPart()
    /// The nucleus (bump rows and columns left after the singletons) and its dense LU.
    private var nucleusRows: [Int] = []
    private var nucleusColumns: [Int] = []
    private var lu: [Double] = []
    private var pivots: [Int32] = []
    private var rowWork: [Double] = []
    private var columnWork: [Double] = []
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
    /// - Complexity: O(k_N³) for a nucleus of width k_N, plus O(nnz of B) for the triangularisation.
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
        stage1 = TriangularPart()
        stage2 = TriangularPart()
        nucleusRows = []
        nucleusColumns = []
        rowWork = [Double](repeating: 0, count: k)
        columnWork = [Double](repeating: 0, count: k)
        if k == 0 { return [] }
        // The bump M = A[R,J] by columns and by rows, in bump indices.
        var columnStart = [Int](repeating: 0, count: k + 1)
        var entryRow: [Int] = []
        var entryValue: [Double] = []
        var maxAbs = 0.0
        for t in 0..<k {
            let j = bumpColumns[t]
            for e in a.columnStarts[j]..<a.columnStarts[j + 1] {
                let r = rowInBump[Int(a.rowIndices[e])]
                if r >= 0 {
                    entryRow.append(r)
                    entryValue.append(a.values[e])
                    maxAbs = max(maxAbs, abs(a.values[e]))
                }
            }
            columnStart[t + 1] = entryRow.count
        }
        var rowStart = [Int](repeating: 0, count: k + 1)
        for r in entryRow { rowStart[r + 1] += 1 }
        for i in 0..<k { rowStart[i + 1] += rowStart[i] }
        var rowColumn = [Int](repeating: 0, count: entryRow.count)
        var rowValue = [Double](repeating: 0, count: entryRow.count)
        var fill = rowStart
        for t in 0..<k {
            for e in columnStart[t]..<columnStart[t + 1] {
                let r = entryRow[e]
                rowColumn[fill[r]] = t
                rowValue[fill[r]] = entryValue[e]
                fill[r] += 1
            }
        }
        let threshold = 1e-11 * max(maxAbs, 1e-300)
        var bad: [(Int, Int)] = []
        // Singleton triangularisation (the first step of Suhl & Suhl 1990): column singletons of the active
        // submatrix, then row singletons; neither changes the rest of the matrix, so they cost no arithmetic.
        var rowActive = [Bool](repeating: true, count: k)
        var columnActive = [Bool](repeating: true, count: k)
        var rowCount = (0..<k).map { rowStart[$0 + 1] - rowStart[$0] }
        var columnCount = (0..<k).map { columnStart[$0 + 1] - columnStart[$0] }
        var queue = (0..<k).filter { columnCount[$0] == 1 }
        while let t = queue.popLast() {
            guard columnActive[t], columnCount[t] == 1 else { continue }
            var pivotRow = -1
            var pivot = 0.0
            for e in columnStart[t]..<columnStart[t + 1] where rowActive[entryRow[e]] {
                pivotRow = entryRow[e]
                pivot = entryValue[e]
            }
            if !(abs(pivot) > threshold) { continue }  // left to the nucleus, where it shows as singular
            columnActive[t] = false
            rowActive[pivotRow] = false
            stage1.begin(row: pivotRow, column: t, pivot: pivot)
            for e in rowStart[pivotRow]..<rowStart[pivotRow + 1] {
                let c = rowColumn[e]
                guard columnActive[c] else { continue }
                stage1.add(c, rowValue[e])
                columnCount[c] -= 1
                if columnCount[c] == 1 { queue.append(c) }
            }
            for e in columnStart[t]..<columnStart[t + 1] { rowCount[entryRow[e]] -= 1 }
        }
        queue = (0..<k).filter { rowActive[$0] && rowCount[$0] == 1 }
        while let r = queue.popLast() {
            guard rowActive[r], rowCount[r] == 1 else { continue }
            var pivotColumn = -1
            var pivot = 0.0
            for e in rowStart[r]..<rowStart[r + 1] where columnActive[rowColumn[e]] {
                pivotColumn = rowColumn[e]
                pivot = rowValue[e]
            }
            if !(abs(pivot) > threshold) { continue }
            rowActive[r] = false
            columnActive[pivotColumn] = false
            stage2.begin(row: r, column: pivotColumn, pivot: pivot)
            for e in columnStart[pivotColumn]..<columnStart[pivotColumn + 1] {
                let i = entryRow[e]
                guard rowActive[i] else { continue }
                stage2.add(i, entryValue[e] / pivot)
                rowCount[i] -= 1
                if rowCount[i] == 1 { queue.append(i) }
            }
        }
        // The nucleus: dense LU with partial pivoting (LAPACK dgetrf).
        nucleusRows = (0..<k).filter { rowActive[$0] }
        nucleusColumns = (0..<k).filter { columnActive[$0] }
        let kn = nucleusRows.count
        precondition(nucleusColumns.count == kn, "nucleus not square")
        lu = [Double](repeating: 0, count: kn * kn)
        pivots = [Int32](repeating: 0, count: kn)
        work = [Double](repeating: 0, count: max(kn, 1))
        if kn == 0 { return bad }
        var nucleusIndex = [Int](repeating: -1, count: k)
        for (q, r) in nucleusRows.enumerated() { nucleusIndex[r] = q }
        for (q, t) in nucleusColumns.enumerated() {
            for e in columnStart[t]..<columnStart[t + 1] {
                let r = nucleusIndex[entryRow[e]]
                if r >= 0 { lu[r + q * kn] = entryValue[e] }
            }
        }
        let n32 = Int32(kn)
        // One OpenBLAS thread, unchangeable by concurrent callers: the factors (and so the solve) must not depend
        // on what else the process runs (BLAS.singleThreaded).
        BLAS.singleThreaded {
            _ = lu.withUnsafeMutableBufferPointer { pa in
                pivots.withUnsafeMutableBufferPointer { pp in
                    LAPACKE_dgetrf_work(LAPACK_COL_MAJOR, n32, n32, pa.baseAddress, n32, pp.baseAddress)
                }
            }
        }
        // Row permutation: nucleus position i holds nucleus row perm[i].
        var perm = Array(0..<kn)
        for i in 0..<kn { perm.swapAt(i, Int(pivots[i]) - 1) }
        for i in 0..<kn where !(abs(lu[i + i * kn]) > threshold) {
            bad.append((nucleusColumns[i], nucleusRows[perm[i]]))
        }
        return bad
    }

    /// FTRAN: overwrites `b` (indexed by row) with `x = B⁻¹·b` (indexed by basis position).
    /// - Complexity: O(k_N² + nnz(B) + eta entries) for a nucleus of width k_N.
    mutating func ftran(_ b: inout [Double], matrix a: SparseColumnMatrix) {
        if k > 0 {
            var nonzero = false
            for t in 0..<k {
                rowWork[t] = b[bumpRows[t]]
                if rowWork[t] != 0 { nonzero = true }
            }
            // A right-hand side that is zero on the bump rows (e.g. an entering logical of a row outside the
            // bump) has x_J = 0: skip the solves.
            if nonzero {
                solveBump()
            } else {
                for t in 0..<k { columnWork[t] = 0 }
            }
            // x_S = b_S − A[S,J]·x_J, computed in place in b (rows of S keep their b value until now).
            for t in 0..<k {
                let xt = columnWork[t]
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
        for t in 0..<k { x[bumpColumnPosition[t]] = columnWork[t] }
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
    /// - Complexity: O(k_N² + nnz(B) + eta entries) for a nucleus of width k_N.
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
                columnWork[t] = s
            }
            if columnWork.contains(where: { $0 != 0 }) {
                solveBumpTransposed()
            } else {
                for t in 0..<k { rowWork[t] = 0 }
            }
            for t in 0..<k { y[bumpRows[t]] = rowWork[t] }
        }
        c = y
    }

    /// Solves `M·x = b` for the bump `M`: `b` in ``rowWork`` (by bump row), `x` into ``columnWork`` (by bump
    /// column). Forward: the row-singleton eliminations (L), the nucleus (`dgetrs`), then back substitution
    /// through the row singletons and, in reverse order, the column singletons (U). ``rowWork`` is overwritten.
    /// - Complexity: O(entries of the triangular parts + nucleus²).
    private mutating func solveBump() {
        // L of the row singletons: b_i −= l_i·b_r.
        for p in 0..<stage2.count {
            let t = rowWork[stage2.row[p]]
            if t == 0 { continue }
            for e in stage2.start[p]..<stage2.start[p + 1] { rowWork[stage2.index[e]] -= stage2.value[e] * t }
        }
        let kn = nucleusRows.count
        if kn > 0 {
            var any = false
            for q in 0..<kn {
                work[q] = rowWork[nucleusRows[q]]
                if work[q] != 0 { any = true }
            }
            if any { solveNucleus(transposed: false) }
            for q in 0..<kn { columnWork[nucleusColumns[q]] = work[q] }
        }
        for p in 0..<stage2.count { columnWork[stage2.column[p]] = rowWork[stage2.row[p]] / stage2.pivot[p] }
        var p = stage1.count - 1
        while p >= 0 {
            var v = rowWork[stage1.row[p]]
            for e in stage1.start[p]..<stage1.start[p + 1] { v -= stage1.value[e] * columnWork[stage1.index[e]] }
            columnWork[stage1.column[p]] = v / stage1.pivot[p]
            p -= 1
        }
    }

    /// Solves `Mᵀ·y = c`: `c` in ``columnWork`` (by bump column), `y` into ``rowWork`` (by bump row).
    /// ``columnWork`` is overwritten.
    /// - Complexity: O(entries of the triangular parts + nucleus²).
    private mutating func solveBumpTransposed() {
        for p in 0..<stage1.count {
            let w = columnWork[stage1.column[p]] / stage1.pivot[p]
            rowWork[stage1.row[p]] = w
            if w == 0 { continue }
            for e in stage1.start[p]..<stage1.start[p + 1] { columnWork[stage1.index[e]] -= stage1.value[e] * w }
        }
        for p in 0..<stage2.count { rowWork[stage2.row[p]] = columnWork[stage2.column[p]] / stage2.pivot[p] }
        let kn = nucleusRows.count
        if kn > 0 {
            var any = false
            for q in 0..<kn {
                work[q] = columnWork[nucleusColumns[q]]
                if work[q] != 0 { any = true }
            }
            if any { solveNucleus(transposed: true) }
            for q in 0..<kn { rowWork[nucleusRows[q]] = work[q] }
        }
        var p = stage2.count - 1
        while p >= 0 {
            var v = rowWork[stage2.row[p]]
            for e in stage2.start[p]..<stage2.start[p + 1] { v -= stage2.value[e] * rowWork[stage2.index[e]] }
            rowWork[stage2.row[p]] = v
            p -= 1
        }
    }

    /// Solves `N·w = work` or `Nᵀ·w = work` in place with the nucleus' LU factors (LAPACK `dgetrs`).
    private mutating func solveNucleus(transposed: Bool) {
        let n32 = Int32(nucleusRows.count)
        let trans = CChar(UInt8(ascii: transposed ? "T" : "N"))
        BLAS.singleThreaded {
            _ = lu.withUnsafeBufferPointer { pa in
                pivots.withUnsafeBufferPointer { pp in
                    work.withUnsafeMutableBufferPointer { pw in
                        LAPACKE_dgetrs_work(
                            LAPACK_COL_MAJOR, trans, n32, 1, pa.baseAddress, n32, pp.baseAddress, pw.baseAddress, n32)
                    }
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

/// The pivots of a triangular part of the bump, each with a list of off-pivot entries.
struct TriangularPart {
    var row: [Int] = []
    var column: [Int] = []
    var pivot: [Double] = []
    var start: [Int] = [0]
    var index: [Int] = []
    var value: [Double] = []

    var count: Int { row.count }

    /// Opens pivot `(row, column)`; the entries added next belong to it (`start[count] == index.count`).
    mutating func begin(row r: Int, column c: Int, pivot v: Double) {
        row.append(r)
        column.append(c)
        pivot.append(v)
        start.append(index.count)
    }

    /// Adds an off-pivot entry to the last pivot.
    mutating func add(_ i: Int, _ v: Double) {
        index.append(i)
        value.append(v)
        start[start.count - 1] = index.count
    }
}

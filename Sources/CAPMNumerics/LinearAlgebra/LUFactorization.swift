import CLapack

/// The LU factorization with partial pivoting `P·A = L·U` of a square matrix (LAPACK `dgetrf`).
///
/// Factor once, solve many right-hand sides with ``solve(_:)`` (`dgetrs`), and read the determinant or the
/// reciprocal condition number estimate (`dgecon`).
///
/// Reference: Golub & Van Loan, *Matrix Computations*, 4th ed., §3.4.
public struct LUFactorization: Sendable {
    /// `L` (unit lower, below the diagonal) and `U` (upper) packed together, column-major.
    public let factors: Matrix
    /// LAPACK's 1-based pivot indices: row `i` was interchanged with row `pivots[i]`.
    public let pivots: [Int32]
    /// The 1-norm of the original matrix, kept for the condition estimate.
    public let normOne: Double

    /// Factors `matrix`.
    ///
    /// - Throws: ``LinearAlgebraError/singular(routine:pivot:)`` when a pivot is exactly zero,
    ///   ``LinearAlgebraError/dimensionMismatch(operation:expected:actual:)`` for a non-square matrix,
    ///   ``LinearAlgebraError/nonFiniteInput(operation:)`` for NaN or infinity.
    /// - Complexity: (2/3)·n³ flops.
    public init(_ matrix: Matrix) throws(LinearAlgebraError) {
        guard matrix.isSquare else {
            throw .dimensionMismatch(
                operation: "LU (dgetrf)", expected: "a square matrix", actual: "\(matrix.rows)×\(matrix.columns)")
        }
        guard matrix.isFinite else { throw .nonFiniteInput(operation: "LU (dgetrf)") }
        let n = matrix.rows
        var a = matrix
        var ipiv = [Int32](repeating: 0, count: n)
        var norm = 0.0
        for j in 0..<n {
            var s = 0.0
            for i in 0..<n { s += abs(matrix.storage[i + j * n]) }
            norm = Swift.max(norm, s)
        }
        if n > 0 {
            let info = a.storage.withUnsafeMutableBufferPointer { pa in
                ipiv.withUnsafeMutableBufferPointer { pp in
                    LAPACKE_dgetrf(LAPACK_COL_MAJOR, Int32(n), Int32(n), pa.baseAddress, Int32(n), pp.baseAddress)
                }
            }
            try checkLAPACK(info, routine: "dgetrf") { .singular(routine: "dgetrf", pivot: $0) }
        }
        self.factors = a
        self.pivots = ipiv
        self.normOne = norm
    }

    /// The order `n` of the factored matrix.
    public var order: Int { factors.rows }

    /// Solves `A·X = B` for every column of `b` (LAPACK `dgetrs`).
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:actual:)`` when `b.rows != n`.
    /// - Complexity: 2·n²·columns flops.
    public func solve(_ b: Matrix) throws(LinearAlgebraError) -> Matrix {
        guard b.rows == order else {
            throw .dimensionMismatch(operation: "LU solve (dgetrs)", expected: "\(order) rows", actual: "\(b.rows) rows")
        }
        var x = b
        if order == 0 || b.columns == 0 { return x }
        let info = factors.storage.withUnsafeBufferPointer { pa in
            pivots.withUnsafeBufferPointer { pp in
                x.storage.withUnsafeMutableBufferPointer { px in
                    LAPACKE_dgetrs(
                        LAPACK_COL_MAJOR, lapackChar("N"), Int32(order), Int32(b.columns), pa.baseAddress,
                        Int32(order), pp.baseAddress, px.baseAddress, Int32(order))
                }
            }
        }
        try checkLAPACK(info, routine: "dgetrs") { .singular(routine: "dgetrs", pivot: $0) }
        return x
    }

    /// Solves `A·x = b` for one right-hand side.
    public func solve(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
        try solve(Matrix(rows: b.count, columns: 1, columnMajor: b)).storage
    }

    /// `det(A)`: the product of `U`'s diagonal, with the sign of the row permutation.
    public var determinant: Double {
        var det = 1.0
        for i in 0..<order {
            det *= factors.storage[i + i * order]
            if pivots[i] != Int32(i + 1) { det = -det }
        }
        return det
    }

    /// An estimate of the reciprocal condition number `1 / (‖A‖₁·‖A⁻¹‖₁)` (LAPACK `dgecon`); near machine
    /// epsilon means the solution has lost all its digits.
    public func reciprocalCondition() throws(LinearAlgebraError) -> Double {
        if order == 0 { return 1 }
        var rcond = 0.0
        let info = factors.storage.withUnsafeBufferPointer { pa in
            LAPACKE_dgecon(LAPACK_COL_MAJOR, lapackChar("1"), Int32(order), pa.baseAddress, Int32(order), normOne, &rcond)
        }
        try checkLAPACK(info, routine: "dgecon") { .noConvergence(routine: "dgecon", info: $0) }
        return rcond
    }

    /// `A⁻¹` (LAPACK `dgetri`). Prefer ``solve(_:)-(Matrix)`` when only products with the inverse are needed.
    public func inverse() throws(LinearAlgebraError) -> Matrix {
        var inv = factors
        if order == 0 { return inv }
        let info = inv.storage.withUnsafeMutableBufferPointer { pa in
            pivots.withUnsafeBufferPointer { pp in
                LAPACKE_dgetri(LAPACK_COL_MAJOR, Int32(order), pa.baseAddress, Int32(order), pp.baseAddress)
            }
        }
        try checkLAPACK(info, routine: "dgetri") { .singular(routine: "dgetri", pivot: $0) }
        return inv
    }
}

extension Matrix {
    /// Solves the square system `A·X = B` by LU with partial pivoting (LAPACK `dgetrf` + `dgetrs`).
    ///
    /// - Throws: ``LinearAlgebraError/singular(routine:pivot:)`` for a singular `A`.
    public func solve(_ b: Matrix) throws(LinearAlgebraError) -> Matrix {
        try LUFactorization(self).solve(b)
    }

    /// Solves the square system `A·x = b` by LU with partial pivoting.
    public func solve(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
        try LUFactorization(self).solve(b)
    }

    /// `A⁻¹` by LU (LAPACK `dgetrf` + `dgetri`).
    public func inverse() throws(LinearAlgebraError) -> Matrix {
        try LUFactorization(self).inverse()
    }
}

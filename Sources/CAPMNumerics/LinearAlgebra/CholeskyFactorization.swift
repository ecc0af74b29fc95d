import CLapack

/// The Cholesky factorization `A = Uᵀ·U` of a symmetric positive-definite matrix (LAPACK `dpotrf`).
///
/// Used for normal equations, Newton steps and the inverse of a log-likelihood's negative Hessian
/// (standard errors of maximum-likelihood estimates). Only the upper triangle of the input is read.
///
/// Reference: Golub & Van Loan, *Matrix Computations*, 4th ed., §4.2.
public struct CholeskyFactorization: Sendable {
    /// `U` in the upper triangle (the strict lower triangle is zeroed), column-major.
    public let upper: Matrix

    /// Factors the symmetric positive-definite `matrix`.
    ///
    /// - Throws: ``LinearAlgebraError/notPositiveDefinite(routine:minor:)`` when a leading minor is not
    ///   positive, ``LinearAlgebraError/dimensionMismatch(operation:expected:actual:)`` for a non-square matrix,
    ///   ``LinearAlgebraError/nonFiniteInput(operation:)`` for NaN or infinity.
    /// - Complexity: n³/3 flops.
    public init(_ matrix: Matrix) throws(LinearAlgebraError) {
        guard matrix.isSquare else {
            throw .dimensionMismatch(
                operation: "Cholesky (dpotrf)", expected: "a square matrix",
                actual: "\(matrix.rows)×\(matrix.columns)")
        }
        guard matrix.isFinite else { throw .nonFiniteInput(operation: "Cholesky (dpotrf)") }
        let n = matrix.rows
        var a = matrix
        if n > 0 {
            let info = a.storage.withUnsafeMutableBufferPointer { pa in
                LAPACKE_dpotrf(LAPACK_COL_MAJOR, lapackChar("U"), Int32(n), pa.baseAddress, Int32(n))
            }
            try checkLAPACK(info, routine: "dpotrf") { .notPositiveDefinite(routine: "dpotrf", minor: $0) }
        }
        for j in 0..<n {
            for i in (j + 1)..<Swift.max(j + 1, n) { a.storage[i + j * n] = 0 }
        }
        self.upper = a
    }

    /// The order `n` of the factored matrix.
    public var order: Int { upper.rows }

    /// Solves `A·X = B` (LAPACK `dpotrs`).
    ///
    /// - Complexity: 2·n²·columns flops.
    public func solve(_ b: Matrix) throws(LinearAlgebraError) -> Matrix {
        guard b.rows == order else {
            throw .dimensionMismatch(
                operation: "Cholesky solve (dpotrs)", expected: "\(order) rows", actual: "\(b.rows) rows")
        }
        var x = b
        if order == 0 || b.columns == 0 { return x }
        let info = upper.storage.withUnsafeBufferPointer { pa in
            x.storage.withUnsafeMutableBufferPointer { px in
                LAPACKE_dpotrs(
                    LAPACK_COL_MAJOR, lapackChar("U"), Int32(order), Int32(b.columns), pa.baseAddress,
                    Int32(order), px.baseAddress, Int32(order))
            }
        }
        try checkLAPACK(info, routine: "dpotrs") { .notPositiveDefinite(routine: "dpotrs", minor: $0) }
        return x
    }

    /// Solves `A·x = b` for one right-hand side.
    public func solve(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
        try solve(Matrix(rows: b.count, columns: 1, columnMajor: b)).storage
    }

    /// `A⁻¹`, symmetric, both triangles filled (LAPACK `dpotri`). For a negative log-likelihood Hessian this is
    /// the asymptotic covariance matrix of the estimates.
    public func inverse() throws(LinearAlgebraError) -> Matrix {
        var inv = upper
        if order == 0 { return inv }
        let info = inv.storage.withUnsafeMutableBufferPointer { pa in
            LAPACKE_dpotri(LAPACK_COL_MAJOR, lapackChar("U"), Int32(order), pa.baseAddress, Int32(order))
        }
        try checkLAPACK(info, routine: "dpotri") { .notPositiveDefinite(routine: "dpotri", minor: $0) }
        inv.symmetrizeFromUpper()
        return inv
    }

    /// `log det(A) = 2·Σ log Uᵢᵢ`, without overflow.
    public var logDeterminant: Double {
        var s = 0.0
        for i in 0..<order { s += 2 * log(upper.storage[i + i * order]) }
        return s
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

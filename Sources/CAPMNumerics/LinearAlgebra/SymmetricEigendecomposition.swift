import CLapack

/// The eigendecomposition `A = V·diag(λ)·Vᵀ` of a real symmetric matrix (LAPACK `dsyevd`, divide and
/// conquer).
///
/// Eigenvalues come in ascending order; column `j` of ``vectors`` is the unit eigenvector of
/// `values[j]`. Only the upper triangle of the input is read.
///
/// Reference: Golub & Van Loan, *Matrix Computations*, 4th ed., §8.5.
public struct SymmetricEigendecomposition: Sendable {
    /// Eigenvalues in ascending order.
    public let values: [Double]
    /// Orthonormal eigenvectors, one per column, in the order of ``values``; `nil` when not requested.
    public let vectors: Matrix?

    /// Decomposes the symmetric `matrix`.
    ///
    /// - Parameter computeVectors: also compute eigenvectors (`jobz = 'V'`).
    /// - Throws: ``LinearAlgebraError/noConvergence(routine:info:)`` when the algorithm fails to converge,
    ///   ``LinearAlgebraError/dimensionMismatch(operation:expected:actual:)`` for a non-square matrix,
    ///   ``LinearAlgebraError/nonFiniteInput(operation:)`` for NaN or infinity.
    /// - Complexity: O(n³).
    public init(_ matrix: Matrix, computeVectors: Bool = true) throws(LinearAlgebraError) {
        guard matrix.isSquare else {
            throw .dimensionMismatch(
                operation: "eigen (dsyevd)", expected: "a square matrix", actual: "\(matrix.rows)×\(matrix.columns)")
        }
        guard matrix.isFinite else { throw .nonFiniteInput(operation: "eigen (dsyevd)") }
        let n = matrix.rows
        var a = matrix
        var w = [Double](repeating: 0, count: n)
        if n > 0 {
            let info = a.storage.withUnsafeMutableBufferPointer { pa in
                w.withUnsafeMutableBufferPointer { pw in
                    LAPACKE_dsyevd(
                        LAPACK_COL_MAJOR, lapackChar(computeVectors ? "V" : "N"), lapackChar("U"), Int32(n),
                        pa.baseAddress, Int32(n), pw.baseAddress)
                }
            }
            try checkLAPACK(info, routine: "dsyevd") { .noConvergence(routine: "dsyevd", info: $0) }
        }
        self.values = w
        self.vectors = computeVectors ? a : nil
    }
}

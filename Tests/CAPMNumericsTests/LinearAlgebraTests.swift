import CAPMNumerics
import Testing

/// The n × n Hilbert matrix H[i, j] = 1 / (i + j + 1), a classic ill-conditioned test matrix.
func hilbert(_ n: Int) -> Matrix {
    var h = Matrix(rows: n, columns: n)
    for i in 0..<n {
        for j in 0..<n { h[i, j] = 1 / Double(i + j + 1) }
    }
    return h
}

@Suite("Matrix and BLAS")
struct MatrixTests {
    @Test func rowMajorAndColumnMajorAgree() throws {
        let m = try Matrix([[1, 2, 3], [4, 5, 6]])
        #expect(m.rows == 2 && m.columns == 3)
        #expect(m.storage == [1, 4, 2, 5, 3, 6])
        #expect(m[1, 2] == 6)
        #expect(m.rowMajorElements == [1, 2, 3, 4, 5, 6])
        #expect(m.transposed().storage == [1, 2, 3, 4, 5, 6])
        #expect(m.row(1) == [4, 5, 6])
        #expect(m.column(2) == [3, 6])
    }

    @Test func raggedRowsAreRejected() {
        #expect(throws: LinearAlgebraError.self) { try Matrix([[1, 2], [3]]) }
        #expect(throws: LinearAlgebraError.self) { try Matrix(rows: 2, columns: 2, columnMajor: [1, 2, 3]) }
    }

    @Test func transposeOfLargeMatrixIsBlockExact() throws {
        var m = Matrix(rows: 70, columns: 45)
        for i in 0..<70 { for j in 0..<45 { m[i, j] = Double(i * 1000 + j) } }
        let t = m.transposed()
        for i in 0..<70 { for j in 0..<45 { #expect(t[j, i] == m[i, j]) } }
    }

    @Test func gemmMatchesHandProduct() throws {
        let a = try Matrix([[1, 2], [3, 4], [5, 6]])
        let b = try Matrix([[7, 8, 9], [10, 11, 12]])
        let c = try a.multiplied(by: b)
        #expect(c == (try Matrix([[27, 30, 33], [61, 68, 75], [95, 106, 117]])))
        let ctc = try a.multiplied(by: a, transposeSelf: .transpose)
        #expect(ctc == (try Matrix([[35, 44], [44, 56]])))
        #expect(a.gram() == ctc)
        #expect(a.gram(.none) == (try a.multiplied(by: a, transposeOther: .transpose)))
    }

    @Test func gemmRejectsMismatchedShapes() throws {
        let a = Matrix(rows: 2, columns: 3)
        #expect(throws: LinearAlgebraError.self) { try a.multiplied(by: a) }
        #expect(throws: LinearAlgebraError.self) { try a.multiplied(by: [1, 2]) }
    }

    @Test func gemvBothWays() throws {
        let a = try Matrix([[1, 2], [3, 4], [5, 6]])
        #expect(try a.multiplied(by: [1, 1]) == [3, 7, 11])
        #expect(try a.multiplied(by: [1, 0, 1], transpose: .transpose) == [6, 8])
        #expect(try a.multiplied(by: [1, 1], alpha: 2, beta: 1, adding: [1, 1, 1]) == [7, 15, 23])
    }

    /// OpenBLAS' thread count is process-wide and other suites change it while this one runs
    /// (`ConcurrentSolveTests` toggles it on purpose), so the test asserts only what holds under concurrent
    /// changes: inside `singleThreaded` the count is 1 (every setter waits for it), and `withThreads` hands back
    /// its body's result and error. (Asserting the count inside `withThreads` failed once in CI: another thread's
    /// restore landed inside the body.)
    @Test func threadControl() throws {
        for _ in 0..<100 { BLAS.singleThreaded { #expect(BLAS.threads == 1) } }
        #expect(BLAS.withThreads(1) { 42 } == 42)
        struct Marker: Error {}
        #expect(throws: Marker.self) { try BLAS.withThreads(1) { () throws(Marker) -> Int in throw Marker() } }
        #expect(BLAS.processors >= 1)
        #expect(BLAS.configuration.contains("OpenBLAS"))
    }
}

@Suite("LAPACK wrappers")
struct LAPACKTests {
    /// Solving H·x = H·1 recovers x = 1; the error grows with cond(H) ≈ e^{3.5 n} (Higham 2002, §28.1).
    @Test(arguments: [(4, 1e-11), (6, 1e-8), (8, 1e-5)])
    func hilbertSolveRecoversOnes(n: Int, tolerance: Double) throws {
        let h = hilbert(n)
        let b = try h.multiplied(by: [Double](repeating: 1, count: n))
        let x = try h.solve(b)
        for v in x { #expect(abs(v - 1) < tolerance) }
        let rcond = try LUFactorization(h).reciprocalCondition()
        #expect(rcond < 1e-3 && rcond > 0)
    }

    /// The inverse of the 3 × 3 Hilbert matrix is known exactly (integers).
    @Test func hilbertInverseIsExactIntegers() throws {
        let expected = try Matrix([[9, -36, 30], [-36, 192, -180], [30, -180, 180]])
        let inv = try hilbert(3).inverse()
        #expect(inv.maxAbsDifference(expected) < 1e-9)
        let viaCholesky = try CholeskyFactorization(hilbert(3)).inverse()
        #expect(viaCholesky.maxAbsDifference(expected) < 1e-9)
    }

    @Test func determinantWithPivoting() throws {
        let a = try Matrix([[0, 1], [1, 0]])
        #expect(try LUFactorization(a).determinant == -1)
        let b = try Matrix([[2, 0, 0], [0, 3, 0], [4, 0, 5]])
        #expect(abs(try LUFactorization(b).determinant - 30) < 1e-12)
    }

    @Test func singularMatrixThrowsTypedError() throws {
        let a = try Matrix([[1, 2], [2, 4]])
        #expect(throws: LinearAlgebraError.singular(routine: "dgetrf", pivot: 2)) { try LUFactorization(a) }
        #expect(throws: LinearAlgebraError.self) { try Matrix(rows: 2, columns: 3).solve([1, 2]) }
    }

    @Test func nanInputIsRejectedBeforeLAPACK() throws {
        let a = try Matrix([[1, .nan], [0, 1]])
        #expect(throws: LinearAlgebraError.nonFiniteInput(operation: "LU (dgetrf)")) { try LUFactorization(a) }
    }

    /// A = LLᵀ with L = [[2,0,0],[6,1,0],[-8,5,3]] (Golub & Van Loan style example): the factor is Lᵀ.
    @Test func choleskyOfKnownSPDMatrix() throws {
        let a = try Matrix([[4, 12, -16], [12, 37, -43], [-16, -43, 98]])
        let chol = try CholeskyFactorization(a)
        let expectedU = try Matrix([[2, 6, -8], [0, 1, 5], [0, 0, 3]])
        #expect(chol.upper.maxAbsDifference(expectedU) < 1e-12)
        #expect(abs(chol.logDeterminant - log(36)) < 1e-12)
        let x = try chol.solve([1, 2, 3])
        let back = try a.multiplied(by: x)
        for (u, v) in zip(back, [1.0, 2, 3]) { #expect(abs(u - v) < 1e-9) }
    }

    @Test func choleskyRejectsIndefiniteMatrix() throws {
        let a = try Matrix([[1, 2], [2, 1]])
        #expect(throws: LinearAlgebraError.notPositiveDefinite(routine: "dpotrf", minor: 2)) {
            try CholeskyFactorization(a)
        }
    }

    /// The 2 × 2 matrix [[2,1],[1,2]] has eigenvalues 1 and 3 with eigenvectors (1,−1)/√2 and (1,1)/√2.
    @Test func symmetricEigenvaluesAndVectors() throws {
        let a = try Matrix([[2, 1], [1, 2]])
        let eig = try SymmetricEigendecomposition(a)
        #expect(abs(eig.values[0] - 1) < 1e-12 && abs(eig.values[1] - 3) < 1e-12)
        let v = try #require(eig.vectors)
        // A·v = λ·v for each column.
        for j in 0..<2 {
            let av = try a.multiplied(by: v.column(j))
            for i in 0..<2 { #expect(abs(av[i] - eig.values[j] * v[i, j]) < 1e-12) }
        }
        let hilbertEigen = try SymmetricEigendecomposition(hilbert(5), computeVectors: false)
        #expect(hilbertEigen.vectors == nil)
        // Largest eigenvalue of H5 (Todd 1954; Higham): 1.567050691098231.
        #expect(abs(hilbertEigen.values[4] - 1.567050691098231) < 1e-12)
    }

    /// Fitting y = 1 + 2x to exact data recovers the line; a rank-deficient design reports its rank.
    @Test func leastSquaresLineFitAndRank() throws {
        let xs: [Double] = [0, 1, 2, 3, 4]
        let design = try Matrix(xs.map { [1, $0] })
        let coefficients = try design.leastSquares(xs.map { 1 + 2 * $0 })
        #expect(abs(coefficients[0] - 1) < 1e-12 && abs(coefficients[1] - 2) < 1e-12)
        let deficient = try Matrix(xs.map { [1, $0, 2 * $0] })
        let solution = try deficient.leastSquares(Matrix(rows: 5, columns: 1, columnMajor: xs.map { 3 * $0 }))
        #expect(solution.rank == 2)
        // Minimum-norm solution of x1 + 2 x2 = 3: (0.6, 1.2).
        #expect(abs(solution.solution[1, 0] - 0.6) < 1e-10 && abs(solution.solution[2, 0] - 1.2) < 1e-10)
    }
}

import Foundation

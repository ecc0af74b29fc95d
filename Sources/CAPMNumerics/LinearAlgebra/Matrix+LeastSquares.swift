import CLapack

/// The minimum-norm least-squares solution of `A·x ≈ b` and the numerical rank of `A`.
public struct LeastSquaresSolution: Sendable, Equatable {
    /// The solution, `A.columns × b.columns`.
    public let solution: Matrix
    /// The effective rank of `A`: singular values above `rcond · σ_max` count.
    public let rank: Int
    /// The singular values of `A`, descending.
    public let singularValues: [Double]
}

extension Matrix {
    /// Solves `min ‖A·X − B‖₂` by the SVD (LAPACK `dgelsd`), robust to rank deficiency: singular values below
    /// `rcond · σ_max` are treated as zero and the minimum-norm solution is returned.
    ///
    /// - Parameters:
    ///   - b: right-hand sides, `A.rows × nrhs`.
    ///   - rcond: relative threshold for the rank; negative uses machine precision.
    /// - Throws: ``LinearAlgebraError/noConvergence(routine:info:)`` when the SVD fails,
    ///   ``LinearAlgebraError/dimensionMismatch(operation:expected:actual:)``,
    ///   ``LinearAlgebraError/nonFiniteInput(operation:)``.
    /// - Complexity: O(m·n·min(m, n)).
    public func leastSquares(_ b: Matrix, rcond: Double = -1) throws(LinearAlgebraError) -> LeastSquaresSolution {
        guard b.rows == rows else {
            throw .dimensionMismatch(
                operation: "least squares (dgelsd)", expected: "B with \(rows) rows", actual: "\(b.rows) rows")
        }
        guard isFinite, b.isFinite else { throw .nonFiniteInput(operation: "least squares (dgelsd)") }
        let m = rows, n = columns, nrhs = b.columns
        let ldb = Swift.max(1, Swift.max(m, n))
        if n == 0 || nrhs == 0 {
            return LeastSquaresSolution(solution: Matrix(rows: n, columns: nrhs), rank: 0, singularValues: [])
        }
        // dgelsd overwrites B (ldb ≥ max(m, n)) with the n × nrhs solution in its top rows.
        var work = Matrix(rows: ldb, columns: nrhs)
        for j in 0..<nrhs {
            for i in 0..<m { work.storage[i + j * ldb] = b.storage[i + j * m] }
        }
        var a = self
        var s = [Double](repeating: 0, count: Swift.min(m, n))
        var rank: Int32 = 0
        if m > 0 {
            let info = a.storage.withUnsafeMutableBufferPointer { pa in
                work.storage.withUnsafeMutableBufferPointer { pb in
                    s.withUnsafeMutableBufferPointer { ps in
                        LAPACKE_dgelsd(
                            LAPACK_COL_MAJOR, Int32(m), Int32(n), Int32(nrhs), pa.baseAddress, Int32(Swift.max(1, m)),
                            pb.baseAddress, Int32(ldb), ps.baseAddress, rcond, &rank)
                    }
                }
            }
            try checkLAPACK(info, routine: "dgelsd") { .noConvergence(routine: "dgelsd", info: $0) }
        }
        var x = Matrix(rows: n, columns: nrhs)
        for j in 0..<nrhs {
            for i in 0..<n { x.storage[i + j * n] = work.storage[i + j * ldb] }
        }
        return LeastSquaresSolution(solution: x, rank: Int(rank), singularValues: s)
    }

    /// Solves `min ‖A·x − b‖₂` for one right-hand side; see ``leastSquares(_:rcond:)-(Matrix,_)``.
    public func leastSquares(_ b: [Double], rcond: Double = -1) throws(LinearAlgebraError) -> [Double] {
        try leastSquares(Matrix(rows: b.count, columns: 1, columnMajor: b), rcond: rcond).solution.storage
    }
}

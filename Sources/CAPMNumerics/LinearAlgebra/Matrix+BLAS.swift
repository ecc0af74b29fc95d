import CLapack

/// Whether a BLAS operand is used as stored or transposed.
public enum Transpose: Sendable {
    /// Use the matrix as stored: `A`.
    case none
    /// Use the transpose: `Aᵀ`.
    case transpose

    @usableFromInline
    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

extension Matrix {
    /// General matrix product `C ← α·op(A)·op(B) + β·C` (BLAS `dgemm`).
    ///
    /// - Parameters:
    ///   - a: left operand; `op(A)` is `A` or `Aᵀ` per `transposeA`.
    ///   - b: right operand; `op(B)` is `B` or `Bᵀ` per `transposeB`.
    ///   - c: the accumulator; must be `op(A).rows × op(B).columns`.
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:actual:)``.
    /// - Complexity: 2·m·n·k flops, through OpenBLAS `cblas_dgemm`.
    public static func gemm(
        _ a: Matrix, _ transposeA: Transpose = .none, _ b: Matrix, _ transposeB: Transpose = .none,
        alpha: Double = 1, beta: Double = 0, into c: inout Matrix
    ) throws(LinearAlgebraError) {
        let m = transposeA == .none ? a.rows : a.columns
        let k = transposeA == .none ? a.columns : a.rows
        let kb = transposeB == .none ? b.rows : b.columns
        let n = transposeB == .none ? b.columns : b.rows
        guard k == kb, c.rows == m, c.columns == n else {
            throw .dimensionMismatch(
                operation: "gemm", expected: "op(A) \(m)×\(k) · op(B) \(k)×\(n) into C \(m)×\(n)",
                actual: "op(B) \(kb)×\(n), C \(c.rows)×\(c.columns)")
        }
        if m == 0 || n == 0 { return }
        if k == 0 {
            for i in c.storage.indices { c.storage[i] *= beta }
            return
        }
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    cblas_dgemm(
                        CblasColMajor, transposeA.cblas, transposeB.cblas, Int32(m), Int32(n), Int32(k),
                        alpha, pa.baseAddress, Int32(Swift.max(1, a.rows)), pb.baseAddress,
                        Int32(Swift.max(1, b.rows)), beta, pc.baseAddress, Int32(Swift.max(1, c.rows)))
                }
            }
        }
    }

    /// The product `op(A)·op(B)` as a new matrix (BLAS `dgemm`).
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:actual:)``.
    public func multiplied(
        by other: Matrix, transposeSelf: Transpose = .none, transposeOther: Transpose = .none
    ) throws(LinearAlgebraError) -> Matrix {
        let m = transposeSelf == .none ? rows : columns
        let n = transposeOther == .none ? other.columns : other.rows
        var c = Matrix(rows: m, columns: n)
        try Matrix.gemm(self, transposeSelf, other, transposeOther, into: &c)
        return c
    }

    /// Matrix–vector product `y = α·op(A)·x + β·y` (BLAS `dgemv`).
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:actual:)``.
    /// - Complexity: 2·rows·columns flops.
    public func multiplied(
        by x: [Double], transpose: Transpose = .none, alpha: Double = 1, beta: Double = 0, adding y: [Double]? = nil
    ) throws(LinearAlgebraError) -> [Double] {
        let inCount = transpose == .none ? columns : rows
        let outCount = transpose == .none ? rows : columns
        guard x.count == inCount, y == nil || y?.count == outCount else {
            throw .dimensionMismatch(
                operation: "gemv", expected: "x of \(inCount), y of \(outCount)",
                actual: "x of \(x.count), y of \(y?.count ?? outCount)")
        }
        var result = y ?? [Double](repeating: 0, count: outCount)
        if outCount == 0 { return result }
        if inCount == 0 {
            for i in result.indices { result[i] *= beta }
            return result
        }
        storage.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                result.withUnsafeMutableBufferPointer { py in
                    cblas_dgemv(
                        CblasColMajor, transpose.cblas, Int32(rows), Int32(columns), alpha, pa.baseAddress,
                        Int32(Swift.max(1, rows)), px.baseAddress, 1, beta, py.baseAddress, 1)
                }
            }
        }
        return result
    }

    /// The Gram matrix `AᵀA` (or `AAᵀ` with `transpose: .none`), through BLAS `dsyrk`, with both triangles
    /// filled.
    ///
    /// `AᵀA` is the matrix of the normal equations `AᵀA·x = Aᵀb`.
    /// - Complexity: n²·k flops, half of the equivalent `gemm`.
    public func gram(_ transpose: Transpose = .transpose) -> Matrix {
        // .transpose: C = AᵀA is columns × columns, inner dimension rows.
        let n = transpose == .transpose ? columns : rows
        let k = transpose == .transpose ? rows : columns
        var c = Matrix(rows: n, columns: n)
        if n == 0 || k == 0 { return c }
        storage.withUnsafeBufferPointer { pa in
            c.storage.withUnsafeMutableBufferPointer { pc in
                cblas_dsyrk(
                    CblasColMajor, CblasUpper, transpose == .transpose ? CblasTrans : CblasNoTrans, Int32(n),
                    Int32(k), 1, pa.baseAddress, Int32(Swift.max(1, rows)), 0, pc.baseAddress, Int32(n))
            }
        }
        c.symmetrizeFromUpper()
        return c
    }

    /// Copies the upper triangle onto the lower one, making the matrix exactly symmetric.
    public mutating func symmetrizeFromUpper() {
        precondition(isSquare, "symmetrizeFromUpper needs a square matrix")
        let n = rows
        for j in 0..<n {
            for i in (j + 1)..<Swift.max(j + 1, n) {
                storage[i + j * n] = storage[j + i * n]
            }
        }
    }

    /// `A + B`, element by element.
    public static func + (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns, "Matrix + needs equal shapes")
        var result = lhs
        for i in result.storage.indices { result.storage[i] += rhs.storage[i] }
        return result
    }

    /// `A − B`, element by element.
    public static func - (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns, "Matrix - needs equal shapes")
        var result = lhs
        for i in result.storage.indices { result.storage[i] -= rhs.storage[i] }
        return result
    }

    /// `s·A`, element by element.
    public static func * (scalar: Double, matrix: Matrix) -> Matrix {
        var result = matrix
        for i in result.storage.indices { result.storage[i] *= scalar }
        return result
    }
}

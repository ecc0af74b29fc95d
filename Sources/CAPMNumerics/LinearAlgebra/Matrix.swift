/// A dense matrix of `Double` stored in **column-major** order.
///
/// Column-major storage is what BLAS and LAPACK expect in their native (Fortran) layout, so every
/// wrapper in this module hands ``storage`` to `cblas_*` / `LAPACKE_*` with `CblasColMajor` /
/// `LAPACK_COL_MAJOR` and no transposing copy. Element `(i, j)` lives at `storage[i + j * rows]`.
///
/// Streaming kernels (k-means over customers) keep their own row-major buffers, one customer per row;
/// use ``init(rows:columns:rowMajor:)`` and ``rowMajorElements`` to convert at the boundary.
///
/// `Matrix` is a value type with copy-on-write storage (it wraps a Swift `Array`).
public struct Matrix: Sendable, Equatable, Hashable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// The elements in column-major order: element `(i, j)` at index `i + j * rows`.
    public internal(set) var storage: [Double]

    /// Creates a `rows × columns` matrix with every element equal to `value`.
    ///
    /// - Precondition: `rows >= 0`, `columns >= 0`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: value, count: rows * columns)
    }

    /// Creates a matrix from elements in column-major order.
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:actual:)`` when
    ///   `elements.count != rows * columns`.
    public init(rows: Int, columns: Int, columnMajor elements: [Double]) throws(LinearAlgebraError) {
        guard rows >= 0, columns >= 0, elements.count == rows * columns else {
            throw .dimensionMismatch(
                operation: "Matrix(columnMajor:)", expected: "\(rows)×\(columns) = \(max(0, rows * columns)) elements",
                actual: "\(elements.count) elements")
        }
        self.rows = rows
        self.columns = columns
        self.storage = elements
    }

    /// Creates a matrix from elements in row-major (C) order, as NumPy and CSV files hold them.
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:actual:)`` when
    ///   `elements.count != rows * columns`.
    /// - Complexity: O(rows × columns), one transposing copy.
    public init(rows: Int, columns: Int, rowMajor elements: [Double]) throws(LinearAlgebraError) {
        guard rows >= 0, columns >= 0, elements.count == rows * columns else {
            throw .dimensionMismatch(
                operation: "Matrix(rowMajor:)", expected: "\(rows)×\(columns) = \(max(0, rows * columns)) elements",
                actual: "\(elements.count) elements")
        }
        self.rows = rows
        self.columns = columns
        var storage = [Double](repeating: 0, count: rows * columns)
        for i in 0..<rows {
            for j in 0..<columns {
                storage[i + j * rows] = elements[i * columns + j]
            }
        }
        self.storage = storage
    }

    /// Creates a matrix from an array of rows.
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:actual:)`` when the rows have
    ///   different lengths.
    public init(_ rowArrays: [[Double]]) throws(LinearAlgebraError) {
        let columns = rowArrays.first?.count ?? 0
        for (index, row) in rowArrays.enumerated() where row.count != columns {
            throw .dimensionMismatch(
                operation: "Matrix([[Double]])", expected: "\(columns) columns in every row",
                actual: "\(row.count) columns in row \(index)")
        }
        try self.init(rows: rowArrays.count, columns: columns, rowMajor: rowArrays.flatMap { $0 })
    }

    /// The `n × n` identity matrix.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.storage[i + i * n] = 1 }
        return m
    }

    /// A square matrix with `diagonal` on its diagonal and zeros elsewhere.
    public static func diagonal(_ diagonal: [Double]) -> Matrix {
        let n = diagonal.count
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.storage[i + i * n] = diagonal[i] }
        return m
    }

    /// The element in row `row`, column `column`.
    ///
    /// - Precondition: both indices are in range (a programmer error otherwise).
    public subscript(row: Int, column: Int) -> Double {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            return storage[row + column * rows]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            storage[row + column * rows] = newValue
        }
    }

    /// Calls `body` with the column-major elements (for BLAS/LAPACK calls and hot loops).
    public func withUnsafeBufferPointer<R, E: Error>(
        _ body: (UnsafeBufferPointer<Double>) throws(E) -> R
    ) throws(E) -> R {
        try storage.withUnsafeBufferPointer { (buffer) throws(E) -> R in try body(buffer) }
    }

    /// Calls `body` with the mutable column-major elements; the element count cannot change.
    public mutating func withUnsafeMutableBufferPointer<R, E: Error>(
        _ body: (inout UnsafeMutableBufferPointer<Double>) throws(E) -> R
    ) throws(E) -> R {
        try storage.withUnsafeMutableBufferPointer { (buffer) throws(E) -> R in try body(&buffer) }
    }

    /// `true` when the matrix has as many rows as columns.
    public var isSquare: Bool { rows == columns }

    /// The elements in row-major (C) order.
    public var rowMajorElements: [Double] { transposed().storage }

    /// Column `j` as an array.
    public func column(_ j: Int) -> [Double] {
        precondition(j >= 0 && j < columns, "Matrix column out of range")
        return Array(storage[(j * rows)..<((j + 1) * rows)])
    }

    /// Row `i` as an array.
    public func row(_ i: Int) -> [Double] {
        precondition(i >= 0 && i < rows, "Matrix row out of range")
        return (0..<columns).map { storage[i + $0 * rows] }
    }

    /// The diagonal elements `a[i, i]` for `i < min(rows, columns)`.
    public var diagonalElements: [Double] {
        (0..<Swift.min(rows, columns)).map { storage[$0 + $0 * rows] }
    }

    /// The transpose `Aᵀ`.
    ///
    /// - Complexity: O(rows × columns), blocked to stay in cache.
    public func transposed() -> Matrix {
        var result = Matrix(rows: columns, columns: rows)
        let block = 32
        storage.withUnsafeBufferPointer { src in
            result.storage.withUnsafeMutableBufferPointer { dst in
                var jb = 0
                while jb < columns {
                    var ib = 0
                    while ib < rows {
                        for j in jb..<Swift.min(jb + block, columns) {
                            for i in ib..<Swift.min(ib + block, rows) {
                                dst[j + i * columns] = src[i + j * rows]
                            }
                        }
                        ib += block
                    }
                    jb += block
                }
            }
        }
        return result
    }

    /// `true` when every element is finite (no NaN or infinity).
    public var isFinite: Bool { storage.allSatisfy { $0.isFinite } }

    /// The largest absolute difference between corresponding elements, or `.infinity` for different shapes.
    public func maxAbsDifference(_ other: Matrix) -> Double {
        guard rows == other.rows, columns == other.columns else { return .infinity }
        var worst = 0.0
        for (a, b) in zip(storage, other.storage) { worst = Swift.max(worst, abs(a - b)) }
        return worst
    }
}

extension Matrix: CustomStringConvertible {
    /// A readable rendering, one row per line (for debugging and small matrices).
    public var description: String {
        var lines: [String] = ["Matrix \(rows)×\(columns)"]
        for i in 0..<Swift.min(rows, 12) {
            let cells = (0..<Swift.min(columns, 8)).map { String(self[i, $0]) }
            lines.append("  [" + cells.joined(separator: ", ") + (columns > 8 ? ", …" : "") + "]")
        }
        if rows > 12 { lines.append("  …") }
        return lines.joined(separator: "\n")
    }
}

import CAPMNumerics

/// A dense N × d matrix of customer features in **row-major** order: one customer per row, so a streaming
/// k-means pass reads each customer's features contiguously.
///
/// Every value is checked to be finite when the matrix is built, so the kernels that consume it never see NaN.
public struct FeatureMatrix: Sendable, Equatable, Hashable, Codable {
    /// Number of points (customers), N.
    public let rows: Int
    /// Number of features, d.
    public let columns: Int
    /// The elements in row-major order: element `(i, j)` at `elements[i * columns + j]`. Set only inside the module,
    /// by transforms that keep every value finite (``FeatureScaler/transform(_:)`` scales in place).
    public internal(set) var elements: [Double]

    /// A matrix from row-major elements.
    ///
    /// - Throws: ``SegmentationError/elementCount(expected:actual:)`` if `elements.count != rows × columns`;
    ///   ``SegmentationError/nonFiniteValue(row:column:value:)`` for the first NaN or ±∞.
    /// - Complexity: O(N·d), one validation scan.
    public init(rows: Int, columns: Int, elements: [Double]) throws(SegmentationError) {
        guard rows >= 0, columns >= 0, rows.multipliedReportingOverflow(by: columns).overflow == false,
            elements.count == rows * columns
        else { throw .elementCount(expected: max(0, rows) * max(0, columns), actual: elements.count) }
        if let bad = elements.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteValue(row: bad / columns, column: bad % columns, value: elements[bad])
        }
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// An empty 0 × `columns` matrix.
    init(emptyWithColumns columns: Int) {
        rows = 0
        self.columns = columns
        elements = []
    }

    /// A matrix from an array of rows of equal length.
    ///
    /// - Throws: ``SegmentationError/raggedRow(row:expected:actual:)`` or
    ///   ``SegmentationError/nonFiniteValue(row:column:value:)``.
    public init(_ rowArrays: [[Double]]) throws(SegmentationError) {
        let d = rowArrays.first?.count ?? 0
        for (i, row) in rowArrays.enumerated() where row.count != d {
            throw .raggedRow(row: i, expected: d, actual: row.count)
        }
        try self.init(rows: rowArrays.count, columns: d, elements: rowArrays.flatMap { $0 })
    }

    /// A matrix from feature columns of equal length (the layout of a CSV table).
    ///
    /// - Throws: ``SegmentationError/lengthMismatch(what:expected:actual:)`` or
    ///   ``SegmentationError/nonFiniteValue(row:column:value:)``.
    /// - Complexity: O(N·d), one transposing copy.
    public init(columns columnArrays: [[Double]]) throws(SegmentationError) {
        let n = columnArrays.first?.count ?? 0
        let d = columnArrays.count
        for (j, column) in columnArrays.enumerated() where column.count != n {
            throw .lengthMismatch(what: "feature column \(j)", expected: n, actual: column.count)
        }
        let flat = [Double](unsafeUninitializedCapacity: n * d) { out, initialized in
            // Streamed once per k-means iteration: huge pages, advised before the first write (see `HugePages`).
            HugePages.advise(UnsafeMutableRawBufferPointer(out))
            for (j, column) in columnArrays.enumerated() {
                column.withUnsafeBufferPointer { c in
                    for i in 0..<n { out[i * d + j] = c[i] }  // Double is trivial: assigning initializes
                }
            }
            initialized = n * d
        }
        try self.init(rows: n, columns: d, elements: flat)
    }

    /// Element `(row, column)`.
    public subscript(row: Int, column: Int) -> Double {
        precondition(row >= 0 && row < rows && column >= 0 && column < columns, "FeatureMatrix index out of range")
        return elements[row * columns + column]
    }

    /// The features of one point.
    public func row(_ i: Int) -> [Double] {
        Array(elements[(i * columns)..<((i + 1) * columns)])
    }

    /// The values of one feature over all points.
    public func column(_ j: Int) -> [Double] {
        precondition(j >= 0 && j < columns, "FeatureMatrix column out of range")
        return (0..<rows).map { elements[$0 * columns + j] }
    }

    /// The rows of the matrix as arrays.
    public var rowArrays: [[Double]] { (0..<rows).map(row) }

    private enum CodingKeys: String, CodingKey { case rows, columns, elements }

    /// Decodes and validates a matrix (shape and finiteness), so a model file cannot smuggle in NaN.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let rows = try container.decode(Int.self, forKey: .rows)
        let columns = try container.decode(Int.self, forKey: .columns)
        let elements = try container.decode([Double].self, forKey: .elements)
        do { try self.init(rows: rows, columns: columns, elements: elements) } catch {
            throw DecodingError.dataCorruptedError(
                forKey: .elements, in: container, debugDescription: error.description)
        }
    }

    /// Encodes the shape and the row-major elements.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rows, forKey: .rows)
        try container.encode(columns, forKey: .columns)
        try container.encode(elements, forKey: .elements)
    }
}

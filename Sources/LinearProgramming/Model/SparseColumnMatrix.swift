/// A sparse matrix in compressed sparse column (CSC) form.
///
/// Column `j` holds the entries `values[k]` in rows `rowIndices[k]` for `k` in
/// `columnStarts[j] ..< columnStarts[j + 1]`. Row indices inside a column are strictly increasing.
///
/// Reference: Duff, Erisman & Reid, *Direct Methods for Sparse Matrices*, 2nd ed. (2017), §2.7.
public struct SparseColumnMatrix: Sendable, Equatable {
    /// Number of rows.
    public private(set) var rows: Int
    /// Number of columns.
    public private(set) var columns: Int
    /// `columns + 1` offsets into ``rowIndices`` and ``values``.
    public private(set) var columnStarts: [Int]
    /// The row of each stored entry.
    public private(set) var rowIndices: [Int32]
    /// The value of each stored entry.
    public private(set) var values: [Double]

    /// An empty `rows × 0` matrix.
    public init(rows: Int) {
        self.rows = rows
        self.columns = 0
        self.columnStarts = [0]
        self.rowIndices = []
        self.values = []
    }

    /// A matrix from column-ordered entries: column `j` holds `rowIndices[k], values[k]` for `k` in
    /// `columnStarts[j]..<columnStarts[j + 1]`, in any row order, possibly with duplicates and zeros. Columns
    /// whose rows are strictly increasing and free of zeros (the rule in MPS files) are taken as they are;
    /// the others are sorted, duplicates summed and zeros dropped, as ``appendColumn(_:)`` does.
    /// - Precondition: every row index is in `0..<rows`.
    /// - Complexity: O(nonzeros) when no column needs sorting.
    init(rows: Int, columnStarts: [Int], rowIndices: [Int32], values: [Double]) {
        var clean = true
        scan: for j in 0..<(columnStarts.count - 1) {
            var last: Int32 = -1
            for k in columnStarts[j]..<columnStarts[j + 1] {
                let r = rowIndices[k]
                precondition(r >= 0 && Int(r) < rows, "row index out of range")
                if r <= last || values[k] == 0 {
                    clean = false
                    break scan
                }
                last = r
            }
        }
        self.init(rows: rows)
        if clean {
            self.columns = columnStarts.count - 1
            self.columnStarts = columnStarts
            self.rowIndices = rowIndices
            self.values = values
            return
        }
        for j in 0..<(columnStarts.count - 1) {
            appendColumn((columnStarts[j]..<columnStarts[j + 1]).map { (row: Int(rowIndices[$0]), value: values[$0]) })
        }
    }

    /// The number of stored entries.
    public var nonzeros: Int { values.count }

    /// Appends a column given as (row, value) pairs; duplicates are summed, zeros dropped.
    ///
    /// - Precondition: every row index is in `0..<rows` (checked by the callers that take user input).
    /// - Complexity: O(k log k) for k entries; O(k) without a sorted copy when the rows are strictly increasing
    ///   and no value is zero (the usual case for columns built row by row, e.g. the 500,000 allocation columns).
    public mutating func appendColumn(_ entries: [(row: Int, value: Double)]) {
        var lastRow = -1
        var plain = true
        for (row, value) in entries {
            if row <= lastRow || value == 0 {
                plain = false
                break
            }
            lastRow = row
        }
        if plain {
            for (row, value) in entries {
                precondition(row >= 0 && row < rows, "row index out of range")
                rowIndices.append(Int32(row))
                values.append(value)
            }
            columnStarts.append(values.count)
            columns += 1
            return
        }
        appendUnsortedColumn(entries)
    }

    /// Appends a batch of columns in CSC form (`columnStarts[0] == 0`); each column is taken as it is when its rows
    /// are strictly increasing and its values nonzero, else cleaned as by ``appendColumn(_:)``.
    /// - Precondition: every row index is in `0..<rows`.
    /// - Complexity: O(columns + nonzeros) when no column needs sorting.
    mutating func appendColumns(columnStarts starts: [Int], rowIndices newRows: [Int32], values newValues: [Double]) {
        let count = starts.count - 1
        var clean = true
        scan: for t in 0..<count {
            var last: Int32 = -1
            for e in starts[t]..<starts[t + 1] {
                let r = newRows[e]
                precondition(r >= 0 && Int(r) < rows, "row index out of range")
                if r <= last || newValues[e] == 0 {
                    clean = false
                    break scan
                }
                last = r
            }
        }
        if clean && columns == 0 {
            // An empty matrix takes the arrays as they are (shared storage, no copy).
            columnStarts = starts
            rowIndices = newRows
            values = newValues
            columns = count
            return
        }
        if clean {
            let base = values.count
            rowIndices.append(contentsOf: newRows)
            values.append(contentsOf: newValues)
            columnStarts.reserveCapacity(columnStarts.count + count)
            for t in starts.indices.dropFirst() { columnStarts.append(base + starts[t]) }
            columns += count
            return
        }
        for t in 0..<count {
            appendColumn((starts[t]..<starts[t + 1]).map { (row: Int(newRows[$0]), value: newValues[$0]) })
        }
    }

    /// ``appendColumn(_:)`` for entries out of row order, with repeated rows or zeros.
    private mutating func appendUnsortedColumn(_ entries: [(row: Int, value: Double)]) {
        let sorted = entries.sorted { $0.row < $1.row }
        var lastRow = -1
        for (row, value) in sorted {
            precondition(row >= 0 && row < rows, "row index out of range")
            if row == lastRow {
                values[values.count - 1] += value
            } else {
                rowIndices.append(Int32(row))
                values.append(value)
                lastRow = row
            }
        }
        // Drop entries that are exactly zero (including sums that cancelled).
        var k = columnStarts[columns]
        var w = k
        while k < values.count {
            if values[k] != 0 {
                values[w] = values[k]
                rowIndices[w] = rowIndices[k]
                w += 1
            }
            k += 1
        }
        values.removeLast(values.count - w)
        rowIndices.removeLast(rowIndices.count - w)
        columnStarts.append(values.count)
        columns += 1
    }

    /// Reserves room for `columns` more columns holding `nonzeros` more entries, so a model built column by column
    /// does not regrow its arrays.
    public mutating func reserveCapacity(columns more: Int, nonzeros: Int) {
        columnStarts.reserveCapacity(columnStarts.count + more)
        rowIndices.reserveCapacity(rowIndices.count + nonzeros)
        values.reserveCapacity(values.count + nonzeros)
    }

    /// Adds an empty row (existing columns get no entry in it) and returns its index.
    public mutating func appendRow() -> Int {
        rows += 1
        return rows - 1
    }

    /// The entries of column `j`.
    public func column(_ j: Int) -> (rows: ArraySlice<Int32>, values: ArraySlice<Double>) {
        let range = columnStarts[j]..<columnStarts[j + 1]
        return (rowIndices[range], values[range])
    }

    /// `A·x`.
    /// - Complexity: O(nonzeros).
    public func multiply(_ x: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: rows)
        for j in 0..<columns where x[j] != 0 {
            for k in columnStarts[j]..<columnStarts[j + 1] { y[Int(rowIndices[k])] += values[k] * x[j] }
        }
        return y
    }

    /// `Aᵀ·y`.
    /// - Complexity: O(nonzeros).
    public func multiplyTransposed(_ y: [Double]) -> [Double] {
        var x = [Double](repeating: 0, count: columns)
        for j in 0..<columns {
            var s = 0.0
            for k in columnStarts[j]..<columnStarts[j + 1] { s += values[k] * y[Int(rowIndices[k])] }
            x[j] = s
        }
        return x
    }

    /// The row-wise (CSR) copy: for each row its (column, value) entries, as start offsets, columns, values.
    /// - Complexity: O(nonzeros + rows).
    public func rowWise() -> (rowStarts: [Int], columnIndices: [Int32], values: [Double]) {
        var counts = [Int](repeating: 0, count: rows + 1)
        for r in rowIndices { counts[Int(r) + 1] += 1 }
        for i in 0..<rows { counts[i + 1] += counts[i] }
        var next = counts
        var cols = [Int32](repeating: 0, count: nonzeros)
        var vals = [Double](repeating: 0, count: nonzeros)
        for j in 0..<columns {
            for k in columnStarts[j]..<columnStarts[j + 1] {
                let r = Int(rowIndices[k])
                cols[next[r]] = Int32(j)
                vals[next[r]] = values[k]
                next[r] += 1
            }
        }
        return (counts, cols, vals)
    }

    /// Multiplies every entry `a_ij` by `rowScale[i] · columnScale[j]`.
    public mutating func scale(rowScale: [Double], columnScale: [Double]) {
        for j in 0..<columns {
            for k in columnStarts[j]..<columnStarts[j + 1] {
                values[k] *= rowScale[Int(rowIndices[k])] * columnScale[j]
            }
        }
    }
}

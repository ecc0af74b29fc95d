/// Whether the objective is minimized or maximized.
public enum ObjectiveSense: String, Sendable, Equatable, Codable {
    /// Minimize `cᵀx + c₀`.
    case minimize
    /// Maximize `cᵀx + c₀`.
    case maximize
}

/// A linear program in the general bounded form
///
///     min/max  cᵀx + c₀
///     s.t.     rowLower ≤ A·x ≤ rowUpper
///              columnLower ≤ x ≤ columnUpper
///
/// with `A` stored by columns (``SparseColumnMatrix``). Infinite bounds are `±Double.infinity`, so a row can be
/// `≤`, `≥`, `=` (equal bounds), ranged, or free; a variable can be free, fixed, one-sided or boxed.
/// Every row and column has a name (used in MPS files, solution reports and infeasibility certificates).
///
/// This is the model form of the MPS format and of most LP codes (e.g. HiGHS: Huangfu & Hall, *Parallelizing
/// the dual revised simplex method*, Math. Prog. Comp. 10 (2018)).
public struct LinearProgram: Sendable, Equatable {
    /// The model name (MPS `NAME`).
    public var name: String
    /// Minimize or maximize.
    public var sense: ObjectiveSense
    /// The objective coefficients `c`, one per column.
    public private(set) var objective: [Double]
    /// The constant `c₀` added to the objective (MPS: minus the RHS of the objective row).
    public var objectiveConstant: Double
    /// The name of the objective row (MPS).
    public var objectiveName: String
    /// Lower bounds of the variables (`-infinity` for none).
    public private(set) var columnLower: [Double]
    /// Upper bounds of the variables (`+infinity` for none).
    public private(set) var columnUpper: [Double]
    /// Lower bounds of the rows `a_i·x`.
    public private(set) var rowLower: [Double]
    /// Upper bounds of the rows `a_i·x`.
    public private(set) var rowUpper: [Double]
    /// Column names.
    public private(set) var columnNames: [String]
    /// Row names.
    public private(set) var rowNames: [String]
    /// The constraint matrix, by columns.
    public private(set) var matrix: SparseColumnMatrix

    /// An empty model.
    public init(name: String = "LP", sense: ObjectiveSense = .minimize) {
        self.name = name
        self.sense = sense
        self.objective = []
        self.objectiveConstant = 0
        self.objectiveName = "OBJ"
        self.columnLower = []
        self.columnUpper = []
        self.rowLower = []
        self.rowUpper = []
        self.columnNames = []
        self.rowNames = []
        self.matrix = SparseColumnMatrix(rows: 0)
    }

    /// The number of rows (constraints).
    public var rowCount: Int { rowLower.count }
    /// The number of columns (variables).
    public var columnCount: Int { columnLower.count }

    /// Adds a row `lower ≤ a·x ≤ upper` with no coefficients yet (coefficients come with the columns) and
    /// returns its index. Use `-infinity`/`+infinity` for a missing side.
    ///
    /// - Throws: ``LPError/inconsistentBounds(kind:name:lower:upper:)`` when `lower > upper`,
    ///   ``LPError/nonFiniteData(kind:name:)`` for a NaN bound.
    @discardableResult
    public mutating func addRow(name: String? = nil, lower: Double, upper: Double) throws(LPError) -> Int {
        let rowName = name ?? "R\(rowCount)"
        if lower.isNaN || upper.isNaN || lower == .infinity || upper == -.infinity {
            throw .nonFiniteData(kind: "row", name: rowName)
        }
        if lower > upper { throw .inconsistentBounds(kind: "row", name: rowName, lower: lower, upper: upper) }
        rowLower.append(lower)
        rowUpper.append(upper)
        rowNames.append(rowName)
        _ = matrix.appendRow()
        return rowCount - 1
    }

    /// Adds a variable with bounds, objective coefficient and its column of coefficients `(row, value)` in
    /// existing rows, and returns its index.
    ///
    /// - Throws: ``LPError/inconsistentBounds(kind:name:lower:upper:)``, ``LPError/nonFiniteData(kind:name:)``
    ///   for NaN/infinite costs or coefficients, ``LPError/indexOutOfRange(kind:index:count:)`` for a bad row.
    /// - Complexity: O(k log k) for k coefficients.
    @discardableResult
    public mutating func addColumn(
        name: String? = nil, cost: Double = 0, lower: Double = 0, upper: Double = .infinity,
        coefficients: [(row: Int, value: Double)] = []
    ) throws(LPError) -> Int {
        let columnName = name ?? "C\(columnCount)"
        if !cost.isFinite || lower.isNaN || upper.isNaN || lower == .infinity || upper == -.infinity {
            throw .nonFiniteData(kind: "column", name: columnName)
        }
        if lower > upper { throw .inconsistentBounds(kind: "column", name: columnName, lower: lower, upper: upper) }
        for (row, value) in coefficients {
            guard row >= 0 && row < rowCount else { throw .indexOutOfRange(kind: "row", index: row, count: rowCount) }
            guard value.isFinite else { throw .nonFiniteData(kind: "column", name: columnName) }
        }
        matrix.appendColumn(coefficients)
        objective.append(cost)
        columnLower.append(lower)
        columnUpper.append(upper)
        columnNames.append(columnName)
        return columnCount - 1
    }

    /// Appends many columns at once, given in compressed sparse column form: column `t` of the batch has cost
    /// `costs[t]`, bounds `lower[t]...upper[t]`, name `names[t]` and the entries `rowIndices[e], values[e]` for `e`
    /// in `columnStarts[t]..<columnStarts[t + 1]` (`columnStarts[0] == 0`, last `== rowIndices.count`).
    ///
    /// The same checks and the same result as calling ``addColumn(name:cost:lower:upper:coefficients:)`` once per
    /// column (a column in any row order, with repeated rows or zeros, is sorted, summed and cleaned the same way),
    /// without its per-call overhead: the 1000×50×10 allocation LP adds 500,000 columns.
    /// - Returns: the indices of the new columns.
    /// - Throws: ``LPError/indexOutOfRange(kind:index:count:)`` for a row index outside the model or inconsistent
    ///   batch arrays, ``LPError/nonFiniteData(kind:name:)``, ``LPError/inconsistentBounds(kind:name:lower:upper:)``,
    ///   naming the first offending column; the model is unchanged then.
    /// - Complexity: O(columns + nonzeros) when every column's rows are increasing.
    @discardableResult
    public mutating func addColumns(
        names: [String], costs: [Double], lower: [Double], upper: [Double], columnStarts: [Int], rowIndices: [Int32],
        values: [Double]
    ) throws(LPError) -> Range<Int> {
        let count = names.count
        guard costs.count == count else { throw .indexOutOfRange(kind: "cost", index: costs.count, count: count) }
        guard lower.count == count else { throw .indexOutOfRange(kind: "lower bound", index: lower.count, count: count) }
        guard upper.count == count else { throw .indexOutOfRange(kind: "upper bound", index: upper.count, count: count) }
        guard columnStarts.count == count + 1, columnStarts.first == 0 else {
            throw .indexOutOfRange(kind: "column start", index: columnStarts.count, count: count + 1)
        }
        guard rowIndices.count == values.count, columnStarts[count] == rowIndices.count else {
            throw .indexOutOfRange(kind: "entry", index: rowIndices.count, count: columnStarts[count])
        }
        for t in 0..<count {
            let (cost, lo, hi) = (costs[t], lower[t], upper[t])
            if !cost.isFinite || lo.isNaN || hi.isNaN || lo == .infinity || hi == -.infinity {
                throw .nonFiniteData(kind: "column", name: names[t])
            }
            if lo > hi { throw .inconsistentBounds(kind: "column", name: names[t], lower: lo, upper: hi) }
            guard columnStarts[t] <= columnStarts[t + 1] else {
                throw .indexOutOfRange(kind: "column start", index: columnStarts[t + 1], count: rowIndices.count)
            }
            for e in columnStarts[t]..<columnStarts[t + 1] {
                let row = Int(rowIndices[e])
                guard row >= 0 && row < rowCount else { throw .indexOutOfRange(kind: "row", index: row, count: rowCount) }
                guard values[e].isFinite else { throw .nonFiniteData(kind: "column", name: names[t]) }
            }
        }
        let first = columnCount
        matrix.appendColumns(columnStarts: columnStarts, rowIndices: rowIndices, values: values)
        if first == 0 {
            // Empty model: take the arrays as they are (shared storage, no copy).
            objective = costs
            columnLower = lower
            columnUpper = upper
            columnNames = names
        } else {
            objective.append(contentsOf: costs)
            columnLower.append(contentsOf: lower)
            columnUpper.append(contentsOf: upper)
            columnNames.append(contentsOf: names)
        }
        return first..<columnCount
    }

    /// Reserves room for `columns` more variables with `nonzeros` more coefficients in total, so a large model
    /// built with ``addColumn(name:cost:lower:upper:coefficients:)`` does not regrow its arrays.
    public mutating func reserveCapacity(columns more: Int, nonzeros: Int) {
        objective.reserveCapacity(columnCount + more)
        columnLower.reserveCapacity(columnCount + more)
        columnUpper.reserveCapacity(columnCount + more)
        columnNames.reserveCapacity(columnCount + more)
        matrix.reserveCapacity(columns: more, nonzeros: nonzeros)
    }

    /// Replaces the bounds of row `i` (e.g. a new budget in a sweep).
    /// - Throws: as ``addRow(name:lower:upper:)``, and ``LPError/indexOutOfRange(kind:index:count:)``.
    public mutating func setRowBounds(_ i: Int, lower: Double, upper: Double) throws(LPError) {
        guard i >= 0 && i < rowCount else { throw .indexOutOfRange(kind: "row", index: i, count: rowCount) }
        if lower.isNaN || upper.isNaN { throw .nonFiniteData(kind: "row", name: rowNames[i]) }
        if lower > upper { throw .inconsistentBounds(kind: "row", name: rowNames[i], lower: lower, upper: upper) }
        rowLower[i] = lower
        rowUpper[i] = upper
    }

    /// Replaces the bounds of column `j`.
    /// - Throws: as ``addColumn(name:cost:lower:upper:coefficients:)``.
    public mutating func setColumnBounds(_ j: Int, lower: Double, upper: Double) throws(LPError) {
        guard j >= 0 && j < columnCount else { throw .indexOutOfRange(kind: "column", index: j, count: columnCount) }
        if lower.isNaN || upper.isNaN { throw .nonFiniteData(kind: "column", name: columnNames[j]) }
        if lower > upper {
            throw .inconsistentBounds(kind: "column", name: columnNames[j], lower: lower, upper: upper)
        }
        columnLower[j] = lower
        columnUpper[j] = upper
    }

    /// Replaces the objective coefficient of column `j`.
    public mutating func setCost(_ j: Int, _ cost: Double) throws(LPError) {
        guard j >= 0 && j < columnCount else { throw .indexOutOfRange(kind: "column", index: j, count: columnCount) }
        guard cost.isFinite else { throw .nonFiniteData(kind: "column", name: columnNames[j]) }
        objective[j] = cost
    }

    /// Checks the model before solving: at least one column, `lower ≤ upper` everywhere, no NaN.
    /// - Throws: the first problem found as an ``LPError``.
    public func validate() throws(LPError) {
        if columnCount == 0 { throw .emptyModel }
        for j in 0..<columnCount {
            if columnLower[j] > columnUpper[j] || columnLower[j].isNaN || columnUpper[j].isNaN {
                throw .inconsistentBounds(
                    kind: "column", name: columnNames[j], lower: columnLower[j], upper: columnUpper[j])
            }
            if !objective[j].isFinite { throw .nonFiniteData(kind: "column", name: columnNames[j]) }
        }
        for i in 0..<rowCount where rowLower[i] > rowUpper[i] || rowLower[i].isNaN || rowUpper[i].isNaN {
            throw .inconsistentBounds(kind: "row", name: rowNames[i], lower: rowLower[i], upper: rowUpper[i])
        }
        for v in matrix.values where !v.isFinite { throw .nonFiniteData(kind: "matrix", name: name) }
    }

    /// Builds a model from complete arrays (used by the MPS reader).
    init(
        name: String, sense: ObjectiveSense, objectiveName: String, objective: [Double], objectiveConstant: Double,
        columnLower: [Double], columnUpper: [Double], rowLower: [Double], rowUpper: [Double],
        columnNames: [String], rowNames: [String], matrix: SparseColumnMatrix
    ) {
        self.name = name
        self.sense = sense
        self.objectiveName = objectiveName
        self.objective = objective
        self.objectiveConstant = objectiveConstant
        self.columnLower = columnLower
        self.columnUpper = columnUpper
        self.rowLower = rowLower
        self.rowUpper = rowUpper
        self.columnNames = columnNames
        self.rowNames = rowNames
        self.matrix = matrix
    }
}

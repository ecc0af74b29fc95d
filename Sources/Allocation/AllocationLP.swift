import LinearProgramming

/// The linear program of an allocation scenario.
///
/// Variables: one per linear piece `k` of each cell `c`, `x_ck ∈ [lo_ck, hi_ck] ⊆ [0, w_ck]`, where a cell's
/// spend is `s_c = Σ_k x_ck` and its uplift `Σ_k g_ck·x_ck` (`g_ck` the piece's slope). Cell bounds become piece
/// bounds — `hi_ck = clamp(upper_c − s_{c,k}, 0, w_ck)`, `lo_ck = clamp(lower_c − s_{c,k}, 0, w_ck)` — which is
/// exact because with non-increasing slopes any spend is best spread over the pieces in order.
/// Rows: the budget `Σ x ≤ B` (or `= B`); per group `min ≤ Σ_{c∈G} s_c ≤ max`; shares
/// `Σ_G s − σ·T ≷ 0` with the total spend `T` defined by `Σ x − T = 0` (one extra column and row, so a share
/// row touches only its group, not every column); the ROI floor `Σ (g − k)·x ≥ 0`; frequency caps `Σ s_c/unitCost_c ≤ cap·n`; for
/// min-spend the target `Σ g·x ≥ T`.
public struct AllocationLP: Sendable {
    /// What a row stands for.
    public enum RowKind: Sendable, Equatable {
        /// The total budget.
        case budget
        /// Min/max of group `i` of ``AllocationProblem/groups``.
        case group(Int)
        /// Lowest share of group `i`.
        case shareMin(Int)
        /// Highest share of group `i`.
        case shareMax(Int)
        /// The portfolio ROI floor (plan or target-roi scenario).
        case roiFloor(Double)
        /// The min-spend target.
        case upliftTarget
        /// Frequency cap `i` of ``AllocationProblem/frequencyCaps``.
        case frequencyCap(Int)
        /// The definition of the total spend column, `Σ x − T = 0` (only with share constraints).
        case totalSpend
    }

    /// The model.
    public var model: LinearProgram
    /// For each column: its cell and piece.
    public var columns: [(cell: Int, piece: Int)]
    /// For each cell, its columns.
    public var cellColumns: [Range<Int>]
    /// For each row, what it stands for and its report name.
    public var rows: [(kind: RowKind, name: String)]
    /// The budget row, when the scenario has a budget.
    public var budgetRow: Int?
    /// Whether the objective's coefficient of a piece contains its slope (for entry thresholds).
    public var objectiveHasSlope: Bool
    /// The total spend column `T` (the last column), present only when the plan has share constraints; it is
    /// not a piece, so ``columns`` and ``cellColumns`` do not cover it.
    public var totalColumn: Int?

    /// Builds the LP of `scenario` (with the budget resolved: scenario's, else the plan's).
    /// - Throws: ``AllocationError/invalidParameter(name:value:reason:)`` when max-uplift or sweep has no budget.
    /// - Complexity: O(cells · pieces + Σ group sizes · pieces); the matrix has that many nonzeros.
    public init(problem: AllocationProblem, scenario: AllocationScenario, budget: Double?) throws(AllocationError) {
        let mode = scenario.budgetMode ?? problem.budgetMode
        let sense: ObjectiveSense = scenario.kind == .minSpend ? .minimize : .maximize
        var lp = LinearProgram(name: "CAPM_ALLOCATION", sense: sense)
        lp.objectiveName = "UPLIFT"
        var rows: [(kind: RowKind, name: String)] = []
        func add(_ kind: RowKind, _ name: String, _ mpsName: String, _ lo: Double, _ hi: Double) throws(AllocationError) -> Int {
            do {
                let r = try lp.addRow(name: mpsName, lower: lo, upper: hi)
                rows.append((kind, name))
                return r
            } catch {
                throw .solver("row \(name): \(error)")
            }
        }
        var budgetRow: Int? = nil
        if let b = budget {
            budgetRow = try add(.budget, "budget", "BUDGET", mode == .exactly ? b : -.infinity, b)
        }
        var groupRows: [Int?] = []
        var shareMinRows: [Int?] = []
        var shareMaxRows: [Int?] = []
        for (g, group) in problem.groups.enumerated() {
            groupRows.append(group.min != nil || group.max != nil
                ? try add(.group(g), group.name, "G\(g)", group.min ?? -.infinity, group.max ?? .infinity) : nil)
            shareMinRows.append(group.minShare != nil ? try add(.shareMin(g), group.name, "SMIN\(g)", 0, .infinity) : nil)
            shareMaxRows.append(group.maxShare != nil ? try add(.shareMax(g), group.name, "SMAX\(g)", -.infinity, 0) : nil)
        }
        var roiK: Double? = problem.roiFloor?.k
        if scenario.kind == .targetROI, let k = scenario.roi { roiK = max(roiK ?? k, k) }
        var roiRow: Int? = nil
        if let k = roiK {
            let name = scenario.kind == .targetROI ? "ROI target \(fmtPlain(k))" : (problem.roiFloor?.name ?? "ROI floor")
            roiRow = try add(.roiFloor(k), name, "ROI", 0, .infinity)
        }
        var targetRow: Int? = nil
        if scenario.kind == .minSpend, let t = scenario.targetUplift {
            targetRow = try add(.upliftTarget, "uplift target \(fmtPlain(t))", "TARGET", t, .infinity)
        }
        var capRows: [Int] = []
        for (f, cap) in problem.frequencyCaps.enumerated() {
            capRows.append(try add(.frequencyCap(f), cap.name, "FCAP\(f)", -.infinity, cap.maxUnits))
        }
        // The total spend T, when share rows need it: `Σ x − T = 0`, so that a share row is
        // `Σ_G s − σ·T ≷ 0` and touches only its group's columns and T (sparse), not every column.
        let shareGroups = problem.groups.indices.filter { shareMinRows[$0] != nil || shareMaxRows[$0] != nil }
        var totalRow: Int? = nil
        if !shareGroups.isEmpty {
            totalRow = try add(.totalSpend, "total spend", "TOTAL", 0, 0)
        }
        // Per-cell row memberships (the same for every piece of a cell).
        var cellRows = [[(row: Int, value: Double)]](repeating: [], count: problem.cells.count)
        for (g, group) in problem.groups.enumerated() {
            let rs = [groupRows[g], shareMinRows[g], shareMaxRows[g]].compactMap { $0 }
            if rs.isEmpty { continue }
            for c in group.cells {
                for r in rs { cellRows[c].append((r, 1)) }
            }
        }
        for (f, cap) in problem.frequencyCaps.enumerated() {
            for c in cap.cells {
                let unitCost = problem.channels[problem.cells[c].channel].unitCost ?? 1
                cellRows[c].append((capRows[f], 1 / unitCost))
            }
        }
        var columns: [(cell: Int, piece: Int)] = []
        var cellColumns: [Range<Int>] = []
        columns.reserveCapacity(problem.cells.count * 8)
        // One column per piece; its coefficients: budget, group/cap rows of its cell, total/ROI/target rows.
        let pieceTotal = problem.cells.reduce(0) { $0 + $1.response.pieceCount }
        let rowsPerCell = problem.cells.isEmpty ? 0 : cellRows.reduce(0) { $0 + $1.count } / problem.cells.count
        lp.reserveCapacity(columns: pieceTotal + 1, nonzeros: pieceTotal * (rowsPerCell + 3))
        cellColumns.reserveCapacity(problem.cells.count)
        let objectiveHasSlope = scenario.kind != .minSpend
        var coefficients: [(row: Int, value: Double)] = []
        // A cell's pieces share their rows except the slope-dependent ROI/target entries: the shared entries are
        // put in row order once per cell, and the per-piece ones merged in, so every column arrives sorted
        // (LinearProgram then takes it without a sorted copy).
        var base: [(row: Int, value: Double)] = []
        for (c, cell) in problem.cells.enumerated() {
            let start = lp.columnCount
            let r = cell.response
            base.removeAll(keepingCapacity: true)
            if let b = budgetRow { base.append((b, 1)) }
            base.append(contentsOf: cellRows[c])
            if let t = totalRow { base.append((t, 1)) }
            if !base.indices.dropFirst().allSatisfy({ base[$0 - 1].row < base[$0].row }) { base.sort { $0.row < $1.row } }
            for k in 0..<r.pieceCount {
                let w = r.width(k)
                let hi = min(max(cell.upper - r.spends[k], 0), w)
                if hi <= 0 { break }
                let lo = min(max(cell.lower - r.spends[k], 0), hi)
                let g = r.slope(k)
                coefficients.removeAll(keepingCapacity: true)
                // The ROI row precedes the target row (both are added in that order above).
                var extra: ((row: Int, value: Double)?, (row: Int, value: Double)?) = (nil, nil)
                if let rr = roiRow, let k = roiK, g != k { extra.0 = (rr, g - k) }
                if let t = targetRow, g != 0 { extra.1 = (t, g) }
                for entry in base {
                    if let x = extra.0, x.row < entry.row {
                        coefficients.append(x)
                        extra.0 = nil
                    }
                    if extra.0 == nil, let x = extra.1, x.row < entry.row {
                        coefficients.append(x)
                        extra.1 = nil
                    }
                    coefficients.append(entry)
                }
                if let x = extra.0 { coefficients.append(x) }
                if let x = extra.1 { coefficients.append(x) }
                let cost: Double
                switch scenario.kind {
                case .maxUplift, .sweep, .targetROI: cost = g
                case .minSpend: cost = 1
                case .targetMROI: cost = g - (scenario.roi ?? 0)
                }
                do {
                    try lp.addColumn(name: pieceColumnName(cell: c, piece: k), cost: cost, lower: lo, upper: hi, coefficients: coefficients)
                } catch {
                    throw .solver("column of cell \(cell.id): \(error)")
                }
                columns.append((c, k))
            }
            cellColumns.append(start..<lp.columnCount)
        }
        var totalColumn: Int? = nil
        if let t = totalRow {
            var entries: [(row: Int, value: Double)] = [(t, -1)]
            for g in shareGroups {
                let group = problem.groups[g]
                if let m = shareMinRows[g] { entries.append((m, -(group.minShare ?? 0))) }
                if let m = shareMaxRows[g] { entries.append((m, -(group.maxShare ?? 1))) }
            }
            do {
                totalColumn = try lp.addColumn(name: "TOTAL", cost: 0, lower: 0, upper: .infinity, coefficients: entries)
            } catch {
                throw .solver("total spend column: \(error)")
            }
        }
        model = lp
        self.columns = columns
        self.cellColumns = cellColumns
        self.rows = rows
        self.budgetRow = budgetRow
        self.objectiveHasSlope = objectiveHasSlope
        self.totalColumn = totalColumn
    }
}

/// The MPS name of piece `k` of cell `c`, `C<c>P<k>`, written digit by digit: the same text as the interpolation
/// `"C\(c)P\(k)"`, without its formatting machinery (500,000 names on the 1000×50×10 plan).
func pieceColumnName(cell c: Int, piece k: Int) -> String {
    guard c >= 0, k >= 0 else { return "C\(c)P\(k)" }
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buffer in
        var end = 48
        func prepend(_ v: Int) {
            var v = v
            repeat {
                end -= 1
                buffer[end] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            } while v > 0
        }
        prepend(k)
        end -= 1
        buffer[end] = UInt8(ascii: "P")
        prepend(c)
        end -= 1
        buffer[end] = UInt8(ascii: "C")
        return String(decoding: UnsafeBufferPointer(rebasing: buffer[end..<48]), as: UTF8.self)
    }
}

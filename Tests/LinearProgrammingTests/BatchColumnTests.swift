import CAPMNumerics
import Testing

@testable import LinearProgramming

/// `LinearProgram.addColumns` (the batch builder used by the allocation LP) against one `addColumn` per column.
@Suite("LinearProgram: adding columns in a batch")
struct BatchColumnTests {
    struct Column {
        var name: String
        var cost: Double
        var lower: Double
        var upper: Double
        var entries: [(row: Int, value: Double)]
    }

    /// Random columns over `rows` rows; every third column is out of row order, has a repeated row or a zero.
    static func columns(_ count: Int, rows: Int, seed: UInt64) -> [Column] {
        var rng = Xoshiro256(seed: seed)
        return (0..<count).map { t in
            var entries: [(row: Int, value: Double)] = []
            for i in 0..<rows where rng.nextOpenUnit() < 0.5 { entries.append((i, (rng.nextOpenUnit() * 8).rounded() - 4)) }
            if t % 3 == 0 && entries.count >= 2 {
                entries.reverse()
                entries.append((entries[0].row, 1.5))
            }
            let lower = rng.nextOpenUnit() < 0.2 ? -Double.infinity : 0
            return Column(name: "X\(t)", cost: rng.nextOpenUnit() - 0.5, lower: lower, upper: rng.nextOpenUnit() < 0.3 ? .infinity : 10, entries: entries)
        }
    }

    static func model(rows: Int) throws -> LinearProgram {
        var lp = LinearProgram(name: "batch", sense: .maximize)
        for i in 0..<rows { _ = try lp.addRow(name: "R\(i)", lower: -Double(i), upper: 10) }
        return lp
    }

    static func batch(_ columns: [Column]) -> (starts: [Int], rows: [Int32], values: [Double]) {
        var starts = [0]
        var rows: [Int32] = []
        var values: [Double] = []
        for c in columns {
            for e in c.entries {
                rows.append(Int32(e.row))
                values.append(e.value)
            }
            starts.append(rows.count)
        }
        return (starts, rows, values)
    }

    @Test("a batch gives the model one addColumn per column gives (empty and non-empty models)", arguments: [0, 4])
    func sameAsOneByOne(existing: Int) throws {
        let columns = Self.columns(60, rows: 7, seed: 3)
        var one = try Self.model(rows: 7)
        var batched = one
        for c in Self.columns(existing, rows: 7, seed: 9) {
            try one.addColumn(name: c.name + "e", cost: c.cost, lower: c.lower, upper: c.upper, coefficients: c.entries)
            try batched.addColumn(name: c.name + "e", cost: c.cost, lower: c.lower, upper: c.upper, coefficients: c.entries)
        }
        for c in columns { try one.addColumn(name: c.name, cost: c.cost, lower: c.lower, upper: c.upper, coefficients: c.entries) }
        let b = Self.batch(columns)
        let range = try batched.addColumns(
            names: columns.map(\.name), costs: columns.map(\.cost), lower: columns.map(\.lower), upper: columns.map(\.upper),
            columnStarts: b.starts, rowIndices: b.rows, values: b.values)
        #expect(range == existing..<(existing + 60))
        #expect(batched == one)
        try batched.validate()
    }

    @Test("bad batches are typed errors and leave the model unchanged")
    func badBatches() throws {
        let columns = Self.columns(5, rows: 3, seed: 5)
        let b = Self.batch(columns)
        let model = try Self.model(rows: 3)
        func attempt(
            names: [String]? = nil, costs: [Double]? = nil, lower: [Double]? = nil, upper: [Double]? = nil,
            starts: [Int]? = nil, rows: [Int32]? = nil, values: [Double]? = nil
        ) -> LPError? {
            var lp = model
            do {
                try lp.addColumns(
                    names: names ?? columns.map(\.name), costs: costs ?? columns.map(\.cost), lower: lower ?? columns.map(\.lower),
                    upper: upper ?? columns.map(\.upper), columnStarts: starts ?? b.starts, rowIndices: rows ?? b.rows,
                    values: values ?? b.values)
                return nil
            } catch {
                #expect(lp == model)
                return error
            }
        }
        #expect(attempt() == nil)
        var rows = b.rows
        rows[0] = 3
        #expect(attempt(rows: rows)?.description.contains("row") == true)
        var values = b.values
        values[1] = .nan
        #expect(attempt(values: values)?.description.contains("X") == true)
        var lower = columns.map(\.lower)
        lower[2] = 20
        #expect(attempt(lower: lower)?.description.contains("X2") == true)
        var costs = columns.map(\.cost)
        costs[4] = .infinity
        #expect(attempt(costs: costs)?.description.contains("X4") == true)
        #expect(attempt(costs: [1]) != nil)
        #expect(attempt(starts: Array(b.starts.dropLast())) != nil)
        var starts = b.starts
        starts[0] = 1
        #expect(attempt(starts: starts) != nil)
    }
}

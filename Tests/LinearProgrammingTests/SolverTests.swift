import Foundation
import Testing

@testable import LinearProgramming

/// A small LP given densely: rows `(coefficients, lower, upper)`, columns `(cost, lower, upper)`.
struct HandLP: Sendable, CustomStringConvertible {
    var name: String
    var sense: ObjectiveSense
    var columns: [(cost: Double, lower: Double, upper: Double)]
    var rows: [(a: [Double], lower: Double, upper: Double)]
    var optimum: Double
    var primal: [Double]?
    var duals: [Double]?
    var description: String { name }

    func model() throws -> LinearProgram {
        var lp = LinearProgram(name: name, sense: sense)
        for (i, r) in rows.enumerated() { try lp.addRow(name: "r\(i)", lower: r.lower, upper: r.upper) }
        for (j, c) in columns.enumerated() {
            let coefficients = rows.enumerated().compactMap { i, r in r.a[j] == 0 ? nil : (row: i, value: r.a[j]) }
            try lp.addColumn(name: "x\(j)", cost: c.cost, lower: c.lower, upper: c.upper, coefficients: coefficients)
        }
        return lp
    }
}

let inf = Double.infinity

let handLPs: [HandLP] = [
    // Hillier & Lieberman's Wyndor Glass: max 3x + 5y, optimum 36 at (2, 6), shadow prices (0, 1.5, 1).
    HandLP(
        name: "wyndor", sense: .maximize, columns: [(3, 0, inf), (5, 0, inf)],
        rows: [([1, 0], -inf, 4), ([0, 2], -inf, 12), ([3, 2], -inf, 18)], optimum: 36, primal: [2, 6],
        duals: [0, 1.5, 1]),
    // min x + y, x + 2y ≥ 4, 3x + y ≥ 6: vertex (1.6, 1.2), duals (0.4, 0.2).
    HandLP(
        name: "two-covering", sense: .minimize, columns: [(1, 0, inf), (1, 0, inf)],
        rows: [([1, 2], 4, inf), ([3, 1], 6, inf)], optimum: 2.8, primal: [1.6, 1.2], duals: [0.4, 0.2]),
    // Free variable and an equality: x0 + x1 = 2, x0 − x1 ≥ −1, min x0 − x1.
    HandLP(
        name: "free-equality", sense: .minimize, columns: [(1, -inf, inf), (-1, 0, 10)],
        rows: [([1, 1], 2, 2), ([1, -1], -1, inf)], optimum: -1, primal: [0.5, 1.5], duals: [0, 1]),
    // Ranged row 1 ≤ x + 2y ≤ 4 with x ≤ 3: max x + y = 3.5 at (3, 0.5), row dual 0.5.
    HandLP(
        name: "ranged-row", sense: .maximize, columns: [(1, 0, 3), (1, 0, inf)],
        rows: [([1, 2], 1, 4)], optimum: 3.5, primal: [3, 0.5], duals: [0.5]),
    // Negative and one-sided bounds: min 2x + 3y, x ∈ [−5, 5], y ≤ 3, x + y ≥ −2, x − y ≤ 1.
    HandLP(
        name: "negative-bounds", sense: .minimize, columns: [(2, -5, 5), (3, -inf, 3)],
        rows: [([1, 1], -2, inf), ([1, -1], -inf, 1)], optimum: -5.5, primal: [-0.5, -1.5], duals: [2.5, -0.5]),
    // A fixed variable and a redundant row.
    HandLP(
        name: "fixed-variable", sense: .minimize, columns: [(1, 2, 2), (1, 0, inf), (-1, 0, 4)],
        rows: [([1, 1, 1], 3, inf), ([0, 1, -1], -inf, 10)], optimum: -2, primal: [2, 0, 4], duals: nil),
    // Degenerate vertex (three constraints through the optimum).
    HandLP(
        name: "degenerate", sense: .maximize, columns: [(1, 0, inf), (1, 0, inf)],
        rows: [([1, 0], -inf, 1), ([0, 1], -inf, 1), ([1, 1], -inf, 2)], optimum: 2, primal: [1, 1], duals: nil),
]

@Suite("Dual simplex on small LPs")
struct SolverTests {
    @Test("hand LPs: optimum, primal, duals, and an independent optimality check", arguments: handLPs)
    func handLP(_ lp: HandLP) throws {
        let model = try lp.model()
        for presolve in [true, false] {
            var options = SolverOptions()
            options.presolve = presolve
            let s = try LPSolver.solve(model, options: options)
            #expect(s.status == .optimal)
            #expect(abs(s.objective - lp.optimum) <= 1e-9 * max(1, abs(lp.optimum)))
            if let primal = lp.primal {
                for j in 0..<primal.count { #expect(abs(s.primal[j] - primal[j]) <= 1e-9) }
            }
            if let duals = lp.duals {
                for i in 0..<duals.count { #expect(abs(s.rowDuals[i] - duals[i]) <= 1e-9, "row \(i)") }
            }
            let issues = optimalityViolations(model, s, tolerance: 1e-9)
            #expect(issues.isEmpty, "\(issues)")
            let basis = try #require(s.basis)
            #expect(basis.columns.filter { $0 == .basic }.count + basis.rows.filter { $0 == .basic }.count == model.rowCount)
        }
    }

    /// Checks a Farkas certificate against the model, independently of the solver.
    func checkCertificate(_ model: LinearProgram, _ c: InfeasibilityCertificate) {
        var y = [Double](repeating: 0, count: model.rowCount)
        for (name, v) in c.rowMultipliers {
            if let i = model.rowNames.firstIndex(of: name) { y[i] = v }
        }
        let z = model.matrix.multiplyTransposed(y)
        var maxZX = 0.0
        for j in 0..<model.columnCount where abs(z[j]) > 1e-9 {
            maxZX += z[j] > 0 ? z[j] * model.columnUpper[j] : z[j] * model.columnLower[j]
        }
        var minYR = 0.0
        for i in 0..<model.rowCount where y[i] != 0 {
            minYR += y[i] > 0 ? y[i] * model.rowLower[i] : y[i] * model.rowUpper[i]
        }
        #expect(maxZX < minYR - 1e-9, "max zᵀx = \(maxZX) must be below min yᵀr = \(minYR)")
    }

    @Test("infeasible rows give a verified Farkas certificate", arguments: [true, false])
    func infeasibleRows(presolve: Bool) throws {
        // x + y ≤ 1 and x + y ≥ 2 with a cost that makes the slack basis dual infeasible.
        let lp = HandLP(
            name: "infeasible", sense: .minimize, columns: [(-1, 0, inf), (-1, 0, inf)],
            rows: [([1, 1], -inf, 1), ([1, 1], 2, inf)], optimum: 0)
        let model = try lp.model()
        var options = SolverOptions()
        options.presolve = presolve
        let s = try LPSolver.solve(model, options: options)
        #expect(s.status == .infeasible)
        let certificate = try #require(s.certificate)
        checkCertificate(model, certificate)
        #expect(Set(certificate.rowMultipliers.map(\.name)) == ["r0", "r1"])
    }

    @Test("infeasibility found by presolve still comes with a verified certificate")
    func presolveInfeasible() throws {
        // A singleton row x ≥ 2 against the bound x ≤ 1: presolve sees crossed bounds.
        let lp = HandLP(
            name: "crossed", sense: .minimize, columns: [(-1, 0, 1), (1, 0, inf)],
            rows: [([1, 0], 2, inf), ([1, 1], -inf, 5)], optimum: 0)
        let model = try lp.model()
        let s = try LPSolver.solve(model)
        #expect(s.status == .infeasible)
        #expect(s.message.contains("x0"))
        checkCertificate(model, try #require(s.certificate))
    }

    @Test("infeasible through bounds: the certificate names the column bounds it uses")
    func infeasibleBounds() throws {
        let lp = HandLP(
            name: "bounds", sense: .minimize, columns: [(1, 0, 1), (1, 0, 1), (0, 0, inf)],
            rows: [([1, 1, 0], 3, inf), ([0, 0, 1], 1, 5)], optimum: 0)
        let model = try lp.model()
        var options = SolverOptions()
        options.presolve = false
        let s = try LPSolver.solve(model, options: options)
        #expect(s.status == .infeasible)
        let c = try #require(s.certificate)
        checkCertificate(model, c)
        #expect(c.rowMultipliers.map(\.name) == ["r0"])
        #expect(Set(c.columnBounds.map(\.name)) == ["x0", "x1"])
        #expect(c.columnBounds.allSatisfy { $0.bound == "upper" })
    }

    @Test("unbounded models are reported as such", arguments: [true, false])
    func unbounded(presolve: Bool) throws {
        var options = SolverOptions()
        options.presolve = presolve
        let ray = HandLP(
            name: "ray", sense: .maximize, columns: [(1, 0, inf), (1, 0, inf)], rows: [([1, -1], -inf, 1)], optimum: 0)
        #expect(try LPSolver.solve(ray.model(), options: options).status == .unbounded)
        let free = HandLP(
            name: "free", sense: .minimize, columns: [(1, -inf, inf), (0, 0, inf)], rows: [([1, 1], 1, 1)], optimum: 0)
        #expect(try LPSolver.solve(free.model(), options: options).status == .unbounded)
    }

    @Test("bad models are typed errors")
    func badModels() throws {
        #expect(throws: LPError.emptyModel) { try LPSolver.solve(LinearProgram()) }
        var lp = LinearProgram()
        #expect(throws: LPError.inconsistentBounds(kind: "column", name: "x", lower: 2, upper: 1)) {
            try lp.addColumn(name: "x", lower: 2, upper: 1)
        }
        #expect(throws: LPError.indexOutOfRange(kind: "row", index: 3, count: 0)) {
            try lp.addColumn(name: "y", coefficients: [(row: 3, value: 1)])
        }
        #expect(throws: LPError.nonFiniteData(kind: "column", name: "z")) { try lp.addColumn(name: "z", cost: .nan) }
        try lp.addColumn(name: "x", cost: 1)
        #expect(throws: LPError.self) { try LPSolver.solve(lp, warmStart: Basis(columns: [.basic], rows: [])) }
    }

    @Test("iteration limit is a status")
    func iterationLimit() throws {
        let model = try MPSReader.read(contentsOf: netlibDirectory.appendingPathComponent("sc105.mps"))
        var options = SolverOptions()
        options.iterationLimit = 5
        let s = try LPSolver.solve(model, options: options)
        #expect(s.status == .iterationLimit)
        #expect(s.iterations == 5)
    }

    @Test("time limit is a status")
    func timeLimit() throws {
        let model = try MPSReader.read(contentsOf: netlibDirectory.appendingPathComponent("sc105.mps"))
        var options = SolverOptions()
        options.timeLimit = 1e-9  // already exceeded at the first check (iteration 0)
        let s = try LPSolver.solve(model, options: options)
        #expect(s.status == .timeLimit)
    }

    @Test("the same input gives the same result (seeded perturbation)")
    func deterministic() throws {
        let model = try MPSReader.read(contentsOf: netlibDirectory.appendingPathComponent("share2b.mps"))
        let a = try LPSolver.solve(model)
        let b = try LPSolver.solve(model)
        #expect(a.iterations == b.iterations)
        #expect(a.primal == b.primal)
        #expect(a.rowDuals == b.rowDuals)
    }

    @Test("warm start after a RHS change takes a fraction of the cold iterations", arguments: ["sc105", "share1b"])
    func warmStart(_ name: String) throws {
        var model = try MPSReader.read(contentsOf: netlibDirectory.appendingPathComponent(name + ".mps"))
        let first = try LPSolver.solve(model)
        let basis = try #require(first.basis)
        // Move the bounds of the first active inequality row by 1%.
        let i = try #require((0..<model.rowCount).first { first.rowDuals[$0] != 0 && model.rowLower[$0] != model.rowUpper[$0] })
        let lo = model.rowLower[i]
        let hi = model.rowUpper[i]
        try model.setRowBounds(i, lower: lo.isFinite ? lo * 1.01 : lo, upper: hi.isFinite ? hi * 1.01 : hi)
        let cold = try LPSolver.solve(model)
        let warm = try LPSolver.solve(model, warmStart: basis)
        #expect(cold.status == .optimal && warm.status == .optimal)
        #expect(abs(cold.objective - warm.objective) <= 1e-8 * max(1, abs(cold.objective)))
        #expect(warm.iterations * 5 <= cold.iterations, "warm \(warm.iterations), cold \(cold.iterations)")
        #expect(optimalityViolations(model, warm).isEmpty)
    }

    @Test("ranging on Wyndor Glass matches Hillier & Lieberman's sensitivity report")
    func ranging() throws {
        let model = try handLPs[0].model()
        let s = try LPSolver.solve(model)
        let r = try LPSolver.ranging(of: model, basis: try #require(s.basis))
        #expect(abs(r.costRanges[0].lowerBound - 0) < 1e-9 && abs(r.costRanges[0].upperBound - 7.5) < 1e-9)
        #expect(abs(r.costRanges[1].lowerBound - 2) < 1e-9 && r.costRanges[1].upperBound == .infinity)
        #expect(abs(r.rhsRanges[0].lowerBound - 2) < 1e-9 && r.rhsRanges[0].upperBound == .infinity)
        #expect(abs(r.rhsRanges[1].lowerBound - 6) < 1e-9 && abs(r.rhsRanges[1].upperBound - 18) < 1e-9)
        #expect(abs(r.rhsRanges[2].lowerBound - 12) < 1e-9 && abs(r.rhsRanges[2].upperBound - 24) < 1e-9)
    }

    @Test("cost ranges: inside keeps the solution, outside changes it", arguments: ["afiro", "sc50a"])
    func costRangesByResolve(_ name: String) throws {
        let model = try MPSReader.read(contentsOf: netlibDirectory.appendingPathComponent(name + ".mps"))
        let s = try LPSolver.solve(model)
        let r = try LPSolver.ranging(of: model, basis: try #require(s.basis))
        var checked = 0
        for j in 0..<model.columnCount where s.basis?.columns[j] == .basic {
            let range = r.costRanges[j]
            guard range.upperBound.isFinite, range.upperBound - model.objective[j] > 1e-3 else { continue }
            let c = model.objective[j]
            var inside = model
            try inside.setCost(j, c + 0.5 * (range.upperBound - c))
            var outside = model
            try outside.setCost(j, range.upperBound + 0.1 * (1 + abs(range.upperBound - c)))
            let si = try LPSolver.solve(inside)
            let so = try LPSolver.solve(outside)
            let sameInside = zip(si.primal, s.primal).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) }
            let sameOutside = zip(so.primal, s.primal).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) }
            #expect(sameInside, "column \(model.columnNames[j])")
            #expect(!sameOutside, "column \(model.columnNames[j])")
            checked += 1
            if checked == 3 { break }
        }
        #expect(checked > 0)
    }
    @Test("ranging of selected rows and columns equals the full ranging", arguments: ["afiro", "sc50a", "boeing2"])
    func selectedRanging(_ name: String) throws {
        let model = try MPSReader.read(contentsOf: netlibDirectory.appendingPathComponent(name + ".mps"))
        let s = try LPSolver.solve(model)
        let basis = try #require(s.basis)
        let full = try LPSolver.ranging(of: model, basis: basis)
        let columns = Array(stride(from: 0, to: model.columnCount, by: 3))
        let rows = Array(stride(from: 1, to: model.rowCount, by: 2))
        let some = try LPSolver.ranging(of: model, basis: basis, columns: columns, rows: rows)
        #expect(some.costRanges.count == columns.count && some.rhsRanges.count == rows.count)
        for j in columns { #expect(some.costRanges[j] == full.costRanges[j], "column \(j)") }
        for i in rows { #expect(some.rhsRanges[i] == full.rhsRanges[i], "row \(i)") }
        #expect(throws: LPError.indexOutOfRange(kind: "row", index: model.rowCount, count: model.rowCount)) {
            try LPSolver.ranging(of: model, basis: basis, columns: [], rows: [model.rowCount])
        }
    }
}

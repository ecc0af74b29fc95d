import Foundation
import Testing

@testable import LinearProgramming

/// The Netlib directory shared by the project (`/work/shared/lp/netlib`, or `CAPM_NETLIB`).
let netlibDirectory: URL = {
    if let dir = ProcessInfo.processInfo.environment["CAPM_NETLIB"] { return URL(fileURLWithPath: dir) }
    return URL(fileURLWithPath: "/work/shared/lp/netlib")
}()

/// One line of `optimal.csv`.
struct NetlibEntry: Sendable, CustomStringConvertible {
    var name: String
    var rows: Int
    var columns: Int
    var nonzeros: Int
    var optimum: Double  // with the objective constant
    var description: String { name }
}

/// The entries of `optimal.csv` (empty when the file is absent).
let netlibEntries: [NetlibEntry] = {
    guard let text = try? String(contentsOf: netlibDirectory.appendingPathComponent("optimal.csv"), encoding: .utf8)
    else { return [] }
    var out: [NetlibEntry] = []
    for line in text.split(whereSeparator: \.isNewline).dropFirst() {
        let f = line.split(separator: ",").map(String.init)
        guard f.count >= 7, let r = Int(f[1]), let c = Int(f[2]), let z = Int(f[3]), let opt = Double(f[6]) else {
            continue
        }
        out.append(NetlibEntry(name: f[0], rows: r, columns: c, nonzeros: z, optimum: opt))
    }
    return out
}()

func netlibEntry(_ name: String) -> NetlibEntry? { netlibEntries.first { $0.name == name } }

/// Independent optimality check of a solution: primal feasibility, dual feasibility of `d = c − Aᵀy` computed
/// here from the reported duals, complementary slackness, and equal primal and dual objectives.
/// Returns the list of violations (empty when the solution is optimal within `tolerance`, relative).
func optimalityViolations(_ model: LinearProgram, _ s: LPSolution, tolerance: Double = 1e-6) -> [String] {
    var issues: [String] = []
    let n = model.columnCount
    let m = model.rowCount
    let sign: Double = model.sense == .maximize ? -1 : 1
    let ax = model.matrix.multiply(s.primal)
    var scale = 1.0
    for v in s.primal { scale = max(scale, abs(v)) }
    let ptol = tolerance * scale
    for j in 0..<n where s.primal[j] < model.columnLower[j] - ptol || s.primal[j] > model.columnUpper[j] + ptol {
        issues.append("column \(model.columnNames[j]) = \(s.primal[j]) outside bounds")
    }
    for i in 0..<m where ax[i] < model.rowLower[i] - ptol || ax[i] > model.rowUpper[i] + ptol {
        issues.append("row \(model.rowNames[i]) activity \(ax[i]) outside [\(model.rowLower[i]), \(model.rowUpper[i])]")
    }
    // Reduced costs from the duals, not from the solver.
    let aty = model.matrix.multiplyTransposed(s.rowDuals)
    var dualScale = 1.0
    for v in s.rowDuals { dualScale = max(dualScale, abs(v)) }
    for c in model.objective { dualScale = max(dualScale, abs(c)) }
    let dtol = tolerance * dualScale
    // Dual objective: Σ y_i·(bound row i sits at) + Σ d_j·(bound column j sits at) + c0.
    var dualObjective = model.objectiveConstant
    for j in 0..<n {
        let d = sign * (model.objective[j] - aty[j])  // minimization sign
        let atLower = abs(s.primal[j] - model.columnLower[j]) <= ptol
        let atUpper = abs(s.primal[j] - model.columnUpper[j]) <= ptol
        if d > dtol && !atLower { issues.append("column \(model.columnNames[j]): d = \(d) > 0 but not at lower bound") }
        if d < -dtol && !atUpper { issues.append("column \(model.columnNames[j]): d = \(d) < 0 but not at upper bound") }
        // The bound the sign of d asks for (a violation was reported above when x is not there).
        let bound = d > 0 ? (atLower ? model.columnLower[j] : s.primal[j]) : (atUpper ? model.columnUpper[j] : s.primal[j])
        dualObjective += sign * d * bound
    }
    for i in 0..<m {
        let y = sign * s.rowDuals[i]
        let atLower = abs(ax[i] - model.rowLower[i]) <= ptol
        let atUpper = abs(ax[i] - model.rowUpper[i]) <= ptol
        if y > dtol && !atLower { issues.append("row \(model.rowNames[i]): dual \(y) > 0 but not at lower bound") }
        if y < -dtol && !atUpper { issues.append("row \(model.rowNames[i]): dual \(y) < 0 but not at upper bound") }
        let bound = y > 0 ? (atLower ? model.rowLower[i] : ax[i]) : (atUpper ? model.rowUpper[i] : ax[i])
        dualObjective += sign * y * bound
    }
    let gap = abs(dualObjective - s.objective)
    if !(gap <= 1e-6 * max(1, abs(s.objective))) {
        issues.append("duality gap: primal \(s.objective), dual \(dualObjective)")
    }
    return issues
}

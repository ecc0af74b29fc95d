import Foundation

/// Text renderings of an ``LPSolution`` (JSON and an aligned table) for the command line and files.
public enum SolutionReport {
    /// JSON with `status`, `objective` (including the objective constant), `iterations`, `seconds`, `message`,
    /// and with `verbose` the arrays `columns` (name, value, reduced cost, status) and `rows` (name, activity,
    /// dual, status). Non-finite numbers are written as `null`.
    public static func json(_ s: LPSolution, model: LinearProgram, verbose: Bool) -> String {
        var out = "{\n"
        out += "  \"name\": \(quote(model.name)),\n"
        out += "  \"status\": \(quote(s.status.rawValue)),\n"
        out += "  \"objective\": \(number(s.objective)),\n"
        out += "  \"objective_constant\": \(number(model.objectiveConstant)),\n"
        out += "  \"iterations\": \(s.iterations),\n"
        out += "  \"seconds\": \(number(s.seconds)),\n"
        out += "  \"cpu_seconds\": \(number(s.cpuSeconds)),\n"
        out += "  \"rows\": \(model.rowCount),\n  \"columns\": \(model.columnCount),\n"
        out += "  \"message\": \(quote(s.message))"
        if let c = s.certificate {
            out += ",\n  \"certificate\": {\"gap\": \(number(c.gap)), \"row_multipliers\": {"
            out += c.rowMultipliers.map { "\(quote($0.name)): \(number($0.value))" }.joined(separator: ", ")
            out += "}}"
        }
        if verbose && s.primal.count == model.columnCount {
            out += ",\n  \"primal\": [\n"
            out += (0..<model.columnCount).map { j in
                let st = s.basis?.columns[j].rawValue ?? "unknown"
                return "    {\"name\": \(quote(model.columnNames[j])), \"value\": \(number(s.primal[j])), \"reduced_cost\": \(number(s.reducedCosts[j])), \"status\": \(quote(st))}"
            }.joined(separator: ",\n")
            out += "\n  ],\n  \"dual\": [\n"
            out += (0..<model.rowCount).map { i in
                let st = s.basis?.rows[i].rawValue ?? "unknown"
                return "    {\"name\": \(quote(model.rowNames[i])), \"activity\": \(number(s.rowActivity[i])), \"dual\": \(number(s.rowDuals[i])), \"status\": \(quote(st))}"
            }.joined(separator: ",\n")
            out += "\n  ]"
        }
        out += "\n}\n"
        return out
    }

    /// A human-readable summary, with `verbose` one line per column and per row.
    public static func table(_ s: LPSolution, model: LinearProgram, verbose: Bool) -> String {
        var out = "model       \(model.name) (\(model.rowCount) rows, \(model.columnCount) columns)\n"
        out += "status      \(s.status.rawValue)\n"
        out += "objective   \(number(s.objective))\n"
        out += "iterations  \(s.iterations)\n"
        out += "seconds     \(String(format: "%.3f", s.seconds))\n"
        out += "message     \(s.message)\n"
        if verbose && s.primal.count == model.columnCount {
            out += "\n" + pad("column", 20) + pad("value", 24) + pad("reduced cost", 24) + "status\n"
            for j in 0..<model.columnCount {
                out += pad(model.columnNames[j], 20) + pad(number(s.primal[j]), 24)
                    + pad(number(s.reducedCosts[j]), 24) + (s.basis?.columns[j].rawValue ?? "") + "\n"
            }
            out += "\n" + pad("row", 20) + pad("activity", 24) + pad("dual", 24) + "status\n"
            for i in 0..<model.rowCount {
                out += pad(model.rowNames[i], 20) + pad(number(s.rowActivity[i]), 24)
                    + pad(number(s.rowDuals[i]), 24) + (s.basis?.rows[i].rawValue ?? "") + "\n"
            }
        }
        return out
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }

    private static func number(_ v: Double) -> String { v.isFinite ? "\(v)" : "null" }

    private static func quote(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if ch.value < 0x20 { out += String(format: "\\u%04x", ch.value) } else { out.unicodeScalars.append(ch) }
            }
        }
        return out + "\""
    }
}

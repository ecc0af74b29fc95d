import CAPMData
import Foundation

/// Writes linear programs as free-format MPS (see ``MPSReader`` for the conventions).
///
/// Rows with two finite, different bounds are written as `G` rows with a `RANGES` entry; free rows as
/// further `N` rows (which readers, ours included, drop). Numbers use Swift's shortest round-trip
/// representation, so `read(write(model))` reproduces every coefficient and bound exactly.
public enum MPSWriter {
    /// The model as free MPS text.
    /// - Complexity: O(rows + columns + nonzeros).
    public static func text(of model: LinearProgram) -> String {
        var out = "NAME \(model.name.isEmpty ? "LP" : model.name)\n"
        if model.sense == .maximize { out += "OBJSENSE\n    MAX\n" }
        out += "ROWS\n N  \(model.objectiveName)\n"
        for i in 0..<model.rowCount {
            let (lo, hi) = (model.rowLower[i], model.rowUpper[i])
            let type: String
            if lo == hi { type = "E" } else if lo.isFinite { type = "G" } else if hi.isFinite { type = "L" } else { type = "N" }
            out += " \(type)  \(model.rowNames[i])\n"
        }
        out += "COLUMNS\n"
        let a = model.matrix
        for j in 0..<model.columnCount {
            let name = model.columnNames[j]
            if model.objective[j] != 0 || a.columnStarts[j] == a.columnStarts[j + 1] {
                out += "    \(name)  \(model.objectiveName)  \(format(model.objective[j]))\n"
            }
            for k in a.columnStarts[j]..<a.columnStarts[j + 1] {
                out += "    \(name)  \(model.rowNames[Int(a.rowIndices[k])])  \(format(a.values[k]))\n"
            }
        }
        out += "RHS\n"
        if model.objectiveConstant != 0 {
            out += "    RHS  \(model.objectiveName)  \(format(-model.objectiveConstant))\n"
        }
        var ranges = ""
        for i in 0..<model.rowCount {
            let (lo, hi) = (model.rowLower[i], model.rowUpper[i])
            let b: Double
            if lo.isFinite { b = lo } else if hi.isFinite { b = hi } else { continue }
            if b != 0 { out += "    RHS  \(model.rowNames[i])  \(format(b))\n" }
            if lo.isFinite && hi.isFinite && lo != hi {
                ranges += "    RNG  \(model.rowNames[i])  \(format(hi - lo))\n"
            }
        }
        if !ranges.isEmpty { out += "RANGES\n" + ranges }
        var bounds = ""
        for j in 0..<model.columnCount {
            let (lo, hi, name) = (model.columnLower[j], model.columnUpper[j], model.columnNames[j])
            if lo == hi {
                bounds += " FX BND  \(name)  \(format(lo))\n"
                continue
            }
            if lo == -.infinity && hi == .infinity {
                bounds += " FR BND  \(name)\n"
                continue
            }
            if lo == -.infinity { bounds += " MI BND  \(name)\n" } else if lo != 0 || hi < 0 {
                bounds += " LO BND  \(name)  \(format(lo))\n"
            }
            if hi.isFinite { bounds += " UP BND  \(name)  \(format(hi))\n" }
        }
        if !bounds.isEmpty { out += "BOUNDS\n" + bounds }
        out += "ENDATA\n"
        return out
    }

    /// Writes the model to `url` atomically (``AtomicFile``).
    /// - Throws: ``OutputError`` when the file cannot be written.
    public static func write(_ model: LinearProgram, to url: URL) throws(OutputError) {
        try AtomicFile.write(text(of: model), to: url)
    }

    private static func format(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }
}

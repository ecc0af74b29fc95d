import CAPMData
import Foundation

extension JourneyLog {
    /// Writes the log as CSV (`customer_id,stage,touchpoint,date[,outcome][,expected_score,experienced_score]`,
    /// the optional columns when the log has them) atomically to `url`, one row per event in event order.
    ///
    /// Scores that are whole tenths are written with one decimal (`7.5`), others in Swift's shortest round-trip form.
    /// - Complexity: O(events), streamed through a 1 MiB buffer.
    public func write(to url: URL) throws(OutputError) {
        let ids = customerIDs.map { Array(CSVWriting.escape($0).utf8) }
        let touchNames = touchpoints.map { Array(CSVWriting.escape($0).utf8) }
        let stageNames = JourneyStage.allCases.map { Array($0.name.utf8) }
        let outcomeNames = outcomes.map { Array(CSVWriting.escape($0).utf8) }
        let lo = day.min() ?? 0, hi = day.max() ?? 0
        let dates = (lo...hi).map { Array(CivilDate.isoString(days: Int($0)).utf8) }
        let comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n")
        var header = "customer_id,stage,touchpoint,date"
        if outcome != nil { header += ",outcome" }
        if scores != nil { header += ",expected_score,experienced_score" }
        try AtomicFile.write(to: url) { writer in
            try writer.write(header + "\n")
            var row: [UInt8] = []
            row.reserveCapacity(128)
            for e in 0..<count {
                row.removeAll(keepingCapacity: true)
                row += ids[Int(customer[e])]
                row.append(comma)
                row += stageNames[stage[e].rawValue]
                row.append(comma)
                row += touchNames[Int(touchpoint[e])]
                row.append(comma)
                row += dates[Int(day[e] - lo)]
                if let outcome {
                    row.append(comma)
                    if outcome[e] >= 0 { row += outcomeNames[Int(outcome[e])] }
                }
                if let scores {
                    row.append(comma)
                    Self.appendScore(scores.expected[e], to: &row)
                    row.append(comma)
                    Self.appendScore(scores.experienced[e], to: &row)
                }
                row.append(newline)
                try writer.write(bytes: row)
            }
        }
    }

    /// Appends `v` with one decimal when it is a whole number of tenths, in shortest form otherwise.
    static func appendScore(_ v: Double, to row: inout [UInt8]) {
        let tenths = (v * 10).rounded()
        guard v.isFinite, abs(v) < 1e12, abs(tenths / 10 - v) <= 1e-12 * Swift.max(1, abs(v)) else {
            row += Array(String(v).utf8)
            return
        }
        var t = Int64(tenths)
        if t < 0 {
            row.append(UInt8(ascii: "-"))
            t = -t
        }
        row += Array(String(t / 10).utf8)
        row.append(UInt8(ascii: "."))
        row.append(UInt8(48 + t % 10))
    }
}

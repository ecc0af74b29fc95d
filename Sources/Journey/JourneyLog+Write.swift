import CAPMData
import Dispatch
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
        let log = self
        // Rows are rendered in parallel, 16,384 per chunk and 32 chunks per round (bounded memory), and written
        // in order, so the file is the same for any thread count.
        @Sendable func render(_ range: Range<Int>) -> [UInt8] {
            var row: [UInt8] = []
            row.reserveCapacity(range.count * 64)
            for e in range {
                row += ids[Int(log.customer[e])]
                row.append(comma)
                row += stageNames[log.stage[e].rawValue]
                row.append(comma)
                row += touchNames[Int(log.touchpoint[e])]
                row.append(comma)
                row += dates[Int(log.day[e] - lo)]
                if let outcome = log.outcome {
                    row.append(comma)
                    if outcome[e] >= 0 { row += outcomeNames[Int(outcome[e])] }
                }
                if let scores = log.scores {
                    row.append(comma)
                    Self.appendScore(scores.expected[e], to: &row)
                    row.append(comma)
                    Self.appendScore(scores.experienced[e], to: &row)
                }
                row.append(newline)
            }
            return row
        }
        try AtomicFile.write(to: url) { writer in
            try writer.write(header + "\n")
            let chunk = 16_384, round = 32 * chunk
            var start = 0
            while start < count {
                let end = Swift.min(count, start + round)
                let chunks = (end - start + chunk - 1) / chunk
                var texts = [[UInt8]](repeating: [], count: chunks)
                let first = start
                texts.withUnsafeMutableBufferPointer { buffer in
                    nonisolated(unsafe) let out = buffer
                    DispatchQueue.concurrentPerform(iterations: chunks) { c in
                        out[c] = render((first + c * chunk)..<Swift.min(end, first + (c + 1) * chunk))
                    }
                }
                for text in texts { try writer.write(bytes: text) }
                start = end
            }
        }
    }

    /// Appends `v` with one decimal when it is a whole number of tenths, in shortest form otherwise; nothing for
    /// NaN (an event that was not surveyed is a blank field).
    static func appendScore(_ v: Double, to row: inout [UInt8]) {
        if v.isNaN { return }
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
        let whole = t / 10
        if whole < 10 {
            row.append(UInt8(48 + whole))
        } else {
            row += Array(String(whole).utf8)
        }
        row.append(UInt8(ascii: "."))
        row.append(UInt8(48 + t % 10))
    }
}

import CAPMData
import Foundation

extension CustomerPredictions {
    /// Column names of the per-customer predictions file.
    public static let csvHeader = [
        "customer_id", "frequency", "recency", "T", "monetary_value", "expected_purchases", "p_alive", "expected_spend", "clv",
    ]

    /// Writes one CSV row per customer (``csvHeader``), numbers in Swift's shortest round-trip form, to `url`
    /// atomically (``AtomicFile``) or to standard output when `url` is `nil`.
    /// - Complexity: O(customers), streamed through a 1 MiB buffer.
    public func writeCSV(summary: CustomerSummary, to url: URL?) throws(OutputError) {
        func rows(_ emit: (String) throws -> Void) rethrows {
            try emit(Self.csvHeader.joined(separator: ",") + "\n")
            var line = ""
            for i in 0..<summary.count {
                line.removeAll(keepingCapacity: true)
                line += CSVWriting.escape(summary.customerIDs[i])
                line += ",\(summary.frequency[i]),\(summary.recency[i]),\(summary.age[i]),\(summary.monetaryValue?[i] ?? 0)"
                line += ",\(expectedPurchases[i]),\(probabilityAlive[i]),\(expectedSpend[i]),\(lifetimeValue[i])\n"
                try emit(line)
            }
        }
        if let url {
            try AtomicFile.write(to: url) { writer in try rows { try writer.write($0) } }
        } else {
            var buffer = Data()
            buffer.reserveCapacity(1 << 20)
            rows { text in
                buffer.append(contentsOf: text.utf8)
                if buffer.count >= 1 << 20 {
                    FileHandle.standardOutput.write(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            FileHandle.standardOutput.write(buffer)
        }
    }
}

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
        // Rows are formatted in parallel, 4,096 per chunk and 64 chunks per block (bounded memory), and written
        // in order, so the file is identical for any thread count.
        func rows(_ emit: (String) throws -> Void) rethrows {
            try emit(Self.csvHeader.joined(separator: ",") + "\n")
            let n = summary.count, chunk = 4096, block = 64 * chunk
            var start = 0
            while start < n {
                let end = min(n, start + block)
                let chunks = (end - start + chunk - 1) / chunk
                var texts = [String](repeating: "", count: chunks)
                texts.withUnsafeMutableBufferPointer { buffer in
                    nonisolated(unsafe) let out = buffer
                    ChunkedSum.forEach(count: chunks, chunkSize: 1) { range in
                        for c in range {
                            var text = ""
                            for i in (start + c * chunk)..<min(end, start + (c + 1) * chunk) {
                                text += CSVWriting.escape(summary.customerIDs[i])
                                text += ",\(summary.frequency[i]),\(summary.recency[i]),\(summary.age[i]),\(summary.monetaryValue?[i] ?? 0)"
                                text += ",\(expectedPurchases[i]),\(probabilityAlive[i]),\(expectedSpend[i]),\(lifetimeValue[i])\n"
                            }
                            out[c] = text
                        }
                    }
                }
                for text in texts { try emit(text) }
                start = end
            }
        }
        if let url {
            try AtomicFile.write(to: url) { writer in try rows { try writer.write($0) } }
        } else {
            rows { text in FileHandle.standardOutput.write(Data(text.utf8)) }
        }
    }
}

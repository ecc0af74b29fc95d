import Allocation
import CAPMData
import CustomerValue
import Dispatch
import Foundation
import Journey
import Segmentation

extension SegmentRunResult {
    /// The output files, in the order they are written (`run.json`, the manifest, comes last).
    public static let outputNames = [
        "customers.csv", "segments.json", "plan.json", "allocation.json", "sweep.json", "journey.json", "summary.txt",
        "run.json",
    ]

    /// Writes the output directory (created if missing): every file atomically, `run.json` last. An existing
    /// `run.json` is removed first, so a directory whose `run.json` is missing holds an unfinished run; `run.json`
    /// lists every other file with its size and SHA-256.
    ///
    /// - Throws: ``PipelineError/output(step:_:)`` naming the file.
    /// - Complexity: O(customers · columns) to format `customers.csv` (in parallel blocks, written in order).
    public mutating func write(to directory: URL) throws(PipelineError) {
        var clock = StepClock()
        try write(to: directory, finishing: &clock)
    }

    mutating func write(to directory: URL, finishing clock: inout StepClock) throws(PipelineError) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .output(step: .write, .writeFailed(path: directory.path, reason: error.localizedDescription))
        }
        let manifest = directory.appendingPathComponent("run.json")
        if FileManager.default.fileExists(atPath: manifest.path) {
            do { try FileManager.default.removeItem(at: manifest) } catch {
                throw .output(step: .write, .writeFailed(path: manifest.path, reason: error.localizedDescription))
            }
        }
        var outputs: [RunManifest.OutputFile] = []
        func text(_ name: String, _ content: String) throws(PipelineError) {
            outputs.append(try Self.writeFile(directory.appendingPathComponent(name), blocks: [Array(content.utf8)]))
        }
        outputs.append(try writeCustomers(directory.appendingPathComponent("customers.csv")))
        do { try text("segments.json", try segmentation.json()) } catch let error as PipelineError { throw error } catch {
            throw .output(step: .write, .writeFailed(path: "segments.json", reason: "\(error)"))
        }
        do { try text("plan.json", try plan.json()) } catch let error as PipelineError { throw error } catch {
            throw .output(step: .write, .writeFailed(path: "plan.json", reason: "\(error)"))
        }
        try text("allocation.json", AllocationReport.json(allocation))
        try text("sweep.json", AllocationReport.json(sweep))
        if let journey {
            do { try text("journey.json", try journey.json()) } catch let error as PipelineError { throw error } catch {
                throw .output(step: .write, .writeFailed(path: "journey.json", reason: "\(error)"))
            }
        }
        try text("summary.txt", summaryText())
        self.outputs = outputs
        clock.stop()
        timings = clock.timings
        let json = try RunManifest(self).json()
        _ = try Self.writeFile(manifest, blocks: [Array(json.utf8)])
    }

    /// Writes `blocks` to `url` atomically, hashing them on the way.
    static func writeFile(_ url: URL, blocks: [[UInt8]]) throws(PipelineError) -> RunManifest.OutputFile {
        try writeFile(url) { emit in
            for block in blocks { try emit(block) }
        }
    }

    /// Writes the blocks `produce` emits to `url` atomically (streamed through a buffer), hashing them on the way.
    static func writeFile(
        _ url: URL, produce: ((_ block: [UInt8]) throws -> Void) throws -> Void
    ) throws(PipelineError) -> RunManifest.OutputFile {
        var hasher = SHA256()
        var bytes = 0
        do {
            try AtomicFile.write(to: url) { writer in
                try produce { block in
                    hasher.update(block)
                    bytes += block.count
                    try writer.write(bytes: block)
                }
            }
        } catch { throw .output(step: .write, error) }
        return RunManifest.OutputFile(name: url.lastPathComponent, bytes: bytes, sha256: SHA256.hexString(hasher.finalize()))
    }

    /// The header of `customers.csv`.
    public var customersHeader: [String] {
        CustomerPredictions.csvHeader + ["segment", "label"] + (attributes?.names ?? [])
    }

    /// `customers.csv`: one row per customer (summary order), numbers in Swift's shortest round-trip form. Rows are
    /// formatted in parallel, 4,096 per chunk and 64 chunks per block (bounded memory), and written in order, so the
    /// file is the same for any thread count.
    func writeCustomers(_ url: URL) throws(PipelineError) -> RunManifest.OutputFile {
        let n = summary.count, chunk = 4096, block = 64 * chunk
        let labels = (0..<segmentation.k).map { s in segmentation.profiles?[s].label.map { CSVWriting.escape($0.rawValue) } ?? "" }
        let (s, p, segments, attributes) = (summary, predictions, self.segments, self.attributes)
        let header = customersHeader.map(CSVWriting.escape).joined(separator: ",") + "\n"
        return try Self.writeFile(url) { emit in
            try emit(Array(header.utf8))
            var start = 0
            while start < n {
                let (lo, end) = (start, min(n, start + block))
                let chunks = (end - lo + chunk - 1) / chunk
                var texts = [[UInt8]](repeating: [], count: chunks)
                texts.withUnsafeMutableBufferPointer { buffer in
                    nonisolated(unsafe) let out = buffer
                    DispatchQueue.concurrentPerform(iterations: chunks) { c in
                        var text = ""
                        for i in (lo + c * chunk)..<min(end, lo + (c + 1) * chunk) {
                            text += CSVWriting.escape(s.customerIDs[i])
                            text += ",\(s.frequency[i]),\(s.recency[i]),\(s.age[i]),\(s.monetaryValue?[i] ?? 0)"
                            text += ",\(p.expectedPurchases[i]),\(p.probabilityAlive[i]),\(p.expectedSpend[i]),\(p.lifetimeValue[i])"
                            let segment = Int(segments[i])
                            text += ",\(segment),\(segment < labels.count ? labels[segment] : "")"
                            if let attributes {
                                for column in attributes.values {
                                    text += ","
                                    if let v = column[i] { text += "\(v)" }
                                }
                            }
                            text += "\n"
                        }
                        out[c] = Array(text.utf8)
                    }
                }
                for text in texts { try emit(text) }
                start = end
            }
        }
    }
}

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
    /// lists every other file with its size and SHA-256. Temporary files of a killed earlier run are removed.
    /// `extraOutputs` are written after `summary.txt` and before `run.json` (see ``ExtraOutput``).
    ///
    /// - Throws: ``PipelineError/output(step:_:)`` naming the file.
    /// - Complexity: O(customers · columns) to format `customers.csv` (in parallel blocks, written in order).
    public mutating func write(to directory: URL, extraOutputs: [ExtraOutput] = []) throws(PipelineError) {
        var clock = StepClock()
        try write(to: directory, extraOutputs: extraOutputs, finishing: &clock)
    }

    mutating func write(
        to directory: URL, extraOutputs: [ExtraOutput], finishing clock: inout StepClock
    ) throws(PipelineError) {
        for extra in extraOutputs { try extra.validate() }
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
        Self.removeStaleTemporaries(in: directory, extraNames: extraOutputs.map(\.name))
        var outputs: [RunManifest.OutputFile] = []
        // customers.csv (all but a few percent of the bytes) is written on another thread while this one encodes and
        // writes the small files; both finish before anything else happens, and the list keeps the fixed order.
        let customersURL = directory.appendingPathComponent("customers.csv")
        let customers = BackgroundOutcome()
        let group = DispatchGroup()
        let snapshot = self
        DispatchQueue.global().async(group: group) {
            do throws(PipelineError) { customers.value = .success(try snapshot.writeCustomers(customersURL)) } catch {
                customers.value = .failure(error)
            }
        }
        var others: [RunManifest.OutputFile] = []
        var othersFailure: PipelineError?
        do throws(PipelineError) {
            func text(_ name: String, _ content: String) throws(PipelineError) {
                others.append(try Self.writeFile(directory.appendingPathComponent(name), blocks: [Array(content.utf8)]))
            }
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
        } catch { othersFailure = error }
        group.wait()
        switch customers.value {
        case .success(let file): outputs = [file] + others
        case .failure(let error): throw error
        case nil: throw .output(step: .write, .writeFailed(path: customersURL.path, reason: "the writer did not finish"))
        }
        if let othersFailure { throw othersFailure }
        // Extra files (e.g. report.html) are made from the directory as written so far, and see the manifest without
        // themselves; run.json, written after them, lists them.
        for extra in extraOutputs {
            self.outputs = outputs
            let manifest = try RunManifest(self).json()
            let bytes: [UInt8]
            do { bytes = try extra.make(directory, manifest) } catch {
                throw .extraOutput(name: extra.name, reason: "\(error)")
            }
            outputs.append(try Self.writeFile(directory.appendingPathComponent(extra.name), blocks: [bytes]))
        }
        self.outputs = outputs
        clock.stop()
        timings = clock.timings
        let json = try RunManifest(self).json()
        _ = try Self.writeFile(manifest, blocks: [Array(json.utf8)])
    }

    /// Removes the temporary files a killed run left behind: `.<output name>.<pid>.<random>.tmp` for the output names
    /// of ``outputNames`` (``AtomicFile``'s naming); nothing else in the directory is touched.
    static func removeStaleTemporaries(in directory: URL, extraNames: [String] = []) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            let parts = name.dropFirst().dropLast(4).split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count >= 4, let random = parts.last, let pid = parts.dropLast().last,
                random.allSatisfy(\.isNumber), pid.allSatisfy(\.isNumber),
                (outputNames + extraNames).contains(parts.dropLast(2).joined(separator: "."))
            else { continue }
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
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

    /// `customers.csv`: one row per customer (summary order), numbers in Swift's shortest round-trip form
    /// (``ShortestDecimal``, the text of `description`, written as bytes). Rows are formatted in parallel, 4,096 per
    /// chunk and 64 chunks per block (bounded memory), and written in order, so the file is the same for any thread
    /// count. The next block is formatted while the current one is hashed and written.
    func writeCustomers(_ url: URL) throws(PipelineError) -> RunManifest.OutputFile {
        let n = summary.count, chunk = 4096, block = 64 * chunk
        let rows = CustomerRows(result: self)
        let header = customersHeader.map(CSVWriting.escape).joined(separator: ",") + "\n"
        /// The rows `lo..<hi` as bytes, one array per 4,096-row chunk.
        @Sendable func format(_ lo: Int, _ hi: Int) -> [[UInt8]] {
            let chunks = (hi - lo + chunk - 1) / chunk
            var texts = [[UInt8]](repeating: [], count: chunks)
            texts.withUnsafeMutableBufferPointer { buffer in
                nonisolated(unsafe) let out = buffer
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    out[c] = rows.bytes(lo + c * chunk..<min(hi, lo + (c + 1) * chunk))
                }
            }
            return texts
        }
        return try Self.writeFile(url) { emit in
            try emit(Array(header.utf8))
            var current = format(0, min(n, block))
            var start = min(n, block)
            while true {
                // Format the next block on another thread while this one hashes and writes the current block.
                let (lo, hi) = (start, min(n, start + block))
                let next = NextBlock()
                let group = DispatchGroup()
                if lo < hi {
                    DispatchQueue.global().async(group: group) { next.texts = format(lo, hi) }
                }
                var failure: (any Error)?
                do { for text in current { try emit(text) } } catch { failure = error }
                group.wait()
                if let failure { throw failure }
                guard lo < hi else { break }
                current = next.texts
                start = hi
            }
        }
    }
}

/// The outcome of writing `customers.csv` on another thread (set before `DispatchGroup.leave`, read after `wait`).
private final class BackgroundOutcome: @unchecked Sendable {
    var value: Result<RunManifest.OutputFile, PipelineError>?
}

/// The block formatted in the background while the previous one is written (handed over after `DispatchGroup.wait`).
private final class NextBlock: @unchecked Sendable {
    var texts: [[UInt8]] = []
}

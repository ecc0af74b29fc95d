import Allocation
import CAPMData
import Foundation
import Journey
import Segmentation

/// The report of a `capm run` output directory: everything the HTML page shows, read from the files the run
/// wrote (so the page's numbers are the CLI's numbers), and the page itself.
///
/// ```swift
/// let report = try RunReport.load(runDirectory: URL(fileURLWithPath: "out"))
/// try report.write(to: URL(fileURLWithPath: "out/report.html"))
/// ```
///
/// Files read (`capm run` output, issue 7): `customers.csv` (columns `clv`, `p_alive`), `segments.json`
/// (``SegmentationReport``), `allocation.json` (``AllocationResult``) — required; `sweep.json`
/// (``AllocationResult`` of a budget sweep), `plan.json` (the plan, for response curves), `journey.json`
/// (``Journey/JourneyAnalysis``, decoded with the type the CLI encodes), `run.json` (``RunManifest``) — optional, their sections say so when absent.
/// The page is a pure function of these files: the same run directory gives byte-identical HTML.
public struct RunReport: Sendable {
    /// The run directory's last path component (shown in the page).
    public var runName: String
    /// Aggregates of customers.csv.
    public var customers: CustomerValues
    /// segments.json.
    public var segments: SegmentationReport
    /// allocation.json.
    public var allocation: AllocationResult
    /// sweep.json, when present.
    public var sweep: AllocationResult?
    /// journey.json, when present.
    public var journey: JourneyAnalysis?
    /// run.json, when present and a JSON object.
    public var manifest: RunManifest?
    /// Response curves of the funded cells (largest optimal spend first, at most ``maxResponseCurves``).
    public var responseCurves: [ResponseCurve]
    /// Remarks shown at the top of the page (files absent, plan not resolvable, files that disagree).
    public var notes: [String]

    /// Most response curves drawn.
    public static let maxResponseCurves = 12

    /// File names in a run directory.
    public enum FileName {
        /// Per-customer values and segments.
        public static let customers = "customers.csv"
        /// `capm segment --format json`.
        public static let segments = "segments.json"
        /// `capm allocate --format json`.
        public static let allocation = "allocation.json"
        /// `capm allocate --scenario sweep --format json`.
        public static let sweep = "sweep.json"
        /// The plan.
        public static let plan = "plan.json"
        /// `capm journey --format json`.
        public static let journey = "journey.json"
        /// The run manifest.
        public static let manifest = "run.json"
    }

    /// Reads the run directory at `runDirectory`.
    ///
    /// - Throws: ``ReportError`` naming the missing or invalid file (and for JSON the key path).
    /// - Complexity: O(N log N) in the customers (one parallel CSV read of two columns, one sort for the
    ///   Lorenz curve); the JSON files are small.
    public static func load(runDirectory: URL) throws(ReportError) -> RunReport {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: runDirectory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .notADirectory(path: runDirectory.path)
        }
        func file(_ name: String) -> URL { runDirectory.appendingPathComponent(name) }
        func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: file(name).path) }
        var notes: [String] = []

        let segments = try JSONFile.decode(SegmentationReport.self, from: file(FileName.segments))
        let allocation = try JSONFile.decode(AllocationResult.self, from: file(FileName.allocation))
        let customers = try CustomerValues.read(contentsOf: file(FileName.customers))
        if segments.sizes.count != segments.k {
            throw .inconsistent(path: file(FileName.segments).path, reason: "k is \(segments.k) but sizes has \(segments.sizes.count) entries")
        }
        let segmented = segments.sizes.reduce(0, +)
        if segmented != customers.count {
            notes.append("\(FileName.customers) has \(customers.count) rows but the segment sizes in \(FileName.segments) add up to \(segmented).")
        }
        var sweep: AllocationResult?
        if exists(FileName.sweep) {
            sweep = try JSONFile.decode(AllocationResult.self, from: file(FileName.sweep))
        } else {
            notes.append("No \(FileName.sweep) in the run directory: the budget sweep is not shown.")
        }
        var journey: JourneyAnalysis?
        if exists(FileName.journey) {
            journey = try JSONFile.decode(JourneyAnalysis.self, from: file(FileName.journey), keys: .snakeCase)
        }
        var manifest: RunManifest?
        if exists(FileName.manifest) {
            manifest = RunManifest(data: try JSONFile.data(file(FileName.manifest)))
            if manifest == nil { notes.append("\(FileName.manifest) is not a JSON object; the run details are not shown.") }
        }
        // Response curves: the plan resolved as `capm allocate` resolves it (segments_from relative to the plan).
        var problem: AllocationProblem?
        if exists(FileName.plan) {
            do {
                problem = try AllocationProblem.load(contentsOf: file(FileName.plan))
            } catch {
                notes.append("\(FileName.plan) could not be resolved (\(error.description.replacingOccurrences(of: runDirectory.path + "/", with: ""))); response curves show the solved points only.")
            }
        } else {
            notes.append("No \(FileName.plan) in the run directory: response curves show the solved points only.")
        }
        let funded = allocation.cells
            .filter { $0.spend > 0.5 }
            .sorted { $0.spend != $1.spend ? $0.spend > $1.spend : $0.id < $1.id }
            .prefix(maxResponseCurves)
        let curves = ResponseCurve.curves(for: Array(funded), problem: problem)
        return RunReport(
            runName: runDirectory.standardizedFileURL.lastPathComponent, customers: customers, segments: segments,
            allocation: allocation, sweep: sweep, journey: journey, manifest: manifest, responseCurves: curves, notes: notes)
    }

    /// Writes ``html()`` to `url` atomically (``AtomicFile``).
    /// - Throws: ``ReportError/writeFailed(path:reason:)``.
    public func write(to url: URL) throws(ReportError) {
        do {
            try AtomicFile.write(html(), to: url)
        } catch {
            switch error {
            case .directoryMissing: throw .writeFailed(path: url.path, reason: "the folder does not exist")
            case .writeFailed(_, let reason): throw .writeFailed(path: url.path, reason: reason)
            }
        }
    }
}

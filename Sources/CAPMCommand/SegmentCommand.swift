import ArgumentParser
import CAPM
import Foundation

extension FeatureScaler.Method: ExpressibleByArgument {}
extension KMeans.DistanceKernel: ExpressibleByArgument {}
extension KMeans.Algorithm: ExpressibleByArgument {}
extension KMeans.Precision: ExpressibleByArgument {}
extension KSelection.Rule: ExpressibleByArgument {}

/// `capm segment`: k-means segmentation of customers, automatic k, CAPM segment profiles.
struct SegmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segment",
        abstract: "Segment customers with k-means and profile the segments by value and risk.",
        discussion: """
            Input: a CSV with a header (one row per customer, e.g. the output of `capm clv`) or an N × d .npy \
            matrix. Features default to every numeric column but the id. With a `clv` column (and `p_alive`), \
            segment profiles and value × risk labels are reported. With --apply MODEL (saved by --model), the \
            input's customers are assigned to the model's segments instead, without fitting. \
            See Docs/segmentation.md.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, csv, table
    }

    enum InitMethod: String, ExpressibleByArgument, CaseIterable {
        case kmeansPlusPlus = "k-means++"
        case random
    }

    @Option(help: "Customer table (.csv with header) or feature matrix (.npy).")
    var input: String

    @Option(name: [.customLong("features"), .customLong("columns")], help: "Comma-separated feature columns.")
    var features: String?

    @Option(help: "Identifier column of a CSV input (default: the first of customer_id, CustomerID, 'Customer ID', customer, ID, id in the header).")
    var idColumn: String?

    @Option(help: "Column of non-negative sample weights.")
    var weightColumn: String?

    @Option(help: "Number of segments, or 'auto' to choose over --k-range.")
    var k: String = "auto"

    @Option(help: "Candidate k for --k auto, as LOW...HIGH.")
    var kRange: String = "2...10"

    @Option(help: "Rule that picks k: silhouette, calinski-harabasz, davies-bouldin.")
    var selectionRule: KSelection.Rule = .silhouette

    @Option(name: [.customLong("scale"), .customLong("scaling")], help: "Feature scaling: zscore, robust, none.")
    var scale: FeatureScaler.Method = .zscore

    @Option(help: "Comma-separated columns passed through log1p before scaling.")
    var log1p: String?

    @Option(help: "Independent seedings; the lowest inertia is kept.")
    var restarts: Int = 1

    @Option(help: "Seeding: k-means++ or random.")
    var initMethod: InitMethod = .kmeansPlusPlus

    @Option(name: [.customLong("init"), .customLong("init-centroids")], help: "k × d initial centroids in input units: .npy, or CSV with a header naming each feature (or centroid_<feature>, as in a --format csv profile).")
    var initFile: String?

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: "Worker threads (results do not depend on it).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Lloyd iteration cap.")
    var maxIterations: Int = 300

    @Option(help: "Relative tolerance on the squared centroid shift (× mean feature variance).")
    var tolerance: Double = 1e-4

    @Option(help: "Iteration scheme: automatic, lloyd, hamerly, minibatch (approximate; --max-iterations counts epochs).")
    var algorithm: KMeans.Algorithm = .automatic

    @Option(help: "Fused-pass implementation: automatic (AVX2+FMA when the CPU has it), avx2, portable (plain C, as on a CPU without AVX2).")
    var kernel: KMeans.DistanceKernel = .automatic

    @Option(help: "Precision of the Lloyd update passes: float64, float32 (Lloyd only; half the memory traffic).")
    var precision: KMeans.Precision = .float64

    @Option(help: "Rows per step of --algorithm minibatch.")
    var batchSize: Int = 1024

    @Option(help: "Rows above which the silhouette is computed on a seeded sample.")
    var silhouetteSample: Int = 10_000

    @Flag(help: "Skip the validity indices (silhouette, Davies–Bouldin, Calinski–Harabasz) when k is given.")
    var noMetrics = false

    @Option(help: "Value threshold reference: mean, median, clv-weighted, or a number.")
    var valueReference: String = "mean"

    @Option(help: "Multiplier of the value reference.")
    var valueFactor: Double = 1

    @Option(help: "P(alive) threshold reference: mean, median, clv-weighted, or a number.")
    var aliveReference: String = "clv-weighted"

    @Option(help: "Multiplier of the P(alive) reference.")
    var aliveFactor: Double = 1

    @Option(help: "Report format on stdout: json, csv (profiles), table.")
    var format: Format = .json

    @Option(help: "Write per-customer segments (customer_id,segment[,label]) to this CSV file.")
    var output: String?

    @Option(help: "Write the report to this file instead of stdout.")
    var report: String?

    @Option(help: "Save the model (scaling, centroids, segment labels) as JSON, to assign new customers with --apply.")
    var model: String?

    @Option(help: "Assign the input's customers to the segments of a model saved with --model (no fitting).")
    var apply: String?

    func validate() throws {
        if restarts < 1 { throw ValidationError("--restarts must be at least 1") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if maxIterations < 1 { throw ValidationError("--max-iterations must be at least 1") }
        if !(tolerance >= 0) { throw ValidationError("--tolerance must be ≥ 0") }
        if k != "auto" && Int(k) == nil { throw ValidationError("--k must be a whole number or 'auto', got '\(k)'") }
        _ = try parsedRange()
        _ = try reference(valueReference, option: "--value-reference")
        _ = try reference(aliveReference, option: "--alive-reference")
        if apply != nil {
            // The model fixes k, the features' scaling and the centroids; options that would change them are errors.
            let fitting: [(String, Bool)] = [
                ("--k", k != "auto"), ("--init", initFile != nil), ("--model", model != nil),
                ("--weight-column", weightColumn != nil), ("--log1p", log1p != nil),
            ]
            if let (name, _) = fitting.first(where: { $0.1 }) {
                throw ValidationError("\(name) cannot be used with --apply: the saved model fixes the segments")
            }
        }
    }

    func parsedRange() throws -> ClosedRange<Int> {
        let parts = kRange.replacingOccurrences(of: "...", with: "-").replacingOccurrences(of: "..", with: "-")
            .split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let low = parts[0], let high = parts[1], low >= 1, low <= high else {
            throw ValidationError("--k-range must look like 2...10 (1 ≤ low ≤ high), got '\(kRange)'")
        }
        return low...high
    }

    func reference(_ text: String, option: String) throws -> LabelRule.Reference {
        switch text {
        case "mean": return .mean
        case "median": return .median
        case "clv-weighted": return .clvWeightedMean
        default:
            guard let value = Double(text), value.isFinite else {
                throw ValidationError("\(option) must be mean, median, clv-weighted or a number, got '\(text)'")
            }
            return .absolute(value)
        }
    }

    static func list(_ text: String?) -> [String]? {
        text.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }

    func run() throws {
        if let apply { return try assign(model: URL(fileURLWithPath: apply)) }
        var data = try SegmentationInput.load(
            URL(fileURLWithPath: input), features: Self.list(features), idColumn: idColumn, weightColumn: weightColumn)
        if !data.excludedConstantFeatures.isEmpty {
            FileHandle.standardError.write(Data(
                "note: constant column(s) \(data.excludedConstantFeatures.joined(separator: ", ")) left out of the features\n".utf8))
        }
        let configuration = KMeans(
            clusterCount: 1, initialization: initMethod == .random ? .random : .kMeansPlusPlus, restarts: restarts,
            maxIterations: maxIterations, tolerance: tolerance, seed: seed, threads: threads, algorithm: algorithm, kernel: kernel,
            precision: precision, miniBatchSize: batchSize)
        let initial = try initFile.map { (path) throws(SegmentationError) in
            try SegmentationInput.initialCentroids(
                URL(fileURLWithPath: path), featureNames: data.featureNames, clusterCount: Int(k))
        }
        var customers: CustomerColumns?
        if let clv = data.column("clv") {
            let others = data.numericColumns.filter { $0.name != "clv" && $0.name != "p_alive" }
            customers = CustomerColumns(clv: clv, pAlive: data.column("p_alive"), numeric: others)
        }
        let segmentation = CustomerSegmentation(
            scaling: scale, logColumns: Set(Self.list(log1p) ?? []), kMeans: configuration,
            clusterCount: Int(k).map { .fixed($0) } ?? .automatic(range: try parsedRange(), rule: selectionRule),
            silhouetteSample: silhouetteSample, computeMetrics: !noMetrics,
            labelRule: LabelRule(
                valueReference: try reference(valueReference, option: "--value-reference"), valueFactor: valueFactor,
                aliveReference: try reference(aliveReference, option: "--alive-reference"), aliveFactor: aliveFactor),
            initialCentroids: initial)
        let progress = Progress()
        // Iteration lines at most once a second, so a long fit shows it is moving without flooding the terminal.
        var throttle = ProgressThrottle()
        // Moved out of `data`, so the segmentation scales the only copy in place.
        let outcome = try segmentation.run(
            features: data.takeFeatures(), names: data.featureNames, weights: data.weights, customers: customers,
            onIteration: { step in
                if progress.enabled && throttle.admits() { progress.step(step.description) }
            },
            onFit: { k, fit in
                progress.step(
                    String(format: "k = %d fitted: inertia %.6g, %d iterations", k, fit.inertia, fit.iterations))
            }
        ) { candidate in
            progress.step(
                String(
                    format: "k = %d: inertia %.6g, silhouette %.4f, Davies–Bouldin %.4f, Calinski–Harabasz %.6g",
                    candidate.k, candidate.inertia, candidate.silhouette, candidate.daviesBouldin,
                    candidate.calinskiHarabasz))
        }
        let summary = outcome.report
        let result = outcome.result
        let scaler = outcome.scaler
        let profiles = summary.profiles

        if let output {
            try Self.writeSegments(
                to: output, ids: data, segments: result.labels, labels: profiles.map { $0.map(\.label) })
        }
        if let model {
            let fitted = try SegmentationModel(
                scaler: scaler, centroids: result.centroids, labels: profiles.map { $0.map(\.label) })
            try AtomicFile.write(try SegmentationReport.encodeJSON(fitted), to: URL(fileURLWithPath: model))
        }
        let text: String
        switch format {
        case .json: text = try summary.json()
        case .csv: text = summary.profileCSV()
        case .table: text = summary.profileTable()
        }
        try emit(text)
    }

    /// `--apply`: the input's customers assigned to a saved model's segments; the summary goes to stdout (or
    /// `--report`) in `--format`, the per-customer segments to `--output`.
    func assign(model path: URL) throws {
        let model = try SegmentationModel.read(contentsOf: path)
        let url = URL(fileURLWithPath: input)
        let names = model.scaler.names
        var data = try SegmentationInput.load(
            url, features: url.pathExtension.lowercased() == "npy" ? nil : names, idColumn: idColumn)
        if data.features.columns != names.count {
            throw SegmentationError.invalidModel(
                path: path.path,
                reason: "it reads \(names.count) features (\(names.joined(separator: ", "))); \(url.path) has "
                    + "\(data.features.columns) columns")
        }
        let assignment = try model.assignment(of: data.takeFeatures(), threads: threads)
        if let output {
            try Self.writeSegments(to: output, ids: data, segments: assignment.segments, labels: assignment.labels)
        }
        let text: String
        switch format {
        case .json: text = try assignment.summaryJSON()
        case .csv: text = assignment.summaryCSV()
        case .table: text = assignment.summaryTable()
        }
        try emit(text)
    }

    /// Writes `--output` atomically: `customer_id,segment[,label]`, with the label column when any segment has a
    /// label (an unlabelled segment's customers then have an empty label field).
    static func writeSegments(
        to path: String, ids: SegmentationInput, segments: [Int32], labels: [SegmentLabel?]?
    ) throws {
        let labelled = labels?.contains { $0 != nil } == true
        try AtomicFile.write(to: URL(fileURLWithPath: path)) { writer in
            try writer.write(labelled ? "customer_id,segment,label\n" : "customer_id,segment\n")
            for (i, segment) in segments.enumerated() {
                let line = "\(csvField(ids.id(i))),\(segment)"
                try writer.write(labelled ? line + ",\(labels?[Int(segment)]?.rawValue ?? "")\n" : line + "\n")
            }
        }
    }

    /// The report text to `--report` (atomically) or stdout.
    func emit(_ text: String) throws {
        if let report {
            try AtomicFile.write(text, to: URL(fileURLWithPath: report))
        } else {
            print(text, terminator: "")
        }
    }

    static func csvField(_ text: String) -> String {
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }
}

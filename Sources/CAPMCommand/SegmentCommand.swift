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
            segment profiles and value × risk labels are reported. See Docs/segmentation.md.
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

    @Option(help: "Identifier column of a CSV input.")
    var idColumn: String = "customer_id"

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

    @Option(name: [.customLong("init"), .customLong("init-centroids")], help: "k × d initial centroids (.npy, input units).")
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

    @Option(help: "Distance kernel of Lloyd passes: automatic, simd, gemm.")
    var kernel: KMeans.DistanceKernel = .automatic

    @Option(help: "Precision of the Lloyd update passes: float64, float32 (GEMM kernel only).")
    var precision: KMeans.Precision = .float64

    @Option(help: "Rows per GEMM block (tuning).")
    var blockRows: Int = 256

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

    @Option(help: "Save the model (scaling + centroids) as JSON, to assign new customers later.")
    var model: String?

    func validate() throws {
        if restarts < 1 { throw ValidationError("--restarts must be at least 1") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if maxIterations < 1 { throw ValidationError("--max-iterations must be at least 1") }
        if !(tolerance >= 0) { throw ValidationError("--tolerance must be ≥ 0") }
        if k != "auto" && Int(k) == nil { throw ValidationError("--k must be a whole number or 'auto', got '\(k)'") }
        _ = try parsedRange()
        _ = try reference(valueReference, option: "--value-reference")
        _ = try reference(aliveReference, option: "--alive-reference")
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
        let data = try SegmentationInput.load(
            URL(fileURLWithPath: input), features: Self.list(features), idColumn: idColumn, weightColumn: weightColumn)
        if !data.excludedConstantFeatures.isEmpty {
            FileHandle.standardError.write(Data(
                "note: constant column(s) \(data.excludedConstantFeatures.joined(separator: ", ")) left out of the features\n".utf8))
        }
        let scaler = try FeatureScaler.fit(
            data.features, names: data.featureNames, method: scale, logColumns: Set(Self.list(log1p) ?? []))
        let scaled = try scaler.transform(data.features)
        var configuration = KMeans(
            clusterCount: 1, initialization: initMethod == .random ? .random : .kMeansPlusPlus, restarts: restarts,
            maxIterations: maxIterations, tolerance: tolerance, seed: seed, threads: threads, algorithm: algorithm, kernel: kernel,
            blockRows: blockRows, precision: precision, miniBatchSize: batchSize)
        var fixedK = Int(k)
        if let initFile {
            let array = try NumPyArray.read(contentsOf: URL(fileURLWithPath: initFile))
            let rows = array.shape.first ?? 0
            let columns = array.shape.count == 2 ? array.shape[1] : (array.shape.count == 1 ? 1 : 0)
            if array.shape.count != 2 || columns != data.features.columns || (fixedK.map { $0 != rows } ?? false) {
                throw SegmentationError.initialCentroidsShape(
                    expectedRows: fixedK ?? rows, expectedColumns: data.features.columns, rows: rows, columns: columns)
            }
            let raw = try FeatureMatrix(rows: rows, columns: columns, elements: array.elements)
            configuration.initialization = .centroids(try scaler.transform(raw))
            fixedK = rows
        }
        let result: KMeansResult
        var metrics: KSelection.Candidate?
        var selection: SegmentationReport.Selection?
        if let fixedK {
            configuration.clusterCount = fixedK
            result = try configuration.fit(scaled, weights: data.weights)
            if !noMetrics && fixedK >= 2 && result.sizes.filter({ $0 > 0 }).count >= 2 {
                metrics = KSelection.Candidate(
                    k: fixedK, inertia: result.inertia,
                    silhouette: try ClusterMetrics.silhouette(
                        scaled, labels: result.labels, clusterCount: fixedK, sampleSize: silhouetteSample, seed: seed,
                        threads: threads),
                    daviesBouldin: try ClusterMetrics.daviesBouldin(scaled, labels: result.labels, clusterCount: fixedK),
                    calinskiHarabasz: try ClusterMetrics.calinskiHarabasz(
                        scaled, labels: result.labels, clusterCount: fixedK),
                    iterations: result.iterations, converged: result.converged)
            }
        } else {
            let progress = Progress()
            let outcome = try KSelection(
                kMeans: configuration, range: try parsedRange(), rule: selectionRule, silhouetteSample: silhouetteSample
            ).run(scaled, weights: data.weights) { candidate in
                progress.step(
                    String(
                        format: "k = %d: inertia %.6g, silhouette %.4f, Davies–Bouldin %.4f, Calinski–Harabasz %.6g",
                        candidate.k, candidate.inertia, candidate.silhouette, candidate.daviesBouldin,
                        candidate.calinskiHarabasz))
            }
            result = outcome.result
            configuration.clusterCount = outcome.chosenK
            metrics = outcome.candidates.first { $0.k == outcome.chosenK }
            selection = .init(rule: selectionRule, candidates: outcome.candidates)
        }
        let k = configuration.clusterCount
        var profiles: [SegmentProfile]?
        if let clv = data.column("clv") {
            let rule = LabelRule(
                valueReference: try reference(valueReference, option: "--value-reference"), valueFactor: valueFactor,
                aliveReference: try reference(aliveReference, option: "--alive-reference"), aliveFactor: aliveFactor)
            let others = data.numericColumns.filter { $0.name != "clv" && $0.name != "p_alive" }
            profiles = try SegmentProfile.profiles(
                labels: result.labels, clusterCount: k,
                customers: CustomerColumns(clv: clv, pAlive: data.column("p_alive"), numeric: others), rule: rule)
        }
        let summary = try SegmentationReport(
            result: result, configuration: configuration, scaler: scaler, metrics: metrics, selection: selection,
            profiles: profiles)

        if let output {
            let labels = profiles?.map { $0.label?.rawValue }
            try AtomicFile.write(to: URL(fileURLWithPath: output)) { writer in
                try writer.write(labels?.contains { $0 != nil } == true ? "customer_id,segment,label\n" : "customer_id,segment\n")
                for i in 0..<data.features.rows {
                    let id = data.id(i)
                    let segment = Int(result.labels[i])
                    if let label = labels?[segment] ?? nil {
                        try writer.write("\(Self.csvField(id)),\(segment),\(label)\n")
                    } else {
                        try writer.write("\(Self.csvField(id)),\(segment)\n")
                    }
                }
            }
        }
        if let model {
            let fitted = try SegmentationModel(scaler: scaler, centroids: result.centroids)
            try AtomicFile.write(try Self.json(fitted), to: URL(fileURLWithPath: model))
        }
        let text: String
        switch format {
        case .json: text = String(decoding: try Self.json(summary), as: UTF8.self) + "\n"
        case .csv: text = Self.profileCSV(summary)
        case .table: text = Self.profileTable(summary)
        }
        if let report {
            try AtomicFile.write(text, to: URL(fileURLWithPath: report))
        } else {
            print(text, terminator: "")
        }
    }

    static func json<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(value)
    }

    static func csvField(_ text: String) -> String {
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }

    /// One row per segment: size, centroid (input units) and, with profiles, the CAPM columns.
    static func profileCSV(_ report: SegmentationReport) -> String {
        var header = ["segment", "size"] + report.features.map { "centroid_\($0)" }
        let profiles = report.profiles
        if let first = profiles?.first {
            header += ["label", "customer_share", "clv_share", "mean_clv", "median_clv", "total_clv", "mean_p_alive"]
            header += first.means.map { "mean_\($0.name)" }
        }
        var lines = [header.map(csvField).joined(separator: ",")]
        for c in 0..<report.k {
            var fields = ["\(c)", "\(report.sizes[c])"] + report.centroids[c].map { "\($0)" }
            if let p = profiles?[c] {
                fields += [
                    p.label?.rawValue ?? "", "\(p.customerShare)", "\(p.clvShare)", "\(p.meanCLV)", "\(p.medianCLV)",
                    "\(p.totalCLV)", p.meanPAlive.map { "\($0)" } ?? "",
                ]
                fields += p.means.map { "\($0.value)" }
            }
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A human-readable summary.
    static func profileTable(_ report: SegmentationReport) -> String {
        func f(_ x: Double) -> String { String(format: "%.4g", x) }
        var out = "k = \(report.k), inertia = \(f(report.inertia)), iterations = \(report.iterations)"
        out += report.converged ? " (converged: \(report.convergence.rawValue))\n" : " (not converged)\n"
        if let m = report.metrics {
            out += "silhouette \(f(m.silhouette)), Davies–Bouldin \(f(m.daviesBouldin)), "
            out += "Calinski–Harabasz \(f(m.calinskiHarabasz))\n"
        }
        let cells = profileCSV(report).split(separator: "\n").map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map { field in
                Double(field).map(f) ?? String(field)
            }
        }
        let widths = (0..<(cells.first?.count ?? 0)).map { j in cells.map { j < $0.count ? $0[j].count : 0 }.max() ?? 0 }
        for row in cells {
            out += row.enumerated().map { j, cell in
                cell.padding(toLength: max(widths[j], cell.count), withPad: " ", startingAt: 0)
            }.joined(separator: "  ") + "\n"
        }
        return out
    }
}

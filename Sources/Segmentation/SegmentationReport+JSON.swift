import Foundation

/// The renderings of a ``SegmentationReport`` that `capm segment` prints and `capm run` writes: JSON (sorted keys,
/// non-finite numbers as the strings `inf`, `-inf`, `nan`), a profile CSV and a human-readable table. One code path
/// for the command line and the library.
extension SegmentationReport {
    /// The encoder behind ``json()``: pretty-printed, sorted keys, non-finite numbers as strings.
    public static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// `value` encoded by ``jsonEncoder()`` (used for the report and for a saved ``SegmentationModel``).
    ///
    /// - Throws: ``SegmentationError/invalidParameter(name:value:reason:)`` when the encoder fails.
    public static func encodeJSON<T: Encodable>(_ value: T) throws(SegmentationError) -> Data {
        do { return try jsonEncoder().encode(value) } catch {
            throw .invalidParameter(name: "JSON output", value: "\(T.self)", reason: "\(error)")
        }
    }

    /// The report as `capm segment --format json` prints it (with a final newline).
    ///
    /// - Throws: ``SegmentationError/invalidParameter(name:value:reason:)`` when the encoder fails.
    public func json() throws(SegmentationError) -> String {
        String(decoding: try Self.encodeJSON(self), as: UTF8.self) + "\n"
    }

    /// The same report without the fields that vary between identical runs: the wall-clock times
    /// (``RunInfo/seedingSeconds`` = 0, ``RunInfo/iterationSeconds`` = ``RunInfo/iterationCPUSeconds`` = []) and the
    /// worker count (``RunInfo/threads`` = 0; results do not depend on it). Identical runs then give byte-identical files.
    public var reproducible: SegmentationReport {
        var copy = self
        copy.run.seedingSeconds = 0
        copy.run.iterationSeconds = []
        copy.run.iterationCPUSeconds = []
        copy.run.threads = 0
        return copy
    }

    /// A CSV field: quoted (with `"` doubled) when it holds a comma, quote or line break.
    static func csvField(_ text: String) -> String {
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }

    /// One row per segment: size, centroid (input units) and, with profiles, the CAPM columns
    /// (`capm segment --format csv`).
    public func profileCSV() -> String {
        var header = ["segment", "size"] + features.map { "centroid_\($0)" }
        if let first = profiles?.first {
            header += ["label", "customer_share", "clv_share", "mean_clv", "median_clv", "total_clv", "mean_p_alive"]
            header += first.means.map { "mean_\($0.name)" }
        }
        var lines = [header.map(Self.csvField).joined(separator: ",")]
        for c in 0..<k {
            var fields = ["\(c)", "\(sizes[c])"] + centroids[c].map { "\($0)" }
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

    /// A human-readable summary (`capm segment --format table`): k, inertia, convergence and validity indices, then
    /// up to three aligned tables, one row per segment —
    /// - *profiles* (with CAPM profiles): label, size, customer and CLV shares (in %), mean, median and total CLV,
    ///   mean P(alive);
    /// - *centroids (input units)*: one column per feature, headed by its name (without profiles, with the size);
    /// - *means*: with profiles, the arithmetic means of the numeric columns the centroids do not show — columns
    ///   that are not features, and `log1p` features, whose centroid expm1(mean log1p x) is not their mean.
    ///
    /// The rows are built from the values, not from ``profileCSV()``, so a feature name holding a comma stays one
    /// column.
    public func profileTable() -> String {
        let f = TextTable.number
        var out = "k = \(k), inertia = \(f(inertia)), iterations = \(iterations)"
        out += converged ? " (converged: \(convergence.rawValue))\n" : " (not converged)\n"
        if let m = metrics {
            out += "silhouette \(f(m.silhouette)), Davies–Bouldin \(f(m.daviesBouldin)), "
            out += "Calinski–Harabasz \(f(m.calinskiHarabasz))\n"
        }
        if let profiles {
            let header = [
                "segment", "label", "size", "customer_share", "clv_share", "mean_clv", "median_clv", "total_clv",
                "mean_p_alive",
            ]
            let rows = profiles.map { p in
                [
                    "\(p.segment)", p.label?.rawValue ?? "-", "\(p.size)", TextTable.percent(p.customerShare),
                    TextTable.percent(p.clvShare), f(p.meanCLV), f(p.medianCLV), f(p.totalCLV), p.meanPAlive.map(f) ?? "-",
                ]
            }
            out += "\nprofiles\n" + TextTable.aligned(header: header, rows: rows)
        }
        // A centroid coordinate below 1e-12 of its column's largest is shown as 0: centroids are computed in centred
        // coordinates, so a cluster whose rows all hold 0 comes back as 0 ± a few ulps of the column mean (-2e-14).
        let d = features.count
        let scale = (0..<d).map { j in centroids.map { abs($0[j]) }.max() ?? 0 }
        let withSize = profiles == nil
        let centroidRows = (0..<k).map { c in
            ["\(c)"] + (withSize ? ["\(sizes[c])"] : [])
                + (0..<d).map { j in abs(centroids[c][j]) < 1e-12 * scale[j] ? f(0) : f(centroids[c][j]) }
        }
        out += "\ncentroids (input units)\n"
        out += TextTable.aligned(header: ["segment"] + (withSize ? ["size"] : []) + features, rows: centroidRows)
        if let profiles, let first = profiles.first {
            let logged = zip(features, scaling.log1p).filter { $0.1 }.map { $0.0 }
            let shown = Set(features).subtracting(logged)
            let columns = first.means.indices.filter { !shown.contains(first.means[$0].name) }
            if !columns.isEmpty {
                let rows = profiles.map { p in ["\(p.segment)"] + columns.map { f(p.means[$0].value) } }
                out += "\nmeans (columns not shown as centroids: non-features and log1p features)\n"
                out += TextTable.aligned(header: ["segment"] + columns.map { first.means[$0].name }, rows: rows)
            }
        }
        return out
    }
}

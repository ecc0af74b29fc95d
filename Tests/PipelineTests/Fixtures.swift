import CAPMData
import Foundation
import Testing

@testable import Pipeline

/// Paths of the repository's examples and the shared reference data, and scratch directories.
enum Fixtures {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Examples/<name>`.
    static func example(_ name: String) -> URL { repositoryRoot.appendingPathComponent("Examples/\(name)") }

    /// `<repo>/../shared/data/cdnow/<name>`; fails (does not skip) when missing.
    static func cdnow(_ name: String) throws -> URL {
        let url = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data/cdnow/\(name)")
        try #require(FileManager.default.fileExists(atPath: url.path), "reference data missing: \(url.path)")
        return url
    }

    /// A fresh empty directory under the temporary directory.
    static func scratch(_ tag: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("capm-pipeline-\(tag)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The read options of CDNOW_sample.txt (no header; the sample id is the summary's ID).
    static let cdnowSampleOptions = TransactionLog.ReadOptions(
        customerColumn: "sample_id", dateColumn: "date", amountColumn: "dollar_value",
        format: CSVFormat(
            delimiter: .whitespace, hasHeader: false,
            columnNames: ["master_id", "sample_id", "date", "number_of_cds", "dollar_value"]))

    /// 1997-09-30, the end of the CDNOW calibration period, in days since 1970-01-01.
    static let cdnowCalibrationEnd = Int32(CivilDate.daysFromCivil(year: 1997, month: 9, day: 30))

    /// A small, fast run on the bundled example (5,000 customers): fixed k, small silhouette sample.
    static func exampleRun(output: URL?, k: Int = 3, threads: Int = 2) -> SegmentRun {
        var run = SegmentRun(
            input: .transactions(example("transactions.csv")), plan: .file(example("plan.yaml")), budget: 250_000,
            outputDirectory: output)
        run.clusterCount = .fixed(k)
        run.silhouetteSample = 500
        run.threads = threads
        run.sweep = SegmentRun.Sweep(fromFactor: 0.5, toFactor: 1.5, steps: 5)
        return run
    }

    /// The files of a directory with their bytes.
    static func contents(_ directory: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            out[name] = try Data(contentsOf: directory.appendingPathComponent(name))
        }
        return out
    }
}

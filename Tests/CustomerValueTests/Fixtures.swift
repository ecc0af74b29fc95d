import CAPMData
import Foundation
import Testing

@testable import CustomerValue

/// Locates the shared reference data: `<repo>/../shared/data/cdnow/`. Fails (does not skip) when missing.
enum Fixtures {
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func cdnow(_ name: String) throws -> URL {
        let url = repositoryRoot.deletingLastPathComponent()
            .appendingPathComponent("shared/data/cdnow/\(name)")
        try #require(
            FileManager.default.fileExists(atPath: url.path),
            "reference data missing: \(url.path) (clone the repository with shared/ beside it)")
        return url
    }

    /// The CDNOW calibration summary with spend (ID,x,t_x,T,zbar), 2,357 customers.
    static func cdnowSummary() throws -> CustomerSummary {
        try CustomerSummary.read(contentsOf: try cdnow("cdnow_customers_summary_with_transactions.csv"))
    }

    /// The 1/10 CDNOW sample's transactions, keyed by the sample id (the summary's ID).
    static func cdnowSampleLog() throws -> TransactionLog {
        try TransactionLog.read(
            contentsOf: try cdnow("CDNOW_sample.txt"),
            options: .init(
                customerColumn: "sample_id", dateColumn: "date", amountColumn: "dollar_value",
                format: CSVFormat(
                    delimiter: .whitespace, hasHeader: false,
                    columnNames: ["master_id", "sample_id", "date", "number_of_cds", "dollar_value"])))
    }

    /// Days since 1970-01-01 of a calendar date.
    static func day(_ y: Int, _ m: Int, _ d: Int) -> Int32 {
        var c = DateComponents()
        (c.year, c.month, c.day) = (y, m, d)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let date = calendar.date(from: c) ?? Date(timeIntervalSince1970: 0)
        return Int32((date.timeIntervalSince1970 / 86_400).rounded())
    }

    static let calibrationEnd = day(1997, 9, 30)
    static let observationEnd = day(1998, 6, 30)
}

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
}

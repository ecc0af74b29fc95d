import Foundation

/// The committed run directory (regenerate with Fixtures/make-fixture.sh) and scratch copies of it.
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/run-small")

    /// A fresh copy of the fixture in a temporary folder (removed by the caller).
    static func copy() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capm-report-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: directory, to: dir)
        return dir
    }

    /// A JSON file of the fixture as a dictionary.
    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }
}

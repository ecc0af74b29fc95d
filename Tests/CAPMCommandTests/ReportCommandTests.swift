import CAPM
import Foundation
import Testing

@testable import CAPMCommand

@Suite("capm report")
struct ReportCommandTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../ReportTests/Fixtures/run-small").standardizedFileURL

    func copyFixture() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capm-report-cmd-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.fixture, to: dir)
        return dir
    }

    @Test("parses --run and --output; --run is required")
    func parsing() throws {
        let c = try #require(try CAPMTool.parseAsRoot(["report", "--run", "out", "--output", "r.html"]) as? ReportCommand)
        #expect(c.runDirectory == "out" && c.output == "r.html")
        let d = try #require(try CAPMTool.parseAsRoot(["report", "--run", "out"]) as? ReportCommand)
        #expect(d.output == nil)
        #expect(throws: (any Error).self) { try CAPMTool.parseAsRoot(["report"]) }
    }

    @Test("writes RUN/report.html by default, the same bytes as the library")
    func defaultOutput() throws {
        let dir = try copyFixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = try #require(try CAPMTool.parseAsRoot(["report", "--run", dir.path]) as? ReportCommand)
        try c.run()
        let written = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(written.hasPrefix("<!DOCTYPE html>"))
        #expect(written == (try RunReport.load(runDirectory: dir)).html())
    }

    @Test("--output elsewhere; a missing allocation.json fails with a one-line error naming it")
    func outputAndError() throws {
        let dir = try copyFixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("elsewhere.html")
        try (try #require(try CAPMTool.parseAsRoot(["report", "--run", dir.path, "--output", out.path]) as? ReportCommand)).run()
        #expect(FileManager.default.fileExists(atPath: out.path))
        try FileManager.default.removeItem(at: dir.appendingPathComponent("allocation.json"))
        let c = try #require(try CAPMTool.parseAsRoot(["report", "--run", dir.path, "--output", out.path]) as? ReportCommand)
        let error = try #require(throws: ReportError.self) { try c.run() }
        #expect(error.description.hasSuffix("allocation.json: no such file (needed for the report)"))
        #expect(!error.description.contains("\n"))
    }
}

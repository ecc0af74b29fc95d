import ArgumentParser
import CAPM
import Foundation
import Testing

@testable import CAPMCommand

@Suite("capm clv")
struct CLVCommandTests {
    static let cdnow = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/cdnow")

    @Test func parsesItsOptions() throws {
        let command = try #require(
            try CAPMTool.parseAsRoot([
                "clv", "--summary", "s.csv", "--model", "pareto", "--spend", "gamma-gamma", "--horizon", "26",
                "--discount-rate", "0.01", "--margin", "0.3", "--time-unit", "month", "--format", "json",
            ]) as? CLVCommand)
        #expect(command.model == .pareto && command.spend == .gammaGamma && command.horizon == 26)
        #expect(command.discountRate == 0.01 && command.margin == 0.3 && command.timeUnit == .month && command.format == .json)
    }

    @Test func needsExactlyOneInput() {
        #expect(throws: (any Error).self) { try CAPMTool.parseAsRoot(["clv"]) }
        #expect(throws: (any Error).self) { try CAPMTool.parseAsRoot(["clv", "--summary", "a", "--transactions", "b"]) }
        #expect(throws: (any Error).self) { try CAPMTool.parseAsRoot(["clv", "--summary", "a", "--model", "nbd"]) }
        #expect(throws: (any Error).self) { try CAPMTool.parseAsRoot(["clv", "--summary", "a", "--calibration-end", "1997-09-30"]) }
    }

    /// The transaction path end to end: CDNOW sample → summary at 1997-09-30 → BG/NBD + Gamma-Gamma → CSV with
    /// one row per customer, the published estimates' P(alive) for customer 1 (x 2, tₓ 30.43, T 38.86).
    @Test func writesPredictionsFromTransactions() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capm-clv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let sample = Self.cdnow.appendingPathComponent("CDNOW_sample.txt")
        try #require(FileManager.default.fileExists(atPath: sample.path), "missing \(sample.path)")
        // CDNOW_sample.txt has no header: write one with the sample id as customer.
        let text = try String(contentsOf: sample, encoding: .utf8)
        let input = dir.appendingPathComponent("tx.txt")
        try ("master sample_id date cds amount\n" + text).write(to: input, atomically: true, encoding: .utf8)
        let output = dir.appendingPathComponent("clv.csv")
        let command = try #require(
            try CAPMTool.parseAsRoot([
                "clv", "--transactions", input.path, "--delimiter", "whitespace", "--customer-column", "sample_id",
                "--observation-end", "1997-09-30", "--spend", "gamma-gamma", "--horizon", "52", "--discount-rate", "0.01",
                "--discount-period", "4.345", "--output", output.path,
            ]) as? CLVCommand)
        try command.run()
        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2358)
        #expect(lines[0] == "customer_id,frequency,recency,T,monetary_value,expected_purchases,p_alive,expected_spend,clv")
        let first = try #require(lines.first { $0.hasPrefix("0001,") }).split(separator: ",")
        #expect(first[1] == "2")
        let pAlive = try #require(Double(first[6]))
        let model = BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
        #expect(abs(pAlive - model.probabilityAlive(frequency: 2, recency: 213.0 / 7, age: 272.0 / 7)) < 1e-3)
    }

    @Test func inconsistentSummaryFailsWithOneLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capm-clv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("s.csv")
        try "customer_id,frequency,recency,T\nc7,2,40,30\n".write(to: file, atomically: true, encoding: .utf8)
        let command = try #require(try CAPMTool.parseAsRoot(["clv", "--summary", file.path]) as? CLVCommand)
        let error = try #require(throws: CustomerValueError.self) { try command.run() }
        #expect(error.description == "customer c7: recency 40.0 exceeds T 30.0")
    }

    @Test func gammaGammaWithoutRepeatBuyersIsATypedError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capm-clv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("s.csv")
        var rows = "customer_id,frequency,recency,T,monetary_value\n"
        for i in 0..<50 { rows += "c\(i),0,0,\(10 + i % 7),0\n" }
        try rows.write(to: file, atomically: true, encoding: .utf8)
        let command = try #require(
            try CAPMTool.parseAsRoot(["clv", "--summary", file.path, "--spend", "gamma-gamma", "--format", "json"]) as? CLVCommand)
        let error = try #require(throws: CustomerValueError.self) { try command.run() }
        #expect(error.description == "gamma-gamma: no repeat buyers with a positive mean spend")
    }

    @Test func shiftedBetaGeometricCohortReproducesPublishedFit() throws {
        let file = Self.cdnow.appendingPathComponent("sbg_survival.csv")
        try #require(FileManager.default.fileExists(atPath: file.path), "missing \(file.path)")
        let command = try #require(
            try CAPMTool.parseAsRoot([
                "clv", "--model", "sbg", "--survival", file.path, "--survival-column", "high_end_pct_alive",
                "--calibration-periods", "7", "--format", "json",
            ]) as? CLVCommand)
        try command.run()
        var bad = try #require(
            try CAPMTool.parseAsRoot(["clv", "--model", "sbg", "--survival", file.path, "--discount-rate=-2"]) as? CLVCommand)
        #expect(throws: ValidationError.self) { try bad.run() }
        bad = try #require(
            try CAPMTool.parseAsRoot(["clv", "--model", "sbg", "--survival", file.path, "--horizon", "1e300"]) as? CLVCommand)
        #expect(throws: ValidationError.self) { try bad.run() }
    }
}

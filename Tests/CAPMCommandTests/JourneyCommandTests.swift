import ArgumentParser
import CAPM
import Foundation
import Testing

@testable import CAPMCommand

@Suite("capm journey")
struct JourneyCommandTests {
    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capm-journey-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func parsesItsOptions() throws {
        let command = try #require(
            try CAPMTool.parseAsRoot([
                "journey", "--events", "j.csv", "--clv", "c.csv", "--segments", "s.csv", "--recovery", "0.4",
                "--score-scale", "5", "--missing-clv", "zero", "--format", "json", "--output", "o.json",
            ]) as? JourneyCommand)
        #expect(command.events == "j.csv" && command.clv == "c.csv" && command.segments == "s.csv")
        #expect(command.recovery == 0.4 && command.scoreScale == 5 && command.format == .json && command.output == "o.json")
        #expect(try command.missingValue() == .zero)
        let generate = try #require(
            try CAPMTool.parseAsRoot([
                "generate", "--customers", "10", "--output", "t.csv", "--journey-output", "j.csv", "--prospects", "5",
            ]) as? GenerateCommand)
        #expect(generate.journeyOutput == "j.csv" && generate.prospects == 5)
    }

    @Test(arguments: [
        ["journey", "--events", "j.csv"],
        ["journey", "--events", "j.csv", "--clv", "c.csv", "--recovery", "1.5"],
        ["journey", "--events", "j.csv", "--clv", "c.csv", "--score-scale", "0"],
        ["journey", "--events", "j.csv", "--clv", "c.csv", "--missing-clv", "median"],
        ["generate", "--customers", "10", "--output", "t.csv", "--prospects", "5"],
        ["generate", "--customers", "10", "--output", "t.csv", "--journey-output", "j.csv", "--prospects", "-1"],
    ])
    func rejectsBadArguments(_ arguments: [String]) {
        #expect(throws: (any Error).self) { try CAPMTool.parseAsRoot(arguments) }
    }

    /// generate (transactions + journey) → a value file → journey as JSON and as a table.
    @Test func generatedJourneyEndToEnd() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let tx = dir.appendingPathComponent("tx.csv").path, journey = dir.appendingPathComponent("journey.csv").path
        let generate = try #require(
            try CAPMTool.parseAsRoot([
                "generate", "--customers", "400", "--seed", "3", "--output", tx, "--journey-output", journey,
                "--prospects", "250",
            ]) as? GenerateCommand)
        try generate.run()
        // Values: 10 per purchase, for every customer but the first (which must then be reported as missing).
        let log = try TransactionLog.read(contentsOf: URL(fileURLWithPath: tx))
        var purchases = [Int](repeating: 0, count: log.customerCount)
        for c in log.customer { purchases[Int(c)] += 1 }
        var clvText = "customer_id,clv\n"
        for c in 1..<log.customerCount { clvText += "\(log.customerIDs[c]),\(10 * purchases[c])\n" }
        let clv = dir.appendingPathComponent("clv.csv")
        try clvText.write(to: clv, atomically: true, encoding: .utf8)

        let json = dir.appendingPathComponent("journey.json").path
        let command = try #require(
            try CAPMTool.parseAsRoot([
                "journey", "--events", journey, "--clv", clv.path, "--format", "json", "--output", json, "--recovery", "0.5",
            ]) as? JourneyCommand)
        try command.run()
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let coverage = try #require(object["coverage"] as? [String: Any])
        #expect(coverage["journey_customers"] as? Int == 650)
        #expect(coverage["missing_value"] as? Int == 251)
        #expect(coverage["missing_value_reached_purchase"] as? Int == 1)
        #expect(coverage["missing_value_prospects"] as? Int == 250)
        let moments = try #require(object["moments"] as? [[String: Any]])
        #expect(moments.count == JourneySimulator.catalogue.count)
        let stakes = moments.compactMap { $0["value_at_stake"] as? Double }
        #expect(stakes.count == moments.count && stakes == stakes.sorted(by: >))
        for moment in moments {
            let stake = try #require(moment["value_at_stake"] as? Double)
            let factor = try #require(moment["gap_factor"] as? Double)
            let uplift = try #require(moment["suggested_max_uplift"] as? Double)
            #expect(abs(uplift - max(0, stake) * 0.5 * factor) <= 1e-9 * max(1, stake))
        }
        let stages = try #require(object["stages"] as? [[String: Any]])
        #expect(stages.map { $0["stage"] as? String } == ["awareness", "consideration", "decision", "purchase", "post_purchase"])

        let table = dir.appendingPathComponent("journey.txt").path
        let tableCommand = try #require(
            try CAPMTool.parseAsRoot(["journey", "--events", journey, "--clv", clv.path, "--output", table, "--top", "3"])
                as? JourneyCommand)
        try tableCommand.run()
        let text = try String(contentsOfFile: table, encoding: .utf8)
        #expect(text.contains("funnel") && text.contains("moments of truth by value at stake (top 3 of 11)"))
    }

    @Test func badEventFileIsOneLineError() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let events = dir.appendingPathComponent("j.csv"), clv = dir.appendingPathComponent("c.csv")
        try "customer_id,stage,touchpoint,date\nA,awareness,ad,2024-01-01\nA,buying,shop,2024-01-02\n".write(
            to: events, atomically: true, encoding: .utf8)
        try "customer_id,clv\nA,1\n".write(to: clv, atomically: true, encoding: .utf8)
        let command = try #require(
            try CAPMTool.parseAsRoot(["journey", "--events", events.path, "--clv", clv.path]) as? JourneyCommand)
        let error = try #require(throws: JourneyError.self) { try command.run() }
        #expect(error.description.hasPrefix("\(events.path):3:2: column 'stage': 'buying' is not a journey stage"))
    }
}

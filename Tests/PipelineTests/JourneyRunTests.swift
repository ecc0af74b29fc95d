import CAPMData
import Foundation
import Journey
import Testing

@testable import Pipeline

@Suite("Segment run: journey analytics")
struct JourneyRunTests {
    /// With a journey log, journey.json is the analysis `capm journey` would print for the run's CLV and segments:
    /// the same as analysing the log with the values and segments read back from customers.csv; prospects are
    /// reported as journey customers missing from the run's customers.
    @Test func journeyJSONMatchesTheAnalysisOfTheWrittenCustomers() throws {
        let dir = try Fixtures.scratch("journey")
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = try TransactionLog.read(contentsOf: Fixtures.example("transactions.csv"))
        var firstDay = [Int32](repeating: .max, count: log.customerCount)
        var purchases = [Int](repeating: 0, count: log.customerCount)
        for t in 0..<log.count {
            let c = Int(log.customer[t])
            firstDay[c] = min(firstDay[c], log.day[t])
            purchases[c] += 1
        }
        let events = try JourneySimulator().simulate(
            customerIDs: log.customerIDs, firstPurchaseDay: firstDay, purchaseCount: purchases, prospects: 300, seed: 5)
        let journey = dir.appendingPathComponent("journey.csv")
        try events.write(to: journey)
        var run = Fixtures.exampleRun(output: dir.appendingPathComponent("out"))
        run.journey = journey
        let result = try run.run()
        let analysis = try #require(result.journey)
        #expect(analysis.coverage.missingValue == 300)
        let customers = dir.appendingPathComponent("out/customers.csv")
        let reread = try JourneyAnalysis.analyze(
            try JourneyLog.read(contentsOf: journey), values: try JourneyInputs.readValues(contentsOf: customers),
            segments: try JourneyInputs.readSegments(contentsOf: customers))
        let written = try String(contentsOf: dir.appendingPathComponent("out/journey.json"), encoding: .utf8)
        #expect(written == (try reread.json()))
        let manifest = try JSONDecoder.snake.decode(
            RunManifest.self, from: Data(contentsOf: dir.appendingPathComponent("out/run.json")))
        #expect(manifest.counts.journeyCustomersWithoutValue == 300)
        #expect(manifest.inputs.map(\.role) == ["transactions", "journey", "plan"])
        #expect(manifest.counts.journeySkippedRows == 0)

        // A bad journey row stops the run at step journey with its line; with skipping it is counted in run.json.
        var text = try String(contentsOf: journey, encoding: .utf8)
        text += "C0001,somewhere,search_ad,1997-02-01,,,\n"
        try text.write(to: journey, atomically: true, encoding: .utf8)
        let badLine = text.split(separator: "\n").count
        let error = try #require(throws: PipelineError.self) { try run.run() }
        #expect(error.step == .journey)
        #expect(error.description.contains(":\(badLine):2:"))
        run.skipBadRows = true
        let skipping = try run.run()
        #expect(skipping.journey == result.journey)
        #expect(skipping.journeySkippedRows.total == 1)
        #expect(skipping.journeySkippedRows.reasons.first?.firstLine == badLine)
        let counted = try JSONDecoder.snake.decode(
            RunManifest.self, from: Data(contentsOf: dir.appendingPathComponent("out/run.json")))
        #expect(counted.counts.journeySkippedRows == 1)
    }
}

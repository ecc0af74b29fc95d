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
    }
}

import ArgumentParser
import CAPM
import Foundation
import Testing

@testable import CAPMCommand

@Suite("capm run")
struct RunCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let transactions = root.appendingPathComponent("Examples/transactions.csv").path
    static let plan = root.appendingPathComponent("Examples/plan.yaml").path

    @Test func parsesEveryOptionIntoTheLibraryConfiguration() throws {
        let command = try #require(
            try CAPMTool.parseAsRoot([
                "run", "--transactions", "tx.txt", "--delimiter", "whitespace", "--customer-column", "id",
                "--date-column", "d", "--amount-column", "v", "--observation-end", "1997-09-30", "--skip-bad-rows",
                "--attributes", "a.csv", "--attributes-id-column", "cid", "--journey", "j.csv", "--budget", "1000",
                "--plan", "p.yaml", "--k", "5", "--model", "pareto", "--spend", "observed", "--time-unit", "day",
                "--horizon", "90", "--discount-rate", "0.01", "--discount-period", "30", "--margin", "0.3", "--seed",
                "7", "--restarts", "2", "--threads", "1", "--silhouette-sample", "300", "--sweep", "0.5:1.5:3",
                "--output-dir", "out", "--format", "json",
            ]) as? RunCommand)
        let run = try command.makeRun()
        guard case .transactions(let url, let options) = run.input else {
            Issue.record("expected a transactions input")
            return
        }
        #expect(url.lastPathComponent == "tx.txt")
        #expect(options.customerColumn == "id" && options.dateColumn == "d" && options.amountColumn == "v")
        #expect(options.format.delimiter == .whitespace)
        #expect(run.observationEnd == Int32(CivilDate.daysFromCivil(year: 1997, month: 9, day: 30)))
        #expect(run.skipBadRows && run.attributes?.lastPathComponent == "a.csv" && run.attributesIDColumn == "cid")
        #expect(run.journey?.lastPathComponent == "j.csv" && run.budget == 1000 && run.plan == .file(URL(fileURLWithPath: "p.yaml")))
        #expect(run.clusterCount == .fixed(5) && run.model == .paretoNBD && run.spend == .observed && run.timeUnit == .day)
        #expect(run.horizon == 90 && run.discountRate == 0.01 && run.discountPeriod == 30 && run.margin == 0.3)
        #expect(run.seed == 7 && run.restarts == 2 && run.threads == 1 && run.silhouetteSample == 300)
        #expect(run.sweep == SegmentRun.Sweep(fromFactor: 0.5, toFactor: 1.5, steps: 3))
        #expect(run.outputDirectory?.lastPathComponent == "out" && command.format == .json)
    }

    @Test func reportFlagWritesTheHTMLReportBesideTheOutputs() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capm-run-report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let command = try #require(
            try CAPMTool.parseAsRoot([
                "run", "--transactions", Self.transactions, "--plan", Self.plan, "--k", "3", "--budget", "250000",
                "--output-dir", dir.path, "--report", "--format", "json",
            ]) as? RunCommand)
        #expect(command.report)
        try command.run()
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        for section in ["headline", "values", "portfolio", "allocation", "constraints"] {
            #expect(html.contains("id=\"\(section)\""))
        }
        // The page shows the customer count of the run's manifest.
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("run.json")))
        #expect(manifest is [String: Any])
        #expect(html.contains("5,000"))
    }

    @Test func defaultsAreAutoKAndTheBundledPlan() throws {
        let command = try #require(
            try CAPMTool.parseAsRoot(["run", "--summary", "s.csv", "--output-dir", "o", "--plan", Self.plan]) as? RunCommand)
        let run = try command.makeRun()
        #expect(run.clusterCount == .automatic(range: 2...8, rule: .silhouette))
        #expect(run.model == .bgnbd && run.spend == .gammaGamma && run.budget == nil)
        guard case .summary = run.input else {
            Issue.record("expected a summary input")
            return
        }
    }

    @Test(arguments: [
        ["run", "--output-dir", "o"],  // no input
        ["run", "--transactions", "a", "--summary", "b", "--output-dir", "o"],  // two inputs
        ["run", "--transactions", "a"],  // no output directory
        ["run", "--transactions", "a", "--output-dir", "o", "--k", "zero"],
        ["run", "--transactions", "a", "--output-dir", "o", "--k", "0"],
        ["run", "--transactions", "a", "--output-dir", "o", "--k-range", "5...2"],
        ["run", "--transactions", "a", "--output-dir", "o", "--sweep", "2:1:5"],
        ["run", "--transactions", "a", "--output-dir", "o", "--sweep", "0.5:2:1"],
        ["run", "--transactions", "a", "--output-dir", "o", "--budget", "-5"],
        ["run", "--transactions", "a", "--output-dir", "o", "--horizon", "0"],
        ["run", "--transactions", "a", "--output-dir", "o", "--discount-rate", "-1"],
        ["run", "--transactions", "a", "--output-dir", "o", "--threads", "0"],
        ["run", "--transactions", "a", "--output-dir", "o", "--restarts", "0"],
        ["run", "--transactions", "a", "--output-dir", "o", "--observation-end", "1997-02-30"],
        ["run", "--transactions", "a", "--output-dir", "o", "--delimiter", "ab"],
        ["run", "--transactions", "a", "--output-dir", "o", "--model", "sbg"],
        ["run", "--summary", "s", "--output-dir", "o", "--skip-bad-rows"],
        ["run", "--summary", "s", "--output-dir", "o", "--observation-end", "1997-09-30"],
    ])
    func rejectsBadArguments(arguments: [String]) {
        #expect(throws: (any Error).self) { try CAPMTool.parseAsRoot(arguments) }
    }

    /// End to end through the command: the output directory holds the fixed file set; `--format json` prints
    /// run.json's content.
    @Test func writesTheOutputDirectory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capm-run-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let command = try #require(
            try CAPMTool.parseAsRoot([
                "run", "--transactions", Self.transactions, "--plan", Self.plan, "--k", "3", "--silhouette-sample",
                "300", "--sweep", "0.5:1.5:3", "--output-dir", dir.path, "--budget", "200000",
            ]) as? RunCommand)
        try command.run()
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
        #expect(names == ["customers.csv", "segments.json", "plan.json", "allocation.json", "sweep.json", "summary.txt", "run.json"])
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("run.json"))) as? [String: Any]
        let parameters = manifest?["parameters"] as? [String: Any]
        #expect(parameters?["budget"] as? Double == 200_000 && parameters?["k"] as? String == "3")
    }

    /// A failing step surfaces as the library's typed error (one line on stderr from the tool), naming the step.
    @Test func failingStepIsATypedError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capm-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("tx.csv")
        try "customer_id,date,amount\nc1,2020-01-01,5\nc2,2020-01-0x,3\n".write(to: bad, atomically: true, encoding: .utf8)
        let command = try #require(
            try CAPMTool.parseAsRoot([
                "run", "--transactions", bad.path, "--plan", Self.plan, "--output-dir", dir.appendingPathComponent("o").path,
            ]) as? RunCommand)
        let error = try #require(throws: PipelineError.self) { try command.run() }
        #expect(error.description == "step read: \(bad.path):3:2: column 'date': '2020-01-0x' is not a date (YYYY-MM-DD or YYYYMMDD)")
    }
}

import Allocation
import CAPMData
import CustomerValue
import Foundation
import Segmentation
import Testing

@testable import Pipeline

@Suite("Segment run: CDNOW, outputs, determinism")
struct SegmentRunTests {
    /// The segment step passes k-means iteration lines to the progress callback (the first at once, then at most
    /// one a second), next to its step lines.
    @Test func segmentStepReportsIterations() throws {
        var messages: [PipelineProgress] = []
        _ = try Fixtures.exampleRun(output: nil).run(progress: { messages.append($0) })
        let iterations = messages.filter { $0.step == .segment && $0.message.contains(", iteration ") }
        #expect(iterations.first?.message.contains("iteration 1/") == true)
        #expect(messages.filter { $0.message.contains(", iteration ") }.allSatisfy { $0.step == .segment })
    }

    /// The run on the raw CDNOW sample transactions (2,357 customers, calibration to 1997-09-30, weeks) reproduces
    /// Fader, Hardie & Lee (2005): BG/NBD r 0.243, α 4.414, a 0.793, b 2.426, LL −9582.4; and Gamma-Gamma p 6.25,
    /// q 3.74, γ 15.44 — to the tolerances of the CustomerValue tests. Its segments add up: sizes to N, customer and
    /// CLV shares to 1, total CLV to the customers' sum.
    @Test func cdnowReproducesPublishedEstimatesAndProfilesAddUp() throws {
        let out = try Fixtures.scratch("cdnow")
        defer { try? FileManager.default.removeItem(at: out) }
        var run = SegmentRun(
            input: .transactions(try Fixtures.cdnow("CDNOW_sample.txt"), Fixtures.cdnowSampleOptions),
            plan: .file(Fixtures.example("plan.yaml")), budget: 250_000, outputDirectory: out)
        run.observationEnd = Fixtures.cdnowCalibrationEnd
        run.clusterCount = .fixed(4)
        run.silhouetteSample = 500
        let result = try run.run()
        #expect(result.summary.count == 2357)
        let bg = try #require(result.fits.first)
        #expect(bg.model == "bgnbd")
        #expect(abs((bg.parameter("r") ?? 0) - 0.243) < 0.0005)
        #expect(abs((bg.parameter("alpha") ?? 0) - 4.414) < 0.0005)
        #expect(abs((bg.parameter("a") ?? 0) - 0.793) < 0.0005)
        #expect(abs((bg.parameter("b") ?? 0) - 2.426) < 0.0005)
        #expect(abs(bg.logLikelihood - -9582.4) < 0.05)
        let gg = try #require(result.fits.last)
        #expect(gg.model == "gamma-gamma" && gg.observations == 946)
        #expect(abs((gg.parameter("p") ?? 0) - 6.25) < 0.005)
        #expect(abs((gg.parameter("q") ?? 0) - 3.74) < 0.005)
        #expect(abs((gg.parameter("gamma") ?? 0) - 15.44) < 0.01)

        let profiles = try #require(result.segmentation.profiles)
        #expect(profiles.count == 4)
        #expect(profiles.reduce(0) { $0 + $1.size } == 2357)
        #expect(result.segmentation.sizes.reduce(0, +) == 2357)
        #expect(abs(profiles.reduce(0) { $0 + $1.customerShare } - 1) < 1e-12)
        #expect(abs(profiles.reduce(0) { $0 + $1.clvShare } - 1) < 1e-12)
        let total = result.predictions.lifetimeValue.reduce(0, +)
        #expect(abs(profiles.reduce(0) { $0 + $1.totalCLV } - total) < 1e-9 * total)
        for (s, p) in profiles.enumerated() {
            #expect(result.segments.filter { Int($0) == s }.count == p.size)
        }

        // customers.csv: the fixed header, one row per customer, segment and label consistent with segments.json.
        let lines = try String(contentsOf: out.appendingPathComponent("customers.csv"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "customer_id,frequency,recency,T,monetary_value,expected_purchases,p_alive,expected_spend,clv,segment,label")
        #expect(lines.count == 2357 + 2 && lines.last == "")
        let row = lines[1].split(separator: ",", omittingEmptySubsequences: false)
        let segment = try #require(Int(row[9]))
        #expect(String(row[10]) == (profiles[segment].label?.rawValue ?? ""))
        #expect(Double(row[8]) == result.predictions.lifetimeValue[0])

        // segments.json is the SegmentationReport JSON, allocation plans come from it.
        let report = try JSONDecoder().decode(
            SegmentationReport.self, from: Data(contentsOf: out.appendingPathComponent("segments.json")))
        #expect(report.sizes == result.segmentation.sizes)
        #expect(report.run.iterationSeconds.isEmpty && report.run.seedingSeconds == 0)
        #expect(report.run.iterationCPUSeconds.isEmpty)
        #expect(result.allocation.status == .optimal)
        #expect(abs(result.allocation.spend - 250_000) < 1e-6 * 250_000 || result.allocation.spend < 250_000)
    }

    /// plan.json reproduces allocation.json through the plan reader (as `capm allocate --plan DIR/plan.json` does),
    /// and the sweep through the sweep scenario over the manifest's budgets.
    @Test func planJSONReproducesTheAllocationAndTheSweep() throws {
        let out = try Fixtures.scratch("plan")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try Fixtures.exampleRun(output: out).run()
        let problem = try AllocationProblem.load(contentsOf: out.appendingPathComponent("plan.json"))
        let again = try Allocator.solve(problem, scenario: AllocationScenario())
        let written = try String(contentsOf: out.appendingPathComponent("allocation.json"), encoding: .utf8)
        #expect(AllocationReport.json(again.reproducible) == written)
        #expect(result.plan.segments.prefix(3).map(\.id) == ["segment-0", "segment-1", "segment-2"])
        #expect(result.plan.segments.contains { $0.id == "prospects" })
        #expect(!result.plan.segments.contains { $0.id == "champions" })  // the plan's labelled segments are replaced
        let sweep = try Allocator.solve(
            problem, scenario: AllocationScenario(kind: .sweep, sweep: (125_000, 375_000, 5)))
        #expect(
            AllocationReport.json(sweep.reproducible)
                == (try String(contentsOf: out.appendingPathComponent("sweep.json"), encoding: .utf8)))
        #expect(result.sweep.sweep?.count == 5)
    }

    /// Same input and seed → byte-identical files with 1 and 2 threads; run.json differs only in timings and the
    /// thread count.
    @Test func outputsAreByteIdenticalForOneAndTwoThreads() throws {
        let a = try Fixtures.scratch("t1"), b = try Fixtures.scratch("t2")
        defer {
            try? FileManager.default.removeItem(at: a)
            try? FileManager.default.removeItem(at: b)
        }
        var one = Fixtures.exampleRun(output: a, k: 4, threads: 1)
        one.clusterCount = .automatic(range: 2...4, rule: .silhouette)
        var two = one
        two.threads = 2
        two.outputDirectory = b
        _ = try one.run()
        _ = try two.run()
        let x = try Fixtures.contents(a), y = try Fixtures.contents(b)
        #expect(Set(x.keys) == Set(SegmentRunResult.outputNames.filter { $0 != "journey.json" }))
        #expect(Set(x.keys) == Set(y.keys))
        for name in x.keys where name != "run.json" {
            #expect(x[name] == y[name], "\(name) differs between 1 and 2 threads")
        }
        func normalized(_ data: Data?) throws -> [String: Any] {
            var object = try #require(try JSONSerialization.jsonObject(with: data ?? Data()) as? [String: Any])
            object["timings"] = nil
            object["threads"] = nil
            return object
        }
        let rx = try normalized(x["run.json"]), ry = try normalized(y["run.json"])
        #expect(NSDictionary(dictionary: rx).isEqual(to: ry))
        // The manifest's output checksums are those of the files.
        let manifest = try JSONDecoder.snake.decode(RunManifest.self, from: x["run.json"] ?? Data())
        for file in manifest.outputs {
            #expect(SHA256.hex(Array(x[file.name] ?? Data())) == file.sha256)
            #expect(x[file.name]?.count == file.bytes)
        }
        #expect(manifest.inputs.map(\.role) == ["transactions", "plan"])
        #expect(manifest.inputs.first?.sha256 == (try SHA256.file(Fixtures.example("transactions.csv")).hex))
        #expect(manifest.timings.map(\.step).starts(with: ["read", "summary", "fit", "predict", "features", "segment"]))
    }

    /// Extra numeric attribute columns are joined by id, become features and customers.csv columns; unmatched ids
    /// are counted both ways; text columns are ignored and listed.
    @Test func attributesAreJoinedAndUnmatchedIDsCounted() throws {
        let out = try Fixtures.scratch("attr")
        defer { try? FileManager.default.removeItem(at: out) }
        let log = try TransactionLog.read(contentsOf: Fixtures.example("transactions.csv"))
        var text = "customer_id,tenure_months,region\n"
        for (i, id) in log.customerIDs.enumerated() where i % 5 != 0 { text += "\(id),\(i % 37),north\n" }
        text += "ghost-1,3,south\nghost-2,4,south\n"
        let attributes = out.appendingPathComponent("attributes.csv")
        try text.write(to: attributes, atomically: true, encoding: .utf8)
        var run = Fixtures.exampleRun(output: out.appendingPathComponent("run"))
        run.attributes = attributes
        let result = try run.run()
        let join = try #require(result.attributes?.join)
        let customers = log.customerIDs.count
        #expect(join.numericColumns == ["tenure_months"] && join.ignoredColumns == ["region"])
        #expect(join.unknownIdentifiers == 2 && join.unknownIdentifierExamples == ["ghost-1", "ghost-2"])
        #expect(join.customersWithoutAttributes == (customers + 4) / 5)
        #expect(join.matchedCustomers + join.customersWithoutAttributes == result.summary.count)
        #expect(result.featureNames.last == "tenure_months")
        let header = try String(contentsOf: out.appendingPathComponent("run/customers.csv"), encoding: .utf8)
            .prefix { $0 != "\n" }
        #expect(header.hasSuffix(",segment,label,tenure_months"))
        #expect(result.summaryText().contains("2 unknown ids"))
    }

    /// An attribute column named like a computed column is refused, naming the file.
    @Test func attributeColumnClashIsAnError() throws {
        let dir = try Fixtures.scratch("clash")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("a.csv")
        try "customer_id,clv\nC0009,3\n".write(to: file, atomically: true, encoding: .utf8)
        var run = Fixtures.exampleRun(output: nil)
        run.attributes = file
        let error = try #require(throws: PipelineError.self) { try run.run() }
        #expect(error.step == .features)
        #expect(error.description.contains("a.csv:1: column 'clv' clashes"))
    }
}

extension JSONDecoder {
    /// A decoder for the manifest's snake_case keys.
    static var snake: JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }
}

@Suite("Segment run: summary input")
struct SummaryInputTests {
    /// The published CDNOW calibration summary (with zbar) as input gives the published BG/NBD estimates; the
    /// manifest records a summary input without a transaction count.
    @Test func summaryFileInput() throws {
        let out = try Fixtures.scratch("summary")
        defer { try? FileManager.default.removeItem(at: out) }
        var run = SegmentRun(
            input: .summary(try Fixtures.cdnow("cdnow_customers_summary_with_transactions.csv")),
            plan: .file(Fixtures.example("plan.yaml")), budget: 100_000, outputDirectory: out)
        run.clusterCount = .fixed(3)
        run.silhouetteSample = 300
        let result = try run.run()
        #expect(result.transactions == nil && result.summary.count == 2357)
        let bg = try #require(result.fits.first)
        #expect(abs((bg.parameter("r") ?? 0) - 0.243) < 0.0005 && abs((bg.parameter("b") ?? 0) - 2.426) < 0.0005)
        let manifest = try JSONDecoder.snake.decode(RunManifest.self, from: Data(contentsOf: out.appendingPathComponent("run.json")))
        #expect(manifest.parameters.input == "summary" && manifest.counts.transactions == nil)
        #expect(manifest.inputs.first?.role == "summary")
        // Transaction-only options are refused for a summary input instead of being ignored.
        run.skipBadRows = true
        #expect(throws: PipelineError.self) { try run.run() }
        run.skipBadRows = false
        run.observationEnd = 10_000
        #expect(throws: PipelineError.self) { try run.run() }
    }
}

import CAPMData
import Foundation
import Testing

@testable import Pipeline

@Suite("Segment run: failures, bad rows, atomic outputs")
struct FailureTests {
    /// Writes `text` as a transaction file in `dir`.
    static func transactions(_ text: String, in dir: URL, name: String = "tx.csv") throws -> URL {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// The example log's first `rows` data lines with bad rows spliced in after lines 3 and 10 (and a bad date).
    static func logWithBadRows(rows: Int = 3000) throws -> (text: String, badLines: [Int]) {
        let lines = try String(contentsOf: Fixtures.example("transactions.csv"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        var out = Array(lines.prefix(rows + 1))
        out.insert("C0009,1997-02-03,-4.00", at: 3)  // line 4: negative amount
        out.insert("C0010,1997-02-03", at: 10)  // line 11: two fields
        out.insert("C0011,1997-13-03,5.00", at: 20)  // line 21: month 13
        out.insert("C0012,1997-02-04,abc", at: 30)  // line 31: not a number
        return (out.joined(separator: "\n") + "\n", [4, 11, 21, 31])
    }

    /// By default the first bad row stops the run in step `read`, with file, line and column.
    @Test func badRowStopsTheRunWithStepAndPosition() throws {
        let dir = try Fixtures.scratch("bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try Self.transactions(try Self.logWithBadRows().text, in: dir)
        var run = Fixtures.exampleRun(output: dir.appendingPathComponent("out"))
        run.input = .transactions(url)
        let error = try #require(throws: PipelineError.self) { try run.run() }
        #expect(error.step == .read)
        #expect(error.description == "step read: \(url.path):4:3: column 'amount': '-4.00' is not a non-negative number")
        guard case .data(_, let data) = error else {
            Issue.record("expected a data error, got \(error)")
            return
        }
        #expect(data.line == 4 && data.column == 3)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/customers.csv").path))
    }

    /// With skipping, the bad rows are counted by reason (first occurrence with its position), the good rows are
    /// all kept, and the counts appear in run.json and summary.txt.
    @Test func skippedRowsAreCountedByReason() throws {
        let dir = try Fixtures.scratch("skip")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (text, _) = try Self.logWithBadRows()
        let url = try Self.transactions(text, in: dir)
        let clean = try Self.transactions(
            try String(contentsOf: Fixtures.example("transactions.csv"), encoding: .utf8).split(separator: "\n")
                .prefix(3001).joined(separator: "\n") + "\n", in: dir, name: "clean.csv")
        var run = Fixtures.exampleRun(output: dir.appendingPathComponent("out"))
        run.input = .transactions(url)
        run.skipBadRows = true
        let result = try run.run()
        #expect(result.transactions == 3000)
        #expect(result.skippedRows.total == 4)
        let reasons = Dictionary(uniqueKeysWithValues: result.skippedRows.reasons.map { ($0.reason, $0) })
        #expect(reasons["column 'amount': not a non-negative number"]?.count == 2)
        #expect(reasons["column 'amount': not a non-negative number"]?.firstLine == 4)
        #expect(reasons["wrong number of fields"]?.first == "\(url.path):11:2: expected 3 fields, found 2")
        #expect(reasons["column 'date': not a date (YYYY-MM-DD or YYYYMMDD)"]?.firstLine == 21)
        // The kept rows are exactly the clean file's.
        let strict = try TransactionLog.read(contentsOf: clean)
        #expect(result.summary.count == (try CustomerValueSummaryCount.count(strict)))
        let manifest = try JSONDecoder.snake.decode(
            RunManifest.self, from: Data(contentsOf: dir.appendingPathComponent("out/run.json")))
        #expect(manifest.counts.skippedRows == 4 && manifest.counts.skippedByReason.count == 3)
        #expect(manifest.parameters.skipBadRows)
        let summary = try String(contentsOf: dir.appendingPathComponent("out/summary.txt"), encoding: .utf8)
        #expect(summary.contains("skipped rows     4"))
        #expect(summary.contains("2  column 'amount': not a non-negative number"))
    }

    /// A failure in the allocation step writes nothing: a previous run's files stay byte for byte, no temporary
    /// file is left, and a rerun with a good plan succeeds.
    @Test func failedAllocationLeavesThePreviousOutputsAndARerunSucceeds() throws {
        let dir = try Fixtures.scratch("alloc")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        _ = try Fixtures.exampleRun(output: out).run()
        let before = try Fixtures.contents(out)
        // A plan whose constraint names a segment the run replaces: the plan resolves with an error.
        let plan = try String(contentsOf: Fixtures.example("plan.yaml"), encoding: .utf8)
            + "  - {name: \"champions floor\", segment: champions, min: 1000}\n"
        let bad = dir.appendingPathComponent("bad-plan.yaml")
        try plan.write(to: bad, atomically: true, encoding: .utf8)
        var failing = Fixtures.exampleRun(output: out)
        failing.plan = .file(bad)
        let error = try #require(throws: PipelineError.self) { try failing.run() }
        #expect(error.step == .allocate)
        #expect(error.description.hasPrefix("step allocate: \(bad.path):"))
        #expect(error.description.contains("unknown segment id 'champions'"))
        #expect(try Fixtures.contents(out) == before)
        _ = try Fixtures.exampleRun(output: out).run()
        let after = try Fixtures.contents(out)
        #expect(Set(after.keys) == Set(before.keys))
        for (name, data) in after where name != "run.json" { #expect(before[name] == data) }
    }

    /// A failure while writing (segments.json cannot be replaced) leaves complete files only: customers.csv is the
    /// new one, run.json — the manifest, written last — is absent so the directory reads as unfinished, no
    /// temporary file remains; once the obstacle is gone a rerun succeeds.
    @Test func failedWriteLeavesNoPartialFileAndNoManifest() throws {
        let dir = try Fixtures.scratch("write")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        _ = try Fixtures.exampleRun(output: out).run()
        let before = try Fixtures.contents(out)
        try FileManager.default.removeItem(at: out.appendingPathComponent("segments.json"))
        try FileManager.default.createDirectory(
            at: out.appendingPathComponent("segments.json/blocker"), withIntermediateDirectories: true)
        let error = try #require(throws: PipelineError.self) { try Fixtures.exampleRun(output: out).run() }
        #expect(error.step == .write)
        #expect(error.description.contains("segments.json"))
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(!names.contains("run.json"))
        #expect(!names.contains { $0.hasSuffix(".tmp") })
        #expect(try Data(contentsOf: out.appendingPathComponent("customers.csv")) == before["customers.csv"])
        try FileManager.default.removeItem(at: out.appendingPathComponent("segments.json"))
        _ = try Fixtures.exampleRun(output: out).run()
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).contains("run.json"))
    }

    /// Parameter errors are found before any step runs.
    @Test func invalidParametersAreRejectedUpFront() {
        var run = Fixtures.exampleRun(output: nil)
        run.budget = -1
        #expect(throws: PipelineError.self) { try run.run() }
        run = Fixtures.exampleRun(output: nil)
        run.sweep = SegmentRun.Sweep(fromFactor: 2, toFactor: 1, steps: 5)
        let error = try? #require(throws: PipelineError.self) { try run.run() }
        #expect(error?.step == nil)
    }

    /// A missing input file fails in step read naming it.
    @Test func missingInputNamesTheStepAndFile() throws {
        var run = Fixtures.exampleRun(output: nil)
        run.input = .transactions(URL(fileURLWithPath: "/nonexistent/tx.csv"))
        let error = try #require(throws: PipelineError.self) { try run.run() }
        #expect(error.description == "step read: /nonexistent/tx.csv: no such file")
    }
}

/// Customers of a log as the run counts them (first purchase on or before the last day).
enum CustomerValueSummaryCount {
    static func count(_ log: TransactionLog) throws -> Int { Set(log.customer).count }
}

@Suite("Segment run: after a killed run")
struct KilledRunTests {
    /// A run killed while writing leaves AtomicFile's hidden temporary file (never a partial output); the rerun
    /// removes such leftovers of its own output names, leaves other files alone, and succeeds.
    @Test func rerunRemovesTemporariesOfAKilledRun() throws {
        let dir = try Fixtures.scratch("killed")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let leftovers = [".customers.csv.4242.123456.tmp", ".segments.json.17.9.tmp"]
        let foreign = [".notes.txt.1.2.tmp", "customers.csv.bak", ".customers.csv.x.1.tmp"]
        for name in leftovers + foreign {
            try Data("partial".utf8).write(to: out.appendingPathComponent(name))
        }
        _ = try Fixtures.exampleRun(output: out).run()
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: out.path))
        for name in leftovers { #expect(!names.contains(name)) }
        for name in foreign { #expect(names.contains(name)) }
        #expect(names.contains("run.json") && names.contains("customers.csv"))
    }
}

@Suite("Segment run: plan checked first")
struct PlanFirstTests {
    /// A broken plan file fails in step read — before the model fit and k-means — naming file and line.
    @Test func brokenPlanFailsInTheReadStep() throws {
        let dir = try Fixtures.scratch("plan-first")
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = dir.appendingPathComponent("plan.yaml")
        try "version: 1\nbudget: {amount: 100}\nmoments: [{id: m, stage: nowhere}]\n".write(
            to: plan, atomically: true, encoding: .utf8)
        var run = Fixtures.exampleRun(output: nil)
        run.plan = .file(plan)
        var steps: [PipelineStep] = []
        let error = try #require(throws: PipelineError.self) { try run.run { steps.append($0.step) } }
        #expect(error.step == .read && steps == [.read])
        #expect(error.description.hasPrefix("step read: \(plan.path):3"))
        // A plan without a budget and no budget given: refused before any model is fitted.
        try "version: 1\nmoments: [{id: m, stage: awareness}]\nchannels: [{id: c}]\n".write(
            to: plan, atomically: true, encoding: .utf8)
        run.budget = nil
        steps = []
        let missing = try #require(throws: PipelineError.self) { try run.run { steps.append($0.step) } }
        #expect(missing.description.contains("give a budget") && steps == [.read])
    }
}

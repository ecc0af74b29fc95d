import Foundation
import Testing

@testable import CAPMCommand

@Suite("capm allocate")
struct AllocateCommandTests {
    /// The hand example of issue 6.
    static let plan = """
    version: 1
    budget: {amount: 100000}
    segments: [{id: S1, customers: 1000, clv: 500}, {id: S2, customers: 2000, clv: 300}]
    moments: [{id: M1, stage: awareness}, {id: M2, stage: purchase}]
    channels: [{id: mail}]
    cells:
      - {segment: S1, moment: M1, channel: mail, response: {breakpoints: [[0, 0], [20000, 60000], [50000, 120000], [100000, 170000]]}}
      - {segment: S1, moment: M2, channel: mail, response: {breakpoints: [[0, 0], [10000, 40000], [30000, 70000], [60000, 85000]]}}
      - {segment: S2, moment: M1, channel: mail, response: {breakpoints: [[0, 0], [30000, 75000], [60000, 120000]]}}
      - {segment: S2, moment: M2, channel: mail, response: {breakpoints: [[0, 0], [25000, 45000], [50000, 75000], [80000, 90000]]}}
    """

    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capm-allocate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("parses every option")
    func parsing() throws {
        let parsed = try CAPMTool.parseAsRoot([
            "allocate", "--budget", "250000", "--plan", "p.yaml", "--scenario", "sweep", "--sweep-from", "1",
            "--sweep-to", "9", "--sweep-steps", "5", "--format", "csv", "--output", "o.csv", "--write-mps", "m.mps",
            "--max-breakpoints", "3", "--exact",
        ])
        let c = try #require(parsed as? AllocateCommand)
        #expect(c.budget == 250_000 && c.plan == "p.yaml" && c.scenario == "sweep")
        #expect(c.sweepFrom == 1 && c.sweepTo == 9 && c.sweepSteps == 5 && c.maxBreakpoints == 3 && c.exact)
        #expect(c.format == .csv && c.output == "o.csv" && c.writeMPS == "m.mps")
    }

    @Test("--target is the uplift for min-spend and the ROI k for target-roi/target-mroi; the old names still work",
          arguments: [
              (["--scenario", "min-spend", "--target", "600000"], 600_000.0 as Double?, nil as Double?),
              (["--scenario", "min-spend", "--target-uplift", "600000"], 600_000.0 as Double?, nil as Double?),
              (["--scenario", "target-roi", "--target", "2.5"], nil as Double?, 2.5 as Double?),
              (["--scenario", "target-mroi", "--target", "2"], nil as Double?, 2.0 as Double?),
              (["--scenario", "target-roi", "--roi", "2.5"], nil as Double?, 2.5 as Double?),
          ])
    func targetFlag(arguments: [String], uplift: Double?, roi: Double?) throws {
        let c = try #require(try CAPMTool.parseAsRoot(["allocate"] + arguments) as? AllocateCommand)
        let s = try c.makeScenario()
        #expect(s.targetUplift == uplift)
        #expect(s.roi == roi)
    }

    @Test("--target together with --target-uplift or --roi is refused")
    func targetTwice() {
        #expect(throws: (any Error).self) {
            try CAPMTool.parseAsRoot(["allocate", "--scenario", "min-spend", "--target", "1", "--target-uplift", "2"])
        }
        #expect(throws: (any Error).self) {
            try CAPMTool.parseAsRoot(["allocate", "--scenario", "target-roi", "--target", "1", "--roi", "2"])
        }
    }

    @Test("--sweep FROM:TO:STEPS shorthand")
    func sweepShorthand() throws {
        let c = try #require(try CAPMTool.parseAsRoot(["allocate", "--sweep", "1000:5000:5"]) as? AllocateCommand)
        let s = try c.makeScenario()
        #expect(s.kind == .sweep && s.sweep?.from == 1000 && s.sweep?.to == 5000 && s.sweep?.steps == 5)
        #expect(throws: (any Error).self) { try CAPMTool.parseAsRoot(["allocate", "--sweep", "1000-5000"]) }
    }

    @Test("rejects an unknown scenario and a negative budget")
    func badOptions() {
        #expect(throws: (any Error).self) { try CAPMTool.parseAsRoot(["allocate", "--scenario", "greedy"]) }
        #expect(throws: (any Error).self) { try CAPMTool.parseAsRoot(["allocate", "--budget", "-5"]) }
    }

    @Test("JSON output and MPS file for the hand example (uplift 253,000, shadow price 1.8)")
    func json() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let planURL = dir.appendingPathComponent("plan.yaml")
        try Self.plan.write(to: planURL, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out.json")
        let mps = dir.appendingPathComponent("model.mps")
        let c = try #require(try CAPMTool.parseAsRoot([
            "allocate", "--plan", planURL.path, "--format", "json", "--output", out.path, "--write-mps", mps.path,
        ]) as? AllocateCommand)
        try c.run()
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any]
        let d = try #require(object)
        #expect(d["status"] as? String == "optimal")
        #expect(abs((d["uplift"] as? Double ?? 0) - 253_000) < 1e-6)
        let price = try #require(d["shadowPrice"] as? [String: Any])
        #expect(abs((price["value"] as? Double ?? 0) - 1.8) < 1e-9)
        #expect((d["cells"] as? [Any])?.count == 4)
        let text = try String(contentsOf: mps, encoding: .utf8)
        #expect(text.contains("BUDGET") && text.contains("OBJSENSE"))
    }

    @Test("a missing plan is one typed error, and nothing is written")
    func missingPlan() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.json")
        let c = try #require(try CAPMTool.parseAsRoot([
            "allocate", "--plan", dir.appendingPathComponent("none.yaml").path, "--output", out.path,
        ]) as? AllocateCommand)
        #expect(throws: (any Error).self) { try c.run() }
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}

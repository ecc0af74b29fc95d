import ArgumentParser
import Foundation
import Testing

@testable import CAPMCommand

/// `capm solve` and `capm allocate` write their report and then fail with an exit status that says why
/// when the model has no optimum (Docs/cli.md).
@Suite("capm solve / allocate: exit status of models without an optimum")
struct ModelExitTests {
    func temporary(_ name: String, _ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("capm-exit-\(UUID().uuidString)-\(name)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// The exit code a command ends with (0 when it returns normally).
    func exitCode(_ arguments: [String]) throws -> Int32 {
        var command = try CAPMTool.parseAsRoot(arguments)
        do {
            try command.run()
            return 0
        } catch let exit as ExitCode {
            return exit.rawValue
        }
    }

    @Test("solve: optimal 0, infeasible 2, unbounded 3; the report is written either way", arguments: [
        ("x ≤ 1 minimised", "NAME ok\nROWS\n N obj\n L c1\nCOLUMNS\n x obj 1 c1 1\nRHS\n rhs c1 1\nENDATA\n", Int32(0), "optimal"),
        ("x ≥ 2 and x ≤ 1", "NAME inf\nROWS\n N obj\n G c1\nCOLUMNS\n x obj 1 c1 1\nRHS\n rhs c1 2\nBOUNDS\n UP bnd x 1\nENDATA\n", 2, "infeasible"),
        ("free x minimised", "NAME unb\nROWS\n N obj\nCOLUMNS\n x obj 1\nRHS\nBOUNDS\n MI bnd x\nENDATA\n", 3, "unbounded"),
    ])
    func solve(_ what: String, mps: String, expected: Int32, status: String) throws {
        let model = try temporary("m.mps", mps)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("capm-exit-\(UUID().uuidString).json")
        defer {
            try? FileManager.default.removeItem(at: model)
            try? FileManager.default.removeItem(at: out)
        }
        #expect(try exitCode(["solve", model.path, "--format", "json", "--output", out.path]) == expected, "\(what)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any]
        #expect(json?["status"] as? String == status)
    }

    @Test("allocate: an infeasible plan writes its explanation and exits 2; the built-in example is optimal")
    func allocate() throws {
        let plan = try temporary("plan.yaml", """
            version: 1
            budget: {amount: 100}
            segments:
              - {id: S1, customers: 10, clv: 100}
            moments:
              - {id: M1, stage: awareness}
            channels:
              - {id: c, unit_cost: 1}
            cells:
              - {segment: S1, moment: M1, channel: c, response: {breakpoints: [[0, 0], [50, 100]]}}
            constraints:
              - {moment: M1, min: 150}
            """)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("capm-exit-\(UUID().uuidString).txt")
        defer {
            try? FileManager.default.removeItem(at: plan)
            try? FileManager.default.removeItem(at: out)
        }
        #expect(try exitCode(["allocate", "--plan", plan.path, "--output", out.path]) == 2)
        #expect(try String(contentsOf: out, encoding: .utf8).contains("INFEASIBLE"))
        // No --plan: the example built into the library, whatever the working directory.
        #expect(try exitCode(["allocate", "--budget", "250000", "--format", "json", "--output", out.path]) == 0)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any]
        #expect(json?["status"] as? String == "optimal")
    }
}

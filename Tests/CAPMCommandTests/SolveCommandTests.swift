import Foundation
import Testing

@testable import CAPMCommand

@Suite("capm solve")
struct SolveCommandTests {
    let afiro = "/work/shared/lp/netlib/afiro.mps"

    @Test("parses every option")
    func parsing() throws {
        let parsed = try CAPMTool.parseAsRoot([
            "solve", "model.mps", "--format", "json", "--max", "--time-limit", "2.5", "--output", "out.json",
            "--verbose-solution", "--free", "--no-presolve", "--iteration-limit", "10",
        ])
        let command = try #require(parsed as? SolveCommand)
        #expect(command.file == "model.mps")
        #expect(command.format == .json)
        #expect(command.max)
        #expect(command.timeLimit == 2.5)
        #expect(command.output == "out.json")
        #expect(command.verboseSolution)
        #expect(command.free && command.noPresolve)
        #expect(command.iterationLimit == 10)
    }

    @Test("rejects a non-positive time limit")
    func badTimeLimit() {
        #expect(throws: (any Error).self) { try CAPMTool.parseAsRoot(["solve", "m.mps", "--time-limit", "0"]) }
    }

    @Test("writes a JSON solution with values by name")
    func jsonOutput() throws {
        guard FileManager.default.fileExists(atPath: afiro) else { return }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("capm-solve-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: out) }
        let command = try #require(
            try CAPMTool.parseAsRoot([
                "solve", afiro, "--format", "json", "--output", out.path, "--verbose-solution",
            ]) as? SolveCommand)
        try command.run()
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any]
        let json = try #require(object)
        #expect(json["status"] as? String == "optimal")
        let objective = try #require(json["objective"] as? Double)
        #expect(abs(objective - -464.75314285714285) < 1e-6)
        #expect(json["iterations"] as? Int != nil)
        #expect(json["seconds"] as? Double != nil)
        let primal = try #require(json["primal"] as? [[String: Any]])
        #expect(primal.count == 32)
        #expect(primal.first?["name"] as? String == "X01")
        let dual = try #require(json["dual"] as? [[String: Any]])
        #expect(dual.count == 27)
    }

    @Test("a malformed file is an error naming the line")
    func malformed() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("capm-bad-\(UUID().uuidString).mps")
        defer { try? FileManager.default.removeItem(at: url) }
        try "NAME X\nROWS\n N OBJ\nCOLUMNS\n X OBJ abc\n".write(to: url, atomically: true, encoding: .utf8)
        let command = try #require(try CAPMTool.parseAsRoot(["solve", url.path]) as? SolveCommand)
        #expect {
            try command.run()
        } throws: { error in
            "\(error)".contains(":5:")
        }
    }
}

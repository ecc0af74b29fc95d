import CAPM
import Foundation
import Testing
@testable import CAPMCommand

@Suite("capm segment")
struct SegmentCommandTests {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("capm-segment-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let customers = """
        customer_id,frequency,recency,T,monetary,clv,p_alive
        a,1,10,30,20,15,0.9
        b,2,20,31,25,40,0.8
        c,0,0,32,0,1,0.2
        d,5,28,30,100,300,0.95
        e,4,5,33,90,200,0.1
        f,1,2,30,10,3,0.3
        g,6,29,34,120,350,0.9
        h,0,0,30,0,0.5,0.15
        """

    @Test("k = 3 on a customer table: report JSON, per-customer CSV, model file")
    func fixedK() throws {
        let dir = try Self.temporaryDirectory()
        let input = dir.appendingPathComponent("customers.csv")
        try Self.customers.write(to: input, atomically: true, encoding: .utf8)
        let report = dir.appendingPathComponent("report.json")
        let output = dir.appendingPathComponent("segments.csv")
        let model = dir.appendingPathComponent("model.json")
        let command = try #require(
            try CAPMTool.parseAsRoot([
                "segment", "--input", input.path, "--k", "3", "--log1p", "clv,monetary", "--seed", "4",
                "--restarts", "3", "--report", report.path, "--output", output.path, "--model", model.path,
            ]) as? SegmentCommand)
        try command.run()
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        #expect(json["k"] as? Int == 3)
        #expect((json["sizes"] as? [Int])?.reduce(0, +) == 8)
        #expect((json["profiles"] as? [Any])?.count == 3)
        #expect((json["features"] as? [String]) == ["frequency", "recency", "T", "monetary", "clv", "p_alive"])
        #expect(json["metrics"] != nil)
        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "customer_id,segment,label")
        #expect(lines.count == 9)
        let saved = try JSONDecoder().decode(SegmentationModel.self, from: Data(contentsOf: model))
        #expect(saved.clusterCount == 3)
    }

    @Test("--k auto over a range reports every candidate")
    func automaticK() throws {
        let dir = try Self.temporaryDirectory()
        let input = dir.appendingPathComponent("customers.csv")
        try Self.customers.write(to: input, atomically: true, encoding: .utf8)
        let report = dir.appendingPathComponent("report.json")
        let command = try #require(
            try CAPMTool.parseAsRoot([
                "segment", "--input", input.path, "--k-range", "2...4", "--features", "frequency,monetary,clv",
                "--scale", "robust", "--report", report.path,
            ]) as? SegmentCommand)
        try command.run()
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        let selection = try #require(json["selection"] as? [String: Any])
        #expect((selection["candidates"] as? [Any])?.count == 3)
    }

    @Test("bad input: typed errors with one-line messages")
    func badInput() throws {
        let dir = try Self.temporaryDirectory()
        let input = dir.appendingPathComponent("customers.csv")
        try Self.customers.write(to: input, atomically: true, encoding: .utf8)
        let unknown = try #require(
            try CAPMTool.parseAsRoot(["segment", "--input", input.path, "--k", "2", "--features", "nope"])
                as? SegmentCommand)
        #expect(throws: SegmentationError.unknownColumn(
            name: "nope", available: ["customer_id", "frequency", "recency", "T", "monetary", "clv", "p_alive"])) {
            try unknown.run()
        }
        let tooMany = try #require(
            try CAPMTool.parseAsRoot(["segment", "--input", input.path, "--k", "9"]) as? SegmentCommand)
        #expect(throws: SegmentationError.invalidClusterCount(k: 9, points: 8)) { try tooMany.run() }
        let initFile = dir.appendingPathComponent("init.npy")
        try NumPyArray(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6]).write(to: initFile)
        let wrongInit = try #require(
            try CAPMTool.parseAsRoot([
                "segment", "--input", input.path, "--features", "frequency,monetary", "--init", initFile.path,
            ]) as? SegmentCommand)
        #expect(throws: SegmentationError.initialCentroidsShape(expectedRows: 2, expectedColumns: 2, rows: 2, columns: 3)) {
            try wrongInit.run()
        }
        #expect(throws: (any Error).self) { try CAPMTool.parseAsRoot(["segment", "--input", input.path, "--k", "x"]) }
        #expect(throws: (any Error).self) {
            try CAPMTool.parseAsRoot(["segment", "--input", input.path, "--k-range", "5...2"])
        }
        let missing = try #require(
            try CAPMTool.parseAsRoot(["segment", "--input", dir.appendingPathComponent("none.csv").path, "--k", "2"])
                as? SegmentCommand)
        #expect(throws: SegmentationError.self) { try missing.run() }
    }
}

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

    /// A fresh temporary directory holding `customers.csv` (``customers``).
    static func customersFile() throws -> (directory: URL, file: URL) {
        let dir = try temporaryDirectory()
        let input = dir.appendingPathComponent("customers.csv")
        try customers.write(to: input, atomically: true, encoding: .utf8)
        return (dir, input)
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
        let (dir, input) = try Self.customersFile()
        defer { try? FileManager.default.removeItem(at: dir) }
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

    @Test("--init takes a CSV whose header names the features; k is its row count; the centroids stay in input units")
    func initialCentroidsFromCSV() throws {
        let (dir, input) = try Self.customersFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        let initFile = dir.appendingPathComponent("init.csv")
        try "monetary,frequency\n0,0\n110,5.5\n".write(to: initFile, atomically: true, encoding: .utf8)
        let report = dir.appendingPathComponent("report.json")
        let command = try #require(
            try CAPMTool.parseAsRoot([
                "segment", "--input", input.path, "--features", "frequency,monetary", "--init", initFile.path,
                "--scale", "none", "--report", report.path,
            ]) as? SegmentCommand)
        try command.run()
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        #expect(json["k"] as? Int == 2)
        // Customers d, e, g (frequency 4–6, monetary 90–120) are the second centroid's; the rest the first's.
        let centroids = try #require(json["centroids"] as? [[Double]])
        #expect(centroids[1] == [5, 310.0 / 3])
        #expect((json["sizes"] as? [Int]) == [5, 3])
        let misnamed = dir.appendingPathComponent("misnamed.csv")
        try "monetary,freq\n0,0\n110,5.5\n".write(to: misnamed, atomically: true, encoding: .utf8)
        let wrong = try #require(
            try CAPMTool.parseAsRoot([
                "segment", "--input", input.path, "--features", "frequency,monetary", "--init", misnamed.path,
            ]) as? SegmentCommand)
        #expect(throws: SegmentationError.unknownColumn(name: "frequency", available: ["monetary", "freq"])) {
            try wrong.run()
        }
    }

    @Test("--k auto over a range reports every candidate")
    func automaticK() throws {
        let (dir, input) = try Self.customersFile()
        defer { try? FileManager.default.removeItem(at: dir) }
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
        let (dir, input) = try Self.customersFile()
        defer { try? FileManager.default.removeItem(at: dir) }
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

    @Test("--apply assigns new customers with a saved model: the fitted customers get their fitted segments back")
    func applySavedModel() throws {
        let (dir, input) = try Self.customersFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fitted = dir.appendingPathComponent("fitted.csv"), model = dir.appendingPathComponent("model.json")
        let fit = try #require(
            try CAPMTool.parseAsRoot([
                "segment", "--input", input.path, "--k", "3", "--log1p", "clv,monetary", "--seed", "4",
                "--output", fitted.path, "--model", model.path, "--report", dir.appendingPathComponent("r.json").path,
            ]) as? SegmentCommand)
        try fit.run()
        let saved = try SegmentationModel.read(contentsOf: model)
        #expect(saved.labels?.count == 3 && saved.labels?.contains(nil) == false)

        // Same customers, another column order and a text column: the model reads its features by name.
        let reordered = dir.appendingPathComponent("new.csv")
        var lines = Self.customers.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        lines = lines.enumerated().map { i, row in [row[6], "note\(i)", row[0]] + row[1...5] }
        try lines.map { $0.joined(separator: ",") }.joined(separator: "\n").write(to: reordered, atomically: true, encoding: .utf8)
        let assigned = dir.appendingPathComponent("assigned.csv"), summary = dir.appendingPathComponent("summary.csv")
        let apply = try #require(
            try CAPMTool.parseAsRoot([
                "segment", "--input", reordered.path, "--apply", model.path, "--output", assigned.path,
                "--format", "csv", "--report", summary.path,
            ]) as? SegmentCommand)
        try apply.run()
        #expect(try String(contentsOf: assigned, encoding: .utf8) == String(contentsOf: fitted, encoding: .utf8))
        let fitReport = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("r.json"))) as? [String: Any])
        let sizes = try #require(fitReport["sizes"] as? [Int])
        let rows = try String(contentsOf: summary, encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(rows.map { Int($0.split(separator: ",")[1]) } == sizes)
    }

    @Test("--apply: a model that does not fit the input, a broken model file, fitting options — typed errors")
    func applyErrors() throws {
        let (dir, input) = try Self.customersFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("model.json")
        try #require(
            try CAPMTool.parseAsRoot([
                "segment", "--input", input.path, "--k", "2", "--features", "frequency,monetary", "--model", model.path,
                "--report", dir.appendingPathComponent("r.json").path,
            ]) as? SegmentCommand
        ).run()
        func apply(_ file: URL, _ modelFile: URL = model) throws -> SegmentCommand {
            try #require(try CAPMTool.parseAsRoot(["segment", "--input", file.path, "--apply", modelFile.path]) as? SegmentCommand)
        }
        let other = dir.appendingPathComponent("other.csv")
        try "customer_id,frequency,spend\na,1,2\n".write(to: other, atomically: true, encoding: .utf8)
        #expect(throws: SegmentationError.unknownColumn(name: "monetary", available: ["customer_id", "frequency", "spend"])) {
            try apply(other).run()
        }
        let matrix = dir.appendingPathComponent("x.npy")
        try NumPyArray(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6]).write(to: matrix)
        #expect(throws: SegmentationError.invalidModel(
            path: model.path, reason: "it reads 2 features (frequency, monetary); \(matrix.path) has 3 columns")) {
            try apply(matrix).run()
        }
        let broken = dir.appendingPathComponent("broken.json")
        try "{\"scaler\": 1}".write(to: broken, atomically: true, encoding: .utf8)
        #expect(throws: SegmentationError.self) { try apply(input, broken).run() }
        #expect(SegmentationError.invalidModel(path: "m.json", reason: "not valid JSON").description
            == "m.json: not a usable segmentation model: not valid JSON")
        for option in [["--k", "3"], ["--init", model.path], ["--model", model.path], ["--log1p", "clv"]] {
            #expect(throws: (any Error).self) {
                try CAPMTool.parseAsRoot(["segment", "--input", input.path, "--apply", model.path] + option)
            }
        }
    }

    @Test(
        "a k-means iteration's progress line",
        arguments: [
            (KMeansIteration(
                clusterCount: 8, restart: 1, restarts: 4, iteration: 37, maxIterations: 300, changedLabels: 1204,
                centroidShift: 3.1e-5),
             "k = 8, restart 2/4, iteration 37/300: 1204 labels changed, centroid shift 3.1e-05"),
            (KMeansIteration(
                clusterCount: 5, restart: 0, restarts: 1, iteration: 2, maxIterations: 100, changedLabels: nil,
                centroidShift: nil),
             "k = 5, epoch 2/100"),
        ])
    func iterationLine(step: KMeansIteration, line: String) {
        #expect(step.description == line)
    }
}

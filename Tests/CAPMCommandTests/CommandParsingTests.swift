import ArgumentParser
import Foundation
import Testing

@testable import CAPMCommand

@Suite("capm command line")
struct CommandParsingTests {
    @Test func generateParsesItsOptions() throws {
        let command = try CAPMTool.parseAsRoot(["generate", "--customers", "10", "--seed", "3", "-o", "x.csv", "--r", "0.5"])
        let generate = try #require(command as? GenerateCommand)
        #expect(generate.customers == 10 && generate.seed == 3 && generate.output == "x.csv" && generate.r == 0.5)
        #expect(generate.alpha == 4.414)
    }

    @Test func generateRequiresCustomersAndOutput() {
        #expect(throws: (any Error).self) { try CAPMTool.parseAsRoot(["generate", "--output", "x.csv"]) }
        #expect(throws: (any Error).self) { try CAPMTool.parseAsRoot(["generate", "--customers", "ten", "-o", "x"]) }
    }

    @Test func generateWritesAFileThatDescribeReads() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capm-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("tx.csv").path
        let generate = try #require(
            try CAPMTool.parseAsRoot(["generate", "--customers", "500", "--seed", "9", "-o", path]) as? GenerateCommand)
        try generate.run()
        let describe = try #require(try CAPMTool.parseAsRoot(["describe", path, "--format", "json"]) as? DescribeCommand)
        try describe.run()
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func badStartDateIsAValidationError() throws {
        let generate = try #require(
            try CAPMTool.parseAsRoot(["generate", "--customers", "5", "-o", "/tmp/x.csv", "--start", "1997-13-01"])
                as? GenerateCommand)
        #expect(throws: ValidationError.self) { try generate.run() }
    }

    @Test(arguments: [("comma", true), ("tab", true), ("whitespace", true), (";", true), ("ab", false)])
    func delimiterNames(text: String, valid: Bool) {
        #expect(((try? parseDelimiter(text)) != nil) == valid)
    }

    @Test func missingFileGivesOneLineError() throws {
        let describe = try #require(try CAPMTool.parseAsRoot(["describe", "/nonexistent/tx.csv"]) as? DescribeCommand)
        do {
            try describe.run()
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "/nonexistent/tx.csv: no such file")
        }
    }
}

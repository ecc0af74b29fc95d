import Foundation
import Testing

@testable import Journey

@Suite("Journey inputs")
struct JourneyInputsTests {
    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capm-journey-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func readsCLVPredictionsAndSegments() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let clv = dir.appendingPathComponent("clv.csv")
        try """
            customer_id,frequency,recency,T,monetary_value,expected_purchases,p_alive,expected_spend,clv
            A,2,30.4,38.9,20,1.2,0.8,25,31.5
            B,0,0,38.9,0,0.1,1,25,2.5
            """.write(to: clv, atomically: true, encoding: .utf8)
        let values = try JourneyInputs.readValues(contentsOf: clv)
        #expect(values == CustomerValues(ids: ["A", "B"], values: [31.5, 2.5]))
        let segments = dir.appendingPathComponent("seg.csv")
        try "customer_id,segment,label\nA,0,champions\nB,1,\n".write(to: segments, atomically: true, encoding: .utf8)
        #expect(try JourneyInputs.readSegments(contentsOf: segments) == CustomerSegments(ids: ["A", "B"], names: ["0 champions", "1"]))
        let plain = dir.appendingPathComponent("plain.csv")
        try "customer_id,segment\nA,3\n".write(to: plain, atomically: true, encoding: .utf8)
        #expect(try JourneyInputs.readSegments(contentsOf: plain) == CustomerSegments(ids: ["A"], names: ["3"]))
    }

    @Test func duplicateCustomerNamesItsLine() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let clv = dir.appendingPathComponent("clv.csv")
        try "clv,customer_id\n1,A\n2,B\n\n3,A\n".write(to: clv, atomically: true, encoding: .utf8)
        #expect(throws: JourneyError.duplicateCustomer(path: clv.path, line: 5, column: 2, id: "A")) {
            try JourneyInputs.readValues(contentsOf: clv)
        }
    }

    @Test func missingColumnAndBadValueAreTypedErrors() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let clv = dir.appendingPathComponent("clv.csv")
        try "customer_id,value\nA,1\n".write(to: clv, atomically: true, encoding: .utf8)
        #expect(throws: JourneyError.self) { try JourneyInputs.readValues(contentsOf: clv) }
        try "customer_id,clv\nA,abc\n".write(to: clv, atomically: true, encoding: .utf8)
        do { _ = try JourneyInputs.readValues(contentsOf: clv) } catch {
            #expect(error.description.hasSuffix("clv.csv:2:2: column 'clv': 'abc' is not a number"))
        }
        #expect(throws: JourneyError.data(.fileNotFound(path: dir.appendingPathComponent("none.csv").path))) {
            try JourneyInputs.readValues(contentsOf: dir.appendingPathComponent("none.csv"))
        }
    }
}

import CAPMData
import Foundation
import Testing

@Suite("decoding failures")
struct DecodingFailureTests {
    struct Item: Decodable { let name: String; let active: Bool; let values: [Double] }
    struct Document: Decodable { let items: [Item] }

    @Test(
        "a decoding error reads as a key path and a reason",
        arguments: [
            (#"{"items": [{"name": "a", "active": true, "values": []}, {"name": "b", "values": [1]}]}"#,
             "items[1].active", "missing key"),
            (#"{"items": [{"name": "a", "active": "yes", "values": []}]}"#, "items[0].active", "expected true or false"),
            (#"{"items": [{"name": "a", "active": true, "values": ["x"]}]}"#, "items[0].values[0]", "expected a number"),
            (#"{"items": [{"name": "a", "active": true, "values": null}]}"#, "items[0].values",
             "expected a list, found null"),
            (#"{"items": 3}"#, "items", "expected a list"),
        ])
    func reads(json: String, keyPath: String, reason: String) throws {
        do {
            _ = try JSONDecoder().decode(Document.self, from: Data(json.utf8))
            Issue.record("decoded \(json)")
        } catch let error as DecodingError {
            let failure = DecodingFailure(error)
            #expect(failure.keyPath == keyPath)
            #expect(failure.reason == reason)
        }
    }

    @Test("text that is not JSON is a failure at the top level; YAML names objects mappings")
    func notJSON() throws {
        do {
            _ = try JSONDecoder().decode(Document.self, from: Data("xx".utf8))
            Issue.record("decoded")
        } catch let error as DecodingError {
            let failure = DecodingFailure(error)
            #expect(failure.path.isEmpty && failure.keyPath.isEmpty && !failure.reason.isEmpty)
        }
        #expect(DecodingFailure.typeName([String: Int].self, objectName: "a mapping") == "a mapping")
        #expect(DecodingFailure.typeName([String: Int].self) == "an object")
    }
}

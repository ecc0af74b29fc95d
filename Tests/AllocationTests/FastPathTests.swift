import Foundation
import LinearProgramming
import Testing
import Yams

@testable import Allocation

/// The fast paths of reading and building against the general ones they replace: the node decoder against Yams'
/// `YAMLDecoder`, the digit-by-digit column names against string interpolation, the per-cell row order against
/// a sorted copy.
@Suite("Allocation: plan decoder and LP build fast paths")
struct FastPathTests {
    static func examplePlan() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("Examples/plan.yaml"), encoding: .utf8)
    }

    @Test("the node decoder gives the same Plan as YAMLDecoder (bundled plan, small plan, shares plan)")
    func decoderMatchesYams() throws {
        var texts = [try Self.examplePlan(), SmallPlan.text()]
        texts.append(SmallPlan.text() + "  - {channel: web, max_share: 0.5}\n  - {roi_floor: 1.1}\n")
        for text in texts {
            let node = try #require(try Yams.compose(yaml: text))
            let fast = try PlanNodeDecoder.decode(Plan.self, from: node)
            let reference = try YAMLDecoder().decode(Plan.self, from: node)
            #expect(fast == reference)
        }
    }

    @Test("decoding errors carry the same case, coding path and expected type as YAMLDecoder's", arguments: [
        "  - {id: A, customers: many, clv: 100}",
        "  - {id: A, customers: [1, 2], clv: 100}",
        "  - {customers: 10, clv: 100}",
        "  - {id: A, customers: 10, clv: 100, label: vip}",
        "  - 12",
    ])
    func decoderErrorsMatchYams(_ segmentLine: String) throws {
        let node = try #require(try Yams.compose(yaml: SmallPlan.text(replacing: 4, with: segmentLine)))
        func describe(_ body: () throws -> Plan) -> String {
            do {
                _ = try body()
                return "no error"
            } catch let DecodingError.typeMismatch(type, context) {
                return "typeMismatch \(type) \(PlanReader.components(context.codingPath))"
            } catch let DecodingError.keyNotFound(key, context) {
                return "keyNotFound \(key.stringValue) \(PlanReader.components(context.codingPath))"
            } catch let DecodingError.valueNotFound(type, context) {
                return "valueNotFound \(type) \(PlanReader.components(context.codingPath))"
            } catch let DecodingError.dataCorrupted(context) {
                return "dataCorrupted \(PlanReader.components(context.codingPath))"
            } catch {
                return "other \(error)"
            }
        }
        let fast = describe { try PlanNodeDecoder.decode(Plan.self, from: node) }
        let reference = describe { try YAMLDecoder().decode(Plan.self, from: node) }
        #expect(fast == reference)
        #expect(fast != "no error")
    }

    @Test("merge keys: the decoder leaves them to YAMLDecoder (the reader's key check rejects them first); aliases read like their values")
    func mergeKeysAndAliases() throws {
        let merged = SmallPlan.text(replacing: 4, with: "  - {<<: {customers: 10, clv: 100}, id: A}")
        let node = try #require(try Yams.compose(yaml: merged))
        let unsupported = try #require(throws: PlanNodeDecoder.Unsupported.self) {
            try PlanNodeDecoder.decode(Plan.self, from: node)
        }
        #expect(unsupported == .mergeKey)
        #expect(throws: AllocationError.self) { try PlanReader.read(text: merged, file: "merge.yaml") }
        let plain = try PlanReader.read(text: SmallPlan.text(), file: "plain.yaml").plan
        var aliased = SmallPlan.text(replacing: 2, with: "budget: {amount: &b 1000}")
        aliased = aliased.replacingOccurrences(of: "  - {moment: M, max: 15}", with: "  - {moment: M, max: *b}")
        var expected = plain
        expected.constraints[0].max = 1000
        #expect(try PlanReader.read(text: aliased, file: "alias.yaml").plan == expected)
    }

    @Test("column names are the interpolated C<cell>P<piece>", arguments: [(0, 0), (7, 3), (49_999, 9), (123_456_789, 1000), (Int.max, Int.max)])
    func columnNames(_ c: Int, _ k: Int) {
        #expect(pieceColumnName(cell: c, piece: k) == "C\(c)P\(k)")
    }

    @Test("every column of the LP arrives in row order (shares, ROI floor, frequency caps, min-spend target)")
    func columnsInRowOrder() throws {
        var text = SmallPlan.text()
        text += "  - {channel: web, max_share: 0.9}\n  - {roi_floor: 1.1}\n  - {segment: A, units_per_customer: 50}\n"
        let (plan, locator) = try PlanReader.read(text: text, file: "rows.yaml")
        let problem = try AllocationProblem(plan: plan, locator: locator)
        for scenario in [AllocationScenario(), AllocationScenario(kind: .minSpend, targetUplift: 20)] {
            let lp = try AllocationLP(problem: problem, scenario: scenario, budget: 1000)
            let a = lp.model.matrix
            #expect(lp.rows.contains { if case .roiFloor = $0.kind { true } else { false } })
            #expect(lp.rows.contains { $0.kind == .totalSpend })
            for j in 0..<a.columns {
                let rows = a.rowIndices[a.columnStarts[j]..<a.columnStarts[j + 1]]
                #expect(zip(rows, rows.dropFirst()).allSatisfy { $0 < $1 }, "column \(j)")
            }
        }
    }
}

import Foundation
import Testing

@testable import Allocation

@Suite("Allocation: response curves, templates, segments from capm segment")
struct ResponseTests {
    @Test("chord linearization: the stated error bound is the true largest gap (dense sampling)", arguments: [
        SmoothResponse.saturating(maxUplift: 100_000, scale: 20_000),
        SmoothResponse.hill(maxUplift: 50_000, halfSaturation: 8_000),
    ], [4, 10, 40])
    func chordError(curve: SmoothResponse, pieces: Int) {
        let maxSpend = curve.spend(atFraction: 0.99)
        let (pl, bound) = curve.linearized(pieces: pieces, maxSpend: maxSpend)
        #expect(pl.pieceCount == pieces)
        #expect(close(pl.capacity, maxSpend, rel: 1e-12))
        var sampled = 0.0
        for i in 0...20_000 {
            let s = maxSpend * Double(i) / 20_000
            let gap = curve.value(at: s) - pl.value(at: s)
            #expect(gap >= -1e-6)
            sampled = max(sampled, gap)
        }
        #expect(sampled <= bound * (1 + 1e-9))
        #expect(sampled >= bound * 0.999)
        // Concave: slopes non-increasing.
        for k in 1..<pl.pieceCount { #expect(pl.slope(k) <= pl.slope(k - 1)) }
    }

    @Test("templates scale uplift by segment size × CLV and follow labels")
    func templates() throws {
        let text = """
        version: 1
        budget: {amount: 5000}
        segments:
          - {id: big, label: champions, customers: 1000, clv: 200}
          - {id: small, label: champions, customers: 100, clv: 200}
          - {id: other, label: dormant, customers: 5000, clv: 10}
        moments: [{id: keep, stage: post_purchase}]
        channels: [{id: email}]
        templates:
          - {label: champions, moment: keep, channel: email, uplift_fraction: 0.1, scale_per_customer: 2, pieces: 12}
        """
        let (plan, locator) = try PlanReader.read(text: text, file: "t.yaml")
        let p = try AllocationProblem(plan: plan, locator: locator)
        #expect(p.cells.map(\.id) == ["big/keep/email", "small/keep/email"])
        // big: M = 1000·0.1·200 = 20,000, λ = 2,000; modelled to 99 % saturation.
        #expect(p.cells[0].curve == .saturating(maxUplift: 20_000, scale: 2_000))
        #expect(close(p.cells[0].response.uplifts.last, 19_800, rel: 1e-12))
        #expect(p.cells[1].curve == .saturating(maxUplift: 2_000, scale: 200))
        let r = try Allocator.solve(p, scenario: AllocationScenario())
        #expect(r.status == .optimal)
        // Same curve shape per customer: at the optimum both cells have the same marginal ROI band, so spend per
        // customer is equal up to one chord.
        let perCustomer = r.cells.map { $0.spend } .enumerated().map { $0.element / (($0.offset == 0) ? 1000 : 100) }
        #expect(abs(perCustomer[0] - perCustomer[1]) <= 2 * 2 * log(100) / 12 + 1e-9)
        let bracket = try #require(r.bracket)
        #expect(bracket.lower <= bracket.curveUplift + 1e-9 && bracket.curveUplift <= bracket.upper + 1e-9)
    }

    @Test("segments_from reads capm segment profiles with labels")
    func segmentsFrom() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capm-alloc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let profiles = """
        [{"segment": 0, "label": "champions", "size": 300, "customerShare": 0.3, "clvShare": 0.8, "meanCLV": 400,
          "medianCLV": 350, "totalCLV": 120000, "meanPAlive": 0.9, "means": []},
         {"segment": 1, "label": "dormant", "size": 700, "customerShare": 0.7, "clvShare": 0.2, "meanCLV": 43,
          "medianCLV": 20, "totalCLV": 30100, "meanPAlive": 0.2, "means": []}]
        """
        try profiles.write(to: dir.appendingPathComponent("segments.json"), atomically: true, encoding: .utf8)
        let plan = """
        version: 1
        budget: {amount: 1000}
        segments_from: segments.json
        moments: [{id: m, stage: awareness}]
        channels: [{id: c}]
        templates:
          - {label: dormant, moment: m, channel: c, uplift_fraction: 0.1, scale_per_customer: 1}
        """
        let url = dir.appendingPathComponent("plan.yaml")
        try plan.write(to: url, atomically: true, encoding: .utf8)
        let p = try AllocationProblem.load(contentsOf: url)
        #expect(p.segments.map(\.id) == ["segment-0", "segment-1"])
        #expect(p.segments[1].customers == 700)
        #expect(p.cells.map(\.id) == ["segment-1/m/c"])
        #expect(p.cells[0].curve == .saturating(maxUplift: 700 * 0.1 * 43, scale: 700))
    }

    @Test("piecewise response: value, marginal left/right at and between breakpoints")
    func piecewise() {
        let r = PiecewiseLinearResponse(spends: [0, 10, 30], uplifts: [0, 40, 70])
        #expect(r.value(at: 5) == 20)
        #expect(r.value(at: 30) == 70)
        #expect(r.value(at: 99) == 70)
        #expect(r.marginal(at: 10).left == 4)
        #expect(r.marginal(at: 10).right == 1.5)
        #expect(r.marginal(at: 0).left == nil)
        #expect(r.marginal(at: 30).right == nil)
        let hull = PiecewiseLinearResponse.concaveEnvelope(spends: [0, 1, 2, 3], uplifts: [0, 1, 4, 5])
        #expect(hull.spends == [0, 2, 3])
    }
}

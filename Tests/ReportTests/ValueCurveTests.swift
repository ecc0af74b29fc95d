import Allocation
import Foundation
import Testing

@testable import Report

@Suite("Value curve of a budget sweep")
struct ValueCurveTests {
    @Test("the fixture's sweep: points in budget order, uplift non-decreasing and concave, knee inside")
    func fixture() throws {
        let report = try RunReport.load(runDirectory: Fixture.directory)
        let sweep = try #require(report.sweep)
        let curve = try #require(ValueCurve(sweep))
        let pts = curve.points
        #expect(pts.count >= (sweep.sweep?.count ?? 0))
        for k in 1..<pts.count {
            #expect(pts[k].spend > pts[k - 1].spend)
            #expect(pts[k].uplift >= pts[k - 1].uplift - 1e-6)
        }
        for k in 1..<(pts.count - 1) {
            let left = (pts[k].uplift - pts[k - 1].uplift) / (pts[k].spend - pts[k - 1].spend)
            let right = (pts[k + 1].uplift - pts[k].uplift) / (pts[k + 1].spend - pts[k].spend)
            #expect(right <= left + 1e-6 * max(1, abs(left)), "not concave at \(k)")
        }
        let knee = try #require(curve.knee)
        #expect(knee > 0 && knee < pts.count - 1)
        // Shadow prices never increase with the budget (the value curve is concave).
        let prices = curve.shadowPrices.map(\.uplift)
        for k in 1..<prices.count { #expect(prices[k] <= prices[k - 1] + 1e-6 * max(1, abs(prices[k - 1]))) }
    }

    @Test("Kneedle on a broken line: the knee is the break")
    func kneeOfBrokenLine() {
        let pts = [(0.0, 0.0), (1, 5), (2, 10), (3, 10.5), (4, 11), (5, 11.5)].map { ResponseCurve.Point(spend: $0.0, uplift: $0.1) }
        #expect(ValueCurve.knee(pts) == 2)
        #expect(ValueCurve.knee(Array(pts.prefix(2))) == nil)
        #expect(ValueCurve.knee([0.0, 1, 2].map { ResponseCurve.Point(spend: $0, uplift: 1) }) == nil)
    }
}

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

    @Test("an infeasible sweep budget (uplift NaN in the JSON) is left out of the curve and named")
    func infeasiblePoint() throws {
        var sweep = try #require(try RunReport.load(runDirectory: Fixture.directory).sweep)
        var grid = try #require(sweep.sweep)
        let budget = grid[0].budget
        grid[0].uplift = .nan
        grid[0].shadowPrice = nil
        sweep.sweep = grid
        let curve = try #require(ValueCurve(sweep))
        #expect(curve.infeasibleBudgets == [budget])
        #expect(curve.points.allSatisfy { $0.uplift.isFinite && $0.spend != budget })
        let chart = Chart.lines([Chart.Series(name: "u", cssClass: "uplift", points: [(budget, .nan)] + curve.points.map { ($0.spend, $0.uplift) })],
                                title: "t", xTitle: "x", yTitle: "y")
        let text = chart.render()
        #expect(!text.contains("nan") && !text.contains("inf"))
        #expect(HTMLChecker(text).errors.isEmpty)
        // An all-infeasible sweep has no curve.
        sweep.sweep = grid.map { var p = $0; p.uplift = .nan; return p }
        sweep.breakpoints = []
        #expect(ValueCurve(sweep) == nil)
    }
}

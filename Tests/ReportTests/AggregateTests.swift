import Foundation
import Testing

@testable import Report

/// Deterministic log-normal-ish values for tests (SplitMix64 → uniform → exp of a sum of uniforms).
func syntheticCLV(_ n: Int, seed: UInt64 = 7) -> (clv: [Double], pAlive: [Double]) {
    var state = seed
    func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }
    var clv: [Double] = []
    var p: [Double] = []
    for i in 0..<n {
        let g = (next() + next() + next() - 1.5) * 2.5
        clv.append(i % 17 == 0 ? 0 : exp(3 + g))
        p.append(next())
    }
    return (clv, p)
}

@Suite("Histogram and Lorenz curve")
struct AggregateTests {
    @Test("log histogram counts add up to N, zeros and negatives included", arguments: [1, 2, 10, 1000, 20000])
    func logCounts(_ n: Int) {
        var (clv, _) = syntheticCLV(n)
        if n > 2 { clv[1] = -5 }
        let h = Histogram.logarithmic(clv, bins: 40)
        #expect(h.total == n)
        #expect(h.edges.count == h.counts.count + 1)
        #expect(zip(h.edges, h.edges.dropFirst()).allSatisfy { $0 < $1 })
        #expect(h.belowRange == clv.filter { !($0 > 0) }.count)
    }

    @Test("linear histogram of P(alive) adds up to N")
    func linearCounts() {
        let (_, p) = syntheticCLV(5000)
        let h = Histogram.linear(p + [0, 1, 1], lo: 0, hi: 1, bins: 20)
        #expect(h.total == 5003)
        #expect(h.counts.count == 20)
    }

    @Test("all-zero values: everything below range, one empty bin")
    func allZero() {
        let h = Histogram.logarithmic([0, 0, 0])
        #expect(h.total == 3 && h.belowRange == 3)
    }

    @Test("Lorenz curve: from (0,0) to (1,1), non-decreasing, convex, at most 201 points", arguments: [2, 3, 150, 10_000])
    func lorenzShape(_ n: Int) throws {
        let (clv, _) = syntheticCLV(n)
        let l = try #require(LorenzCurve(clv))
        #expect(l.points.count <= 201)
        #expect(l.points.first?.p == 0 && l.points.first?.share == 0)
        #expect(l.points.last?.p == 1 && l.points.last?.share == 1)
        let pts = l.points
        for k in 1..<pts.count { #expect(pts[k].share >= pts[k - 1].share - 1e-15) }
        for k in 1..<(pts.count - 1) {
            let left = (pts[k].share - pts[k - 1].share) / (pts[k].p - pts[k - 1].p)
            let right = (pts[k + 1].share - pts[k].share) / (pts[k + 1].p - pts[k].p)
            #expect(right >= left - 1e-9, "not convex at \(k)")
        }
        for k in pts.indices { #expect(pts[k].share <= pts[k].p + 1e-12) }
    }

    @Test("Gini: 0 for equal values, (n−1)/n when one customer holds everything, matches the mean-difference formula")
    func gini() throws {
        #expect(abs(try #require(LorenzCurve([5, 5, 5, 5])).gini) < 1e-12)
        let one = try #require(LorenzCurve([0, 0, 0, 0, 10]))
        #expect(abs(one.gini - 0.8) < 1e-12)
        #expect(abs(one.topShares[0].share - 1) < 1e-12)
        // G = Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² mean), computed directly.
        let x: [Double] = [1, 2, 3, 7, 20, 0.5, 4]
        var s = 0.0
        for a in x { for b in x { s += abs(a - b) } }
        let expected = s / (2 * Double(x.count * x.count) * (x.reduce(0, +) / Double(x.count)))
        #expect(abs(try #require(LorenzCurve(x)).gini - expected) < 1e-12)
    }

    @Test("no Lorenz curve for an empty or zero-total portfolio")
    func lorenzNil() {
        #expect(LorenzCurve([]) == nil)
        #expect(LorenzCurve([0, 0]) == nil)
    }

    @Test("top shares: the top 10 % of 100 customers with values 1…100")
    func topShares() throws {
        let l = try #require(LorenzCurve((1...100).map(Double.init)))
        let top10 = try #require(l.topShares.first { $0.fraction == 0.1 })
        #expect(abs(top10.share - Double((91...100).reduce(0, +)) / 5050) < 1e-12)
    }

    @Test("the page does not grow with the customers: element count bounded independent of N")
    func boundedElements() throws {
        var report = try RunReport.load(runDirectory: Fixture.directory)
        var counts: [Int] = []
        var sizes: [Int] = []
        for n in [500, 200_000] {
            let (clv, p) = syntheticCLV(n)
            report.customers = CustomerValues(clv: clv, pAlive: p)
            let html = report.html()
            let check = HTMLChecker(html)
            #expect(check.errors.isEmpty)
            counts.append(check.elementCount)
            sizes.append(html.utf8.count)
        }
        // Histograms have at most 40 + 1 and 20 bars: the counts can differ only by bins that are empty.
        #expect(abs(counts[1] - counts[0]) <= 2 * 61)
        #expect(counts[1] < 3000)
        #expect(sizes[1] < 400_000)
    }
}

import CAPMNumerics
import Testing

@Suite("Seeded random numbers")
struct RandomTests {
    /// Reference outputs of SplitMix64 from seed 0 (Vigna's splitmix64.c).
    @Test func splitMixMatchesReference() {
        var g = SplitMix64(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
        #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func sameSeedSameStream() {
        var a = Xoshiro256(seed: 42, stream: 7)
        var b = Xoshiro256(seed: 42, stream: 7)
        var c = Xoshiro256(seed: 42, stream: 8)
        let xs = (0..<8).map { _ in a.next() }
        #expect(xs == (0..<8).map { _ in b.next() })
        #expect(xs != (0..<8).map { _ in c.next() })
    }

    @Test func openUnitNeverHitsTheEnds() {
        var g = Xoshiro256(seed: 1)
        for _ in 0..<100_000 {
            let u = g.nextOpenUnit()
            #expect(u > 0 && u < 1)
        }
    }

    /// Sample moments of 200,000 draws lie within 5 standard errors of the distribution's.
    @Test(arguments: [(0.5, 2.0), (1.0, 1.0), (2.5, 0.4), (10.0, 3.0)])
    func gammaMoments(shape: Double, scale: Double) {
        var g = Xoshiro256(seed: 2024)
        let n = 200_000
        var sum = 0.0, sumSq = 0.0
        for _ in 0..<n {
            let x = g.nextGamma(shape: shape, scale: scale)
            sum += x
            sumSq += x * x
        }
        let mean = sum / Double(n)
        let variance = sumSq / Double(n) - mean * mean
        let trueMean = shape * scale, trueVariance = shape * scale * scale
        #expect(abs(mean - trueMean) < 5 * (trueVariance / Double(n)).squareRoot())
        #expect(abs(variance / trueVariance - 1) < 0.05)
    }

    @Test func betaMean() {
        var g = Xoshiro256(seed: 9)
        let (a, b) = (0.793, 2.426)
        let n = 200_000
        let mean = (0..<n).reduce(0.0) { acc, _ in acc + g.nextBeta(a, b) } / Double(n)
        let trueMean = a / (a + b)
        let sd = (a * b / ((a + b) * (a + b) * (a + b + 1)) / Double(n)).squareRoot()
        #expect(abs(mean - trueMean) < 5 * sd)
    }

    @Test func geometricMean() {
        var g = Xoshiro256(seed: 5)
        let p = 0.2
        let n = 200_000
        let mean = Double((0..<n).reduce(0) { acc, _ in acc + g.nextGeometricFailures(successProbability: p) }) / Double(n)
        #expect(abs(mean - (1 - p) / p) < 0.05)
    }
}

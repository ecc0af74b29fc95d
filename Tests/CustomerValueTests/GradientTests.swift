import Foundation
import Testing

@testable import CustomerValue

/// The dual-number gradients equal central finite differences of the log-likelihood (in log-parameters).
@Suite struct GradientTests {
    static func check(_ point: [Double], _ ll: ([Dual]) -> Dual?) throws {
        func at(_ theta: [Double]) -> Dual? {
            ll(theta.enumerated().map { i, t in
                var g = SIMD4<Double>.zero
                g[i] = exp(t)
                return Dual(exp(t), gradient: g)
            })
        }
        let theta = point.map { log($0) }
        let l = try #require(at(theta))
        for i in theta.indices {
            let h = 1e-6
            var plus = theta, minus = theta
            plus[i] += h
            minus[i] -= h
            let fd = (try #require(at(plus)).value - (try #require(at(minus)).value)) / (2 * h)
            #expect(abs(fd - l.gradient[i]) < 1e-5 * max(1, abs(fd)), "parameter \(i): dual \(l.gradient[i]) finite difference \(fd)")
        }
    }

    @Test func purchaseModels() throws {
        let summary = try Fixtures.cdnowSummary()
        let patterns = RepeatPatterns(summary)
        try Self.check([0.3, 5, 0.7, 2.2]) { BGNBD.logLikelihood($0, patterns: patterns) }
        try Self.check([0.5, 9, 0.8, 12]) { ParetoNBD.logLikelihood($0, patterns: patterns) }
        try Self.check([0.5, 9, 0.8, 6]) { ParetoNBD.logLikelihood($0, patterns: patterns) }
        try Self.check([0.5, 6, 0.9, 1.6]) { MBGNBD.logLikelihood($0, patterns: patterns) }
    }

    @Test func spendAndRetentionModels() throws {
        let summary = try Fixtures.cdnowSummary()
        let data = try GammaGamma.SpendData(summary)
        try Self.check([5, 3, 14]) { GammaGamma.logLikelihood($0, data: data) }
        try Self.check([0.7, 1.2]) { ShiftedBetaGeometric.logLikelihood(alpha: $0[0], beta: $0[1], alive: [1000, 631, 468, 382]) }
        try Self.check([1.2, 0.75, 0.66, 2.8]) { BGBB.logLikelihood($0, x: 3, tx: 4, n: 6) }
    }
}

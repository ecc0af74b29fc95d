import Foundation
import Testing

@testable import CustomerValue

@Suite struct BGNBDTests {
    /// Fader, Hardie & Lee (2005), Table/p. 281: r 0.243, α 4.414, a 0.793, b 2.426, LL −9582.4.
    @Test func reproducesPublishedCDNOWEstimates() throws {
        let summary = try Fixtures.cdnowSummary()
        #expect(summary.count == 2357)
        let patterns = RepeatPatterns(summary)
        let fitted = try BGNBD.fit(patterns).requireConverged()
        let m = fitted.model
        #expect(abs(m.r - 0.243) < 0.0005)
        #expect(abs(m.alpha - 4.414) < 0.0005)
        #expect(abs(m.a - 0.793) < 0.0005)
        #expect(abs(m.b - 2.426) < 0.0005)
        #expect(abs(fitted.fit.logLikelihood - -9582.4) < 0.05)
        #expect(fitted.fit.hessianPositiveDefinite)
    }
}

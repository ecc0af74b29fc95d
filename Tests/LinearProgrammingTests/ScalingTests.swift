import CAPMNumerics
import Foundation
import Testing

@testable import LinearProgramming

/// The exponent-based power of two used by ``Scaling`` against the libm expression it replaces.
@Suite struct ScalingPowerOfTwoTests {
    @Test func matchesLibmOnRandomAndEdgeValues() {
        var rng = Xoshiro256(seed: 7)
        var values: [Double] = [1, 2, 0.5, 1.4142135623730951, 1.414213562373095, 1.4142135623730954, 3, 1e-300, 1e300,
                                .leastNormalMagnitude, .greatestFiniteMagnitude, .leastNonzeroMagnitude]
        for _ in 0..<20_000 {
            let e = Int(rng.nextOpenUnit() * 400) - 200
            values.append(Double(sign: .plus, exponent: e, significand: 1 + rng.nextOpenUnit()))
        }
        for v in values {
            let expected = exp2(log2(v).rounded())
            #expect(Scaling.nearestPowerOfTwo(v) == expected, "v = \(v)")
        }
        #expect(Scaling.nearestPowerOfTwo(0) == 1)
        #expect(Scaling.nearestPowerOfTwo(-4) == 1)
        #expect(Scaling.nearestPowerOfTwo(.infinity) == 1)
        #expect(Scaling.nearestPowerOfTwo(.nan) == 1)
    }
}

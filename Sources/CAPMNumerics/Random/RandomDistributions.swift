#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Draws from the continuous and discrete distributions that CAPM's simulations need.
///
/// All draws consume only ``Xoshiro256`` output, so a seed fixes every simulated number.
extension Xoshiro256 {
    /// A standard normal draw (Marsaglia's polar method; the spare value is discarded so each call consumes a
    /// whole number of uniforms and streams stay aligned).
    @inlinable
    public mutating func nextStandardNormal() -> Double {
        while true {
            let u = 2 * nextOpenUnit() - 1
            let v = 2 * nextOpenUnit() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                return u * (-2 * log(s) / s).squareRoot()
            }
        }
    }

    /// An exponential draw with the given `rate` λ (mean 1/λ), by inversion `−log(U)/λ`.
    @inlinable
    public mutating func nextExponential(rate: Double) -> Double {
        -log(nextOpenUnit()) / rate
    }

    /// A gamma draw with `shape` k > 0 and `scale` θ > 0 (mean k·θ).
    ///
    /// Marsaglia & Tsang (2000), "A simple method for generating gamma variables", ACM TOMS 26(3); for
    /// k < 1 the boost `G(k) = G(k + 1)·U^{1/k}`.
    @inlinable
    public mutating func nextGamma(shape: Double, scale: Double) -> Double {
        precondition(shape > 0 && scale > 0, "gamma parameters must be positive")
        if shape < 1 {
            let g = nextGamma(shape: shape + 1, scale: 1)
            return g * pow(nextOpenUnit(), 1 / shape) * scale
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double
            var v: Double
            repeat {
                x = nextStandardNormal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = nextOpenUnit()
            if u < 1 - 0.0331 * x * x * x * x { return d * v * scale }
            if log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v * scale }
        }
    }

    /// A beta draw with shapes `a`, `b` > 0, as `X/(X+Y)` with `X ~ Gamma(a)`, `Y ~ Gamma(b)`.
    @inlinable
    public mutating func nextBeta(_ a: Double, _ b: Double) -> Double {
        let x = nextGamma(shape: a, scale: 1)
        let y = nextGamma(shape: b, scale: 1)
        let s = x + y
        return s > 0 ? x / s : (nextOpenUnit() < a / (a + b) ? 1 : 0)
    }

    /// A geometric draw: the number of failures before the first success with success probability `p`, by
    /// inversion.
    @inlinable
    public mutating func nextGeometricFailures(successProbability p: Double) -> Int {
        if p >= 1 { return 0 }
        if p <= 0 { return Int.max }
        let value = (log(nextOpenUnit()) / log1p(-p)).rounded(.down)
        return value >= Double(Int.max) ? Int.max : Int(value)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gauss–Legendre quadrature nodes and weights on [−1, 1], computed by Newton's method on the Legendre
/// polynomial Pₙ from the Tricomi initial guesses `cos(π(i − 1/4)/(n + 1/2))` (Press et al., *Numerical
/// Recipes*, 3rd ed., §4.6). Exact for polynomials of degree 2n − 1.
public struct GaussLegendre: Sendable {
    /// Nodes in (−1, 1), increasing.
    public let nodes: [Double]
    /// Positive weights summing to 2.
    public let weights: [Double]

    /// The n-point rule.
    /// - Complexity: O(n²).
    public init(points n: Int) {
        precondition(n >= 1)
        var x = [Double](repeating: 0, count: n), w = [Double](repeating: 0, count: n)
        for i in 0..<(n + 1) / 2 {
            var z = cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5))
            var dp = 0.0
            for _ in 0..<100 {
                var p1 = 1.0, p2 = 0.0
                for j in 1...n {
                    let p3 = p2
                    p2 = p1
                    p1 = ((2 * Double(j) - 1) * z * p2 - (Double(j) - 1) * p3) / Double(j)
                }
                dp = Double(n) * (z * p1 - p2) / (z * z - 1)
                let dz = p1 / dp
                z -= dz
                if abs(dz) < 1e-15 { break }
            }
            x[i] = -z
            x[n - 1 - i] = z
            w[i] = 2 / ((1 - z * z) * dp * dp)
            w[n - 1 - i] = w[i]
        }
        nodes = x
        weights = w
    }

    /// `∫ₐᵇ f(t) dt` by the rule mapped to [a, b].
    public func integrate(from a: Double, to b: Double, _ f: (Double) -> Double) -> Double {
        let half = 0.5 * (b - a), mid = 0.5 * (a + b)
        var s = 0.0
        for i in nodes.indices { s += weights[i] * f(mid + half * nodes[i]) }
        return s * half
    }
}

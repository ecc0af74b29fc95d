#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gauss's hypergeometric function `₂F₁(a, b; c; z) = Σₖ (a)ₖ(b)ₖ/((c)ₖ k!) zᵏ` for `0 ≤ z < 1`, by its
/// power series (Abramowitz & Stegun 15.1.1).
///
/// Callers in this module pick, between the series and Euler's transformation
/// `₂F₁(a,b;c;z) = (1−z)^(c−a−b) ₂F₁(c−a, c−b; c; z)` (A&S 15.3.3), the form whose terms do not grow:
/// large parameters (a frequency of 10,000) then sit in `c` only, as Fader & Hardie recommend in their notes
/// on the Pareto/NBD ("A Note on Deriving the Pareto/NBD Model and Related Expressions", 2005) and the
/// BG/NBD conditional expectation. Terms are rescaled when they exceed 1e200, so no intermediate overflows.
///
/// - Returns: `ln ₂F₁` or `nil` when the sum is not positive or the series did not converge within
///   `maxTerms` terms (which only happens for `z` extremely close to 1).
/// - Complexity: O(k) with k the number of terms until `|term| < 1e-17·|sum|`; k grows like
///   `log(ε)/log(z)` near `z = 1`.
@inlinable
public func logHypergeometric2F1(_ a: Double, _ b: Double, _ c: Double, _ z: Double, maxTerms: Int = 500_000) -> Double? {
    if z == 0 { return 0 }
    var term = 1.0, sum = 1.0, logScale = 0.0
    var k = 0.0
    var n = 0
    while n < maxTerms {
        term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z
        sum += term
        k += 1
        n += 1
        if abs(term) <= 1e-17 * abs(sum) && abs((a + k) * (b + k) / ((c + k) * (k + 1)) * z) < 1 { break }
        if abs(sum) > 1e200 {
            sum *= 1e-200
            term *= 1e-200
            logScale += 200 * M_LN10
        }
        if term == 0 { break }
    }
    guard n < maxTerms, sum > 0, sum.isFinite else { return nil }
    return log(sum) + logScale
}

/// ``logHypergeometric2F1(_:_:_:_:maxTerms:)`` on dual numbers: the derivative with respect to the
/// parameters and `z` comes from differentiating every term of the series (exact, term by term).
@inlinable
public func logHypergeometric2F1(_ a: Dual, _ b: Dual, _ c: Dual, _ z: Dual, maxTerms: Int = 500_000) -> Dual? {
    if z.value == 0 && z.gradient == .zero { return .zero }
    var term = Dual(1), sum = Dual(1)
    var logScale = 0.0
    var k = 0.0
    var n = 0
    while n < maxTerms {
        term = term * ((a + k) * (b + k) / ((c + k) * (k + 1)) * z)
        sum += term
        k += 1
        n += 1
        if abs(term.value) <= 1e-17 * abs(sum.value)
            && abs((a.value + k) * (b.value + k) / ((c.value + k) * (k + 1)) * z.value) < 1
        {
            break
        }
        if abs(sum.value) > 1e200 {
            sum = sum * 1e-200
            term = term * 1e-200
            logScale += 200 * M_LN10
        }
        if term.value == 0 { break }
    }
    guard n < maxTerms, sum.value > 0, sum.value.isFinite else { return nil }
    return log(sum) + logScale
}

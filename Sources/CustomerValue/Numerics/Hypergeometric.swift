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

/// ``logHypergeometric2F1(_:_:_:_:maxTerms:)`` on dual numbers.
///
/// The series runs in plain Doubles; alongside it accumulates the exact partial derivatives of its terms,
/// `∂ ln tₖ/∂a = Σ_{j<k} 1/(a+j)`, `∂ ln tₖ/∂b = Σ_{j<k} 1/(b+j)`, `∂ ln tₖ/∂c = −Σ_{j<k} 1/(c+j)`,
/// `∂ ln tₖ/∂z = k/z`, and the chain rule maps them onto the duals' gradients:
/// `∇ ln F = (Σ tₖ ∂ln tₖ/∂a · ∇a + … ) / F`. Three to four times cheaper than running the series on duals.
public func logHypergeometric2F1(_ a: Dual, _ b: Dual, _ c: Dual, _ z: Dual, maxTerms: Int = 500_000) -> Dual? {
    let av = a.value, bv = b.value, cv = c.value, zv = z.value
    if zv == 0 {
        // F = 1; ∂F/∂z = ab/c, the other partials vanish.
        return Dual(0, gradient: z.gradient * (av * bv / cv))
    }
    var term = 1.0, sum = 1.0, logScale = 0.0
    var la = 0.0, lb = 0.0, lc = 0.0  // ∂ ln tₖ/∂a, ∂/∂b, −∂/∂c
    var sa = 0.0, sb = 0.0, sc = 0.0, sz = 0.0  // Σ tₖ·∂ln tₖ/∂·
    var k = 0.0
    var n = 0
    while n < maxTerms {
        let ak = av + k, bk = bv + k, ck = cv + k
        term *= ak * bk / (ck * (k + 1)) * zv
        la += 1 / ak
        lb += 1 / bk
        lc += 1 / ck
        k += 1
        n += 1
        sum += term
        sa += term * la
        sb += term * lb
        sc += term * lc
        sz += term * k
        if abs(term) <= 1e-17 * abs(sum) && abs((av + k) * (bv + k) / ((cv + k) * (k + 1)) * zv) < 1 { break }
        if abs(sum) > 1e200 {
            sum *= 1e-200
            term *= 1e-200
            sa *= 1e-200
            sb *= 1e-200
            sc *= 1e-200
            sz *= 1e-200
            logScale += 200 * M_LN10
        }
        if term == 0 { break }
    }
    guard n < maxTerms, sum > 0, sum.isFinite else { return nil }
    let inv = 1 / sum
    let gradient = a.gradient * (sa * inv) + b.gradient * (sb * inv) - c.gradient * (sc * inv) + z.gradient * (sz * inv / zv)
    return Dual(log(sum) + logScale, gradient: gradient)
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `ln Γ(x)` for `x > 0` (the C library's re-entrant `lgamma_r`, safe to call from several threads).
public func logGamma(_ x: Double) -> Double {
    var sign: Int32 = 0
    return lgamma_r(x, &sign)
}

/// The digamma function `ψ(x) = d ln Γ(x)/dx` for `x > 0`.
///
/// Shifts `x` up to at least 10 with `ψ(x) = ψ(x+1) − 1/x`, then uses the asymptotic series
/// `ψ(x) ≈ ln x − 1/(2x) − Σ B₂ₖ/(2k·x²ᵏ)` (Abramowitz & Stegun 6.3.18) to seven terms; absolute error
/// below 1e-15 for `x ≥ 10`.
/// - Complexity: O(1) (at most 10 shift steps).
public func digamma(_ x: Double) -> Double {
    var x = x
    var result = 0.0
    while x < 10 {
        result -= 1 / x
        x += 1
    }
    let inv = 1 / x, inv2 = inv * inv
    // Bernoulli numbers B2..B14 over 2k: 1/12, −1/120, 1/252, −1/240, 1/132, −691/32760, 1/12.
    let series = inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 * (1.0 / 132 - inv2 * (691.0 / 32760 - inv2 / 12))))))
    return result + log(x) - 0.5 * inv - series
}

/// `ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b)`.
public func logBeta(_ a: Double, _ b: Double) -> Double { logGamma(a) + logGamma(b) - logGamma(a + b) }

/// `ln B(a, b)` on dual numbers.
public func logBeta(_ a: Dual, _ b: Dual) -> Dual { logGamma(a) + logGamma(b) - logGamma(a + b) }

/// `ln(eᵃ + eᵇ)` without overflow.
public func logAddExp(_ a: Double, _ b: Double) -> Double {
    if a == -.infinity { return b }
    if b == -.infinity { return a }
    let m = max(a, b)
    return m + log(exp(a - m) + exp(b - m))
}

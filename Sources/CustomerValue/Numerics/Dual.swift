#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A forward-mode dual number: a value and its gradient with respect to up to four parameters.
///
/// The likelihoods of this module are written once in terms of `Dual`, so every arithmetic operation carries
/// the exact derivative along (the chain rule applied operation by operation, i.e. forward-mode automatic
/// differentiation; Griewank & Walther, *Evaluating Derivatives*, 2nd ed., ch. 3). The gradient is therefore
/// the analytic gradient of the formula as written, exact to rounding — not a finite difference.
/// Four slots cover every model here (BG/NBD, Pareto/NBD, MBG/NBD and BG/BB have four parameters,
/// Gamma-Gamma three, sBG two); unused slots stay zero.
public struct Dual: Sendable, Equatable {
    /// The value `f`.
    public var value: Double
    /// `∂f/∂θᵢ` for `i = 0..<4`.
    public var gradient: SIMD4<Double>

    /// A dual with the given value and gradient.
    public init(_ value: Double, gradient: SIMD4<Double> = .zero) {
        self.value = value
        self.gradient = gradient
    }

    /// The independent variable number `index` (gradient = unit vector `eᵢ`) with value `value`.
    public static func variable(_ value: Double, index: Int) -> Dual {
        var g = SIMD4<Double>.zero
        g[index] = 1
        return Dual(value, gradient: g)
    }

    /// The constant zero.
    public static let zero = Dual(0)

    /// Sum rule. (The arithmetic below is the chain rule of each operation; all of it is inlined into the
    /// likelihood loops by whole-module optimisation.)
    public static func + (l: Dual, r: Dual) -> Dual { Dual(l.value + r.value, gradient: l.gradient + r.gradient) }
    /// `-` with its derivative (sum, product or quotient rule).
    public static func - (l: Dual, r: Dual) -> Dual { Dual(l.value - r.value, gradient: l.gradient - r.gradient) }
    /// `-` with its derivative (sum, product or quotient rule).
    public static prefix func - (x: Dual) -> Dual { Dual(-x.value, gradient: -x.gradient) }
    /// `*` with its derivative (sum, product or quotient rule).
    public static func * (l: Dual, r: Dual) -> Dual {
        Dual(l.value * r.value, gradient: l.gradient * r.value + r.gradient * l.value)
    }
    /// `/` with its derivative (sum, product or quotient rule).
    public static func / (l: Dual, r: Dual) -> Dual {
        let q = l.value / r.value
        return Dual(q, gradient: (l.gradient - r.gradient * q) / r.value)
    }
    /// `+` with its derivative (sum, product or quotient rule).
    public static func + (l: Dual, r: Double) -> Dual { Dual(l.value + r, gradient: l.gradient) }
    /// `+` with its derivative (sum, product or quotient rule).
    public static func + (l: Double, r: Dual) -> Dual { Dual(l + r.value, gradient: r.gradient) }
    /// `-` with its derivative (sum, product or quotient rule).
    public static func - (l: Dual, r: Double) -> Dual { Dual(l.value - r, gradient: l.gradient) }
    /// `-` with its derivative (sum, product or quotient rule).
    public static func - (l: Double, r: Dual) -> Dual { Dual(l - r.value, gradient: -r.gradient) }
    /// `*` with its derivative (sum, product or quotient rule).
    public static func * (l: Dual, r: Double) -> Dual { Dual(l.value * r, gradient: l.gradient * r) }
    /// `*` with its derivative (sum, product or quotient rule).
    public static func * (l: Double, r: Dual) -> Dual { Dual(l * r.value, gradient: r.gradient * l) }
    /// `/` with its derivative (sum, product or quotient rule).
    public static func / (l: Dual, r: Double) -> Dual { Dual(l.value / r, gradient: l.gradient / r) }
    /// `/` with its derivative (sum, product or quotient rule).
    public static func / (l: Double, r: Dual) -> Dual {
        let q = l / r.value
        return Dual(q, gradient: r.gradient * (-q / r.value))
    }
    /// `+=` with its derivative (sum, product or quotient rule).
    public static func += (l: inout Dual, r: Dual) { l = l + r }
    /// `-=` with its derivative (sum, product or quotient rule).
    public static func -= (l: inout Dual, r: Dual) { l = l - r }
    /// `*=` with its derivative (sum, product or quotient rule).
    public static func *= (l: inout Dual, r: Dual) { l = l * r }
    /// `+=` with its derivative (sum, product or quotient rule).
    public static func += (l: inout Dual, r: Double) { l.value += r }
}

/// `ln x` with derivative `x′/x`.
public func log(_ x: Dual) -> Dual { Dual(log(x.value), gradient: x.gradient / x.value) }

/// `eˣ` with derivative `eˣ·x′`.
public func exp(_ x: Dual) -> Dual {
    let e = exp(x.value)
    return Dual(e, gradient: x.gradient * e)
}

/// `ln(1 + x)` with derivative `x′/(1 + x)`.
public func log1p(_ x: Dual) -> Dual { Dual(log1p(x.value), gradient: x.gradient / (1 + x.value)) }

/// `ln Γ(x)` for `x > 0` with derivative `ψ(x)·x′` (digamma, see ``digamma(_:)``).
public func logGamma(_ x: Dual) -> Dual {
    Dual(logGamma(x.value), gradient: x.gradient * digamma(x.value))
}

/// `ln(eᵃ + eᵇ)` without overflow; derivative `σ·a′ + (1−σ)·b′` with `σ = eᵃ/(eᵃ+eᵇ)`.
public func logAddExp(_ a: Dual, _ b: Dual) -> Dual {
    if a.value == -.infinity { return b }
    if b.value == -.infinity { return a }
    let m = max(a.value, b.value)
    let ea = exp(a.value - m), eb = exp(b.value - m)
    let s = ea + eb
    return Dual(m + log(s), gradient: a.gradient * (ea / s) + b.gradient * (eb / s))
}

/// `ln(eᵃ − eᵇ)` for `a ≥ b`; `−∞` when they are equal.
public func logSubExp(_ a: Dual, _ b: Dual) -> Dual {
    if b.value == -.infinity { return a }
    let d = exp(b.value - a.value)  // ≤ 1
    let s = 1 - d
    return Dual(a.value + log1p(-d), gradient: (a.gradient - b.gradient * d) / s)
}

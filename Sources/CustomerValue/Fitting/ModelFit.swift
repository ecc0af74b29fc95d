/// The result of a maximum-likelihood fit: estimates, standard errors, fit statistics and convergence
/// diagnostics.
///
/// Standard errors come from the observed information: the Hessian `H` of `−ℓ` with respect to the
/// log-parameters `θ = ln p` (central differences of the analytic gradient), inverted with LAPACK
/// (`CholeskyFactorization(H).inverse()`, `dpotrf`/`dpotri`), mapped to the natural parameters by the delta method
/// `SE(pᵢ) = pᵢ·√(H⁻¹)ᵢᵢ`. When `H` is not positive definite the standard errors are `nil` and
/// ``hessianPositiveDefinite`` is `false` (a saddle point or a non-identified parameter).
public struct ModelFit: Sendable, Equatable, Codable {
    /// Model name as used by the CLI (`bgnbd`, `pareto-nbd`, `mbgnbd`, `gamma-gamma`, `sbg`, `bgbb`).
    public var model: String
    /// Parameter names as in the papers (`r, alpha, a, b` for BG/NBD, …).
    public var parameterNames: [String]
    /// Maximum-likelihood estimates, in the order of ``parameterNames``.
    public var parameters: [Double]
    /// Asymptotic standard errors, or `nil` when the Hessian is not positive definite.
    public var standardErrors: [Double]?
    /// Asymptotic covariance matrix of the natural parameters (row-major, `k×k`), or `nil`.
    public var covariance: [Double]?
    /// Maximised log-likelihood `ℓ`.
    public var logLikelihood: Double
    /// Number of observations (customers, or cohort members for sBG).
    public var observations: Double
    /// Akaike information criterion `2k − 2ℓ`.
    public var aic: Double { 2 * Double(parameters.count) - 2 * logLikelihood }
    /// Bayesian information criterion `k·ln n − 2ℓ`.
    public var bic: Double { Double(parameters.count) * log(observations) - 2 * logLikelihood }
    /// `true` when the gradient tolerance was met.
    public var converged: Bool { status == .converged }
    /// Why the optimiser stopped.
    public var status: BFGSMinimizer.Status
    /// BFGS iterations.
    public var iterations: Int
    /// Likelihood-and-gradient evaluations.
    public var evaluations: Int
    /// `‖∇ℓ‖∞ / n` at the estimate, with respect to the log-parameters.
    public var gradientNorm: Double
    /// Whether the Hessian of `−ℓ` at the estimate is positive definite.
    public var hessianPositiveDefinite: Bool

    /// The estimate named `name`, or `nil`.
    public func parameter(_ name: String) -> Double? {
        parameterNames.firstIndex(of: name).map { parameters[$0] }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

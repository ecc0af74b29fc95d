import CAPMNumerics

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maximum likelihood over positive parameters, estimated on the log scale `θ = ln p`.
///
/// The log-likelihood is supplied as a function of ``Dual`` parameters whose gradients are with respect to
/// `θ`, so the optimiser (``BFGSMinimizer``) receives the exact gradient. The objective is the mean
/// negative log-likelihood `−ℓ/n`, which makes the gradient tolerance independent of the sample size.
public enum MaximumLikelihood {
    /// Fits a model.
    ///
    /// - Parameters:
    ///   - model: name stored in the result.
    ///   - names: parameter names.
    ///   - start: starting values (natural scale, all > 0).
    ///   - observations: sample size `n` (sum of pattern weights).
    ///   - minimizer: tolerances; the default gradient tolerance is 1e-8 on `−ℓ/n`.
    ///   - logLikelihood: `ℓ(p)`, or `nil` when it cannot be evaluated at `p` (treated as `−∞`).
    /// - Complexity: one likelihood evaluation per BFGS evaluation plus `2k` for the Hessian.
    public static func fit(
        model: String, names: [String], start: [Double], observations: Double,
        minimizer: BFGSMinimizer = BFGSMinimizer(),
        logLikelihood: ([Dual]) -> Dual?
    ) -> ModelFit {
        precondition(names.count == start.count && start.count <= 4 && start.allSatisfy { $0 > 0 })
        let k = start.count
        let n = max(observations, 1)
        func evaluate(_ theta: [Double]) -> Dual? {
            let p = (0..<k).map { i -> Dual in
                let v = exp(theta[i])
                var g = SIMD4<Double>.zero
                g[i] = v
                return Dual(v, gradient: g)
            }
            guard let l = logLikelihood(p), l.value.isFinite else { return nil }
            return l
        }
        let result = minimizer.minimize(start: start.map { log($0) }) { theta in
            guard let l = evaluate(theta) else { return (.infinity, [Double](repeating: .nan, count: k)) }
            return (-l.value / n, (0..<k).map { -l.gradient[$0] / n })
        }
        let theta = result.x
        let parameters = theta.map { exp($0) }
        let ll = evaluate(theta)?.value ?? -.infinity

        // Observed information in θ: central differences of the analytic gradient of −ℓ.
        var hessian = Matrix(rows: k, columns: k)
        var finite = true
        for j in 0..<k {
            let h = 1e-5 * max(1, abs(theta[j]))
            var plus = theta, minus = theta
            plus[j] += h
            minus[j] -= h
            guard let gp = evaluate(plus), let gm = evaluate(minus) else {
                finite = false
                break
            }
            for i in 0..<k { hessian[i, j] = -(gp.gradient[i] - gm.gradient[i]) / (2 * h) }
        }
        var standardErrors: [Double]? = nil
        var covariance: [Double]? = nil
        var positive = false
        if finite {
            var symmetric = hessian
            for i in 0..<k {
                for j in 0..<k { symmetric[i, j] = 0.5 * (hessian[i, j] + hessian[j, i]) }
            }
            if let inverse = try? CholeskyFactorization(symmetric).inverse() {
                positive = true
                var cov = [Double](repeating: 0, count: k * k)
                for i in 0..<k {
                    for j in 0..<k { cov[i * k + j] = parameters[i] * parameters[j] * inverse[i, j] }
                }
                covariance = cov
                standardErrors = (0..<k).map { parameters[$0] * inverse[$0, $0].squareRoot() }
            }
        }
        return ModelFit(
            model: model, parameterNames: names, parameters: parameters, standardErrors: standardErrors,
            covariance: covariance, logLikelihood: ll, observations: observations, status: result.status,
            iterations: result.iterations, evaluations: result.evaluations, gradientNorm: result.gradientNorm,
            hessianPositiveDefinite: positive)
    }
}

/// A fitted model together with its fit report.
public struct Fitted<Model: Sendable>: Sendable {
    /// The model at the estimates.
    public var model: Model
    /// Estimates, standard errors, log-likelihood and diagnostics.
    public var fit: ModelFit

    /// Creates a fitted-model record.
    public init(model: Model, fit: ModelFit) {
        self.model = model
        self.fit = fit
    }

    /// Returns `self` when the fit converged.
    /// - Throws: ``CustomerValueError/notConverged(model:status:iterations:gradientNorm:)`` otherwise.
    public func requireConverged() throws(CustomerValueError) -> Fitted {
        guard fit.converged else {
            throw .notConverged(
                model: fit.model, status: fit.status.rawValue, iterations: fit.iterations, gradientNorm: fit.gradientNorm)
        }
        return self
    }
}

/// A non-contractual purchase model ("buy till you die"): repeat purchases while alive, then unobserved churn.
///
/// Implemented by ``BGNBD``, ``ParetoNBD`` and ``MBGNBD``. All quantities are per customer and in the time unit
/// of the summary the model was fitted on.
public protocol PurchaseModel: Sendable {
    /// The model's CLI name.
    static var name: String { get }
    /// Parameter names as in the model's paper.
    static var parameterNames: [String] { get }
    /// The parameters in the order of ``parameterNames``.
    var parameters: [Double] { get }
    /// Builds the model from parameters in the order of ``parameterNames``.
    init(parameters: [Double])
    /// `ℓ` of the patterns at the dual-number parameters `p` (gradients carried along), `nil` if not evaluable.
    static func logLikelihood(_ p: [Dual], patterns: RepeatPatterns) -> Dual?
    /// Starting values for the optimiser from a data summary.
    static func startingValues(_ patterns: RepeatPatterns) -> [Double]
    /// `P(alive at T | x, tₓ, T)`.
    func probabilityAlive(frequency x: Double, recency tx: Double, age T: Double) -> Double
    /// `E[X(T, T+t] | x, tₓ, T]`, the expected number of purchases in the next `t` time units, given the
    /// customer's `P(alive)` (from ``probabilityAlive(frequency:recency:age:)``, passed in so that curves over
    /// many t compute it once), or `nil` when a series fails to converge.
    func expectedPurchases(_ t: Double, frequency x: Double, recency tx: Double, age T: Double, probabilityAlive p: Double) -> Double?
    /// `E[X(t)]` for a customer just acquired at time 0.
    func expectedPurchasesNewCustomer(_ t: Double) -> Double?
}

extension PurchaseModel {
    /// `E[X(T, T+t] | x, tₓ, T]`, the expected number of purchases in the next `t` time units, or `nil` when a
    /// series fails to converge.
    public func expectedPurchases(_ t: Double, frequency x: Double, recency tx: Double, age T: Double) -> Double? {
        let p = probabilityAlive(frequency: x, recency: tx, age: T)
        guard p.isFinite else { return nil }
        return expectedPurchases(t, frequency: x, recency: tx, age: T, probabilityAlive: p)
    }

    /// Fits the model by maximum likelihood (``MaximumLikelihood``) on compressed patterns.
    ///
    /// The result reports non-convergence in ``ModelFit/status``; use ``Fitted/requireConverged()`` to turn it
    /// into an error.
    /// - Throws: ``CustomerValueError/insufficientData(model:reason:)`` without customers.
    /// - Complexity: O(patterns) per likelihood evaluation, parallel over chunks of 4,096 patterns.
    public static func fit(
        _ patterns: RepeatPatterns, start: [Double]? = nil, minimizer: BFGSMinimizer = BFGSMinimizer()
    ) throws(CustomerValueError) -> Fitted<Self> {
        guard patterns.count > 0 else { throw .insufficientData(model: name, reason: "no customers") }
        let fit = MaximumLikelihood.fit(
            model: name, names: parameterNames, start: start ?? startingValues(patterns),
            observations: patterns.totalWeight, minimizer: minimizer
        ) { p in logLikelihood(p, patterns: patterns) }
        return Fitted(model: Self(parameters: fit.parameters), fit: fit)
    }

    /// `ℓ` at the model's parameters.
    public func logLikelihood(_ patterns: RepeatPatterns) -> Double? {
        Self.logLikelihood(parameters.map { Dual($0) }, patterns: patterns)?.value
    }

    /// Starting values shared by the NBD-type models: `r = 1`, `α` matching the mean purchase rate
    /// (`r/α ≈ Σx/ΣT`), and neutral churn parameters.
    static func rateStart(_ patterns: RepeatPatterns) -> (r: Double, alpha: Double) {
        var sx = 0.0, st = 0.0
        for i in 0..<patterns.count {
            sx += patterns.weight[i] * patterns.frequency[i]
            st += patterns.weight[i] * patterns.age[i]
        }
        let rate = max(sx, 0.5) / max(st, 1e-9)
        return (1, max(1e-6, 1 / rate))
    }
}

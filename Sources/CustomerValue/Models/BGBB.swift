#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The beta-geometric/beta-Bernoulli model for discrete-time non-contractual settings: Fader, Hardie & Shang
/// (2010), "Customer-Base Analysis in a Discrete-Time Noncontractual Setting", *Marketing Science* 29(6).
///
/// At each of n transaction opportunities an alive customer buys with probability p ~ Beta(α, β) and, after
/// each opportunity, dies with probability θ ~ Beta(γ, δ). For x purchases, the last at opportunity tₓ (eq. 5):
///
///     L = B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ)
///       + Σ_{i=0}^{n−tₓ−1} B(α+x, β+tₓ−x+i)/B(α,β) · B(γ+1, δ+tₓ+i)/B(γ,δ),
///
/// summed in log space (`ln Σ eᵘ`).
public struct BGBB: Sendable, Equatable, Codable {
    /// Purchase-probability beta shape α.
    public var alpha: Double
    /// Purchase-probability beta shape β.
    public var beta: Double
    /// Dropout-probability beta shape γ.
    public var gamma: Double
    /// Dropout-probability beta shape δ.
    public var delta: Double

    /// `"bgbb"`.
    public static let name = "bgbb"
    /// `alpha, beta, gamma, delta`.
    public static let parameterNames = ["alpha", "beta", "gamma", "delta"]
    /// `[alpha, beta, gamma, delta]`.
    public var parameters: [Double] { [alpha, beta, gamma, delta] }

    /// A model with the given parameters (all > 0).
    public init(alpha: Double, beta: Double, gamma: Double, delta: Double) {
        self.alpha = alpha
        self.beta = beta
        self.gamma = gamma
        self.delta = delta
    }

    /// `ln L` of one pattern (x purchases, last at tₓ, n opportunities).
    static func logLikelihood(_ p: [Dual], x: Double, tx: Double, n: Double) -> Dual {
        let al = p[0], be = p[1], ga = p[2], de = p[3]
        let lbAB = logBeta(al, be), lbGD = logBeta(ga, de)
        var total = logBeta(al + x, be + (n - x)) - lbAB + logBeta(ga, de + n) - lbGD
        let count = Int(n - tx)
        if count > 0 {
            for i in 0..<count {
                let di = Double(i)
                let u = logBeta(al + x, be + (tx - x + di)) - lbAB + logBeta(ga + 1, de + (tx + di)) - lbGD
                total = logAddExp(total, u)
            }
        }
        return total
    }

    /// Fits the model to patterns `(x, tₓ, n)` with weights (e.g. the donations table of FHS 2010).
    ///
    /// - Throws: ``CustomerValueError/invalidCustomer(customer:reason:)`` for a pattern with x > tₓ, tₓ > n,
    ///   non-integer values, x > 0 with tₓ = 0, or a non-positive weight (the customer is named by row index).
    /// - Complexity: O(Σ patterns × (n − tₓ)).
    public static func fit(
        frequency: [Int], recency: [Int], opportunities: [Int], weight: [Double],
        minimizer: BFGSMinimizer = BFGSMinimizer()
    ) throws(CustomerValueError) -> Fitted<BGBB> {
        let k = frequency.count
        precondition(recency.count == k && opportunities.count == k && weight.count == k)
        guard k > 0 else { throw .insufficientData(model: name, reason: "no customers") }
        for i in 0..<k {
            let x = frequency[i], tx = recency[i], n = opportunities[i]
            guard x >= 0, tx >= x, n >= tx, (x == 0) == (tx == 0), weight[i] > 0, weight[i].isFinite else {
                throw .invalidCustomer(
                    customer: "row \(i + 1)", reason: "need 0 ≤ x ≤ tₓ ≤ n, tₓ = 0 iff x = 0 and weight > 0 (x \(x), tₓ \(tx), n \(n), weight \(weight[i]))")
            }
        }
        let total = weight.reduce(0, +)
        let fit = MaximumLikelihood.fit(
            model: name, names: parameterNames, start: [1, 1, 1, 1], observations: total, minimizer: minimizer
        ) { p in
            var s = Dual.zero
            for i in 0..<k {
                s += logLikelihood(p, x: Double(frequency[i]), tx: Double(recency[i]), n: Double(opportunities[i])) * weight[i]
            }
            return s.value.isFinite ? s : nil
        }
        let m = fit.parameters
        return Fitted(model: BGBB(alpha: m[0], beta: m[1], gamma: m[2], delta: m[3]), fit: fit)
    }

    /// `P(alive at n | x, tₓ, n)` (FHS 2010, eq. 11): the first term of L over L.
    public func probabilityAlive(frequency x: Int, recency tx: Int, opportunities n: Int) -> Double {
        let p = parameters.map { Dual($0) }
        let l = Self.logLikelihood(p, x: Double(x), tx: Double(tx), n: Double(n)).value
        let first = logBeta(alpha + Double(x), beta + Double(n - x)) - logBeta(alpha, beta)
            + logBeta(gamma, delta + Double(n + 1)) - logBeta(gamma, delta)
        return exp(first - l)
    }
}

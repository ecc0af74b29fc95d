import Foundation

/// A concave piecewise-linear response `u(s)` through breakpoints `(s₀ = 0, u₀ = 0), (s₁, u₁), …, (s_K, u_K)`
/// with non-increasing slopes. Beyond `s_K` the cell cannot spend. In the LP each piece `k` is a variable
/// `0 ≤ x_k ≤ s_k − s_{k−1}` with objective slope `(u_k − u_{k−1})/(s_k − s_{k−1})`; because the slopes do not
/// increase, an optimum fills the pieces in order and no binary variables are needed (Dantzig, *Linear
/// Programming and Extensions*, 1963, §13-2, separable concave maximization).
public struct PiecewiseLinearResponse: Sendable, Equatable {
    /// Spends at the breakpoints, from 0, strictly increasing.
    public let spends: [Double]
    /// Uplifts at the breakpoints, from 0.
    public let uplifts: [Double]

    /// A response through the breakpoints (checked by the caller: concave, from the origin).
    public init(spends: [Double], uplifts: [Double]) {
        precondition(spends.count == uplifts.count && spends.count >= 2, "at least two breakpoints")
        self.spends = spends
        self.uplifts = uplifts
    }

    /// Number of linear pieces.
    public var pieceCount: Int { spends.count - 1 }
    /// Largest spend.
    public var capacity: Double { spends[spends.count - 1] }
    /// Width of piece k.
    public func width(_ k: Int) -> Double { spends[k + 1] - spends[k] }
    /// Slope (marginal ROI) of piece k.
    public func slope(_ k: Int) -> Double { (uplifts[k + 1] - uplifts[k]) / (spends[k + 1] - spends[k]) }

    /// `u(s)` by linear interpolation (clamped to [0, capacity]).
    /// - Complexity: O(log K).
    public func value(at s: Double) -> Double {
        if s <= 0 { return 0 }
        if s >= capacity { return uplifts[uplifts.count - 1] }
        let k = piece(containing: s)
        return uplifts[k] + slope(k) * (s - spends[k])
    }

    /// The piece whose half-open interval `[s_k, s_{k+1})` holds `s` (for s in range).
    func piece(containing s: Double) -> Int {
        var lo = 0
        var hi = pieceCount - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if spends[mid] <= s { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Marginal ROI just left and just right of `s` (nil left of 0 / right of capacity). Inside a piece both
    /// are its slope; at a breakpoint they are the slopes of the two adjacent pieces.
    public func marginal(at s: Double, tolerance: Double = 1e-9) -> (left: Double?, right: Double?) {
        let tol = tolerance * max(1, capacity)
        var left: Double? = nil
        var right: Double? = nil
        if s > tol {
            let sl = min(s, capacity)
            var k = piece(containing: sl - tol)
            if k >= pieceCount { k = pieceCount - 1 }
            left = slope(k)
        }
        if s < capacity - tol {
            let k = piece(containing: max(0, s + tol))
            right = slope(k)
        }
        return (left, right)
    }

    /// The upper concave envelope of arbitrary breakpoints from the origin (a monotone-chain hull):
    /// the smallest concave function above them. Used for non-concave input with a warning.
    /// - Complexity: O(K).
    public static func concaveEnvelope(spends: [Double], uplifts: [Double]) -> PiecewiseLinearResponse {
        var hs: [Double] = []
        var hu: [Double] = []
        for i in spends.indices {
            while hs.count >= 2 {
                let (s1, u1, s2, u2) = (hs[hs.count - 2], hu[hu.count - 2], hs[hs.count - 1], hu[hu.count - 1])
                // Drop the middle point when it lies on or below the chord from (s1,u1) to the new point.
                if (u2 - u1) * (spends[i] - s1) <= (uplifts[i] - u1) * (s2 - s1) {
                    hs.removeLast()
                    hu.removeLast()
                } else {
                    break
                }
            }
            hs.append(spends[i])
            hu.append(uplifts[i])
        }
        return PiecewiseLinearResponse(spends: hs, uplifts: hu)
    }

    /// Whether the slopes are non-increasing (within a relative tolerance).
    static func isConcave(spends: [Double], uplifts: [Double]) -> Bool {
        var previous = Double.infinity
        for k in 0..<(spends.count - 1) {
            let slope = (uplifts[k + 1] - uplifts[k]) / (spends[k + 1] - spends[k])
            if slope > previous + 1e-12 * max(1, abs(previous)) { return false }
            previous = slope
        }
        return true
    }
}

/// A smooth concave response curve and its linearization into chords.
///
/// - saturating: `u(s) = M·(1 − e^{−s/λ})` (the exponential saturation of Little's ADBUDG family and of
///   Robyn/Meridian's response curves);
/// - hill: `u(s) = M·s/(s + h)` (half-saturation h; Hill with exponent 1, Michaelis–Menten form).
///
/// Chords between breakpoints lie below a concave curve, so the LP value of a plan is a lower bound of its
/// curve value, and `u(s) ≤ chord(s) + ε` with `ε` the largest chord gap: the maximum of the concave function
/// `u − chord` on each piece, found where `u′(s) = chord slope` (closed form for both curves).
public enum SmoothResponse: Sendable, Equatable {
    /// `M·(1 − e^{−s/λ})`.
    case saturating(maxUplift: Double, scale: Double)
    /// `M·s/(s + h)`.
    case hill(maxUplift: Double, halfSaturation: Double)

    /// `u(s)`.
    public func value(at s: Double) -> Double {
        switch self {
        case .saturating(let m, let lambda): return m * -expm1(-s / lambda)
        case .hill(let m, let h): return m * s / (s + h)
        }
    }

    /// The spend at which `u(s) = q·M`.
    public func spend(atFraction q: Double) -> Double {
        switch self {
        case .saturating(_, let lambda): return -lambda * log1p(-q)
        case .hill(_, let h): return h * q / (1 - q)
        }
    }

    /// The point where `u′(s) = slope` (the tangency point of a chord of that slope).
    func tangency(slope: Double) -> Double {
        switch self {
        case .saturating(let m, let lambda): return -lambda * log(slope * lambda / m)
        case .hill(let m, let h): return (m * h / slope).squareRoot() - h
        }
    }

    /// Chords between breakpoints at equal steps of the uplift fraction up to `maxSpend`, and the largest gap
    /// between the curve and its chords.
    /// - Complexity: O(pieces).
    public func linearized(pieces: Int, maxSpend: Double) -> (response: PiecewiseLinearResponse, maxError: Double) {
        let maxU: Double
        switch self {
        case .saturating(let m, _), .hill(let m, _): maxU = m
        }
        let qEnd = value(at: maxSpend) / maxU
        var spends: [Double] = [0]
        var uplifts: [Double] = [0]
        for k in 1...pieces {
            let s = k == pieces ? maxSpend : spend(atFraction: qEnd * Double(k) / Double(pieces))
            if s > spends[spends.count - 1] {
                spends.append(s)
                uplifts.append(value(at: s))
            }
        }
        var maxError = 0.0
        for k in 0..<(spends.count - 1) {
            let slope = (uplifts[k + 1] - uplifts[k]) / (spends[k + 1] - spends[k])
            let t = min(max(tangency(slope: slope), spends[k]), spends[k + 1])
            let gap = value(at: t) - (uplifts[k] + slope * (t - spends[k]))
            maxError = max(maxError, gap)
        }
        return (PiecewiseLinearResponse(spends: spends, uplifts: uplifts), maxError)
    }
}

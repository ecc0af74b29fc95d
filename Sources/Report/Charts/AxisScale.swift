import Foundation

/// A map from data values to a fraction of an axis, with tick marks.
///
/// - `linear`: `t = (v − lo)/(hi − lo)`, ticks at "nice" steps 1, 2 or 5 × 10ᵏ (Heckbert, "Nice numbers for
///   graph labels", Graphics Gems, 1990);
/// - `log`: `t = (log₁₀ v − log₁₀ lo)/(log₁₀ hi − log₁₀ lo)` for `0 < lo < hi`, ticks at powers of ten (and 2×,
///   5× within fewer than three decades).
public enum AxisScale: Sendable, Equatable {
    /// A linear axis over `[lo, hi]`.
    case linear(lo: Double, hi: Double)
    /// A base-10 logarithmic axis over `[lo, hi]`, `0 < lo < hi`.
    case log(lo: Double, hi: Double)

    /// A linear axis from `lo` to a nice value at or above `hi` (and at or below `lo` when `lo` is not 0),
    /// never empty.
    public static func niceLinear(_ lo: Double, _ hi: Double, ticks: Int = 5) -> AxisScale {
        var a = lo.isFinite ? lo : 0
        var b = hi.isFinite ? hi : 1
        if a > b { swap(&a, &b) }
        if b - a < 1e-12 * max(1, abs(a), abs(b)) {
            b = a == 0 ? 1 : a + abs(a)
            if a != 0 { a -= abs(a) * 0.5 }
        }
        let step = niceStep((b - a) / Double(max(ticks, 1)))
        let nb = (b / step).rounded(.up) * step
        let na = a == 0 ? 0 : (a / step).rounded(.down) * step
        return .linear(lo: na, hi: nb)
    }

    /// The nice step (1, 2 or 5 × 10ᵏ) nearest above `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0 && raw.isFinite else { return 1 }
        let p = Foundation.pow(10, Foundation.floor(Foundation.log10(raw)))
        let f = raw / p
        let nice: Double = f <= 1 ? 1 : (f <= 2 ? 2 : (f <= 5 ? 5 : 10))
        return nice * p
    }

    /// Lower end of the domain.
    public var lower: Double {
        switch self {
        case .linear(let lo, _), .log(let lo, _): return lo
        }
    }

    /// Upper end of the domain.
    public var upper: Double {
        switch self {
        case .linear(_, let hi), .log(_, let hi): return hi
        }
    }

    /// The fraction of the axis at `value` (0 at the lower end, 1 at the upper; not clamped; log axes map
    /// values ≤ 0 to 0).
    public func fraction(_ value: Double) -> Double {
        switch self {
        case .linear(let lo, let hi):
            return hi > lo ? (value - lo) / (hi - lo) : 0
        case .log(let lo, let hi):
            guard value > 0, lo > 0, hi > lo else { return 0 }
            return (Foundation.log10(value) - Foundation.log10(lo)) / (Foundation.log10(hi) - Foundation.log10(lo))
        }
    }

    /// Tick values inside the domain, about `count` for linear axes.
    public func ticks(count: Int = 5) -> [Double] {
        switch self {
        case .linear(let lo, let hi):
            guard hi > lo else { return [lo] }
            let step = AxisScale.niceStep((hi - lo) / Double(max(count, 1)))
            var out: [Double] = []
            var k = (lo / step).rounded(.up)
            while k * step <= hi + 1e-9 * step && out.count < 50 {
                out.append(k * step)
                k += 1
            }
            return out
        case .log(let lo, let hi):
            guard lo > 0, hi > lo else { return [] }
            let a = Int(Foundation.floor(Foundation.log10(lo)))
            let b = Int(Foundation.ceil(Foundation.log10(hi)))
            let multipliers: [Double] = b - a < 3 ? [1, 2, 5] : [1]
            var out: [Double] = []
            for e in a...b {
                for m in multipliers {
                    let v = m * Foundation.pow(10, Double(e))
                    if v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12) { out.append(v) }
                }
            }
            return out
        }
    }
}

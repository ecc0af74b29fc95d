import Foundation

/// Counts of values in bins: an aggregate that replaces millions of customers by a few dozen numbers.
///
/// `edges` has `counts.count + 1` increasing entries; bin `i` holds `edges[i] ≤ v < edges[i+1]` (the last bin
/// is closed). Values below the first edge (for a log axis: values ≤ 0) are counted in ``belowRange``, so
/// `belowRange + Σ counts = N` always.
public struct Histogram: Sendable, Equatable {
    /// Bin edges, increasing.
    public var edges: [Double]
    /// Values per bin.
    public var counts: [Int]
    /// Values below the first edge (non-positive values of a log histogram) or not finite.
    public var belowRange: Int
    /// Whether the bins are equal on a log₁₀ axis.
    public var logarithmic: Bool

    /// All values counted.
    public var total: Int { belowRange + counts.reduce(0, +) }

    /// Equal-width bins on a log₁₀ axis over the positive values, from the smallest to the largest; values
    /// ≤ 0 go to ``belowRange``.
    /// - Complexity: O(N) (two passes, one `log10` per positive value).
    public static func logarithmic(_ values: [Double], bins: Int = 40) -> Histogram {
        var lo = Double.infinity
        var hi = -Double.infinity
        var below = 0
        for v in values {
            if v > 0 && v.isFinite {
                if v < lo { lo = v }
                if v > hi { hi = v }
            } else {
                below += 1
            }
        }
        guard lo <= hi else { return Histogram(edges: [1, 10], counts: [0], belowRange: below, logarithmic: true) }
        if hi <= lo * (1 + 1e-9) { hi = lo * 10; lo = lo / 10 }
        let a = log10(lo)
        let b = log10(hi)
        let k = max(1, bins)
        let width = (b - a) / Double(k)
        var counts = [Int](repeating: 0, count: k)
        for v in values where v > 0 && v.isFinite {
            var i = Int((log10(v) - a) / width)
            if i >= k { i = k - 1 }
            if i < 0 { i = 0 }
            counts[i] += 1
        }
        let edges = (0...k).map { i in i == 0 ? lo : (i == k ? hi : pow(10, a + width * Double(i))) }
        return Histogram(edges: edges, counts: counts, belowRange: below, logarithmic: true)
    }

    /// Equal-width bins over `[lo, hi]` (values outside are clamped into the end bins; NaN goes to
    /// ``belowRange``).
    /// - Complexity: O(N).
    public static func linear(_ values: [Double], lo: Double, hi: Double, bins: Int = 20) -> Histogram {
        let k = max(1, bins)
        let span = hi > lo ? hi - lo : 1
        var counts = [Int](repeating: 0, count: k)
        var below = 0
        for v in values {
            guard !v.isNaN else { below += 1; continue }
            var i = Int(((v - lo) / span * Double(k)).rounded(.down))
            if i >= k { i = k - 1 }
            if i < 0 { i = 0 }
            counts[i] += 1
        }
        let edges = (0...k).map { lo + span * Double($0) / Double(k) }
        return Histogram(edges: edges, counts: counts, belowRange: below, logarithmic: false)
    }
}

/// Order statistics by selection (Hoare's FIND, 1961, with median-of-three pivots and, after too many unbalanced
/// rounds, a fall-back to sorting — Musser's introselect, 1997): the k-th smallest of n values in O(n) expected
/// time, instead of an O(n log n) sort for a median or a quantile.
enum OrderStatistics {
    /// Reorders `values` so that `values[rank]` is the value a full sort would put there, everything before it is
    /// ≤ it and everything after it ≥ it; returns that value. NaN-free input (callers check finiteness).
    /// - Precondition: `0 ≤ rank < values.count`.
    /// - Complexity: O(n) expected, O(n log n) worst case.
    static func select(_ values: inout [Double], rank: Int) -> Double {
        var lo = 0, hi = values.count - 1
        var budget = 2 * (Int.bitWidth - values.count.leadingZeroBitCount) + 4  // unbalanced rounds allowed
        while hi > lo {
            if budget == 0 {
                values[lo...hi].sort()
                break
            }
            budget -= 1
            // Median of three as the pivot, moved to `hi`.
            let mid = lo + (hi - lo) / 2
            if values[mid] < values[lo] { values.swapAt(mid, lo) }
            if values[hi] < values[lo] { values.swapAt(hi, lo) }
            if values[mid] < values[hi] { values.swapAt(mid, hi) }
            let pivot = values[hi]
            // Three-way partition (Dijkstra): < pivot | == pivot | > pivot, so runs of equal values end quickly.
            var less = lo, i = lo, greater = hi
            while i <= greater {
                if values[i] < pivot {
                    values.swapAt(i, less)
                    less += 1
                    i += 1
                } else if values[i] > pivot {
                    values.swapAt(i, greater)
                    greater -= 1
                } else {
                    i += 1
                }
            }
            if rank < less {
                hi = less - 1
            } else if rank > greater {
                lo = greater + 1
            } else {
                return pivot
            }
        }
        return values[rank]
    }
}

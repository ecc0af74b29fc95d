/// A candidate of the dual ratio test: nonbasic `j` whose reduced cost `d_j` reaches zero at step
/// `ratio = d_j / α̃_j` (with `α̃_j = ±α_rj` oriented by the leaving direction); `relaxed` is Harris' ratio with
/// the dual tolerance, `weight = |α̃_j|·(u_j − l_j)` the slope the dual objective loses when `j` is passed.
struct RatioCandidate {
    var j: Int
    var ratio: Double
    var relaxed: Double
    var alpha: Double
    var weight: Double
}

extension SimplexEngine {
    /// The bound-flipping ratio test with Harris tolerances (Koberstein 2005, §3.1.5 and Algorithm 7;
    /// Maros 2003 for the "long-step" rule).
    ///
    /// Returns the entering variable (or -1 for a dual unbounded ray) and the candidates passed (to flip).
    ///
    /// Only the candidates up to the breakpoint where the slope `slope0` is used up are sorted: a weighted
    /// quickselect finds that breakpoint in O(k) expected time, so the test costs O(k + p log p) for k candidates
    /// of which p are passed — at most O(k log k), and far less on the wide allocation models where k is in the
    /// hundreds of thousands and p in the hundreds.
    func boundFlippingRatioTest(_ all: inout [RatioCandidate], slope slope0: Double) -> (entering: Int, flips: [Int]) {
        var subset: [RatioCandidate]
        var outsideMinRelaxed = Double.infinity
        if all.count <= 64 {
            subset = all
        } else {
            // Partition in place (the caller's order does not matter). Raw buffer: up to 500,000 candidates of
            // 40 bytes are swapped per dense iteration of the 1000×50×10 allocation LP (same swaps, same order).
            var lo = 0
            var hi = all.count
            var need = slope0
            all.withUnsafeMutableBufferPointer { all in
                while hi - lo > 32 {
                    let a = all[lo].ratio
                    let b = all[(lo + hi) / 2].ratio
                    let c = all[hi - 1].ratio
                    let pivot = max(min(a, b), min(max(a, b), c))
                    // Three-way partition of all[lo..<hi] around pivot.
                    var lt = lo
                    var i = lo
                    var gt = hi
                    while i < gt {
                        let r = all[i].ratio
                        if r < pivot {
                            all.swapAt(lt, i)
                            lt += 1
                            i += 1
                        } else if r > pivot {
                            gt -= 1
                            all.swapAt(i, gt)
                        } else {
                            i += 1
                        }
                    }
                    var below = 0.0
                    for k in lo..<lt { below += all[k].weight }
                    if below >= need {
                        hi = lt
                        continue
                    }
                    need -= below
                    var equal = 0.0
                    for k in lt..<gt { equal += all[k].weight }
                    if equal >= need {
                        hi = gt
                        break
                    }
                    need -= equal
                    lo = gt
                }
            }
            // Everything in all[0..<hi] precedes everything after it; add the later candidates that a Harris
            // bound could still reach, and remember the smallest relaxed ratio of the rest.
            var reach = Double.infinity
            for k in hi..<all.count { reach = min(reach, all[k].relaxed) }
            subset = Array(all[0..<hi])
            for k in hi..<all.count {
                if all[k].ratio <= reach { subset.append(all[k]) } else {
                    outsideMinRelaxed = min(outsideMinRelaxed, all[k].relaxed)
                }
            }
        }
        subset.sort { $0.ratio < $1.ratio || ($0.ratio == $1.ratio && $0.j < $1.j) }
        var suffixMin = [Double](repeating: outsideMinRelaxed, count: subset.count + 1)
        for c in stride(from: subset.count - 1, through: 0, by: -1) {
            suffixMin[c] = min(suffixMin[c + 1], subset[c].relaxed)
        }
        var slope = slope0
        var index = 0
        while index < subset.count {
            let bound = suffixMin[index]
            var groupEnd = index
            var decrease = 0.0
            var bestAlpha = 0.0
            var bestIndex = -1
            while groupEnd < subset.count && subset[groupEnd].ratio <= bound {
                let c = subset[groupEnd]
                decrease += c.weight
                if abs(c.alpha) > bestAlpha {
                    bestAlpha = abs(c.alpha)
                    bestIndex = groupEnd
                }
                groupEnd += 1
            }
            if groupEnd == index {
                // Numerically the bound is below the next ratio: take that candidate alone.
                bestIndex = index
                groupEnd = index + 1
                decrease = subset[index].weight
            }
            if decrease.isFinite && slope - decrease > 0 {
                slope -= decrease
                index = groupEnd
                continue
            }
            return (subset[bestIndex].j, subset[0..<index].map(\.j))
        }
        if subset.count < all.count {
            // The selection was cut short numerically: fall back to the full sort.
            var full = all
            full.sort { $0.ratio < $1.ratio || ($0.ratio == $1.ratio && $0.j < $1.j) }
            return boundFlippingRatioTestSorted(full, slope: slope0)
        }
        return (-1, subset.map(\.j))
    }

    /// The walk of ``boundFlippingRatioTest(_:slope:)`` over fully sorted candidates.
    private func boundFlippingRatioTestSorted(_ sorted: [RatioCandidate], slope slope0: Double) -> (entering: Int, flips: [Int]) {
        var suffixMin = [Double](repeating: .infinity, count: sorted.count + 1)
        for c in stride(from: sorted.count - 1, through: 0, by: -1) {
            suffixMin[c] = min(suffixMin[c + 1], sorted[c].relaxed)
        }
        var slope = slope0
        var index = 0
        while index < sorted.count {
            let bound = suffixMin[index]
            var groupEnd = index
            var decrease = 0.0
            var bestAlpha = 0.0
            var bestIndex = index
            while groupEnd < sorted.count && sorted[groupEnd].ratio <= bound {
                decrease += sorted[groupEnd].weight
                if abs(sorted[groupEnd].alpha) > bestAlpha {
                    bestAlpha = abs(sorted[groupEnd].alpha)
                    bestIndex = groupEnd
                }
                groupEnd += 1
            }
            if groupEnd == index {
                groupEnd = index + 1
                decrease = sorted[index].weight
            }
            if decrease.isFinite && slope - decrease > 0 {
                slope -= decrease
                index = groupEnd
                continue
            }
            return (sorted[bestIndex].j, sorted[0..<index].map(\.j))
        }
        return (-1, sorted.map(\.j))
    }
}

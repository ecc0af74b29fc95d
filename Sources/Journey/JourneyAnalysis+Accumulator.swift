extension JourneyAnalysis {
    /// Running sums of a gap: count, Σ expected, Σ experienced, Σ value, Σ value × gap.
    struct GapSums {
        var count = 0
        var expected = 0.0
        var experienced = 0.0
        var weight = 0.0
        var weightedGap = 0.0

        mutating func add(expected e: Double, experienced x: Double, value v: Double) {
            count += 1
            expected += e
            experienced += x
            weight += v
            weightedGap += v * (e - x)
        }

        mutating func add(_ other: GapSums) {
            count += other.count
            expected += other.expected
            experienced += other.experienced
            weight += other.weight
            weightedGap += other.weightedGap
        }

        var summary: Gap? {
            guard count > 0 else { return nil }
            let n = Double(count)
            return Gap(
                responses: count, meanExpected: expected / n, meanExperienced: experienced / n,
                meanGap: (expected - experienced) / n, valueWeightedGap: weight > 0 ? weightedGap / weight : nil)
        }
    }

    /// Per-block sums, merged in block order.
    struct Accumulator {
        var stageReach = [Int](repeating: 0, count: 5)
        var dropOff = [Int](repeating: 0, count: 5)
        var stageValueAtStake = [Double](repeating: 0, count: 5)
        var transitionCount = [Int](repeating: 0, count: 4)
        var transitionSum = [Int](repeating: 0, count: 4)
        /// Day differences per transition: a dense histogram over [−span, span] when the log spans at most
        /// ``denseSpan`` days (index = days + span), else a dictionary.
        var transitionHistogram: [[Int]]
        var sparseTransitions = [[Int32: Int]](repeating: [:], count: 4)
        let span: Int32
        var momentReach: [Int]
        var momentLost: [Int]
        var momentLostValue: [Double]
        var momentLostUnvalued: [Int]
        var momentGap: [GapSums]
        var segmentGap: [GapSums]
        /// Per moment × segment slot (index m · segmentSlots + s): reach, lost customers and their value.
        var segmentReach: [Int]
        var segmentLost: [Int]
        var segmentLostValue: [Double]
        var missingReachedPurchase = 0
        var missingProspects = 0
        var scoredEvents = 0

        /// The longest day span kept in dense histograms (a dense histogram per block costs 4 × (2 span + 1) Ints).
        static let denseSpan: Int32 = 4096

        init(momentCount: Int, segmentSlots: Int, span: Int32) {
            self.span = span
            transitionHistogram = span <= Self.denseSpan ? [[Int]](repeating: [Int](repeating: 0, count: 2 * Int(span) + 1), count: 4) : []
            momentReach = [Int](repeating: 0, count: momentCount)
            momentLost = momentReach
            momentLostUnvalued = momentReach
            momentLostValue = [Double](repeating: 0, count: momentCount)
            momentGap = [GapSums](repeating: GapSums(), count: momentCount)
            segmentGap = [GapSums](repeating: GapSums(), count: momentCount * segmentSlots)
            segmentReach = [Int](repeating: 0, count: momentCount * segmentSlots)
            segmentLost = segmentReach
            segmentLostValue = [Double](repeating: 0, count: momentCount * segmentSlots)
        }

        /// The histogram of transition `s` as day difference → customers.
        func transitionDays(_ s: Int) -> [Int32: Int] {
            guard !transitionHistogram.isEmpty else { return sparseTransitions[s] }
            var histogram: [Int32: Int] = [:]
            for (k, count) in transitionHistogram[s].enumerated() where count > 0 { histogram[Int32(k) - span] = count }
            return histogram
        }

        mutating func add(_ other: Accumulator) {
            for s in 0..<5 {
                stageReach[s] += other.stageReach[s]
                dropOff[s] += other.dropOff[s]
                stageValueAtStake[s] += other.stageValueAtStake[s]
            }
            for s in 0..<4 {
                transitionCount[s] += other.transitionCount[s]
                transitionSum[s] += other.transitionSum[s]
                sparseTransitions[s].merge(other.sparseTransitions[s], uniquingKeysWith: +)
                if !transitionHistogram.isEmpty {
                    for k in transitionHistogram[s].indices { transitionHistogram[s][k] += other.transitionHistogram[s][k] }
                }
            }
            for m in momentReach.indices {
                momentReach[m] += other.momentReach[m]
                momentLost[m] += other.momentLost[m]
                momentLostValue[m] += other.momentLostValue[m]
                momentLostUnvalued[m] += other.momentLostUnvalued[m]
                momentGap[m].add(other.momentGap[m])
            }
            for k in segmentGap.indices {
                segmentGap[k].add(other.segmentGap[k])
                segmentReach[k] += other.segmentReach[k]
                segmentLost[k] += other.segmentLost[k]
                segmentLostValue[k] += other.segmentLostValue[k]
            }
            missingReachedPurchase += other.missingReachedPurchase
            missingProspects += other.missingProspects
            scoredEvents += other.scoredEvents
        }
    }

    /// Everything a block needs, read-only.
    struct Context: Sendable {
        let log: JourneyLog
        let offsets: [Int]
        let order: [Int32]
        let value: [Double]
        let valued: [Bool]
        let segment: [Int32]
        let segmentSlots: Int
        let momentOfPair: [Int32]
        let momentCount: Int
        let touchpointCount: Int
        let churnedOutcome: [Bool]

        /// Reduces the journeys of `customers` to sums.
        let daySpan: Int32

        func accumulate(customers: Range<Int>) -> Accumulator {
            var acc = Accumulator(momentCount: momentCount, segmentSlots: segmentSlots, span: daySpan)
            let dense = !acc.transitionHistogram.isEmpty
            let post = JourneyStage.postPurchase.rawValue
            var firstDay = [Int32](repeating: .max, count: 5)
            var lastEvent = [Int](repeating: -1, count: 5)
            var seenMoments: [Int32] = []
            let stage = log.stage, day = log.day, touchpoint = log.touchpoint, outcome = log.outcome
            let scores = log.scores
            for c in customers {
                for s in 0..<5 {
                    firstDay[s] = .max
                    lastEvent[s] = -1
                }
                seenMoments.removeAll(keepingCapacity: true)
                var furthest = -1
                var churnEvent = -1
                let v = value[c]
                let seg = Int(segment[c])
                for k in offsets[c]..<offsets[c + 1] {
                    let e = Int(order[k])
                    let s = stage[e].rawValue
                    let d = day[e]
                    if s > furthest { furthest = s }
                    if d < firstDay[s] { firstDay[s] = d }
                    // Events come in file order: `>=` keeps the latest date, then the latest row.
                    if lastEvent[s] < 0 || d >= day[lastEvent[s]] { lastEvent[s] = e }
                    let m = momentOfPair[s * touchpointCount + Int(touchpoint[e])]
                    if !seenMoments.contains(m) {
                        seenMoments.append(m)
                        acc.momentReach[Int(m)] += 1
                        acc.segmentReach[Int(m) * segmentSlots + seg] += 1
                    }
                    if s == post, let outcome, outcome[e] >= 0, churnedOutcome[Int(outcome[e])] {
                        if churnEvent < 0 || d >= day[churnEvent] { churnEvent = e }
                    }
                    if let scores, !scores.expected[e].isNaN {
                        let x = scores.expected[e], y = scores.experienced[e]
                        acc.scoredEvents += 1
                        acc.momentGap[Int(m)].add(expected: x, experienced: y, value: v)
                        acc.segmentGap[Int(m) * segmentSlots + seg].add(expected: x, experienced: y, value: v)
                    }
                }
                guard furthest >= 0 else { continue }
                for s in 0..<5 where firstDay[s] != .max { acc.stageReach[s] += 1 }
                for s in 0..<4 where firstDay[s] != .max && firstDay[s + 1] != .max {
                    let days = firstDay[s + 1] - firstDay[s]
                    acc.transitionCount[s] += 1
                    acc.transitionSum[s] += Int(days)
                    if dense {
                        acc.transitionHistogram[s][Int(days + daySpan)] += 1
                    } else {
                        acc.sparseTransitions[s][days, default: 0] += 1
                    }
                }
                if !valued[c] {
                    if furthest >= JourneyStage.purchase.rawValue { acc.missingReachedPurchase += 1 } else {
                        acc.missingProspects += 1
                    }
                }
                let lostAt = furthest < post ? lastEvent[furthest] : churnEvent
                if lostAt >= 0 {
                    let m = Int(momentOfPair[furthest * touchpointCount + Int(touchpoint[lostAt])])
                    acc.dropOff[furthest] += 1
                    acc.stageValueAtStake[furthest] += v
                    acc.momentLost[m] += 1
                    acc.momentLostValue[m] += v
                    acc.segmentLost[m * segmentSlots + seg] += 1
                    acc.segmentLostValue[m * segmentSlots + seg] += v
                    if !valued[c] { acc.momentLostUnvalued[m] += 1 }
                }
            }
            return acc
        }
    }
}

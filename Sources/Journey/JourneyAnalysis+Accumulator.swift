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
        var transitionDays = [[Int32: Int]](repeating: [:], count: 4)
        var momentReach: [Int]
        var momentLost: [Int]
        var momentLostValue: [Double]
        var momentLostUnvalued: [Int]
        var momentGap: [GapSums]
        var segmentGap: [GapSums]
        var missingReachedPurchase = 0
        var missingProspects = 0

        init(momentCount: Int, segmentSlots: Int) {
            momentReach = [Int](repeating: 0, count: momentCount)
            momentLost = momentReach
            momentLostUnvalued = momentReach
            momentLostValue = [Double](repeating: 0, count: momentCount)
            momentGap = [GapSums](repeating: GapSums(), count: momentCount)
            segmentGap = [GapSums](repeating: GapSums(), count: momentCount * segmentSlots)
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
                transitionDays[s].merge(other.transitionDays[s], uniquingKeysWith: +)
            }
            for m in momentReach.indices {
                momentReach[m] += other.momentReach[m]
                momentLost[m] += other.momentLost[m]
                momentLostValue[m] += other.momentLostValue[m]
                momentLostUnvalued[m] += other.momentLostUnvalued[m]
                momentGap[m].add(other.momentGap[m])
            }
            for k in segmentGap.indices { segmentGap[k].add(other.segmentGap[k]) }
            missingReachedPurchase += other.missingReachedPurchase
            missingProspects += other.missingProspects
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
        func accumulate(customers: Range<Int>) -> Accumulator {
            var acc = Accumulator(momentCount: momentCount, segmentSlots: segmentSlots)
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
                    }
                    if s == post, let outcome, outcome[e] >= 0, churnedOutcome[Int(outcome[e])] {
                        if churnEvent < 0 || d >= day[churnEvent] { churnEvent = e }
                    }
                    if let scores {
                        let x = scores.expected[e], y = scores.experienced[e]
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
                    acc.transitionDays[s][days, default: 0] += 1
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
                    if !valued[c] { acc.momentLostUnvalued[m] += 1 }
                }
            }
            return acc
        }
    }
}

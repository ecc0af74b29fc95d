import Dispatch

extension JourneyAnalysis {
    /// Customers per parallel block. Fixed, so block boundaries (and the order of floating-point sums) depend on
    /// the log alone, not on the thread count.
    static let blockSize = 16_384

    /// Analyses `log`, valuing customers with `values` and grouping gaps by `segments` (both joined by id).
    ///
    /// Events are grouped by customer (a stable counting sort), each customer's journey is reduced to its furthest
    /// stage, first day per stage, last event per stage and distinct moments, and per-block sums are merged in
    /// block order, so the result is the same for any thread count.
    ///
    /// - Throws: ``JourneyError/invalidParameter(name:value:requirement:)`` for options out of range.
    /// - Complexity: O(events + customers + value rows + segment rows), parallel over blocks of customers.
    public static func analyze(
        _ log: JourneyLog, values: CustomerValues, segments: CustomerSegments? = nil, options: Options = Options()
    ) throws(JourneyError) -> JourneyAnalysis {
        guard options.recovery.isFinite, (0...1).contains(options.recovery) else {
            throw .invalidParameter(name: "recovery", value: options.recovery, requirement: "in [0, 1]")
        }
        guard options.scoreScale.isFinite, options.scoreScale > 0 else {
            throw .invalidParameter(name: "score scale", value: options.scoreScale, requirement: "a positive number")
        }
        let imputed: Double
        switch options.missingValue {
        case .zero: imputed = 0
        case .meanOfKnown: imputed = values.values.isEmpty ? 0 : values.values.reduce(0, +) / Double(values.values.count)
        case let .constant(v):
            guard v.isFinite else { throw .invalidParameter(name: "missing value", value: v, requirement: "finite") }
            imputed = v
        }
        let n = log.customerCount

        // Join values and segments by id (hash indexes built once, looked up in parallel blocks).
        let valueIndex = IdentifierIndex.rows(of: values.ids)
        var segmentNames: [String] = []
        var segmentIndex: (index: IdentifierIndex, rowOfKey: [Int32])?
        var segmentOfRow: [Int32] = []
        if let segments {
            segmentIndex = IdentifierIndex.rows(of: segments.ids)
            var names = IdentifierIndex(capacity: 64)
            let codes = segments.names.map { names.insert($0) }
            segmentNames = names.keys.sorted()
            var sortedPosition = [Int32](repeating: 0, count: names.keys.count)
            for (position, name) in segmentNames.enumerated() {
                if let code = names.row(of: name) { sortedPosition[Int(code)] = Int32(position) }
            }
            segmentOfRow = codes.map { sortedPosition[Int($0)] }
        }
        let unassigned = Int32(segmentNames.count)
        var value = [Double](repeating: imputed, count: n)
        var valued = [Bool](repeating: false, count: n)
        var segment = [Int32](repeating: unassigned, count: n)
        let ids = log.customerIDs, knownValues = values.values, segmentRows = segmentIndex, rowSegments = segmentOfRow
        let joinBlocks = (n + blockSize - 1) / blockSize
        value.withUnsafeMutableBufferPointer { valueBuffer in
            valued.withUnsafeMutableBufferPointer { valuedBuffer in
                segment.withUnsafeMutableBufferPointer { segmentBuffer in
                    nonisolated(unsafe) let v = valueBuffer, f = valuedBuffer, g = segmentBuffer
                    DispatchQueue.concurrentPerform(iterations: joinBlocks) { k in
                        for c in (k * blockSize)..<Swift.min(n, (k + 1) * blockSize) {
                            if let key = valueIndex.index.row(of: ids[c]) {
                                v[c] = knownValues[Int(valueIndex.rowOfKey[Int(key)])]
                                f[c] = true
                            }
                            if let segmentRows, let key = segmentRows.index.row(of: ids[c]) {
                                g[c] = rowSegments[Int(segmentRows.rowOfKey[Int(key)])]
                            }
                        }
                    }
                }
            }
        }
        // Value rows without events: distinct value ids minus the journey customers found among them.
        let matchedCount = valued.reduce(0) { $0 + ($1 ? 1 : 0) }
        let valuedNotInJourney = valueIndex.index.keys.count - matchedCount

        // Moments: the (stage, touchpoint) pairs present, ordered by stage then touchpoint order of appearance.
        let stageCount = JourneyStage.allCases.count
        let touchpointCount = log.touchpoints.count
        var present = [Bool](repeating: false, count: stageCount * touchpointCount)
        for e in 0..<log.count { present[log.stage[e].rawValue * touchpointCount + Int(log.touchpoint[e])] = true }
        var momentOfPair = [Int32](repeating: -1, count: present.count)
        var momentPairs: [(stage: JourneyStage, touchpoint: Int)] = []
        for pair in present.indices where present[pair] {
            momentOfPair[pair] = Int32(momentPairs.count)
            momentPairs.append((JourneyStage.allCases[pair / Swift.max(1, touchpointCount)], pair % Swift.max(1, touchpointCount)))
        }

        // Events grouped by customer, in file order within a customer (stable counting sort).
        var offsets = [Int](repeating: 0, count: n + 1)
        for c in log.customer { offsets[Int(c) + 1] += 1 }
        for c in 0..<n { offsets[c + 1] += offsets[c] }
        var order = [Int32](repeating: 0, count: log.count)
        var cursor = offsets
        for e in 0..<log.count {
            let c = Int(log.customer[e])
            order[cursor[c]] = Int32(e)
            cursor[c] += 1
        }
        let daySpan = Int32(clamping: Int(log.day.max() ?? 0) - Int(log.day.min() ?? 0))
        let churned = log.outcomes.map { $0.lowercased() == JourneyLog.churnedOutcome }

        let context = Context(
            log: log, offsets: offsets, order: order, value: value, valued: valued, segment: segment,
            segmentSlots: segmentNames.count + 1, momentOfPair: momentOfPair, momentCount: momentPairs.count,
            touchpointCount: touchpointCount, churnedOutcome: churned, daySpan: daySpan)
        let blockCount = (n + blockSize - 1) / blockSize
        var blocks = [Accumulator?](repeating: nil, count: blockCount)
        blocks.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: blockCount) { k in
                out[k] = context.accumulate(customers: (k * blockSize)..<Swift.min(n, (k + 1) * blockSize))
            }
        }
        var total = Accumulator(momentCount: momentPairs.count, segmentSlots: segmentNames.count + 1, span: daySpan)
        for block in blocks { if let block { total.add(block) } }

        // Stages.
        var stages: [Stage] = []
        for stage in JourneyStage.allCases {
            let s = stage.rawValue
            let reach = total.stageReach[s]
            let isLast = stage.next == nil
            let converted = isLast ? nil : reach - total.dropOff[s]
            var timing: Timing?
            if !isLast, total.transitionCount[s] > 0 {
                timing = Timing(
                    customers: total.transitionCount[s],
                    meanDays: Double(total.transitionSum[s]) / Double(total.transitionCount[s]),
                    medianDays: median(total.transitionDays(s)))
            }
            stages.append(
                Stage(
                    stage: stage, reach: reach, converted: converted,
                    conversionRate: converted.flatMap { reach > 0 ? Double($0) / Double(reach) : nil },
                    dropOff: total.dropOff[s], dropOffRate: reach > 0 ? Double(total.dropOff[s]) / Double(reach) : nil,
                    valueAtStake: total.stageValueAtStake[s], daysToNextStage: timing))
        }

        // Moments, ranked.
        let scored = log.scores != nil
        func gapFactor(_ gap: Gap?) -> Double? {
            gap.map { Swift.min(1, Swift.max(0, $0.valueWeightedGap ?? $0.meanGap) / options.scoreScale) }
        }
        var moments: [Moment] = []
        var segmentMoments: [SegmentMoment] = []
        let slots = segmentNames.count + 1
        for (m, pair) in momentPairs.enumerated() {
            let gap = total.momentGap[m].summary
            let factor = gapFactor(gap) ?? 1
            if segments != nil {
                for s in 0..<slots where total.segmentReach[m * slots + s] > 0 {
                    let k = m * slots + s
                    let segmentGap = total.segmentGap[k].summary
                    let segmentFactor = gapFactor(segmentGap) ?? factor
                    segmentMoments.append(
                        SegmentMoment(
                            stage: pair.stage, touchpoint: log.touchpoints[pair.touchpoint],
                            segment: s < segmentNames.count ? segmentNames[s] : unassignedSegment,
                            reach: total.segmentReach[k], lost: total.segmentLost[k],
                            valueAtStake: total.segmentLostValue[k], gap: segmentGap, gapFactor: segmentFactor,
                            suggestedMaxUplift: Swift.max(0, total.segmentLostValue[k]) * options.recovery * segmentFactor))
                }
            }
            let atStake = total.momentLostValue[m]
            moments.append(
                Moment(
                    rank: 0, stage: pair.stage, touchpoint: log.touchpoints[pair.touchpoint], reach: total.momentReach[m],
                    lost: total.momentLost[m],
                    lossRate: total.momentReach[m] > 0 ? Double(total.momentLost[m]) / Double(total.momentReach[m]) : 0,
                    valueAtStake: atStake, lostWithoutValue: total.momentLostUnvalued[m], gap: gap, gapFactor: factor,
                    suggestedMaxUplift: Swift.max(0, atStake) * options.recovery * factor))
        }
        var segmentGaps: [SegmentGap] = []
        if scored && segments != nil {
            for (m, moment) in moments.enumerated() {
                for s in 0...segmentNames.count {
                    guard let gap = total.segmentGap[m * (segmentNames.count + 1) + s].summary else { continue }
                    let name = s < segmentNames.count ? segmentNames[s] : unassignedSegment
                    segmentGaps.append(SegmentGap(stage: moment.stage, touchpoint: moment.touchpoint, segment: name, gap: gap))
                }
            }
        }
        moments.sort { a, b in
            if a.valueAtStake != b.valueAtStake { return a.valueAtStake > b.valueAtStake }
            if a.lost != b.lost { return a.lost > b.lost }
            if a.stage != b.stage { return a.stage < b.stage }
            return a.touchpoint < b.touchpoint
        }
        for k in moments.indices { moments[k].rank = k + 1 }

        let matched = matchedCount
        let coverage = Coverage(
            events: log.count, journeyCustomers: n, valued: matched, missingValue: n - matched,
            missingValueReachedPurchase: total.missingReachedPurchase, missingValueProspects: total.missingProspects,
            valuedNotInJourney: valuedNotInJourney, imputedValue: imputed,
            segmented: segments.map { _ in segment.reduce(0) { $0 + ($1 == unassigned ? 0 : 1) } },
            unsegmented: segments.map { _ in segment.reduce(0) { $0 + ($1 == unassigned ? 1 : 0) } },
            scoredEvents: total.scoredEvents)
        return JourneyAnalysis(
            stages: stages, moments: moments, segmentGaps: segmentGaps, segmentMoments: segmentMoments, coverage: coverage,
            options: options)
    }

    /// The median of a histogram of day counts (day difference → customers).
    static func median(_ histogram: [Int32: Int]) -> Double {
        let keys = histogram.keys.sorted()
        let total = histogram.values.reduce(0, +)
        guard total > 0 else { return 0 }
        // Middle order statistics (0-based): ⌊(total−1)/2⌋ and ⌊total/2⌋.
        let lowRank = (total - 1) / 2, highRank = total / 2
        var seen = 0
        var low: Int32?, high: Int32?
        for key in keys {
            let count = histogram[key] ?? 0
            if low == nil && seen + count > lowRank { low = key }
            if high == nil && seen + count > highRank { high = key }
            seen += count
            if high != nil { break }
        }
        return (Double(low ?? 0) + Double(high ?? 0)) / 2
    }
}

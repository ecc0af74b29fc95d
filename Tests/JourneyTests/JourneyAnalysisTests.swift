import Foundation
import Testing

@testable import Journey

@Suite("Journey analysis")
struct JourneyAnalysisTests {
    /// Five journeys, rows of different customers interleaved and one out of date order:
    /// A buys and churns at delivery; B (no CLV) stops at awareness with two events on one day;
    /// C stops at consideration, its last consideration event by date being review_site although website comes
    /// later in the file; D buys and repurchases; E (no CLV) skips consideration and stops at decision.
    static let log = """
        customer_id,stage,touchpoint,date,outcome,expected_score,experienced_score
        A,awareness,search_ad,2024-01-01,,8,7
        B,awareness,social_ad,2024-01-02,,6,6
        A,consideration,website,2024-01-03,,7,7
        C,awareness,search_ad,2024-01-01,,9,5
        A,decision,sales_chat,2024-01-04,,8,5
        C,consideration,review_site,2024-01-05,,8,6
        C,consideration,website,2024-01-04,,8,8
        B,awareness,search_ad,2024-01-02,,7,6
        A,purchase,checkout,2024-01-05,,7,8
        A,post_purchase,delivery,2024-01-07,Churned,8,4
        D,awareness,word_of_mouth,2024-01-01,,7,7
        D,consideration,website,2024-01-02,,8,8
        D,decision,product_page,2024-01-03,,8,6
        D,purchase,checkout,2024-01-10,,8,8
        D,post_purchase,delivery,2024-01-12,,8,8
        D,post_purchase,loyalty_email,2024-02-01,repurchased,7,8
        E,decision,sales_chat,2024-01-03,,9,4
        E,awareness,social_ad,2024-01-01,,6,6
        """

    /// The same journeys with some events not surveyed (blank score pairs); word_of_mouth is never surveyed.
    static let logWithBlanks = log
        .replacingOccurrences(of: "B,awareness,social_ad,2024-01-02,,6,6", with: "B,awareness,social_ad,2024-01-02,,,")
        .replacingOccurrences(of: "D,awareness,word_of_mouth,2024-01-01,,7,7", with: "D,awareness,word_of_mouth,2024-01-01,,,")
        .replacingOccurrences(of: "A,decision,sales_chat,2024-01-04,,8,5", with: "A,decision,sales_chat,2024-01-04,,,")
        .replacingOccurrences(of: "D,purchase,checkout,2024-01-10,,8,8", with: "D,purchase,checkout,2024-01-10,,,")

    static let values = CustomerValues(ids: ["A", "C", "D", "Z"], values: [100, 40, 250, 5])
    static let segments = CustomerSegments(ids: ["A", "C", "D", "E"], names: ["gold", "silver", "gold", "silver"])

    func analysis(missing: JourneyAnalysis.Options.MissingValue = .meanOfKnown, text: String = log) throws -> JourneyAnalysis {
        let events = try JourneyLog.parse(text: text, name: "journey.csv")
        return try JourneyAnalysis.analyze(
            events, values: Self.values, segments: Self.segments, options: .init(recovery: 0.5, scoreScale: 10, missingValue: missing))
    }

    /// Figures worked out by hand from the log above.
    @Test func handComputedFunnelAndMoments() throws {
        let a = try analysis()
        #expect(a.stages.map(\.reach) == [5, 3, 3, 2, 2])
        #expect(a.stages.map(\.dropOff) == [1, 1, 1, 0, 1])
        #expect(a.stages.map(\.converted) == [4, 2, 2, 2, nil])
        #expect(a.stages[0].conversionRate == 0.8)
        // Awareness → consideration: A 2 days, C 3 (first consideration event is website on the 4th), D 1.
        #expect(a.stages[0].daysToNextStage == .init(customers: 3, meanDays: 2, medianDays: 2))
        // Decision → purchase: A 1, D 7 (even count: median is the mean of the middle two).
        #expect(a.stages[2].daysToNextStage == .init(customers: 2, meanDays: 4, medianDays: 4))
        #expect(a.stages[4].daysToNextStage == nil)
        // Missing B and E are valued at the mean of the value file: (100 + 40 + 250 + 5) / 4.
        let imputed = 98.75
        #expect(a.coverage.imputedValue == imputed)
        #expect(a.coverage.missingValue == 2 && a.coverage.missingValueProspects == 2)
        #expect(a.coverage.missingValueReachedPurchase == 0 && a.coverage.valuedNotInJourney == 1)
        #expect(a.coverage.segmented == 4 && a.coverage.unsegmented == 1)  // B has no segment
        let ranked = a.moments.prefix(4).map { "\($0.stage.name)/\($0.touchpoint)" }
        #expect(ranked == ["post_purchase/delivery", "awareness/search_ad", "decision/sales_chat", "consideration/review_site"])
        #expect(a.moments.prefix(4).map(\.valueAtStake) == [100, imputed, imputed, 40])
        #expect(a.moments.prefix(4).map(\.lostWithoutValue) == [0, 1, 1, 0])
        #expect(a.moments.dropFirst(4).allSatisfy { $0.valueAtStake == 0 && $0.lost == 0 })
        #expect(a.stages.map(\.valueAtStake) == [imputed, 40, imputed, 0, 100])
        // decision/sales_chat: A (8 − 5, value 100) and E (9 − 4, value 98.75).
        let chat = try #require(a.moments.first { $0.touchpoint == "sales_chat" })
        #expect(chat.reach == 2 && chat.lossRate == 0.5)
        let chatGap = try #require(chat.gap)
        #expect(chatGap.meanGap == 4)
        let weighted = (100 * 3 + imputed * 5) / (100 + imputed)
        #expect(abs(chatGap.valueWeightedGap! - weighted) < 1e-12)
        // Suggested uplift: 98.75 × 0.5 × min(1, weighted / 10).
        #expect(abs(chat.suggestedMaxUplift - imputed * 0.5 * weighted / 10) < 1e-9)
    }

    /// Every figure against the brute-force oracle, with every event surveyed and with blank score pairs.
    @Test(arguments: [JourneyAnalysis.Options.MissingValue.meanOfKnown, .zero, .constant(7)], [false, true])
    func matchesBruteForce(missing: JourneyAnalysis.Options.MissingValue, blanks: Bool) throws {
        let text = blanks ? Self.logWithBlanks : Self.log
        let a = try analysis(missing: missing, text: text)
        let oracle = BruteForceJourney(text: text)
        let known = Dictionary(uniqueKeysWithValues: zip(Self.values.ids, Self.values.values))
        let imputed: Double
        switch missing {
        case .zero: imputed = 0
        case .meanOfKnown: imputed = Self.values.values.reduce(0, +) / Double(Self.values.values.count)
        case let .constant(v): imputed = v
        }
        let value = { (c: String) in known[c] ?? imputed }
        for stage in JourneyStage.allCases {
            let s = stage.rawValue
            let row = a.stages[s]
            #expect(row.reach == oracle.reach(stage: s))
            #expect(row.dropOff == oracle.dropOff(stage: s))
            let lostValue = oracle.customers.filter { oracle.lostAt($0)?.stage == s }.map(value).reduce(0, +)
            #expect(abs(row.valueAtStake - lostValue) < 1e-9)
            if s < 4 {
                let days = oracle.transitions(stage: s).sorted()
                #expect(row.daysToNextStage?.customers == days.count)
                if !days.isEmpty {
                    #expect(abs(row.daysToNextStage!.meanDays - Double(days.reduce(0, +)) / Double(days.count)) < 1e-12)
                    let median = Double(days[(days.count - 1) / 2] + days[days.count / 2]) / 2
                    #expect(row.daysToNextStage!.medianDays == median)
                }
            }
        }
        for moment in a.moments {
            let s = moment.stage.rawValue
            #expect(moment.reach == oracle.reach(stage: s, touchpoint: moment.touchpoint))
            let lost = oracle.lost(stage: s, touchpoint: moment.touchpoint)
            #expect(moment.lost == lost.count)
            #expect(abs(moment.valueAtStake - lost.map(value).reduce(0, +)) < 1e-9)
            let gap = oracle.gap(value: value) { $0.stage == s && $0.touchpoint == moment.touchpoint }
            if gap.count == 0 {
                #expect(moment.gap == nil)
            } else {
                #expect(moment.gap?.responses == gap.count)
                #expect(abs((moment.gap?.meanGap ?? .nan) - gap.mean) < 1e-12)
                if let w = gap.weighted {
                    #expect(abs((moment.gap?.valueWeightedGap ?? .nan) - w) < 1e-12)
                } else {
                    #expect(moment.gap?.valueWeightedGap == nil)
                }
            }
            // A moment nobody was surveyed at keeps the whole value at stake (factor 1), as a log without scores.
            let g = gap.weighted ?? gap.mean
            let factor = gap.count == 0 ? 1 : min(1, max(0, g) / 10)
            #expect(moment.gapFactor == factor)
            let expected = max(0, moment.valueAtStake) * 0.5 * factor
            #expect(abs(moment.suggestedMaxUplift - expected) < 1e-9)
        }
        #expect(a.coverage.scoredEvents == oracle.rows.filter { $0.expected != nil }.count)
        // Ranked by value at stake, descending.
        #expect(zip(a.moments, a.moments.dropFirst()).allSatisfy { $0.valueAtStake >= $1.valueAtStake })
        #expect(a.moments.map(\.rank) == Array(1...a.moments.count))
        // Gaps per moment and segment.
        let segmentOf = Dictionary(uniqueKeysWithValues: zip(Self.segments.ids, Self.segments.names))
        #expect(!a.segmentGaps.isEmpty)
        for g in a.segmentGaps {
            let oracleGap = oracle.gap(value: value) {
                $0.stage == g.stage.rawValue && $0.touchpoint == g.touchpoint
                    && (segmentOf[$0.customer] ?? JourneyAnalysis.unassignedSegment) == g.segment
            }
            #expect(g.gap.responses == oracleGap.count)
            #expect(abs(g.gap.meanGap - oracleGap.mean) < 1e-12)
        }
        let total = a.segmentGaps.reduce(0) { $0 + $1.gap.responses }
        #expect(total == oracle.rows.filter { $0.expected != nil }.count)
        // Value at stake per moment and segment: reach and losses of the segment's customers there.
        let segment = { (c: String) in segmentOf[c] ?? JourneyAnalysis.unassignedSegment }
        var pairs = 0
        for moment in a.moments {
            let s = moment.stage.rawValue
            let reached = Set(oracle.rows.filter { $0.stage == s && $0.touchpoint == moment.touchpoint }.map(\.customer))
            let lost = oracle.lost(stage: s, touchpoint: moment.touchpoint)
            for name in Set(reached.map(segment)) {
                pairs += 1
                let row = try #require(
                    a.segmentMoments.first { $0.stage == moment.stage && $0.touchpoint == moment.touchpoint && $0.segment == name })
                #expect(row.reach == reached.filter { segment($0) == name }.count)
                let lostHere = lost.filter { segment($0) == name }
                #expect(row.lost == lostHere.count)
                #expect(abs(row.valueAtStake - lostHere.map(value).reduce(0, +)) < 1e-9)
                let gap = oracle.gap(value: value) { $0.stage == s && $0.touchpoint == moment.touchpoint && segment($0.customer) == name }
                let factor = gap.count == 0 ? moment.gapFactor : min(1, max(0, gap.weighted ?? gap.mean) / 10)
                #expect(abs(row.gapFactor - factor) < 1e-12)
                #expect(abs(row.suggestedMaxUplift - max(0, row.valueAtStake) * 0.5 * factor) < 1e-9)
            }
            let rows = a.segmentMoments.filter { $0.stage == moment.stage && $0.touchpoint == moment.touchpoint }
            #expect(abs(rows.map(\.valueAtStake).reduce(0, +) - moment.valueAtStake) < 1e-9)
            #expect(rows.map(\.lost).reduce(0, +) == moment.lost)
        }
        #expect(a.segmentMoments.count == pairs)
    }

    @Test func skippingBadRowsCountsThemByReasonAndAnalysesTheRest() throws {
        // Bad rows of every kind (lines 3, 5, 7, 9, 10): a wrong field count, an unknown stage, a bad date, half a
        // score pair, and customer X whose only event has an unknown stage (so X must not count as a customer).
        var lines = Self.log.split(separator: "\n").map(String.init)
        lines.insert("B,awareness,social_ad,2024-01-02,,6", at: 2)
        lines.insert("C,wandering,search_ad,2024-01-01,,9,5", at: 4)
        lines.insert("A,consideration,website,2024-13-03,,7,7", at: 6)
        lines.insert("C,consideration,review_site,2024-01-05,,8,", at: 8)
        lines.insert("X,browsing,search_ad,2024-01-01,,9,5", at: 9)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capm-journey-skip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journey.csv")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)

        #expect(throws: JourneyError.self) { try JourneyLog.read(contentsOf: url) }
        let (log, skipped) = try JourneyLog.read(contentsOf: url, badRows: .skip)
        #expect(skipped.total == 5)
        let byReason = Dictionary(uniqueKeysWithValues: skipped.reasons.map { ($0.reason, $0) })
        #expect(byReason["wrong number of fields"]?.firstLine == 3)
        #expect(byReason["column 'stage': not a journey stage"]?.count == 2)
        #expect(byReason["column 'stage': not a journey stage"]?.firstLine == 5)
        #expect(byReason["column 'stage': not a journey stage"]?.first.hasPrefix("\(url.path):5:2:") == true)
        #expect(byReason["half a score pair"]?.firstLine == 9)
        #expect(byReason.keys.contains { $0.hasPrefix("column 'date'") })
        // What remains is exactly the original log.
        let original = try JourneyLog.parse(text: Self.log, name: "journey.csv")
        #expect(log == original)
        #expect(!log.customerIDs.contains("X"))
        let a = try JourneyAnalysis.analyze(log, values: Self.values, segments: Self.segments)
        let b = try JourneyAnalysis.analyze(original, values: Self.values, segments: Self.segments)
        #expect(a == b)
    }

    @Test func withoutSegmentsThereIsNoSegmentBreakdown() throws {
        let events = try JourneyLog.parse(text: Self.log, name: "journey.csv")
        let a = try JourneyAnalysis.analyze(events, values: Self.values)
        #expect(a.segmentMoments.isEmpty && a.segmentGaps.isEmpty)
    }

    @Test func halfAScorePairNamesItsLineAndColumn() {
        let text = Self.log.replacingOccurrences(
            of: "C,consideration,review_site,2024-01-05,,8,6", with: "C,consideration,review_site,2024-01-05,,8,")
        #expect(throws: JourneyError.halfScorePair(path: "journey.csv", line: 7, column: 7, blank: "experienced_score")) {
            try JourneyLog.parse(text: text, name: "journey.csv")
        }
    }

    @Test func missingValuesOfBuyersAreCountedApart() throws {
        let events = try JourneyLog.parse(text: Self.log)
        // Without D's value, D (a buyer) is missing too.
        let values = CustomerValues(ids: ["A", "C"], values: [100, 40])
        let a = try JourneyAnalysis.analyze(events, values: values, options: .init(missingValue: .zero))
        #expect(a.coverage.valued == 2 && a.coverage.missingValue == 3)
        #expect(a.coverage.missingValueReachedPurchase == 1 && a.coverage.missingValueProspects == 2)
        #expect(a.coverage.valuedNotInJourney == 0 && a.coverage.segmented == nil)
        #expect(a.segmentGaps.isEmpty)
        // Zero value for the missing: only A and C put value at stake.
        #expect(a.stages.map(\.valueAtStake).reduce(0, +) == 140)
    }

    @Test func withoutScoresOrOutcomeTheGapFactorIsOneAndPostPurchaseLosesNobody() throws {
        let text = Self.log.split(separator: "\n").map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).prefix(4).joined(separator: ",")
        }.joined(separator: "\n")
        let events = try JourneyLog.parse(text: text)
        #expect(events.scores == nil && events.outcome == nil)
        let a = try JourneyAnalysis.analyze(events, values: Self.values, options: .init(recovery: 0.2))
        #expect(a.stages[4].dropOff == 0)
        #expect(a.moments.allSatisfy { $0.gap == nil && $0.gapFactor == 1 })
        #expect(a.moments.allSatisfy { abs($0.suggestedMaxUplift - 0.2 * $0.valueAtStake) < 1e-12 })
    }

    @Test func unknownStageNamesItsLineAndColumn() {
        // A blank line before the bad row: the row is on physical line 4.
        let text = "customer_id,touchpoint,stage,date\nA,ad,awareness,2024-01-01\n\nA,chat,checkout,2024-01-02\n"
        #expect(throws: JourneyError.unknownStage(path: "j.csv", line: 4, column: 3, text: "checkout")) {
            try JourneyLog.parse(text: text, name: "j.csv")
        }
    }

    @Test func stageNamesAreForgivingAboutCaseAndSeparators() throws {
        let text = "customer_id,stage,touchpoint,date\nA,Awareness,ad,2024-01-01\nA,Post-Purchase,mail,2024-01-09\n"
        let events = try JourneyLog.parse(text: text)
        #expect(events.stage == [.awareness, .postPurchase])
    }

    @Test func badDateNamesItsLineAndColumn() {
        let text = "customer_id,stage,touchpoint,date\nA,awareness,ad,2024-01-01\nA,purchase,checkout,2024-13-45\n"
        do {
            _ = try JourneyLog.parse(text: text, name: "j.csv")
            Issue.record("expected an error")
        } catch let error {
            guard case let .data(inner) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(inner.line == 3 && inner.column == 4)
            #expect(error.description.hasPrefix("j.csv:3:4:"))
        }
    }

    @Test func scoreColumnsComeInPairs() {
        let text = "customer_id,stage,touchpoint,date,expected_score\nA,awareness,ad,2024-01-01,7\n"
        #expect(throws: JourneyError.unpairedScoreColumn(path: "j.csv", present: "expected_score", missing: "experienced_score")) {
            try JourneyLog.parse(text: text, name: "j.csv")
        }
    }

    @Test func badScoreNamesItsLineAndColumn() {
        let text = "customer_id,stage,touchpoint,date,expected_score,experienced_score\nA,awareness,ad,2024-01-01,7,x\n"
        #expect(throws: JourneyError.self) { try JourneyLog.parse(text: text, name: "j.csv") }
        do { _ = try JourneyLog.parse(text: text, name: "j.csv") } catch {
            #expect(error.description.hasPrefix("j.csv:2:6:"))
        }
    }

    @Test func optionsOutOfRangeAreRejected() throws {
        let events = try JourneyLog.parse(text: Self.log)
        #expect(throws: JourneyError.self) {
            try JourneyAnalysis.analyze(events, values: Self.values, options: .init(recovery: 1.5))
        }
        #expect(throws: JourneyError.self) {
            try JourneyAnalysis.analyze(events, values: Self.values, options: .init(scoreScale: 0))
        }
        #expect(throws: JourneyError.self) {
            try JourneyAnalysis.analyze(events, values: Self.values, options: .init(missingValue: .constant(.infinity)))
        }
    }

    @Test func rowLocatorFollowsBlankLinesAndQuotedNewlines() {
        let bytes = Array("h1,h2\n\"a\nb\",1\n\n  \nc,2\nd,3\n".utf8)
        #expect(RowLocator.line(ofRow: 0, in: bytes) == 2)
        #expect(RowLocator.line(ofRow: 1, in: bytes) == 6)
        #expect(RowLocator.line(ofRow: 2, in: bytes) == 7)
    }
}

@Suite("Journey analysis: long logs")
struct JourneyLongSpanTests {
    /// A log spanning 24 years (beyond the dense histogram span) gives the same timings as the brute force.
    @Test func timingsOverLongSpans() throws {
        let text = """
            customer_id,stage,touchpoint,date
            X,awareness,ad,2000-01-01
            X,consideration,web,2000-01-05
            Y,awareness,ad,2024-01-01
            Y,consideration,web,2024-01-03
            Z,awareness,ad,2024-01-01
            Z,consideration,web,2024-01-11
            """
        let a = try JourneyAnalysis.analyze(try JourneyLog.parse(text: text), values: CustomerValues(ids: [], values: []))
        let days = BruteForceJourney(text: text).transitions(stage: 0).sorted()
        #expect(days == [2, 4, 10])
        #expect(a.stages[0].daysToNextStage == .init(customers: 3, meanDays: 16.0 / 3, medianDays: 4))
        #expect(a.coverage.imputedValue == 0 && a.coverage.missingValue == 3)
    }
}

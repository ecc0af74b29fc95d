import ArgumentParser
import CAPM
import Foundation

/// `capm journey`: funnel, moments of truth ranked by value at stake, and experience gaps of a journey event log,
/// valued with the per-customer output of `capm clv` (and grouped by `capm segment`'s output).
struct JourneyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journey",
        abstract: "Journey analytics: funnel, moments of truth by value at stake, expected-vs-experienced gaps.",
        discussion: """
            --events: customer_id,stage,touchpoint,date[,outcome][,expected_score,experienced_score] with stages \
            awareness, consideration, decision, purchase, post_purchase. --clv: per-customer values (the --output of \
            `capm clv`: customer_id,…,clv). --segments: the --output of `capm segment` (customer_id,segment[,label]). \
            A customer whose furthest stage is s is lost at their last touchpoint at s; at post_purchase, at the \
            event with outcome 'churned'. Value at stake = sum of the CLV of customers lost there. Suggested \
            max_uplift = value at stake x --recovery x min(1, max(0, value-weighted gap) / --score-scale). \
            Journey customers missing from --clv are counted and valued by --missing-clv. See Docs/journey.md.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Option(help: "Journey event log CSV.") var events: String
    @Option(help: "Per-customer values CSV (e.g. `capm clv --output`).") var clv: String
    @Option(help: "Per-customer segments CSV (e.g. `capm segment --output`).") var segments: String?
    @Option(help: "Customer id column of --clv and --segments.") var idColumn = "customer_id"
    @Option(help: "Value column of --clv.") var clvColumn = "clv"
    @Option(help: "Share of value at stake a fix can recover, in [0, 1].") var recovery: Double = 0.3
    @Option(help: "Length of the score scale (10 for 0-10 scores).") var scoreScale: Double = 10
    @Option(help: "Value of journey customers missing from --clv: mean (of --clv), zero, or a number.")
    var missingClv = "mean"
    @Option(help: "Moments of truth shown in the table.") var top = 10
    @Option(help: "Output format: table or json.") var format: Format = .table
    @Option(name: .shortAndLong, help: "Write the output (table or JSON) to this file (atomically) instead of stdout.")
    var output: String?
    @Flag(help: "Print the time of each step on stderr.") var timings = false
    @Flag(help: "Skip bad event rows and count them by reason on stderr (default: stop at the first).")
    var skipBadRows = false

    func validate() throws {
        guard recovery.isFinite, (0...1).contains(recovery) else { throw ValidationError("--recovery must be in [0, 1]") }
        guard scoreScale.isFinite, scoreScale > 0 else { throw ValidationError("--score-scale must be positive") }
        guard top >= 0 else { throw ValidationError("--top must be at least 0") }
        _ = try missingValue()
    }

    func missingValue() throws -> JourneyAnalysis.Options.MissingValue {
        switch missingClv {
        case "mean": return .meanOfKnown
        case "zero": return .zero
        default:
            guard let v = Double(missingClv), v.isFinite else {
                throw ValidationError("--missing-clv must be mean, zero or a number, not '\(missingClv)'")
            }
            return .constant(v)
        }
    }

    func run() throws {
        let watch = CLVCommand.Stopwatch(enabled: timings, announces: false)  // progress has its own lines
        let progress = Progress()
        progress.step("reading \(events)")
        let (log, skipped) = try JourneyLog.read(contentsOf: URL(fileURLWithPath: events), badRows: skipBadRows ? .skip : .fail)
        for r in skipped.reasons {
            // Never silent: every reason with its count and first position.
            FileHandle.standardError.write(Data("capm journey: skipped \(r.count) row(s): \(r.reason) (first: \(r.first))\n".utf8))
        }
        watch.lap("read events (\(log.count))")
        let values = try JourneyInputs.readValues(
            contentsOf: URL(fileURLWithPath: clv), idColumn: idColumn, valueColumn: clvColumn)
        watch.lap("read values (\(values.ids.count))")
        let segmentTable = try segments.map { path throws(JourneyError) in
            try JourneyInputs.readSegments(contentsOf: URL(fileURLWithPath: path), idColumn: idColumn)
        }
        if segmentTable != nil { watch.lap("read segments") }
        progress.step("analysing \(log.count) events of \(log.customerCount) customers")
        let analysis = try JourneyAnalysis.analyze(
            log, values: values, segments: segmentTable,
            options: .init(recovery: recovery, scoreScale: scoreScale, missingValue: try missingValue()))
        watch.lap("analyse")
        let c = analysis.coverage
        if format == .json && c.missingValue > 0 {
            // The table reports coverage itself; with JSON on stdout, say it on stderr too so it is never silent.
            FileHandle.standardError.write(Data(
                ("capm journey: \(c.missingValue) of \(c.journeyCustomers) journey customers are missing from \(clv) "
                    + "(\(c.missingValueReachedPurchase) reached purchase, \(c.missingValueProspects) prospects); "
                    + "valued at \(c.imputedValue)\n").utf8))
        }
        let text: String
        switch format {
        case .json: text = try Self.json(analysis)
        case .table: text = Self.table(analysis, top: top)
        }
        if let output {
            try AtomicFile.write(text, to: URL(fileURLWithPath: output))
        } else {
            print(text, terminator: "")
        }
        watch.lap("write")
    }

    /// The analysis as JSON (see ``JourneyAnalysis/json()``).
    static func json(_ analysis: JourneyAnalysis) throws -> String { try analysis.json() }

    /// The funnel, the top moments of truth and, with segments, their gaps per segment.
    static func table(_ analysis: JourneyAnalysis, top: Int) -> String {
        let c = analysis.coverage
        var lines: [String] = []
        lines.append(
            "journey: \(c.events) events, \(c.journeyCustomers) customers; \(c.valued) valued, \(c.missingValue) missing "
                + "from the value file (\(c.missingValueProspects) prospects, \(c.missingValueReachedPurchase) who reached "
                + "purchase), valued at \(fixed(c.imputedValue, 2)) each; \(c.valuedNotInJourney) valued customers without events")
        if let s = c.segmented, let u = c.unsegmented { lines.append("segments: \(s) customers segmented, \(u) without a segment") }
        lines.append("")
        lines.append("funnel")
        lines.append(row(["stage", "reach", "converted", "conv %", "drop-off", "drop %", "value at stake", "days to next (mean / median)"],
                         widths: [14, 10, 10, 7, 10, 7, 16, 0]))
        for stage in analysis.stages {
            let days = stage.daysToNextStage.map { "\(fixed($0.meanDays, 1)) / \(fixed($0.medianDays, 1))" } ?? "-"
            lines.append(row(
                [stage.stage.name, "\(stage.reach)", stage.converted.map(String.init) ?? "-",
                 stage.conversionRate.map { fixed(100 * $0, 1) } ?? "-", "\(stage.dropOff)",
                 stage.dropOffRate.map { fixed(100 * $0, 1) } ?? "-", fixed(stage.valueAtStake, 2), days],
                widths: [14, 10, 10, 7, 10, 7, 16, 0]))
        }
        lines.append("")
        lines.append("moments of truth by value at stake (top \(min(top, analysis.moments.count)) of \(analysis.moments.count))")
        let widths = [4, 14, 16, 10, 9, 7, 16, 8, 9, 14]
        lines.append(row(["rank", "stage", "touchpoint", "reach", "lost", "loss %", "value at stake", "gap", "w. gap", "max uplift"], widths: widths))
        for m in analysis.moments.prefix(top) {
            lines.append(row(
                ["\(m.rank)", m.stage.name, m.touchpoint, "\(m.reach)", "\(m.lost)", fixed(100 * m.lossRate, 1),
                 fixed(m.valueAtStake, 2), m.gap.map { fixed($0.meanGap, 2) } ?? "-",
                 m.gap.flatMap { $0.valueWeightedGap }.map { fixed($0, 2) } ?? "-", fixed(m.suggestedMaxUplift, 2)],
                widths: widths))
        }
        if !analysis.segmentMoments.isEmpty {
            lines.append("")
            lines.append("value at stake by segment at the top \(min(top, analysis.moments.count)) moments")
            let w = [14, 16, 24, 10, 9, 16, 8, 14]
            lines.append(row(["stage", "touchpoint", "segment", "reach", "lost", "value at stake", "factor", "max uplift"], widths: w))
            for m in analysis.moments.prefix(top) {
                let rows = analysis.segmentMoments.filter { $0.stage == m.stage && $0.touchpoint == m.touchpoint }
                for r in rows.sorted(by: { $0.valueAtStake > $1.valueAtStake }) where r.lost > 0 {
                    lines.append(row(
                        [r.stage.name, r.touchpoint, r.segment, "\(r.reach)", "\(r.lost)", fixed(r.valueAtStake, 2),
                         fixed(r.gapFactor, 3), fixed(r.suggestedMaxUplift, 2)], widths: w))
                }
            }
        }
        if !analysis.segmentGaps.isEmpty {
            let shown = Set(analysis.moments.prefix(top).map { "\($0.stage.name)/\($0.touchpoint)" })
            lines.append("")
            lines.append("gaps by segment (expected - experienced) at the moments above")
            let w = [14, 16, 24, 10, 8, 9]
            lines.append(row(["stage", "touchpoint", "segment", "responses", "gap", "w. gap"], widths: w))
            for g in analysis.segmentGaps where shown.contains("\(g.stage.name)/\(g.touchpoint)") {
                lines.append(row(
                    [g.stage.name, g.touchpoint, g.segment, "\(g.gap.responses)", fixed(g.gap.meanGap, 2),
                     g.gap.valueWeightedGap.map { fixed($0, 2) } ?? "-"], widths: w))
            }
        }
        lines.append("")
        lines.append("suggested max uplift = value at stake x recovery \(analysis.options.recovery) x min(1, gap+ / \(analysis.options.scoreScale))")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func row(_ fields: [String], widths: [Int]) -> String {
        zip(fields, widths).map { field, width in
            width > 0 && field.count < width ? field.padding(toLength: width, withPad: " ", startingAt: 0) : field
        }.joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }

    private static func fixed(_ v: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", v) }
}

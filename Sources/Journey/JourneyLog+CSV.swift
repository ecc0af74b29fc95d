import CAPMData
import Foundation

extension JourneyLog {
    /// Column names of a journey event log.
    public enum Column {
        /// `customer_id`: the customer or prospect.
        public static let customer = "customer_id"
        /// `stage`: one of ``JourneyStage/name``.
        public static let stage = "stage"
        /// `touchpoint`: free text naming the touchpoint (moment of truth).
        public static let touchpoint = "touchpoint"
        /// `date`: `YYYY-MM-DD` or `YYYYMMDD` (a time after the date is ignored).
        public static let date = "date"
        /// `outcome` (optional): free text; ``JourneyLog/churnedOutcome`` on a post-purchase event marks a loss.
        public static let outcome = "outcome"
        /// `expected_score` (optional, with `experienced_score`).
        public static let expectedScore = "expected_score"
        /// `experienced_score` (optional, with `expected_score`).
        public static let experiencedScore = "experienced_score"
    }

    /// Reads a journey event log (`customer_id,stage,touchpoint,date[,outcome][,expected_score,experienced_score]`,
    /// any column order, other columns ignored). An event whose two score fields are both blank was not surveyed:
    /// its scores are NaN and the gap analysis leaves it out.
    ///
    /// - Throws: ``JourneyError/data(_:)`` for CSV problems (missing column, bad date or score, with line and
    ///   column), ``JourneyError/unknownStage(path:line:column:text:)`` for a stage that is not one of the five,
    ///   ``JourneyError/halfScorePair(path:line:column:blank:)`` for a row with only one of its two scores.
    /// - Complexity: O(file size), parsed in parallel chunks by ``CSVTable``.
    public static func read(contentsOf url: URL, format: CSVFormat = CSVFormat()) throws(JourneyError) -> JourneyLog {
        try read(contentsOf: url, format: format, badRows: .fail).log
    }

    /// Reads a journey event log as ``read(contentsOf:format:)``; with ``BadRowPolicy/skip``, rows it cannot use —
    /// wrong number of fields, a bad date or score, an empty id, a stage that is not one of the five, half a score
    /// pair — are skipped and counted by reason (each with its first `file:line:column`), never dropped silently.
    ///
    /// - Throws: as ``read(contentsOf:format:)`` with ``BadRowPolicy/fail``; with ``BadRowPolicy/skip`` only for
    ///   unreadable files, missing columns, an unterminated quote or no usable row.
    /// - Complexity: O(file size).
    public static func read(
        contentsOf url: URL, format: CSVFormat = CSVFormat(), badRows: BadRowPolicy
    ) throws(JourneyError) -> (log: JourneyLog, skipped: SkippedRows) {
        let header: [String]
        do { header = try CSVTable.header(of: url, format: format) } catch { throw .data(error) }
        let specs = try columnSpecs(header: header, path: url.path)
        let table: CSVTable
        do { table = try CSVTable.read(contentsOf: url, columns: specs, format: format, badRows: badRows) } catch {
            throw .data(error)
        }
        return try build(table, format: format) { (try? Data(contentsOf: url)).map { Array($0) } ?? [] }
    }

    /// Parses a journey event log held in memory; `name` stands for the file in error messages.
    public static func parse(text: String, name: String = "<text>", format: CSVFormat = CSVFormat()) throws(JourneyError)
        -> JourneyLog
    {
        let header: [String]
        do { header = try CSVTable.parse(text: text, name: name, columns: [], format: format).header } catch {
            throw .data(error)
        }
        let specs = try columnSpecs(header: header, path: name)
        let table: CSVTable
        do { table = try CSVTable.parse(text: text, name: name, columns: specs, format: format) } catch { throw .data(error) }
        return try build(table, format: format) { Array(text.utf8) }.log
    }

    static func columnSpecs(header: [String], path: String) throws(JourneyError) -> [ColumnSpec] {
        var specs = [
            ColumnSpec(name: Column.customer, type: .identifier), ColumnSpec(name: Column.stage, type: .category),
            ColumnSpec(name: Column.touchpoint, type: .category), ColumnSpec(name: Column.date, type: .date),
        ]
        if header.contains(Column.outcome) { specs.append(ColumnSpec(name: Column.outcome, type: .category, allowsEmpty: true)) }
        let hasExpected = header.contains(Column.expectedScore), hasExperienced = header.contains(Column.experiencedScore)
        if hasExpected != hasExperienced {
            throw .unpairedScoreColumn(
                path: path, present: hasExpected ? Column.expectedScore : Column.experiencedScore,
                missing: hasExpected ? Column.experiencedScore : Column.expectedScore)
        }
        if hasExpected {
            // A blank pair is an event nobody was surveyed about: read as NaN, left out of the gaps.
            specs.append(ColumnSpec(name: Column.expectedScore, type: .double, blankValue: .nan))
            specs.append(ColumnSpec(name: Column.experiencedScore, type: .double, blankValue: .nan))
        }
        return specs
    }

    /// Turns the parsed table into a log; `bytes` gives the file's bytes to locate an unknown stage's line in a
    /// strict read. A lenient read (the table has ``CSVTable/rowLines``) skips rows with an unknown stage or half a
    /// score pair, adding them to the table's skipped rows.
    static func build(
        _ table: CSVTable, format: CSVFormat, bytes: () -> [UInt8]
    ) throws(JourneyError) -> (log: JourneyLog, skipped: SkippedRows) {
        do {
            let lenient = table.rowLines
            var rejected = RejectedRows()
            let customers = try table.identifiers(Column.customer)
            let stageColumn = try table.identifiers(Column.stage)
            let touchpoints = try table.identifiers(Column.touchpoint)
            let day = try table.days(Column.date)
            // Map the few distinct stage texts; an unknown one is reported at its first row.
            var stageOfCode: [JourneyStage?] = []
            let stageColumnNumber = (table.header.firstIndex(of: Column.stage) ?? 0) + 1
            for (code, text) in stageColumn.values.enumerated() {
                let stage = JourneyStage(name: text)
                if stage == nil && lenient == nil {
                    let row = stageColumn.codes.firstIndex(of: Int32(code)) ?? 0
                    let line = RowLocator.line(ofRow: row, in: bytes(), hasHeader: format.hasHeader)
                    throw JourneyError.unknownStage(path: table.path, line: line, column: stageColumnNumber, text: text)
                }
                stageOfCode.append(stage)
            }
            if let lenient {
                for (row, code) in stageColumn.codes.enumerated() where stageOfCode[Int(code)] == nil {
                    let error = JourneyError.unknownStage(
                        path: table.path, line: lenient[row], column: stageColumnNumber,
                        text: stageColumn.values[Int(code)])
                    rejected.add(row: row, reason: "column 'stage': not a journey stage", error: error, line: lenient[row])
                }
            }
            let stage = stageColumn.codes.map { stageOfCode[Int($0)] ?? .awareness }
            var outcomes: [String] = []
            var outcome: [Int32]?
            if table.header.contains(Column.outcome) {
                // Interned by the reader; the empty text (no outcome) becomes −1 and the others keep their order.
                let column = try table.identifiers(Column.outcome)
                var codeOf = [Int32](repeating: -1, count: column.values.count)
                for (code, text) in column.values.enumerated() where !text.isEmpty {
                    codeOf[code] = Int32(outcomes.count)
                    outcomes.append(text)
                }
                outcome = column.codes.map { codeOf[Int($0)] }
            }
            var scores: Scores?
            if table.header.contains(Column.expectedScore) {
                let expected = try table.doubles(Column.expectedScore)
                let experienced = try table.doubles(Column.experiencedScore)
                for row in expected.indices where expected[row].isNaN != experienced[row].isNaN {
                    let blank = expected[row].isNaN ? Column.expectedScore : Column.experiencedScore
                    let column = (table.header.firstIndex(of: blank) ?? 0) + 1
                    guard let lenient else {
                        let line = RowLocator.line(ofRow: row, in: bytes(), hasHeader: format.hasHeader)
                        throw JourneyError.halfScorePair(path: table.path, line: line, column: column, blank: blank)
                    }
                    let error = JourneyError.halfScorePair(path: table.path, line: lenient[row], column: column, blank: blank)
                    rejected.add(row: row, reason: "half a score pair", error: error, line: lenient[row])
                }
                scores = Scores(expected: expected, experienced: experienced)
            }
            let log = JourneyLog(
                customerIDs: customers.values, customer: customers.codes, stage: stage, touchpoints: touchpoints.values,
                touchpoint: touchpoints.codes, day: day, outcomes: outcomes, outcome: outcome, scores: scores)
            guard !rejected.rows.isEmpty else { return (log, table.skippedRows) }
            let kept = log.removingEvents(rejected.rows)
            if kept.count == 0 { throw JourneyError.data(.emptyFile(path: table.path)) }
            return (kept, rejected.merged(into: table.skippedRows))
        } catch let error as JourneyError {
            throw error
        } catch let error as DataError {
            throw .data(error)
        } catch {
            throw .data(.invalidFormat(path: table.path, reason: "\(error)"))
        }
    }
}

/// Rows a lenient journey read rejects after the CSV layer (unknown stage, half a score pair), by reason.
struct RejectedRows {
    var rows = Set<Int>()
    var reasons: [String: SkippedRows.Reason] = [:]

    mutating func add(row: Int, reason: String, error: JourneyError, line: Int) {
        guard rows.insert(row).inserted else { return }
        if var known = reasons[reason] {
            known.count += 1
            if line < known.firstLine {
                known.firstLine = line
                known.first = error.description
            }
            reasons[reason] = known
        } else {
            reasons[reason] = SkippedRows.Reason(reason: reason, count: 1, first: error.description, firstLine: line)
        }
    }

    /// `skipped` with these reasons added (``SkippedRows/add(_:)``).
    func merged(into skipped: SkippedRows) -> SkippedRows {
        var all = skipped
        for reason in reasons.values { all.add(reason) }
        return all
    }
}

extension JourneyLog {
    /// The log without the events `removed`, customers and touchpoints left without events dropped (so the
    /// analysis counts only customers that have events), order of first appearance kept.
    /// - Complexity: O(events + customers + touchpoints).
    func removingEvents(_ removed: Set<Int>) -> JourneyLog {
        let keep = (0..<count).filter { !removed.contains($0) }
        var customerCode = [Int32](repeating: -1, count: customerIDs.count)
        var touchpointCode = [Int32](repeating: -1, count: touchpoints.count)
        var ids: [String] = []
        var names: [String] = []
        var customerOut: [Int32] = []
        var touchpointOut: [Int32] = []
        customerOut.reserveCapacity(keep.count)
        touchpointOut.reserveCapacity(keep.count)
        for e in keep {
            let c = Int(customer[e]), t = Int(touchpoint[e])
            if customerCode[c] < 0 {
                customerCode[c] = Int32(ids.count)
                ids.append(customerIDs[c])
            }
            if touchpointCode[t] < 0 {
                touchpointCode[t] = Int32(names.count)
                names.append(touchpoints[t])
            }
            customerOut.append(customerCode[c])
            touchpointOut.append(touchpointCode[t])
        }
        return JourneyLog(
            customerIDs: ids, customer: customerOut, stage: keep.map { stage[$0] }, touchpoints: names,
            touchpoint: touchpointOut, day: keep.map { day[$0] }, outcomes: outcomes, outcome: outcome.map { o in keep.map { o[$0] } },
            scores: scores.map { s in Scores(expected: keep.map { s.expected[$0] }, experienced: keep.map { s.experienced[$0] }) })
    }
}

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
        let header: [String]
        do { header = try HeaderSniffer.header(of: url, format: format) } catch { throw .data(error) }
        let specs = try columnSpecs(header: header, path: url.path)
        let table: CSVTable
        do { table = try CSVTable.read(contentsOf: url, columns: specs, format: format) } catch { throw .data(error) }
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
        return try build(table, format: format) { Array(text.utf8) }
    }

    static func columnSpecs(header: [String], path: String) throws(JourneyError) -> [ColumnSpec] {
        var specs = [
            ColumnSpec(name: Column.customer, type: .identifier), ColumnSpec(name: Column.stage, type: .identifier),
            ColumnSpec(name: Column.touchpoint, type: .identifier), ColumnSpec(name: Column.date, type: .date),
        ]
        if header.contains(Column.outcome) { specs.append(ColumnSpec(name: Column.outcome, type: .string)) }
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

    /// Turns the parsed table into a log; `bytes` gives the file's bytes to locate an unknown stage's line.
    static func build(_ table: CSVTable, format: CSVFormat, bytes: () -> [UInt8]) throws(JourneyError) -> JourneyLog {
        do {
            let customers = try table.identifiers(Column.customer)
            let stageColumn = try table.identifiers(Column.stage)
            let touchpoints = try table.identifiers(Column.touchpoint)
            let day = try table.days(Column.date)
            // Map the few distinct stage texts; an unknown one is reported at its first row.
            var stageOfCode: [JourneyStage] = []
            for (code, text) in stageColumn.values.enumerated() {
                guard let stage = JourneyStage(name: text) else {
                    let row = stageColumn.codes.firstIndex(of: Int32(code)) ?? 0
                    let line = RowLocator.line(ofRow: row, in: bytes(), hasHeader: format.hasHeader)
                    let column = (table.header.firstIndex(of: Column.stage) ?? 0) + 1
                    throw JourneyError.unknownStage(path: table.path, line: line, column: column, text: text)
                }
                stageOfCode.append(stage)
            }
            let stage = stageColumn.codes.map { stageOfCode[Int($0)] }
            var outcomes: [String] = []
            var outcome: [Int32]?
            if table.header.contains(Column.outcome) {
                let texts = try table.strings(Column.outcome)
                var index: [String: Int32] = [:]
                outcome = texts.map { text in
                    if text.isEmpty { return -1 }
                    if let k = index[text] { return k }
                    let k = Int32(outcomes.count)
                    outcomes.append(text)
                    index[text] = k
                    return k
                }
            }
            var scores: Scores?
            if table.header.contains(Column.expectedScore) {
                let expected = try table.doubles(Column.expectedScore)
                let experienced = try table.doubles(Column.experiencedScore)
                if let row = expected.indices.first(where: { expected[$0].isNaN != experienced[$0].isNaN }) {
                    let blank = expected[row].isNaN ? Column.expectedScore : Column.experiencedScore
                    let line = RowLocator.line(ofRow: row, in: bytes(), hasHeader: format.hasHeader)
                    let column = (table.header.firstIndex(of: blank) ?? 0) + 1
                    throw JourneyError.halfScorePair(path: table.path, line: line, column: column, blank: blank)
                }
                scores = Scores(expected: expected, experienced: experienced)
            }
            return JourneyLog(
                customerIDs: customers.values, customer: customers.codes, stage: stage, touchpoints: touchpoints.values,
                touchpoint: touchpoints.codes, day: day, outcomes: outcomes, outcome: outcome, scores: scores)
        } catch let error as JourneyError {
            throw error
        } catch let error as DataError {
            throw .data(error)
        } catch {
            throw .data(.invalidFormat(path: table.path, reason: "\(error)"))
        }
    }
}

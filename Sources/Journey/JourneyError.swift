import CAPMData

/// Why a journey log, value file or segment file could not be used, or an analysis parameter is out of range.
/// Every case names the file and, where the problem is in a row, its 1-based line and column.
public enum JourneyError: Error, Equatable, Sendable {
    /// The file could not be read or parsed as CSV (missing column, bad number or date, …).
    case data(DataError)
    /// A `stage` field is not one of the five journey stages.
    case unknownStage(path: String, line: Int, column: Int, text: String)
    /// A customer appears twice in a per-customer file (CLV or segments).
    case duplicateCustomer(path: String, line: Int, column: Int, id: String)
    /// Only one of `expected_score` and `experienced_score` is in the header.
    case unpairedScoreColumn(path: String, present: String, missing: String)
    /// A row gives one of `expected_score` and `experienced_score` and leaves the other blank (both or neither).
    case halfScorePair(path: String, line: Int, column: Int, blank: String)
    /// A parameter is outside its domain.
    case invalidParameter(name: String, value: Double, requirement: String)
}

extension JourneyError: CustomStringConvertible {
    /// A one-line message: `file:line:column: what is wrong`.
    public var description: String {
        switch self {
        case let .data(error):
            return error.description
        case let .unknownStage(path, line, column, text):
            let known = JourneyStage.allCases.map(\.name).joined(separator: ", ")
            return "\(path):\(line):\(column): column 'stage': '\(text)' is not a journey stage (\(known))"
        case let .duplicateCustomer(path, line, column, id):
            return "\(path):\(line):\(column): customer '\(id)' appears more than once"
        case let .unpairedScoreColumn(path, present, missing):
            return "\(path):1: column '\(present)' needs column '\(missing)' too"
        case let .halfScorePair(path, line, column, blank):
            return "\(path):\(line):\(column): column '\(blank)' is blank but the other score is given (give both or neither)"
        case let .invalidParameter(name, value, requirement):
            return "\(name) = \(value): must be \(requirement)"
        }
    }
}

import CAPMData
import LinearProgramming

/// A position in a plan file: the file, the 1-based line and column of the offending node (when known) and
/// the key path from the document root, e.g. `cells[3].response.breakpoints[2]`.
public struct PlanLocation: Sendable, Equatable, CustomStringConvertible {
    /// The file path (or `<input>` for text read from memory).
    public var file: String
    /// 1-based line (nil when the node could not be located).
    public var line: Int?
    /// 1-based column (nil when unknown).
    public var column: Int?
    /// The key path, `segments[0].clv`.
    public var keyPath: String

    /// A location.
    public init(file: String, line: Int?, column: Int?, keyPath: String) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
    }

    /// `file:line:column: keyPath`.
    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        return keyPath.isEmpty ? s : s + ": \(keyPath)"
    }
}

/// Everything that can go wrong in the allocation engine because of a plan file or an option a user gave.
///
/// Every case names where the problem is and prints as one line. Infeasible plans are *results*
/// (``AllocationStatus/infeasible`` with an ``InfeasibilityExplanation``), not errors.
public enum AllocationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The plan file does not exist or cannot be read.
    case unreadableFile(path: String, reason: String)
    /// The file is not well-formed YAML/JSON.
    case syntax(file: String, line: Int?, column: Int?, reason: String)
    /// A key is missing, has the wrong type, or a value is outside its domain.
    case invalidValue(PlanLocation, reason: String)
    /// A segment, moment, channel or tag id that is not declared.
    case unknownID(PlanLocation, kind: String, id: String)
    /// An id declared twice.
    case duplicateID(PlanLocation, kind: String, id: String)
    /// The schema version is not supported.
    case unsupportedVersion(PlanLocation, version: Int)
    /// A scenario option outside its domain (e.g. a negative budget on the command line).
    case invalidParameter(name: String, value: String, reason: String)
    /// The segments file named by `segments_from` could not be used.
    case segmentsFile(path: String, reason: String)
    /// The LP could not be built or solved (a bug or a numerical failure, reported with the solver's words).
    case solver(String)
    /// Writing an output failed.
    case output(String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason): return "\(path): cannot read the plan: \(reason)"
        case .syntax(let file, let line, let column, let reason):
            var s = file
            if let line { s += ":\(line)" }
            if let column { s += ":\(column)" }
            return "\(s): syntax error: \(reason)"
        case .invalidValue(let loc, let reason): return "\(loc): \(reason)"
        case .unknownID(let loc, let kind, let id): return "\(loc): unknown \(kind) id '\(id)'"
        case .duplicateID(let loc, let kind, let id): return "\(loc): duplicate \(kind) id '\(id)'"
        case .unsupportedVersion(let loc, let version):
            return "\(loc): plan format version \(version) is not supported (this CAPM reads version \(Plan.currentVersion))"
        case .invalidParameter(let name, let value, let reason): return "\(name) = \(value): \(reason)"
        case .segmentsFile(let path, let reason): return "\(path): cannot use as segments: \(reason)"
        case .solver(let message): return "LP solver: \(message)"
        case .output(let message): return "cannot write output: \(message)"
        }
    }
}

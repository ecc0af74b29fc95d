/// Why a report could not be built or written. Every case names the file.
public enum ReportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The run directory does not exist or is not a directory.
    case notADirectory(path: String)
    /// A file the report needs is not in the run directory.
    case missingFile(path: String)
    /// A file exists but could not be read.
    case unreadableFile(path: String, reason: String)
    /// A JSON file does not have the expected shape; `keyPath` locates the offending value (`profiles[2].size`).
    case invalidJSON(path: String, keyPath: String, reason: String)
    /// `customers.csv` could not be read (the CSV reader's message: file, line, column).
    case invalidCSV(path: String, reason: String)
    /// Files that disagree with each other (e.g. `customers.csv` rows vs `segments.json` sizes).
    case inconsistent(path: String, reason: String)
    /// Writing the report failed.
    case writeFailed(path: String, reason: String)

    /// One line: `path: what is wrong`.
    public var description: String {
        switch self {
        case .notADirectory(let path): return "\(path): not a run directory (no such folder)"
        case .missingFile(let path): return "\(path): no such file (needed for the report)"
        case .unreadableFile(let path, let reason): return "\(path): cannot read: \(reason)"
        case .invalidJSON(let path, let keyPath, let reason):
            return keyPath.isEmpty ? "\(path): invalid JSON: \(reason)" : "\(path): \(keyPath): \(reason)"
        case .invalidCSV(_, let reason): return reason
        case .inconsistent(let path, let reason): return "\(path): \(reason)"
        case .writeFailed(let path, let reason): return "\(path): cannot write the report: \(reason)"
        }
    }

    /// The file the error is about.
    public var path: String {
        switch self {
        case .notADirectory(let p), .missingFile(let p), .unreadableFile(let p, _), .invalidJSON(let p, _, _),
            .invalidCSV(let p, _), .inconsistent(let p, _), .writeFailed(let p, _):
            return p
        }
    }
}

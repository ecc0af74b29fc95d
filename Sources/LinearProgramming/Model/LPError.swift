/// Everything that can go wrong before the simplex method runs: a malformed MPS file, an inconsistent model.
///
/// Infeasible and unbounded models are *results* (``SolveStatus``), not errors.
public enum LPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadableFile(path: String, reason: String)
    /// An MPS line could not be understood; `line` is 1-based.
    case malformedMPS(path: String, line: Int, reason: String)
    /// A COLUMNS/RHS/RANGES entry names a row that the ROWS section did not declare.
    case unknownRow(path: String, line: Int, name: String)
    /// A BOUNDS entry names a column that the COLUMNS section did not declare.
    case unknownColumn(path: String, line: Int, name: String)
    /// A row or column name appears twice where it must be unique.
    case duplicateName(path: String, line: Int, name: String)
    /// A field that must be a number is not.
    case invalidNumber(path: String, line: Int, text: String)
    /// A model with no variables.
    case emptyModel
    /// `lower > upper` for a variable (`kind == "column"`) or a row (`kind == "row"`).
    case inconsistentBounds(kind: String, name: String, lower: Double, upper: Double)
    /// A coefficient, bound or cost is NaN (or an infinite coefficient/cost).
    case nonFiniteData(kind: String, name: String)
    /// An index passed to the model builder is out of range.
    case indexOutOfRange(kind: String, index: Int, count: Int)
    /// A warm-start basis does not fit the model (wrong sizes or wrong number of basic variables).
    case invalidBasis(reason: String)

    /// A one-line message naming the file and line, row or column.
    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason): return "\(path): cannot read: \(reason)"
        case .malformedMPS(let path, let line, let reason): return "\(path):\(line): \(reason)"
        case .unknownRow(let path, let line, let name): return "\(path):\(line): unknown row '\(name)'"
        case .unknownColumn(let path, let line, let name): return "\(path):\(line): unknown column '\(name)'"
        case .duplicateName(let path, let line, let name): return "\(path):\(line): duplicate name '\(name)'"
        case .invalidNumber(let path, let line, let text): return "\(path):\(line): '\(text)' is not a number"
        case .emptyModel: return "the model has no variables"
        case .inconsistentBounds(let kind, let name, let lower, let upper):
            return "\(kind) '\(name)': lower bound \(lower) exceeds upper bound \(upper)"
        case .nonFiniteData(let kind, let name): return "\(kind) '\(name)': NaN or infinite data"
        case .indexOutOfRange(let kind, let index, let count): return "\(kind) index \(index) out of range 0..<\(count)"
        case .invalidBasis(let reason): return "invalid starting basis: \(reason)"
        }
    }
}

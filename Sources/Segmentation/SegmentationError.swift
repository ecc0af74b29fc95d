import CAPMData

/// Everything that can go wrong in the segmentation engine because of the data or the options a user gave.
///
/// Programmer errors (an index out of range inside the module) are preconditions; every case here can be
/// caused by a file or a command-line option, names where the problem is, and prints as one line.
public enum SegmentationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The feature matrix has no rows.
    case noPoints
    /// The feature matrix has no columns (d = 0).
    case noFeatures
    /// A flat element array does not have `rows × columns` elements.
    case elementCount(expected: Int, actual: Int)
    /// Rows of different lengths were given.
    case raggedRow(row: Int, expected: Int, actual: Int)
    /// A feature value is NaN or ±∞ (0-based row and column).
    case nonFiniteValue(row: Int, column: Int, value: Double)
    /// `k < 1` or `k > n` for n points.
    case invalidClusterCount(k: Int, points: Int)
    /// Fewer distinct points than clusters: k-means cannot place `k` distinct centroids.
    case tooFewDistinctPoints(k: Int, distinct: Int)
    /// A sample weight is negative, NaN or infinite, or all weights are zero (`row == nil`).
    case invalidWeight(row: Int?, value: Double)
    /// The number of weights or column values does not match the number of points.
    case lengthMismatch(what: String, expected: Int, actual: Int)
    /// Explicit initial centroids of the wrong shape.
    case initialCentroidsShape(expectedRows: Int, expectedColumns: Int, rows: Int, columns: Int)
    /// An option outside its domain (e.g. `maxIterations < 1`, a negative tolerance).
    case invalidParameter(name: String, value: String, reason: String)
    /// A column that cannot be scaled because its spread is zero.
    case constantColumn(column: Int, name: String)
    /// `log1p` asked for a column holding a value ≤ −1.
    case logOfInvalidValue(row: Int, column: Int, name: String, value: Double)
    /// A feature or profile column name that is not in the table.
    case unknownColumn(name: String, available: [String])
    /// A metric that is undefined for this clustering (e.g. silhouette with one cluster).
    case undefinedMetric(metric: String, reason: String)
    /// An input file could not be read (the underlying error names file, line and column).
    case input(DataError)
    /// Feature values so large (about ±1e150 or beyond) that their spread or the squared distances overflow the
    /// Double range; `name` when the column is known.
    case valuesOverflow(column: Int, name: String?)
    /// A saved ``SegmentationModel`` file that cannot be read or decoded, or does not fit the input.
    case invalidModel(path: String, reason: String)

    /// One line naming the problem and where it is.
    public var description: String {
        switch self {
        case .noPoints:
            return "the feature matrix has no rows (no customers to segment)"
        case .noFeatures:
            return "the feature matrix has no columns (d = 0)"
        case let .elementCount(expected, actual):
            return "expected \(expected) feature values (rows × columns), got \(actual)"
        case let .raggedRow(row, expected, actual):
            return "row \(row) has \(actual) values, expected \(expected)"
        case let .nonFiniteValue(row, column, value):
            return "feature value \(value) at row \(row), column \(column) is not finite"
        case let .invalidClusterCount(k, points):
            return "k = \(k) is invalid for \(points) points: need 1 ≤ k ≤ \(points)"
        case let .tooFewDistinctPoints(k, distinct):
            return "k = \(k) clusters requested but the data has only \(distinct) distinct points"
        case let .invalidWeight(row, value):
            if let row { return "sample weight \(value) at row \(row) is negative or not finite" }
            return "sample weights sum to \(value); at least one weight must be positive"
        case let .lengthMismatch(what, expected, actual):
            return "\(what) has \(actual) values, expected \(expected)"
        case let .initialCentroidsShape(er, ec, r, c):
            return "initial centroids are \(r) × \(c), expected \(er) × \(ec) (k × features)"
        case let .invalidParameter(name, value, reason):
            return "invalid \(name) = \(value): \(reason)"
        case let .constantColumn(column, name):
            return "feature column \(column) ('\(name)') is constant: it cannot be scaled (spread is zero) and cannot "
                + "separate customers; leave it out of --features (the default feature set drops constant columns)"
        case let .logOfInvalidValue(row, column, name, value):
            return "log1p of \(value) at row \(row), column \(column) ('\(name)') is undefined (values must be > −1)"
        case let .unknownColumn(name, available):
            return "no column named '\(name)'; available: \(available.joined(separator: ", "))"
        case let .undefinedMetric(metric, reason):
            return "\(metric) is undefined: \(reason)"
        case let .input(error):
            return "\(error)"
        case let .valuesOverflow(column, name):
            return "feature column \(column)\(name.map { " ('\($0)')" } ?? ""): values so large that squared distances "
                + "overflow the Double range; rescale the column (divide it, or --log1p for money amounts)"
        case let .invalidModel(path, reason):
            return "\(path): not a usable segmentation model: \(reason)"
        }
    }
}

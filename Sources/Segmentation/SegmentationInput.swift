import CAPMData
import Foundation

/// The customers to segment, loaded from a file: a feature matrix plus the per-customer columns that segment
/// profiles summarise.
///
/// Two file kinds:
/// - CSV with a header (e.g. the output of `capm clv`): one row per customer; the id column (named, or the first
///   header name in ``identifierColumnNames``) is kept as text; the features are the named columns, or by default
///   every numeric column but the id and the weight column that is not constant (a column is numeric when at least
///   half the values of its first 64 KiB are numbers; any other value in it is then an error naming its line and
///   column; a constant column cannot separate customers and cannot be z-scored; such columns are listed in
///   ``excludedConstantFeatures``). Every numeric column is also available to the profiles (`clv`, `p_alive`,
///   `frequency`, `recency`, `T`, `monetary`, …).
/// - `.npy` (float64/float32, C order, N × d): features only, named `x0 … x{d−1}`; customers are identified by
///   row number.
public struct SegmentationInput: Sendable {
    /// Header names taken as the customer id column when none is named, in order of preference: `capm`'s own
    /// `customer_id`, the UCI Online Retail names, then the names of lifetimes and of the CDNOW files. A numeric id
    /// column under any of these names is therefore never used as a feature by default.
    public static let identifierColumnNames = ["customer_id", "CustomerID", "Customer ID", "customer", "ID", "id"]

    /// The identifier column, when the file has one (interned: distinct values plus one code per row).
    public let identifiers: IdentifierColumn?
    /// The header name of the identifier column (nil for `.npy` and for a CSV file without one).
    public let identifierColumn: String?
    /// Feature names, in column order.
    public let featureNames: [String]
    /// Raw (unscaled) features (an empty 0 × d matrix once ``takeFeatures()`` has moved them out).
    public private(set) var features: FeatureMatrix
    /// Number of customers (rows of the file), kept when the features are moved out.
    public let customerCount: Int
    /// Sample weights, when a weight column was named.
    public let weights: [Double]?
    /// Every numeric column of a CSV file by name, in file order (empty for `.npy`).
    public let numericColumns: [(name: String, values: [Double])]
    /// Numeric columns left out of the default feature set because every customer has the same value (e.g. `T` when
    /// all customers joined in one cohort). Empty when features were named explicitly (a named constant column is
    /// kept, and z-score or robust scaling then reports ``SegmentationError/constantColumn(column:name:)``).
    public let excludedConstantFeatures: [String]

    /// Loads `url` (CSV, or `.npy` by extension).
    ///
    /// - Parameters:
    ///   - features: feature column names (CSV); nil for every numeric column but the id and weight columns.
    ///   - idColumn: the CSV id column; nil for the first of ``identifierColumnNames`` in the header that is not a
    ///     named feature (none when there is no such column: customers are then identified by row number).
    ///   - weightColumn: a CSV column of non-negative sample weights.
    /// - Throws: ``SegmentationError/input(_:)`` for unreadable files (with file, line, column);
    ///   ``SegmentationError/unknownColumn(name:available:)`` for a feature, weight or id column name not in the
    ///   header;
    ///   ``SegmentationError/nonFiniteValue(row:column:value:)``.
    /// - Complexity: O(file size).
    public static func load(
        _ url: URL, features: [String]? = nil, idColumn: String? = nil, weightColumn: String? = nil
    ) throws(SegmentationError) -> SegmentationInput {
        if url.pathExtension.lowercased() == "npy" {
            if let features {
                throw .invalidParameter(
                    name: "features", value: features.joined(separator: ","), reason: ".npy files have no column names")
            }
            let array: NumPyArray
            do { array = try NumPyArray.read(contentsOf: url) } catch { throw .input(error) }
            guard array.shape.count == 2 else {
                throw .invalidParameter(
                    name: "input", value: url.path, reason: "expected a 2-D array (customers × features), got shape \(array.shape)")
            }
            let matrix = try FeatureMatrix(rows: array.shape[0], columns: array.shape[1], elements: array.elements)
            return SegmentationInput(
                identifiers: nil, identifierColumn: nil, featureNames: (0..<matrix.columns).map { "x\($0)" },
                features: matrix, customerCount: matrix.rows, weights: nil, numericColumns: [],
                excludedConstantFeatures: [])
        }
        let header: [String]
        do { header = try CSVTable.header(of: url) } catch { throw .input(error) }
        for name in (features ?? []) + [weightColumn, idColumn].compactMap({ $0 }) where !header.contains(name) {
            throw .unknownColumn(name: name, available: header)
        }
        // A common id name that is also a named feature stays a feature.
        let idName = idColumn ?? identifierColumnNames.first { header.contains($0) && !(features ?? []).contains($0) }
        let numeric = try numericColumnNames(url, header: header, excluding: idName.map { [$0] } ?? [])
        let candidateNames = features ?? numeric.filter { $0 != weightColumn }
        if candidateNames.isEmpty { throw .noFeatures }
        // A negative weight is an error at its line and column (the reader checks it while parsing).
        var specs = numeric.map { ColumnSpec(name: $0, type: .double, nonNegative: $0 == weightColumn) }
        for name in candidateNames where !numeric.contains(name) { specs.append(ColumnSpec(name: name, type: .double)) }
        if let weightColumn, !numeric.contains(weightColumn), !candidateNames.contains(weightColumn) {
            specs.append(ColumnSpec(name: weightColumn, type: .double, nonNegative: true))
        }
        if let idName { specs.append(ColumnSpec(name: idName, type: .identifier)) }
        let table: CSVTable
        do { table = try CSVTable.read(contentsOf: url, columns: specs) } catch { throw .input(error) }
        do {
            let ids = try idName.map { (name) throws(DataError) in try table.identifiers(name) }
            var featureNames: [String] = []
            var featureColumns: [[Double]] = []
            var excluded: [String] = []
            for name in candidateNames {
                let values = try table.doubles(name)
                if features == nil, let first = values.first, values.allSatisfy({ $0 == first }) {
                    excluded.append(name)
                } else {
                    featureNames.append(name)
                    featureColumns.append(values)
                }
            }
            if featureNames.isEmpty {
                throw SegmentationError.invalidParameter(
                    name: "features", value: excluded.joined(separator: ","),
                    reason: "every numeric column is constant; no feature can separate customers")
            }
            let matrix = try FeatureMatrix(columns: featureColumns)
            let weights = try weightColumn.map { (name) throws(DataError) in try table.doubles(name) }
            var columns: [(name: String, values: [Double])] = []
            for name in numeric { columns.append((name, try table.doubles(name))) }
            return SegmentationInput(
                identifiers: ids, identifierColumn: idName, featureNames: featureNames, features: matrix, customerCount: matrix.rows,
                weights: weights, numericColumns: columns, excludedConstantFeatures: excluded)
        } catch let error as DataError {
            throw .input(error)
        } catch let error as SegmentationError {
            throw error
        } catch {
            throw .invalidParameter(name: "input", value: url.path, reason: "\(error)")
        }
    }

    /// Moves the feature matrix out of the input and leaves an empty 0 × d matrix, so that
    /// ``CustomerSegmentation/run(features:names:weights:customers:onCandidate:)`` holds the only reference and scales
    /// it in place (a 1M × 32 `.npy` file: peak 534 → 285 MB with z-scores).
    public mutating func takeFeatures() -> FeatureMatrix {
        let taken = features
        features = FeatureMatrix(emptyWithColumns: taken.columns)
        return taken
    }

    /// The identifier of customer `row`: its id, or the row number when the file has no id column.
    public func id(_ row: Int) -> String {
        guard let identifiers else { return String(row) }
        return identifiers.values[Int(identifiers.codes[row])]
    }

    /// A numeric column by name (nil when absent).
    public func column(_ name: String) -> [Double]? {
        numericColumns.first { $0.name == name }?.values
    }

    /// The header columns (minus `excluding`) of which at least half the values in the first 64 KiB of the file
    /// parse as numbers.
    static func numericColumnNames(
        _ url: URL, header: [String], excluding: Set<String>
    ) throws(SegmentationError) -> [String] {
        let prefix: Data
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            prefix = try handle.read(upToCount: 1 << 16) ?? Data()
        } catch {
            throw .input(.unreadable(path: url.path, reason: "\(error.localizedDescription)"))
        }
        var bytes = [UInt8](prefix)
        if bytes.count == 1 << 16, let lastNewline = bytes.lastIndex(of: UInt8(ascii: "\n")) {
            bytes = Array(bytes[...lastNewline])
        }
        let text = String(decoding: bytes, as: UTF8.self)
        // The whole file is only a header (and blank lines): say so, rather than "no numeric column".
        if prefix.count < 1 << 16, !text.split(whereSeparator: \.isNewline).dropFirst().contains(where: { !$0.allSatisfy(\.isWhitespace) }) {
            throw .input(.emptyFile(path: url.path))
        }
        return header.filter { name in
            guard !excluding.contains(name),
                let sample = try? CSVTable.parse(
                    text: text, name: url.path, columns: [ColumnSpec(name: name, type: .double)], badRows: .skip)
            else { return false }
            // Numeric when most sampled values are numbers: a text column is left out, while a numeric column with
            // a stray `NaN` or typo is kept, so the full read stops at that field with its line and column
            // instead of the column vanishing from the features without a word.
            return sample.rowCount > 0 && sample.rowCount >= sample.skippedRows.total
        }
    }
}

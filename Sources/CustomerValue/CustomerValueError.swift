/// Errors of the lifetime-value engine: bad data (naming the file, line, column or customer), models that
/// cannot be fitted, and invalid options.
public enum CustomerValueError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file does not exist or cannot be read.
    case fileNotReadable(path: String, reason: String)
    /// A file holds no data rows.
    case emptyFile(path: String)
    /// A required column is missing from the header.
    case missingColumn(path: String, name: String, header: [String])
    /// A field cannot be parsed or is out of range.
    case invalidField(path: String, line: Int, column: String, text: String, expected: String)
    /// A row has fewer fields than the header.
    case malformedRow(path: String, line: Int, reason: String)
    /// A customer's summary is inconsistent (recency > T, negative frequency, NaN, …).
    case invalidCustomer(customer: String, reason: String)
    /// Too little data for the model (e.g. Gamma-Gamma without repeat buyers).
    case insufficientData(model: String, reason: String)
    /// The optimiser stopped without meeting the convergence criterion.
    case notConverged(model: String, status: String, iterations: Int, gradientNorm: Double)
    /// An option value is invalid.
    case invalidOption(name: String, value: String, reason: String)
    /// A prediction could not be computed for a customer (a series did not converge).
    case predictionFailed(customer: String, reason: String)

    /// One line for the CLI.
    public var description: String {
        switch self {
        case .fileNotReadable(let path, let reason): return "\(path): cannot read: \(reason)"
        case .emptyFile(let path): return "\(path): no data rows"
        case .missingColumn(let path, let name, let header):
            return "\(path): missing column '\(name)' (header: \(header.joined(separator: ",")))"
        case .invalidField(let path, let line, let column, let text, let expected):
            return "\(path):\(line): column '\(column)': '\(text)' is not \(expected)"
        case .malformedRow(let path, let line, let reason): return "\(path):\(line): \(reason)"
        case .invalidCustomer(let customer, let reason): return "customer \(customer): \(reason)"
        case .insufficientData(let model, let reason): return "\(model): \(reason)"
        case .notConverged(let model, let status, let iterations, let gradientNorm):
            return "\(model): fit did not converge (\(status) after \(iterations) iterations, gradient norm \(gradientNorm))"
        case .invalidOption(let name, let value, let reason): return "option \(name) = \(value): \(reason)"
        case .predictionFailed(let customer, let reason): return "customer \(customer): \(reason)"
        }
    }
}

import CAPMData

/// Errors of the lifetime-value engine: bad data (naming the file, line, column or customer), models that
/// cannot be fitted, and invalid options.
public enum CustomerValueError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A data file could not be read (file, line and column in the wrapped error).
    case data(DataError)
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
        case .data(let error): return error.description
        case .invalidCustomer(let customer, let reason): return "customer \(customer): \(reason)"
        case .insufficientData(let model, let reason): return "\(model): \(reason)"
        case .notConverged(let model, let status, let iterations, let gradientNorm):
            return "\(model): fit did not converge (\(status) after \(iterations) iterations, gradient norm \(gradientNorm))"
        case .invalidOption(let name, let value, let reason): return "option \(name) = \(value): \(reason)"
        case .predictionFailed(let customer, let reason): return "customer \(customer): \(reason)"
        }
    }
}

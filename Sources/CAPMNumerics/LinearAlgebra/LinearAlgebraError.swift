/// Why a linear-algebra operation could not produce a result.
///
/// LAPACK reports failure through its `info` return value; every wrapper in this module maps that value to
/// one of these cases, so a singular system or a matrix that is not positive definite becomes a Swift error
/// the caller can handle, never a crash.
public enum LinearAlgebraError: Error, Equatable, Sendable {
    /// Operand shapes do not fit the operation.
    case dimensionMismatch(operation: String, expected: String, actual: String)
    /// The matrix is exactly singular: LU's `U[pivot, pivot]` is zero (1-based pivot, as LAPACK reports).
    case singular(routine: String, pivot: Int)
    /// The leading minor of order `minor` is not positive definite (Cholesky, `?potrf`).
    case notPositiveDefinite(routine: String, minor: Int)
    /// An iterative LAPACK routine (eigenvalues, SVD) did not converge; `info` is LAPACK's code.
    case noConvergence(routine: String, info: Int)
    /// LAPACK rejected argument number `argument` (1-based), e.g. because it holds NaN.
    case invalidArgument(routine: String, argument: Int)
    /// An input holds NaN or infinity where a finite number is required.
    case nonFiniteInput(operation: String)
    /// The matrix is numerically rank deficient (least squares with `?gels`).
    case rankDeficient(routine: String, info: Int)
}

extension LinearAlgebraError: CustomStringConvertible {
    /// A one-line, human-readable explanation.
    public var description: String {
        switch self {
        case let .dimensionMismatch(operation, expected, actual):
            return "\(operation): dimension mismatch, expected \(expected), got \(actual)"
        case let .singular(routine, pivot):
            return "\(routine): matrix is singular (zero pivot at position \(pivot))"
        case let .notPositiveDefinite(routine, minor):
            return "\(routine): matrix is not positive definite (leading minor of order \(minor))"
        case let .noConvergence(routine, info):
            return "\(routine): did not converge (info \(info))"
        case let .invalidArgument(routine, argument):
            return "\(routine): invalid argument \(argument) (NaN or bad dimension)"
        case let .nonFiniteInput(operation):
            return "\(operation): input contains NaN or infinity"
        case let .rankDeficient(routine, info):
            return "\(routine): matrix is rank deficient (info \(info))"
        }
    }
}

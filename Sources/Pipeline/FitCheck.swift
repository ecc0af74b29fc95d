import CustomerValue
import Foundation

/// How a ``SegmentRun`` treats a maximum-likelihood fit (`Docs/pipeline.md`, "Fits at the boundary").
///
/// The models are fitted by BFGS on the log-parameters, so a likelihood whose supremum lies at the edge of the
/// parameter space (BG/NBD with no dropout: a → 0 or b → ∞; no heterogeneity: r, α → ∞ with r/α fixed; …) shows as
/// parameters running off towards 0 or ∞ until the line search can make no more progress. The estimates then describe
/// the limiting model to within the optimiser's tolerance, and the run uses them with a warning; the predictions are
/// checked to be finite afterwards (``PipelineError/fitAtBoundary(step:model:parameters:reason:)`` otherwise).
enum FitCheck: Equatable {
    /// Converged with a positive-definite Hessian.
    case converged
    /// Converged, but the Hessian is not positive definite (standard errors unavailable): a warning.
    case convergedWithoutStandardErrors(String)
    /// Stopped without converging with a parameter at the edge of the parameter space: usable, with a warning.
    case atBoundary(String)
    /// Did not converge for another reason: the step fails (``ModelFit/requireConverged()``).
    case failed

    /// A parameter below this or above its inverse is at the edge of the parameter space.
    static let edge = 1e-6

    init(_ fit: ModelFit) {
        self.init(
            model: fit.model, parameterNames: fit.parameterNames, parameters: fit.parameters, status: fit.status,
            iterations: fit.iterations, gradientNorm: fit.gradientNorm, logLikelihood: fit.logLikelihood,
            hessianPositiveDefinite: fit.hessianPositiveDefinite)
    }

    init(
        model: String, parameterNames: [String], parameters: [Double], status: BFGSMinimizer.Status, iterations: Int,
        gradientNorm: Double, logLikelihood: Double, hessianPositiveDefinite: Bool
    ) {
        let text = Self.parameterText(names: parameterNames, values: parameters)
        let atEdge = zip(parameterNames, parameters).filter { $0.1 < Self.edge || $0.1 > 1 / Self.edge }
        if status == .converged {
            self = hessianPositiveDefinite
                ? .converged
                : .convergedWithoutStandardErrors(
                    "\(model): the Hessian is not positive definite at the estimate (\(text))"
                        + (atEdge.isEmpty ? "" : "; \(atEdge.map(\.0).joined(separator: ", ")) at the edge of the parameter space")
                        + ": standard errors are unavailable")
            return
        }
        let stalled = status == .lineSearchFailed || status == .iterationLimit
        guard stalled, logLikelihood.isFinite, parameters.allSatisfy({ $0.isFinite && $0 > 0 }), !atEdge.isEmpty else {
            self = .failed
            return
        }
        self = .atBoundary(
            "\(model): the fit ran to the edge of the parameter space (\(text); stopped with \(status.rawValue) after "
                + "\(iterations) iterations, gradient norm " + String(format: "%.3g", gradientNorm)
                + "): the estimates describe a limiting model and are used as they are")
    }

    /// `r = 1.99, alpha = 3.94, a = 1.2e-09, b = 4.02e+04`.
    static func parameterText(_ fit: ModelFit) -> String { parameterText(names: fit.parameterNames, values: fit.parameters) }

    static func parameterText(names: [String], values: [Double]) -> String {
        zip(names, values).map { "\($0) = " + String(format: "%.4g", $1) }.joined(separator: ", ")
    }
}

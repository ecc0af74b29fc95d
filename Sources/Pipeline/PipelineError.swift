import Allocation
import CAPMData
import CustomerValue
import Journey
import Segmentation

/// A step of a ``SegmentRun``, in run order.
public enum PipelineStep: String, Sendable, Codable, CaseIterable, Equatable {
    /// Read the transaction log (or the summary file) and checksum the inputs.
    case read
    /// Build the RFM summary (frequency, recency, T, monetary value) per customer.
    case summary
    /// Fit the purchase model (and Gamma-Gamma spend) by maximum likelihood.
    case fit
    /// Predict purchases, P(alive), spend and CLV per customer.
    case predict
    /// Assemble the feature table (and join the customer attributes).
    case features
    /// k-means segments with profiles and labels.
    case segment
    /// Allocate the budget over the plan's cells.
    case allocate
    /// The budget sweep around the budget.
    case sweep
    /// Journey analytics with the run's CLV.
    case journey
    /// Write the output directory.
    case write
}

/// Why a ``SegmentRun`` failed: the step, and the typed error of the engine that failed (whose description keeps
/// file, line and column).
public enum PipelineError: Error, Sendable, CustomStringConvertible {
    /// Reading an input file failed (file, line, column).
    case data(step: PipelineStep, DataError)
    /// The lifetime-value engine failed (bad customer, no convergence, …).
    case customerValue(step: PipelineStep, CustomerValueError)
    /// The segmentation failed.
    case segmentation(step: PipelineStep, SegmentationError)
    /// The plan or the allocation failed (plan file, line and key path).
    case allocation(step: PipelineStep, AllocationError)
    /// The journey analysis failed.
    case journey(step: PipelineStep, JourneyError)
    /// An output file could not be written (it was left as it was).
    case output(step: PipelineStep, OutputError)
    /// An input file could not be opened or read for its checksum.
    case unreadableInput(path: String, reason: String)
    /// A customer attributes file is unusable (duplicate id, no numeric column, …), with file and line.
    case attributes(path: String, line: Int?, reason: String)
    /// A parameter outside its domain.
    case invalidParameter(name: String, value: String, reason: String)
    /// A model fit that ran to the edge of its parameter space (`parameters`: the estimates as `name = value`
    /// text) is not usable (`reason`, e.g. non-finite predictions).
    case fitAtBoundary(step: PipelineStep, model: String, parameters: String, reason: String)
    /// An extra output file (e.g. `report.html` of `capm run --report`) could not be produced.
    case extraOutput(name: String, reason: String)

    /// The step that failed (nil for parameter errors found before any step ran).
    public var step: PipelineStep? {
        switch self {
        case .data(let s, _), .customerValue(let s, _), .segmentation(let s, _), .allocation(let s, _),
            .journey(let s, _), .output(let s, _), .fitAtBoundary(let s, _, _, _):
            return s
        case .extraOutput: return .write
        case .unreadableInput: return .read
        case .attributes: return .features
        case .invalidParameter: return nil
        }
    }

    /// One line: `step <name>: <the engine's message>`.
    public var description: String {
        let prefix = step.map { "step \($0.rawValue): " } ?? ""
        switch self {
        case .data(_, let e): return prefix + e.description
        case .customerValue(_, let e): return prefix + e.description
        case .segmentation(_, let e): return prefix + e.description
        case .allocation(_, let e): return prefix + e.description
        case .journey(_, let e): return prefix + e.description
        case .output(_, let e): return prefix + e.description
        case .unreadableInput(let path, let reason): return prefix + "\(path): cannot read: \(reason)"
        case .attributes(let path, let line, let reason):
            return prefix + (line.map { "\(path):\($0): \(reason)" } ?? "\(path): \(reason)")
        case .invalidParameter(let name, let value, let reason): return "invalid \(name) = \(value): \(reason)"
        case .fitAtBoundary(_, let model, let parameters, let reason):
            return prefix + "\(model): the fit ran to the edge of the parameter space (\(parameters)) and \(reason)"
        case .extraOutput(let name, let reason): return prefix + "\(name): \(reason)"
        }
    }
}

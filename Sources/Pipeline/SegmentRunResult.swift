import Allocation
import CAPMData
import CustomerValue
import Journey
import Segmentation

/// Everything a ``SegmentRun`` produced, in memory (the output directory is written from it).
public struct SegmentRunResult: Sendable {
    /// The configuration that ran.
    public var configuration: SegmentRun
    /// The input files with sizes and SHA-256 checksums.
    public var inputs: [RunManifest.InputFile]
    /// Transaction rows read (nil for a summary input).
    public var transactions: Int?
    /// Bad transaction rows skipped, by reason (empty unless ``SegmentRun/skipBadRows``).
    public var skippedRows: SkippedRows
    /// The RFM summary, one entry per customer.
    public var summary: CustomerSummary
    /// The purchase-model fit, then (with Gamma-Gamma) the spend fit.
    public var fits: [ModelFit]
    /// Per-customer predictions (in summary order).
    public var predictions: CustomerPredictions
    /// The joined attributes (nil without an attributes file).
    public var attributes: CustomerAttributes?
    /// Feature names used for k-means, in order.
    public var featureNames: [String]
    /// The segmentation report (``SegmentationReport/reproducible``: no wall-clock fields, those are in ``timings``).
    public var segmentation: SegmentationReport
    /// Segment index per customer (in summary order).
    public var segments: [Int32]
    /// The effective plan (segments from the segmentation, the budget set).
    public var plan: Plan
    /// The budget allocated.
    public var budget: Double
    /// The max-uplift allocation at ``budget`` (``AllocationResult/solverSeconds`` cleared).
    public var allocation: AllocationResult
    /// The budget sweep (``AllocationResult/solverSeconds`` cleared).
    public var sweep: AllocationResult
    /// Journey analytics (nil without a journey log).
    public var journey: JourneyAnalysis?
    /// Bad journey-log rows skipped, by reason (empty unless ``SegmentRun/skipBadRows`` and a journey log).
    public var journeySkippedRows = SkippedRows()
    /// Warnings of the run (e.g. a model fit at the edge of its parameter space), in step order.
    public var warnings: [String] = []
    /// Seconds per step, in run order, plus the engines' own timings.
    public var timings: [RunManifest.Timing]
    /// Files written (empty when no output directory was given).
    public var outputs: [RunManifest.OutputFile]

    /// The portfolio label of customer `i`'s segment (empty when the segment has none).
    public func label(ofCustomer i: Int) -> String {
        let s = Int(segments[i])
        return segmentation.profiles?[s].label?.rawValue ?? ""
    }
}

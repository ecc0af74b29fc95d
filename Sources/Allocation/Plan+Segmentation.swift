import Foundation
import Segmentation

/// Plans whose customer segments come from a segmentation: the `segments_from` mechanism of the plan file, for a
/// ``SegmentationReport`` held in memory (the `capm run` pipeline), and the JSON form of a plan.
extension Plan.Segment {
    /// The plan segment of a CAPM segment profile: id `segment-<index>`, name `segment <index> (<label>)`, the
    /// profile's label, its size as customers and its mean CLV as the value per customer.
    public init(profile p: SegmentProfile) {
        self.init(
            id: "segment-\(p.segment)", name: "segment \(p.segment)" + (p.label.map { " (\($0.rawValue))" } ?? ""),
            label: p.label, customers: Double(p.size), clv: p.meanCLV)
    }
}

extension Plan {
    /// The plan segments of a segmentation report, in segment order (see ``Plan/Segment/init(profile:)``).
    ///
    /// - Throws: ``AllocationError/segmentsFile(path:reason:)`` (path `<segmentation>`) when the report has no
    ///   profiles (it was run without CLV).
    public static func segments(from report: SegmentationReport) throws(AllocationError) -> [Plan.Segment] {
        guard let profiles = report.profiles else {
            throw .segmentsFile(path: "<segmentation>", reason: "the report has no profiles (segment with CLV)")
        }
        return profiles.map(Plan.Segment.init(profile:))
    }

    /// This plan with its customer segments taken from `report`: the report's segments first (as
    /// `segments_from` would add them), then the plan's own segments *without* a label (e.g. prospects, who are
    /// not in the transaction log). The plan's labelled segments and its `segments_from` are dropped — the
    /// segmentation measures the customer base they described — together with the explicit cells of the dropped
    /// segments. Templates (by label), moments, channels, constraints, options and budget are kept.
    ///
    /// Constraints naming a dropped segment by id are kept and fail when the plan is resolved (unknown segment id,
    /// with its key path).
    /// - Throws: as ``segments(from:)``.
    public func withSegments(from report: SegmentationReport) throws(AllocationError) -> Plan {
        var plan = self
        let kept = segments.filter { $0.label == nil }
        let dropped = Set(segments.filter { $0.label != nil }.map(\.id))
        plan.segmentsFrom = nil
        plan.segments = try Plan.segments(from: report) + kept
        plan.cells = cells.filter { !dropped.contains($0.segment) }
        return plan
    }

    /// The plan as JSON (snake_case keys as in plan files, sorted, pretty-printed) — readable by ``PlanReader`` and
    /// `capm allocate --plan`. Numbers are written in their shortest round-trip form, so a plan read back resolves
    /// to the same problem.
    /// - Throws: ``AllocationError/output(_:)`` when encoding fails (a non-finite number).
    public func json() throws(AllocationError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
        } catch {
            throw .output("cannot encode the plan as JSON: \(error)")
        }
    }
}

extension AllocationResult {
    /// The same result with its wall-clock field cleared (``solverSeconds`` = 0), so identical runs give
    /// byte-identical files.
    public var reproducible: AllocationResult {
        var copy = self
        copy.solverSeconds = 0
        return copy
    }
}

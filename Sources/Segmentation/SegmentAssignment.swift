import Foundation

/// New customers assigned to the segments of a saved ``SegmentationModel``
/// (``SegmentationModel/assignment(of:threads:)``): each customer's nearest centroid in the model's scaled space,
/// the segment sizes and the model's portfolio labels. `capm segment --apply MODEL` prints its summary and writes the
/// per-customer segments.
public struct SegmentAssignment: Sendable, Equatable {
    /// Segment of each customer, in input row order.
    public let segments: [Int32]
    /// Customers per segment (k entries; a segment no new customer falls in has size 0).
    public let sizes: [Int]
    /// The model's label per segment, or nil when the model has none.
    public let labels: [SegmentLabel?]?
    /// The model's feature names, in the order its scaler reads them.
    public let features: [String]

    /// Number of customers assigned.
    public var customerCount: Int { segments.count }

    /// The portfolio label of customer `row`'s segment (nil when the model has no labels or the segment none).
    public func label(ofCustomer row: Int) -> SegmentLabel? {
        labels?[Int(segments[row])] ?? nil
    }

    /// The summary `capm segment --apply --format json` prints: `k`, `customers`, `features`, `sizes`, `shares`
    /// (size / customers; 0 when there are none) and `labels` (null entries for unlabelled segments; omitted for a
    /// model without labels), with a final newline.
    ///
    /// - Throws: ``SegmentationError/invalidParameter(name:value:reason:)`` when the encoder fails.
    public func summaryJSON() throws(SegmentationError) -> String {
        String(decoding: try SegmentationReport.encodeJSON(Summary(self)), as: UTF8.self) + "\n"
    }

    /// One row per segment: `segment,size,share[,label]`.
    public func summaryCSV() -> String {
        let labelled = labels != nil
        var text = labelled ? "segment,size,share,label\n" : "segment,size,share\n"
        for (s, size) in sizes.enumerated() {
            text += "\(s),\(size),\(share(size))"
            if labelled { text += ",\(labels?[s]?.rawValue ?? "")" }
            text += "\n"
        }
        return text
    }

    /// A human-readable table of the segments (size, share in %, label).
    public func summaryTable() -> String {
        let text = "\(customerCount) customers assigned to \(sizes.count) segments (features: "
            + features.joined(separator: ", ") + ")\n"
        let rows = sizes.enumerated().map { s, size in
            [String(s), String(size), TextTable.percent(share(size))] + (labels.map { [$0[s]?.rawValue ?? "-"] } ?? [])
        }
        let header = ["segment", "size", "share"] + (labels == nil ? [] : ["label"])
        return text + TextTable.aligned(header: header, rows: rows)
    }

    private func share(_ size: Int) -> Double {
        customerCount == 0 ? 0 : Double(size) / Double(customerCount)
    }

    /// The encoded form of the summary.
    private struct Summary: Encodable {
        let k: Int
        let customers: Int
        let features: [String]
        let sizes: [Int]
        let shares: [Double]
        let labels: [SegmentLabel?]?

        init(_ a: SegmentAssignment) {
            k = a.sizes.count
            customers = a.customerCount
            features = a.features
            sizes = a.sizes
            shares = a.sizes.map(a.share)
            labels = a.labels
        }
    }
}

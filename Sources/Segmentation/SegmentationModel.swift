import CAPMData
import Foundation

/// A fitted segmentation that can be saved (Codable) and applied to new customers: the feature scaler, the
/// centroids in scaled space and, when the fit had segment profiles, each segment's portfolio label.
public struct SegmentationModel: Sendable, Codable, Equatable {
    /// The scaling applied to raw features before assignment.
    public let scaler: FeatureScaler
    /// k × d centroids in scaled space.
    public let centroids: FeatureMatrix
    /// The portfolio label of each segment (nil entries for unlabelled segments), or nil when the fit had no
    /// profiles (no `clv` column). Files saved before labels were stored decode with nil.
    public let labels: [SegmentLabel?]?

    /// A model from a scaler, scaled-space centroids and optionally one label per segment.
    ///
    /// - Throws: ``SegmentationError/lengthMismatch(what:expected:actual:)`` when the centroid width differs from
    ///   the scaler's column count or the labels are not one per segment.
    public init(
        scaler: FeatureScaler, centroids: FeatureMatrix, labels: [SegmentLabel?]? = nil
    ) throws(SegmentationError) {
        guard centroids.columns == scaler.names.count else {
            throw .lengthMismatch(what: "centroid columns", expected: scaler.names.count, actual: centroids.columns)
        }
        if centroids.columns == 0 { throw .noFeatures }
        if centroids.rows == 0 { throw .invalidClusterCount(k: 0, points: 0) }
        if let labels, labels.count != centroids.rows {
            throw .lengthMismatch(what: "segment labels", expected: centroids.rows, actual: labels.count)
        }
        try scaler.validate()
        self.scaler = scaler
        self.centroids = centroids
        self.labels = labels
    }

    private enum CodingKeys: String, CodingKey { case scaler, centroids, labels }

    /// Decodes and validates a model file (shapes agree, k ≥ 1, d ≥ 1, scales positive, one label per segment).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let scaler = try container.decode(FeatureScaler.self, forKey: .scaler)
        let centroids = try container.decode(FeatureMatrix.self, forKey: .centroids)
        let labels = try container.decodeIfPresent([SegmentLabel?].self, forKey: .labels)
        do { try self.init(scaler: scaler, centroids: centroids, labels: labels) } catch {
            throw DecodingError.dataCorruptedError(
                forKey: .centroids, in: container, debugDescription: error.description)
        }
    }

    /// Reads a model file written by `capm segment --model` (JSON).
    ///
    /// - Throws: ``SegmentationError/invalidModel(path:reason:)`` naming the file when it cannot be read, is not
    ///   JSON, or fails the checks of ``init(from:)``.
    public static func read(contentsOf url: URL) throws(SegmentationError) -> SegmentationModel {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .invalidModel(path: url.path, reason: "cannot be read (\(error.localizedDescription))")
        }
        do { return try JSONDecoder().decode(SegmentationModel.self, from: data) } catch let error as DecodingError {
            let failure = DecodingFailure(error)
            throw .invalidModel(
                path: url.path, reason: failure.keyPath.isEmpty ? failure.reason : "\(failure.keyPath): \(failure.reason)")
        } catch {
            throw .invalidModel(path: url.path, reason: "\(error)")
        }
    }

    /// Number of segments.
    public var clusterCount: Int { centroids.rows }

    /// The nearest centroid of each new customer (raw features in the scaler's column order), with the exact
    /// squared distance in scaled space; ties go to the lower segment.
    ///
    /// - Throws: ``SegmentationError`` from the scaler (column count, log of a value ≤ −1).
    /// - Complexity: O(N·k·d).
    public func assign(_ raw: consuming FeatureMatrix, threads: Int = 1) throws(SegmentationError) -> [Int32] {
        let scaled = try scaler.transform(consume raw)
        let k = centroids.rows
        let d = centroids.columns
        var labels = [Int32](repeating: -1, count: scaled.rows)
        if scaled.rows == 0 { return labels }
        let partition = ChunkPartition(rows: scaled.rows, maximumChunks: 64)
        var partials = PassPartials(chunks: partition.count, k: k, d: d)
        let origin = [Double](repeating: 0, count: d)
        KMeans.fusedPass(
            scaled, weights: nil, mean: origin,
            panel: CentroidPanel(centred: centroids.elements, mean: origin, k: k, d: d), labels: &labels, partials: &partials,
            mode: .assign, partition: partition, threads: max(1, threads))
        return labels
    }

    /// New customers' segments with the segment sizes and the model's labels (see ``assign(_:threads:)``).
    ///
    /// - Throws: ``SegmentationError`` from the scaler (column count, log of a value ≤ −1, non-finite results).
    /// - Complexity: O(N·k·d).
    public func assignment(of raw: consuming FeatureMatrix, threads: Int = 1) throws(SegmentationError) -> SegmentAssignment {
        let segments = try assign(raw, threads: threads)
        var sizes = [Int](repeating: 0, count: clusterCount)
        for s in segments { sizes[Int(s)] += 1 }
        return SegmentAssignment(segments: segments, sizes: sizes, labels: labels, features: scaler.names)
    }
}

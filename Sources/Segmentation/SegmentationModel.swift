/// A fitted segmentation that can be saved (Codable) and applied to new customers: the feature scaler and the
/// centroids in scaled space.
public struct SegmentationModel: Sendable, Codable, Equatable {
    /// The scaling applied to raw features before assignment.
    public let scaler: FeatureScaler
    /// k × d centroids in scaled space.
    public let centroids: FeatureMatrix

    /// A model from a scaler and scaled-space centroids.
    ///
    /// - Throws: ``SegmentationError/lengthMismatch(what:expected:actual:)`` when the centroid width differs from
    ///   the scaler's column count.
    public init(scaler: FeatureScaler, centroids: FeatureMatrix) throws(SegmentationError) {
        guard centroids.columns == scaler.names.count else {
            throw .lengthMismatch(what: "centroid columns", expected: scaler.names.count, actual: centroids.columns)
        }
        if centroids.columns == 0 { throw .noFeatures }
        if centroids.rows == 0 { throw .invalidClusterCount(k: 0, points: 0) }
        try scaler.validate()
        self.scaler = scaler
        self.centroids = centroids
    }

    private enum CodingKeys: String, CodingKey { case scaler, centroids }

    /// Decodes and validates a model file (shapes agree, k ≥ 1, d ≥ 1, scales positive).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let scaler = try container.decode(FeatureScaler.self, forKey: .scaler)
        let centroids = try container.decode(FeatureMatrix.self, forKey: .centroids)
        do { try self.init(scaler: scaler, centroids: centroids) } catch {
            throw DecodingError.dataCorruptedError(
                forKey: .centroids, in: container, debugDescription: error.description)
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
}

import CAPMData
import Foundation

extension SegmentationInput {
    /// Explicit initial centroids for the features `featureNames`, in input units (unscaled), one row per centroid.
    ///
    /// Two file kinds:
    /// - `.npy` (float64/float32, C order): a k × d array, columns in the order of `featureNames`;
    /// - CSV with a header: each feature read from the column named after it or, failing that, `centroid_` + its name,
    ///   so that the profile CSV of an earlier run (`capm segment --format csv`, centroids in input units, written
    ///   exactly) seeds a new one; the columns may come in any order and other columns are ignored. A feature left
    ///   out of the fit (e.g. a constant column dropped from the default features) is simply not read.
    ///
    /// Whether there are k rows is checked by the fit (``CustomerSegmentation``), which knows k.
    ///
    /// - Parameters:
    ///   - clusterCount: the k asked for, if fixed: only for the message of a shape error.
    /// - Throws: ``SegmentationError/input(_:)`` for an unreadable or empty file and for a value that is not a finite
    ///   number (with file, line and column); ``SegmentationError/unknownColumn(name:available:)`` for a feature
    ///   missing from the CSV header; ``SegmentationError/initialCentroidsShape(expectedRows:expectedColumns:rows:columns:)``
    ///   for an array that is not 2-D with one column per feature.
    /// - Complexity: O(file size).
    public static func initialCentroids(
        _ url: URL, featureNames: [String], clusterCount: Int? = nil
    ) throws(SegmentationError) -> FeatureMatrix {
        let d = featureNames.count
        if url.pathExtension.lowercased() == "npy" {
            let array: NumPyArray
            do { array = try NumPyArray.read(contentsOf: url) } catch { throw .input(error) }
            let rows = array.shape.first ?? 0
            let columns = array.shape.count == 2 ? array.shape[1] : (array.shape.count == 1 ? 1 : 0)
            guard array.shape.count == 2, columns == d else {
                throw .initialCentroidsShape(
                    expectedRows: clusterCount ?? rows, expectedColumns: d, rows: rows, columns: columns)
            }
            return try FeatureMatrix(rows: rows, columns: columns, elements: array.elements)
        }
        let header: [String]
        do { header = try CSVTable.header(of: url) } catch { throw .input(error) }
        var sources: [String] = []
        for name in featureNames {
            if header.contains(name) {
                sources.append(name)
            } else if header.contains("centroid_" + name) {
                sources.append("centroid_" + name)
            } else {
                throw .unknownColumn(name: name, available: header)
            }
        }
        let columns: [[Double]]
        do {
            let table = try CSVTable.read(
                contentsOf: url, columns: sources.map { ColumnSpec(name: $0, type: .double) })
            columns = try sources.map { (name) throws(DataError) in try table.doubles(name) }
        } catch { throw .input(error) }
        return try FeatureMatrix(columns: columns)
    }
}

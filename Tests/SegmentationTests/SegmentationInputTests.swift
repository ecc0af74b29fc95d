import CAPMData
import Foundation
import Testing

@testable import Segmentation

@Suite("segmentation input")
struct SegmentationInputTests {
    /// A CSV file in a fresh temporary directory.
    func csv(_ text: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capm-seg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("customers.csv")
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test("constant columns are left out of the default features and reported")
    func defaultFeaturesDropConstantColumns() throws {
        let url = try csv("customer_id,x,T,m\na,1,30,5\nb,2,30,7\nc,4,30,7\n")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let input = try SegmentationInput.load(url)
        #expect(input.featureNames == ["x", "m"])
        #expect(input.excludedConstantFeatures == ["T"])
        #expect(input.features.elements == [1, 5, 2, 7, 4, 7])
        // The column stays available to the profiles.
        #expect(input.column("T") == [30, 30, 30])
        // z-scoring the default features now works.
        let scaler = try FeatureScaler.fit(input.features, names: input.featureNames, method: .zscore)
        #expect(try scaler.transform(input.features).columns == 2)
    }

    @Test("takeFeatures moves the matrix out and leaves an empty one; ids and the customer count stay")
    func takeFeatures() throws {
        let url = try csv("customer_id,x,m\na,1,5\nb,2,7\nc,4,9\n")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        var input = try SegmentationInput.load(url)
        let features = input.takeFeatures()
        #expect(features.elements == [1, 5, 2, 7, 4, 9] && features.rows == 3)
        #expect(input.features.rows == 0 && input.features.columns == 2)
        #expect(input.customerCount == 3 && input.id(2) == "c")
        #expect(input.column("m") == [5, 7, 9])
    }

    @Test("a named constant column is kept and z-scoring it is a typed error naming the column")
    func explicitConstantColumnIsAnError() throws {
        let url = try csv("customer_id,x,T\na,1,30\nb,2,30\n")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let input = try SegmentationInput.load(url, features: ["x", "T"])
        #expect(input.excludedConstantFeatures.isEmpty)
        #expect(throws: SegmentationError.constantColumn(column: 1, name: "T")) {
            try FeatureScaler.fit(input.features, names: input.featureNames, method: .zscore)
        }
        #expect(SegmentationError.constantColumn(column: 1, name: "T").description.contains("--features"))
    }

    @Test("only constant columns is a typed error, not an empty matrix")
    func allConstant() throws {
        let url = try csv("customer_id,a,b\nx,1,2\ny,1,2\n")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        #expect(throws: SegmentationError.self) { try SegmentationInput.load(url) }
    }

    @Test("a stray non-number in a numeric column is an error at its line and column; text columns are left out")
    func strayNonNumberIsAnError() throws {
        let url = try csv("customer_id,name,a,b\nx,ann,1,2\ny,bob,NaN,3\nz,cy,2,5\n")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        #expect(throws: SegmentationError.input(.invalidValue(
            path: url.path, line: 3, column: 3, columnName: "a", text: "NaN", expected: "a number"))
        ) {
            try SegmentationInput.load(url)
        }
        let clean = try csv("customer_id,name,a,b\nx,ann,1,2\ny,bob,3,3\nz,cy,2,5\n")
        defer { try? FileManager.default.removeItem(at: clean.deletingLastPathComponent()) }
        #expect(try SegmentationInput.load(clean).featureNames == ["a", "b"])
    }

    @Test(
        "a common id column name is the id, never a feature, when no id column is named",
        arguments: ["customer_id", "CustomerID", "Customer ID", "customer", "ID", "id"])
    func idColumnAliases(name: String) throws {
        let url = try csv("\(name),x,m\n17,1,5\n18,2,7\n19,4,9\n")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let input = try SegmentationInput.load(url)
        #expect(input.identifierColumn == name)
        #expect(input.featureNames == ["x", "m"])
        #expect(input.id(0) == "17" && input.id(2) == "19")
    }

    @Test("an explicit id column wins over the common names; a missing one is a typed error")
    func explicitIDColumn() throws {
        let url = try csv("id,account,x\n1,a7,3\n2,b8,4\n3,c9,6\n")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let named = try SegmentationInput.load(url, idColumn: "account")
        #expect(named.identifierColumn == "account" && named.id(1) == "b8")
        // With another id named, a numeric `id` column is an ordinary feature.
        #expect(named.featureNames == ["id", "x"])
        #expect(throws: SegmentationError.unknownColumn(name: "acount", available: ["id", "account", "x"])) {
            try SegmentationInput.load(url, idColumn: "acount")
        }
        // A common id name that is a named feature stays a feature (no other common name here: rows are numbered).
        let both = try SegmentationInput.load(url, features: ["id", "x"])
        #expect(both.identifierColumn == nil && both.featureNames == ["id", "x"] && both.id(2) == "2")
        // No common name in the header: customers are numbered by row.
        let plain = try csv("a,b\n1,2\n3,5\n")
        defer { try? FileManager.default.removeItem(at: plain.deletingLastPathComponent()) }
        let unnamed = try SegmentationInput.load(plain)
        #expect(unnamed.identifierColumn == nil && unnamed.id(1) == "1" && unnamed.featureNames == ["a", "b"])
    }

    @Test("a negative sample weight is an error at its line and column")
    func negativeWeight() throws {
        let url = try csv("customer_id,a,b,w\nx,1,2,1\ny,1,3,-1\nz,5,9,2\n")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        #expect(throws: SegmentationError.input(.invalidValue(
            path: url.path, line: 3, column: 4, columnName: "w", text: "-1", expected: "a non-negative number"))
        ) {
            try SegmentationInput.load(url, weightColumn: "w")
        }
        let positive = try csv("customer_id,a,b,w\nx,1,2,1\ny,1,3,0.5\nz,5,9,2\n")
        defer { try? FileManager.default.removeItem(at: positive.deletingLastPathComponent()) }
        let good = try SegmentationInput.load(positive, weightColumn: "w")
        #expect(good.weights == [1, 0.5, 2] && good.featureNames == ["a", "b"])
    }

    @Test("a header without data rows is reported as such, with or without named features")
    func headerOnly() throws {
        let url = try csv("id,a,b\n\n")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        #expect(throws: SegmentationError.input(.emptyFile(path: url.path))) { try SegmentationInput.load(url) }
        #expect(throws: SegmentationError.input(.emptyFile(path: url.path))) {
            try SegmentationInput.load(url, features: ["a"])
        }
    }

    @Test("initial centroids from CSV: features by name in any order, other columns ignored, dropped features unread")
    func initialCentroidsByName() throws {
        let url = try csv("segment,m,note,x,T\n0,5,a,1,30\n1,9,b,4,31\n")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let initial = try SegmentationInput.initialCentroids(url, featureNames: ["x", "m"])
        #expect(initial.rows == 2 && initial.columns == 2 && initial.elements == [1, 5, 4, 9])
        #expect(throws: SegmentationError.unknownColumn(name: "r", available: ["segment", "m", "note", "x", "T"])) {
            try SegmentationInput.initialCentroids(url, featureNames: ["x", "r"])
        }
        let bad = try csv("x,m\n1,5\n4,nine\n")
        defer { try? FileManager.default.removeItem(at: bad.deletingLastPathComponent()) }
        #expect(throws: SegmentationError.input(.invalidValue(
            path: bad.path, line: 3, column: 2, columnName: "m", text: "nine", expected: "a number"))
        ) {
            try SegmentationInput.initialCentroids(bad, featureNames: ["x", "m"])
        }
        let empty = try csv("x,m\n")
        defer { try? FileManager.default.removeItem(at: empty.deletingLastPathComponent()) }
        #expect(throws: SegmentationError.input(.emptyFile(path: empty.path))) {
            try SegmentationInput.initialCentroids(empty, featureNames: ["x", "m"])
        }
    }

    @Test("initial centroids from .npy: k × d in feature order; another shape is a shape error")
    func initialCentroidsFromNumPy() throws {
        let url = try csv("")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let npy = url.deletingLastPathComponent().appendingPathComponent("init.npy")
        try NumPyArray(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6]).write(to: npy)
        #expect(try SegmentationInput.initialCentroids(npy, featureNames: ["a", "b", "c"]).elements == [1, 2, 3, 4, 5, 6])
        #expect(throws: SegmentationError.initialCentroidsShape(expectedRows: 2, expectedColumns: 2, rows: 2, columns: 3)) {
            try SegmentationInput.initialCentroids(npy, featureNames: ["a", "b"], clusterCount: 2)
        }
        try NumPyArray(shape: [6], elements: [1, 2, 3, 4, 5, 6]).write(to: npy)
        #expect(throws: SegmentationError.initialCentroidsShape(expectedRows: 3, expectedColumns: 3, rows: 6, columns: 1)) {
            try SegmentationInput.initialCentroids(npy, featureNames: ["a", "b", "c"], clusterCount: 3)
        }
    }

    @Test("the profile CSV of a fit seeds a new fit: its centroid_ columns read back exactly, and the fit stays put")
    func initialCentroidsFromProfileCSV() throws {
        let url = try csv("customer_id,x,m,clv\na,1,5,10\nb,2,7,30\nc,9,1,5\nd,8,2,7\ne,1,6,12\nf,9,2,6\n")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        var input = try SegmentationInput.load(url, features: ["x", "m"])
        let segmentation = CustomerSegmentation(
            kMeans: KMeans(clusterCount: 2, seed: 3, threads: 1), clusterCount: .fixed(2), computeMetrics: false)
        let first = try segmentation.run(features: input.takeFeatures(), names: input.featureNames)
        let profile = url.deletingLastPathComponent().appendingPathComponent("profile.csv")
        try Data(first.report.profileCSV().utf8).write(to: profile)
        let initial = try SegmentationInput.initialCentroids(profile, featureNames: ["x", "m"])
        #expect(initial.elements == first.report.centroids.flatMap { $0 })
        var seeded = segmentation
        seeded.initialCentroids = initial
        var again = try SegmentationInput.load(url, features: ["x", "m"])
        let second = try seeded.run(features: again.takeFeatures(), names: again.featureNames)
        #expect(second.result.labels == first.result.labels)
        #expect(second.report.centroids == first.report.centroids)
        #expect(second.result.iterations <= 2)
    }
}

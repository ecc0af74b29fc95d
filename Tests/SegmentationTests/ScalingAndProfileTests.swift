import CAPMNumerics
import Foundation
import Testing
@testable import Segmentation

@Suite("scaling, k selection, profiles, model")
struct ScalingAndProfileTests {
    @Test("z-score and robust scaling, log1p, inverse")
    func scaling() throws {
        let data = try FeatureMatrix([[1, 0], [2, 9], [3, 99], [4, 999], [10, 9999]])
        let z = try FeatureScaler.fit(data, names: ["a", "money"], method: .zscore)
        let scaled = try z.transform(data)
        let column = scaled.column(0)
        #expect(abs(column.reduce(0, +)) <= 1e-12)
        #expect(abs(column.map { $0 * $0 }.reduce(0, +) / 5 - 1) <= 1e-12)  // population variance 1
        // Robust with log1p on money: log1p of 0, 9, 99, 999, 9999 = 0, ln 10, ln 100, ln 1000, ln 10⁴;
        // median ln 100, q25 = ln 10, q75 = ln 1000.
        let r = try FeatureScaler.fit(data, names: ["a", "money"], method: .robust, logColumns: ["money"])
        #expect(r.centers[0] == 3)
        #expect(r.scales[0] == 2)  // q75 = 4, q25 = 2
        #expect(abs(r.centers[1] - log(100)) <= 1e-12)
        #expect(abs(r.scales[1] - (log(1000) - log(10))) <= 1e-12)
        let back = try r.inverseTransform(r.transform(data))
        for (x, y) in zip(back.elements, data.elements) { #expect(abs(x - y) <= 1e-9 * max(1, abs(y))) }
        // Codable round trip.
        let decoded = try JSONDecoder().decode(FeatureScaler.self, from: JSONEncoder().encode(r))
        #expect(decoded == r)
    }

    @Test("z-score moments from two row-major passes equal the column-by-column ones bit for bit")
    func rowMajorMoments() throws {
        var rng = Xoshiro256(seed: 11)
        let rows = (0..<5_000).map { _ in
            [1e4 + 10 * rng.nextStandardNormal(), exp(3 * rng.nextOpenUnit()), rng.nextOpenUnit() - 0.5]
        }
        let data = try FeatureMatrix(rows)
        let moments = FeatureScaler.rowMajorMoments(data, columns: [true, false, true])
        for j in [0, 2] {
            let (mean, deviation) = FeatureScaler.meanAndDeviation(data.column(j))
            #expect(moments[j].mean == mean && moments[j].deviation == deviation)
        }
        #expect(moments[1].mean == 0 && moments[1].deviation == 0)
        // The fitted scaler: plain columns from the row-major passes, the log column from its own copy.
        let fitted = try FeatureScaler.fit(data, names: ["a", "b", "c"], method: .zscore, logColumns: ["b"])
        let logged = FeatureScaler.meanAndDeviation(try FeatureScaler.transformedColumn(data, 1, log: true, name: "b"))
        #expect(fitted.centers == [moments[0].mean, logged.mean, moments[2].mean])
        #expect(fitted.scales == [moments[0].deviation, logged.deviation, moments[2].deviation])
        // Errors keep the column-by-column order: a constant column 0 is reported before a bad log value in 1.
        let both = try FeatureMatrix([[5, 1], [5, -3], [5, 2]])
        #expect(throws: SegmentationError.constantColumn(column: 0, name: "a")) {
            try FeatureScaler.fit(both, names: ["a", "m"], method: .zscore, logColumns: ["m"])
        }
        let bad = try FeatureMatrix([[1, 1], [2, -3], [3, -4]])
        #expect(throws: SegmentationError.logOfInvalidValue(row: 1, column: 1, name: "m", value: -3)) {
            try FeatureScaler.fit(bad, names: ["a", "m"], method: .zscore, logColumns: ["m"])
        }
    }

    @Test("scaling errors are typed")
    func scalingErrors() throws {
        let data = try FeatureMatrix([[1, 5], [2, 5], [3, 5]])
        #expect(throws: SegmentationError.constantColumn(column: 1, name: "b")) {
            try FeatureScaler.fit(data, names: ["a", "b"], method: .zscore)
        }
        #expect(throws: SegmentationError.unknownColumn(name: "c", available: ["a", "b"])) {
            try FeatureScaler.fit(data, names: ["a", "b"], method: .none, logColumns: ["c"])
        }
        let negative = try FeatureMatrix([[1], [-1], [3]])
        #expect(throws: SegmentationError.logOfInvalidValue(row: 1, column: 0, name: "m", value: -1)) {
            try FeatureScaler.fit(negative, names: ["m"], method: .none, logColumns: ["m"])
        }
        // Transforming many rows runs in parallel chunks: the earliest bad value is reported, not a later chunk's.
        var rows = (0..<200_000).map { [Double($0 % 97), Double($0 % 13)] }
        rows[150_001][1] = -2
        rows[70_003][1] = -1.5
        let big = try FeatureMatrix(rows)
        let scaler = FeatureScaler(method: .none, names: ["a", "m"], log1p: [false, true], centers: [0, 0], scales: [1, 1])
        #expect(throws: SegmentationError.logOfInvalidValue(row: 70_003, column: 1, name: "m", value: -1.5)) {
            try scaler.transform(big)
        }
        rows[70_003][1] = 1
        rows[150_001][1] = 2
        let scaled = try scaler.transform(try FeatureMatrix(rows))
        #expect(scaled.elements[2 * 150_001 + 1] == Foundation.log1p(2) && scaled.elements[2 * 150_001] == Double(150_001 % 97))
    }

    @Test("the consuming transform scales the only copy in place and leaves a caller's other copy unchanged")
    func consumingTransform() throws {
        let rows = (0..<100_000).map { [Double($0 % 89) * 1.5, Double($0 % 7) + 0.25] }
        let data = try FeatureMatrix(rows)
        let scaler = try FeatureScaler.fit(data, names: ["a", "b"], method: .zscore, logColumns: ["b"])
        // Element by element, the definition z = (t(x) − centre) / scale.
        let expected = data.elements.indices.map { e in
            let j = e % 2
            return ((j == 1 ? Foundation.log1p(data.elements[e]) : data.elements[e]) - scaler.centers[j]) / scaler.scales[j]
        }
        // `data` is used again below, so the transform must work on a copy of its elements.
        let copied = try scaler.transform(data)
        #expect(copied.elements == expected)
        #expect(data == (try FeatureMatrix(rows)))
        // The last use of a matrix: its own buffer is scaled (the element storage keeps its address).
        var only = try FeatureMatrix(rows)
        let before = only.elements.withUnsafeBufferPointer { $0.baseAddress }
        only = try scaler.transform(consume only)
        #expect(only.elements == expected)
        #expect(only.elements.withUnsafeBufferPointer { $0.baseAddress } == before)
    }

    @Test("a scaled value that overflows is a typed error naming the first such element")
    func scaledOverflow() throws {
        var rows = (0..<200_000).map { [Double($0 % 97), 1.0] }
        rows[160_000][0] = 1.5e308
        rows[90_001][0] = -1.7e308
        let scaler = FeatureScaler(method: .zscore, names: ["a", "b"], log1p: [false, false], centers: [0, 0], scales: [1e-10, 1])
        #expect(throws: SegmentationError.nonFiniteValue(row: 90_001, column: 0, value: -.infinity)) {
            try scaler.transform(try FeatureMatrix(rows))
        }
    }

    @Test("automatic k finds the number of well-separated blobs under every rule", arguments: KSelection.Rule.allCases)
    func selection(rule: KSelection.Rule) throws {
        let centers: [[Double]] = [[0, 0], [8, 0], [0, 8], [8, 8]]
        let (data, _) = try gaussianBlobs(centers: centers, perCluster: 60, spread: 0.6, seed: 5)
        let outcome = try KSelection(kMeans: KMeans(clusterCount: 1, restarts: 2, seed: 1), range: 2...7, rule: rule)
            .run(data)
        #expect(outcome.chosenK == 4)
        #expect(outcome.candidates.map(\.k) == Array(2...7))
        let inertias = outcome.candidates.map(\.inertia)
        #expect(zip(inertias, inertias.dropFirst()).allSatisfy { $0 >= $1 })
    }

    @Test("segment profiles: shares, means, medians and value × risk labels")
    func profiles() throws {
        let labels: [Int32] = [0, 0, 1, 1, 2, 2, 3, 3]
        let clv: [Double] = [100, 120, 90, 110, 5, 15, 1, 3]
        let pAlive: [Double] = [0.9, 0.8, 0.2, 0.1, 0.9, 0.7, 0.1, 0.2]
        let frequency: [Double] = [5, 7, 4, 6, 1, 1, 0, 0]
        let customers = CustomerColumns(clv: clv, pAlive: pAlive, numeric: [("frequency", frequency)])
        let profiles = try SegmentProfile.profiles(labels: labels, clusterCount: 4, customers: customers)
        let total = clv.reduce(0, +)  // 444
        #expect(profiles.map(\.size) == [2, 2, 2, 2])
        #expect(profiles[0].clvShare == 220 / total)
        #expect(profiles[0].meanCLV == 110)
        #expect(profiles[2].medianCLV == 10)
        #expect(profiles[3].means == [.init(name: "frequency", value: 0)])
        // Mean CLV 55.5; CLV-weighted mean P(alive) = Σ clv·p / Σ clv.
        #expect(profiles.map(\.label) == [.champions, .atRisk, .promising, .dormant])
        // Absolute thresholds: everyone with mean P(alive) ≥ 0.95 is "not alive".
        let strict = LabelRule(valueReference: .median, aliveReference: .absolute(0.95))
        let relabelled = try SegmentProfile.profiles(labels: labels, clusterCount: 4, customers: customers, rule: strict)
        #expect(relabelled.map(\.label) == [.atRisk, .atRisk, .dormant, .dormant])
        #expect(throws: SegmentationError.self) {
            try SegmentProfile.profiles(labels: labels, clusterCount: 4, customers: CustomerColumns(clv: [1, 2]))
        }
        #expect(throws: SegmentationError.self) {
            try SegmentProfile.profiles(
                labels: labels, clusterCount: 4, customers: CustomerColumns(clv: clv, pAlive: clv))
        }
    }

    @Test("a saved model assigns customers as the fit did")
    func modelRoundTrip() throws {
        let (raw, _) = try gaussianBlobs(centers: [[10, 100], [20, 300], [30, 200]], perCluster: 50, spread: 2, seed: 8)
        let scaler = try FeatureScaler.fit(raw, names: ["a", "b"], method: .zscore)
        let scaled = try scaler.transform(raw)
        let result = try KMeans(clusterCount: 3, seed: 2).fit(scaled)
        let model = try SegmentationModel(scaler: scaler, centroids: result.centroids)
        let decoded = try JSONDecoder().decode(SegmentationModel.self, from: JSONEncoder().encode(model))
        #expect(try decoded.assign(raw, threads: 2) == result.labels)
    }
}

@Suite("identity scaling")
struct IdentityScalingTests {
    @Test("method none without log1p returns the data unchanged")
    func identity() throws {
        let data = try FeatureMatrix([[1, 2], [3, 4]])
        let scaler = try FeatureScaler.fit(data, names: ["a", "b"], method: .none)
        #expect(scaler.isIdentity)
        #expect(try scaler.transform(data) == data)
        let logged = try FeatureScaler.fit(data, names: ["a", "b"], method: .none, logColumns: ["b"])
        #expect(!logged.isIdentity)
        #expect(try logged.transform(data)[1, 1] == log1p(4.0))
    }
}

@Suite("model files")
struct ModelFileTests {
    static let plain =
        #"{"scaler":{"method":"none","names":["a"],"log1p":[false],"centers":[0],"scales":[1]},"centroids":{"rows":2,"columns":1,"elements":[0,10]}"#

    @Test("a model saved before labels were stored decodes without them; labels must be one per segment")
    func labels() throws {
        let old = try JSONDecoder().decode(SegmentationModel.self, from: Data((Self.plain + "}").utf8))
        #expect(old.labels == nil && old.clusterCount == 2)
        let labelled = try JSONDecoder().decode(
            SegmentationModel.self, from: Data((Self.plain + #","labels":["champions",null]}"#).utf8))
        #expect(labelled.labels == [.champions, nil])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SegmentationModel.self, from: Data((Self.plain + #","labels":["dormant"]}"#).utf8))
        }
    }

    @Test("an assignment counts each segment's customers and carries the model's labels")
    func assignment() throws {
        let model = try SegmentationModel(
            scaler: FeatureScaler.fit(FeatureMatrix([[0], [10]]), names: ["a"], method: .none),
            centroids: FeatureMatrix([[0], [10]]), labels: [.dormant, .champions])
        let a = try model.assignment(of: FeatureMatrix([[1], [9], [12], [4.9], [5.1]]), threads: 2)
        #expect(a.segments == [0, 1, 1, 0, 1] && a.sizes == [2, 3])
        #expect(a.label(ofCustomer: 1) == .champions && a.label(ofCustomer: 3) == .dormant)
        #expect(a.summaryCSV() == "segment,size,share,label\n0,2,0.4,dormant\n1,3,0.6,champions\n")
        #expect(a.summaryTable().split(separator: "\n").dropFirst() == [
            "segment  size  share  label", "0        2     40%    dormant", "1        3     60%    champions",
        ])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(a.summaryJSON().utf8)) as? [String: Any])
        #expect(json["k"] as? Int == 2 && json["customers"] as? Int == 5 && json["sizes"] as? [Int] == [2, 3])
        // No customers: sizes and shares 0, no division by zero.
        let none = try model.assignment(of: FeatureMatrix(emptyWithColumns: 1))
        #expect(none.sizes == [0, 0] && none.summaryCSV().hasSuffix("1,0,0.0,champions\n"))
    }

    @Test("a corrupted model file is a decoding error, not a crash")
    func corrupted() throws {
        let bad = [
            #"{"scaler":{"method":"zscore","names":["a"],"log1p":[false],"centers":[0],"scales":[0]},"centroids":{"rows":1,"columns":1,"elements":[1]}}"#,
            #"{"scaler":{"method":"none","names":["a","b"],"log1p":[false],"centers":[0],"scales":[1]},"centroids":{"rows":1,"columns":2,"elements":[1,2]}}"#,
            #"{"scaler":{"method":"none","names":[],"log1p":[],"centers":[],"scales":[]},"centroids":{"rows":2,"columns":0,"elements":[]}}"#,
            #"{"scaler":{"method":"none","names":["a"],"log1p":[false],"centers":[0],"scales":[1]},"centroids":{"rows":2,"columns":1,"elements":[1]}}"#,
        ]
        for text in bad {
            #expect(throws: DecodingError.self) { try JSONDecoder().decode(SegmentationModel.self, from: Data(text.utf8)) }
        }
    }
}

import CAPMNumerics
import Testing
@testable import Segmentation

/// The changes-only update pass (``PassMode/changes``): only rows whose label changes are recorded, moved from the
/// sums of their label on entry to those of their new label.
@Suite("changes-only update pass")
struct ChangesPassTests {
    /// Long-mantissa rows (uniform in ±8 with random low bits), so that a different order or grouping of the adds
    /// would change the sums' bits.
    static func randomCase(_ shape: KernelShape, seed: UInt64) -> ReferencePass {
        var rng = Xoshiro256(seed: seed)
        let x = (0..<(shape.n * shape.d)).map { _ in 16 * rng.nextOpenUnit() - 8 }
        let centroids = (0..<(shape.k * shape.d)).map { _ in 8 * rng.nextOpenUnit() - 4 }
        let mean = (0..<shape.d).map { 0.1 + 0.37 * Double($0 % 5) }
        return ReferencePass(
            x: x, centroids: centroids, mean: mean, weights: nil, n: shape.n, d: shape.d, k: shape.k)
    }

    /// The shapes of the fused-kernel checks with at least two clusters (with one, no label can change).
    static let shapes = (KernelShape.awkward + KernelShape.grouped).filter { $0.k > 1 && $0.n > 1 }

    @Test("a changes-only pass moves exactly the changed rows, in row order, bit for bit on both instruction sets",
          arguments: shapes)
    func movesChangedRows(shape: KernelShape) {
        let ref = Self.randomCase(shape, seed: UInt64(shape.n * 7919 + shape.d * 31 + shape.k))
        for single in [false, true] {
            // The Float pass reads centred Float rows against centred centroids; its term is the Float row in Double.
            let pass = single ? ref.centred() : ref
            let x32 = single ? pass.x.map { Float($0) } : nil
            var results: [(labels: [Int32], sums: [Double], weights: [Double])] = []
            for isa in FusedKernelTests.instructionSets {
                // The labels an update pass finds, then labels on entry that differ from them in every third row
                // (one row with no cluster at all: it is only added).
                var found = [Int32](repeating: -1, count: ref.n)
                _ = kernelPass(pass, x32: x32, mode: .update, labels: &found, isa: isa)
                var entry = found.enumerated().map { i, c in i % 3 == 0 ? (c + 1) % Int32(ref.k) : c }
                entry[ref.n / 2] = -1
                var labels = entry
                let result = kernelPass(pass, x32: x32, mode: .changes, labels: &labels, isa: isa)
                #expect(labels == found, "\(isa) float32 \(single): same labels as the update pass")
                #expect(result.changed == zip(entry, found).filter { $0 != $1 }.count)
                // The documented sequence: per changed row, in row order, subtract its term from the old cluster's
                // sums and add it to the new one's, element by element.
                var sums = [Double](repeating: 0, count: ref.k * ref.d)
                var weights = [Double](repeating: 0, count: ref.k)
                for i in 0..<ref.n where entry[i] != found[i] {
                    let (old, new) = (Int(entry[i]), Int(found[i]))
                    for j in 0..<ref.d {
                        let t = x32.map { Double($0[i * ref.d + j]) } ?? (ref.x[i * ref.d + j] - ref.mean[j])
                        if old >= 0 { sums[old * ref.d + j] -= t }
                        sums[new * ref.d + j] += t
                    }
                    if old >= 0 { weights[old] -= 1 }
                    weights[new] += 1
                }
                #expect(result.sums == sums, "\(isa) float32 \(single): sums")
                #expect(result.weights == weights, "\(isa) float32 \(single): weights")
                results.append((labels, result.sums, result.weights))
            }
            if results.count == 2 {
                #expect(results[0].labels == results[1].labels && results[0].sums == results[1].sums)
            }
        }
    }

    @Test("Lloyd adding only the changes reaches the fit of full passes: same labels and iterations, same centroids",
          arguments: [false, true])
    func lloydMatchesFullPasses(cloud: Bool) throws {
        // A Gaussian cloud keeps rows moving for many iterations; blobs settle in a few.
        let data: FeatureMatrix
        if cloud {
            var rng = Xoshiro256(seed: 5)
            let rows = (0..<4000).map { _ in (0..<5).map { _ in rng.nextStandardNormal() } }
            data = try FeatureMatrix(rows)
        } else {
            data = try gaussianBlobs(centers: KMeansTests.blobCenters, perCluster: 400, spread: 2.5, seed: 8).data
        }
        let k = 8
        let d = data.columns
        let partition = ChunkPartition(rows: data.rows, maximumChunks: 8)
        let (mean, _) = KMeans.columnMoments(data, partition: partition, threads: 1)
        var initial = Array(data.elements[0..<(k * d)])
        for c in 0..<k { for j in 0..<d { initial[c * d + j] -= mean[j] } }
        let single = try #require(KMeans.centredSingleCopy(data, mean: mean))
        for precision in [nil, single] {
            let fit = { (refresh: Int) in
                KMeans.lloyd(
                    data, weights: nil, mean: mean, initial: initial, k: k, maxIterations: 40, tolerance: 0,
                    partition: partition, threads: 2, single: precision, sumsRefresh: refresh)
            }
            let full = fit(1)
            let changes = fit(KMeans.sumsRefreshInterval)
            // float32: a full pass sums Float windows of 256 rows (relative rounding up to 256·2⁻²⁴ of a window's
            // Σ|x|), a changes-only pass moves the Float rows in Double; float64: both are Double sums.
            let tolerance = precision == nil ? 1e-12 : 2e-5
            #expect(full.iterations >= 10, "long enough for changes-only passes")
            #expect(changes.labels == full.labels && changes.iterations == full.iterations)
            for (p, q) in zip(changes.centroids, full.centroids) {
                #expect(abs(p - q) <= tolerance * max(1, abs(q)), "float32: \(precision != nil)")
            }
            #expect(abs(changes.inertia - full.inertia) <= tolerance * full.inertia)
        }
    }
}

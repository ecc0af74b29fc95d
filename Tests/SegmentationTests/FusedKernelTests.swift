import CAPMNumerics
import Testing
@testable import Segmentation

/// One shape of the fused-kernel checks: rows, features, clusters.
struct KernelShape: CustomTestStringConvertible, Sendable {
    let n: Int
    let d: Int
    let k: Int
    var testDescription: String { "N=\(n) d=\(d) k=\(k)" }

    /// d ∈ {1, 3, 7, 8, 9, 16, 24, 33, 64} (3, 8 and 16 take the kernels compiled for a fixed d, the others the
    /// generic one; the Float pass runs its pair tile for k ≤ 8 at d = 24, 33 (odd: a single last feature) and 64)
    /// × k ∈ {1, 5, 8, 9, 20, 32, 33} (9, 20 and 32: the Float 4 × 16 kernel's written-out steps for 2, 3 and 4 groups
    /// of 8 centroids; 33 its loop); N not a multiple of the kernel's 4-, 8- or 64-row blocks (130 rows span three batches of
    /// the software pipeline; 600 rows span ten, and three windows of the Float pass's partial sums).
    static let awkward: [KernelShape] = [1, 3, 7, 8, 9, 16, 24, 33, 64].flatMap { d in
        [1, 5, 8, 9, 20, 32, 33].map { k in KernelShape(n: [1, 3, 130, 600][(d + k) % 4], d: d, k: k) }
    }

    /// The update passes that record cluster by cluster (Double: k ≤ 16, d ∈ {8, 12, 16, 32}; Float: d = 32, the pair
    /// tile for k ≤ 8 and the 4 × 16 tile for 9 ≤ k ≤ 16; k = 17 does not):
    /// full 64-row batches (their cluster masks built from one-hot bytes, a second byte for clusters 8–15) and a
    /// short last one (masks row by row).
    static let grouped: [KernelShape] = [8, 12, 16, 32].flatMap { d in
        [1, 3, 8, 9, 16, 17].map { k in KernelShape(n: [64, 357][(d / 4 + k) % 2], d: d, k: k) }
    }
}

/// The straightforward reference: difference-form distances, the first index of the minimum, sums of centred rows
/// added in row order.
struct ReferencePass {
    let x: [Double]
    let centroids: [Double]
    let mean: [Double]
    let weights: [Double]?
    let n: Int
    let d: Int
    let k: Int

    func distances(row i: Int) -> [Double] {
        (0..<k).map { c in
            var s = 0.0
            for j in 0..<d {
                let t = x[i * d + j] - centroids[c * d + j]
                s += t * t
            }
            return s
        }
    }

    func nearest(row i: Int) -> Int {
        let dist = distances(row: i)
        var best = 0
        for c in 1..<max(1, k) where dist[c] < dist[best] { best = c }
        return best
    }

    /// Σ wᵢ(xᵢ − μ) and Σ wᵢ per cluster under `labels`, in row order (the kernel's rounding sequence).
    func sums(labels: [Int32], rows: (Int) -> [Double]) -> (sums: [Double], weights: [Double]) {
        var sums = [Double](repeating: 0, count: k * d)
        var clusterWeights = [Double](repeating: 0, count: k)
        for i in 0..<n {
            let c = Int(labels[i])
            let row = rows(i)
            if let weights {
                for j in 0..<d { sums[c * d + j] += weights[i] * (row[j] - mean[j]) }
                clusterWeights[c] += weights[i]
            } else {
                for j in 0..<d { sums[c * d + j] += row[j] - mean[j] }
                clusterWeights[c] += 1
            }
        }
        return (sums, clusterWeights)
    }

    /// The same pass in centred coordinates (rows and centroids minus μ, μ = 0): what a Float pass reads.
    func centred() -> ReferencePass {
        ReferencePass(
            x: x.indices.map { x[$0] - mean[$0 % d] }, centroids: centroids.indices.map { centroids[$0] - mean[$0 % d] },
            mean: [Double](repeating: 0, count: d), weights: weights, n: n, d: d, k: k)
    }

    /// The Float update pass without weights: Float sums of each window of `CAPM_KMEANS_WINDOW` (256) rows in row
    /// order, added to Double sums at the end of each window.
    static func windowSums(labels: [Int32], x32: [Float], n: Int, d: Int, k: Int) -> [Double] {
        var sums = [Double](repeating: 0, count: k * d)
        var partial = [Float](repeating: 0, count: k * d)
        for i in 0..<n {
            let c = Int(labels[i])
            for j in 0..<d { partial[c * d + j] += x32[i * d + j] }
            if (i + 1) % 256 == 0 || i + 1 == n {
                for e in partial.indices { sums[e] += Double(partial[e]) }
                partial = [Float](repeating: 0, count: k * d)
            }
        }
        return sums
    }

    /// Σ wᵢ Σⱼ (xᵢⱼ − cⱼ)² under `labels`, in row order.
    func inertia(labels: [Int32]) -> Double {
        var total = 0.0
        for i in 0..<n {
            let c = Int(labels[i])
            var s = 0.0
            for j in 0..<d {
                let t = x[i * d + j] - centroids[c * d + j]
                s += t * t
            }
            total += (weights?[i] ?? 1) * s
        }
        return total
    }
}

/// The same update pass on AVX2 and on portable C, every row starting from label −1: each side's labels and result.
func updateOnBothInstructionSets(_ ref: ReferencePass, x32: [Float]?) -> (
    avx: (labels: [Int32], result: (changed: Int, inertia: Double, sums: [Double], weights: [Double], fallbacks: Int)),
    portable: (labels: [Int32], result: (changed: Int, inertia: Double, sums: [Double], weights: [Double], fallbacks: Int))
) {
    var a = [Int32](repeating: -1, count: ref.n)
    var b = a
    let avx = kernelPass(ref, x32: x32, mode: .update, labels: &a, isa: .avx2)
    let portable = kernelPass(ref, x32: x32, mode: .update, labels: &b, isa: .portable)
    return ((a, avx), (b, portable))
}

/// Runs one fused pass over all rows with explicit instruction set and precision, on `panel` (default: the panel of
/// `ref.centroids`, without a Float screen).
func kernelPass(
    _ ref: ReferencePass, x32: [Float]?, mode: PassMode, labels: inout [Int32], isa: KernelInstructionSet,
    panel: CentroidPanel? = nil
) -> (changed: Int, inertia: Double, sums: [Double], weights: [Double], fallbacks: Int) {
    let panel = panel ?? CentroidPanel(centroids: ref.centroids, k: ref.k, d: ref.d)
    var sums = [Double](repeating: 0, count: ref.k * ref.d)
    var clusterWeights = [Double](repeating: 0, count: ref.k)
    let single = x32 ?? []
    let result = ref.x.withUnsafeBufferPointer { xb in
        single.withUnsafeBufferPointer { x32b in
            ref.mean.withUnsafeBufferPointer { mb in
                withOptionalBuffer(ref.weights) { w in
                    labels.withUnsafeMutableBufferPointer { lb in
                        sums.withUnsafeMutableBufferPointer { sb in
                            clusterWeights.withUnsafeMutableBufferPointer { wb in
                                runFusedKernel(
                                    rows: ref.n, x: x32 == nil ? .double(xb.start) : .float(x32b.start), panel: panel,
                                    mean: mb.start, weights: w?.base, labels: lb.start, sums: sb.start,
                                    clusterWeights: wb.start, mode: mode, instructionSet: isa)
                            }
                        }
                    }
                }
            }
        }
    }
    return (result.changed, result.inertia, sums, clusterWeights, result.fallbacks)
}

@Suite("fused C kernel")
struct FusedKernelTests {
    static let instructionSets = KernelInstructionSet.allCases.filter(\.isAvailable)

    /// Integer-valued rows and centroids in 0…3: every expanded-form distance is exact in Double and Float, so ties
    /// are real ties and the lowest index must win. The last centroid duplicates the first, so it never wins.
    static func integerCase(_ shape: KernelShape, weighted: Bool, seed: UInt64) -> ReferencePass {
        var rng = Xoshiro256(seed: seed)
        let x = (0..<(shape.n * shape.d)).map { _ in Double(rng.next() % 4) }
        var centroids = (0..<(shape.k * shape.d)).map { _ in Double(rng.next() % 4) }
        if shape.k > 1 { for j in 0..<shape.d { centroids[(shape.k - 1) * shape.d + j] = centroids[j] } }
        let mean = (0..<shape.d).map { 0.25 + Double($0 % 3) }
        let weights = weighted ? (0..<shape.n).map { 0.5 + Double($0 % 3) } : nil
        return ReferencePass(
            x: x, centroids: centroids, mean: mean, weights: weights, n: shape.n, d: shape.d, k: shape.k)
    }

    @Test("labels, sums, weights and changes equal the reference on integer data (ties: lowest index)",
          arguments: KernelShape.awkward + KernelShape.grouped)
    func integerData(shape: KernelShape) {
        for isa in Self.instructionSets {
            for weighted in [false, true] {
                let ref = Self.integerCase(shape, weighted: weighted, seed: UInt64(shape.n * 1000 + shape.d * 40 + shape.k))
                let expected = (0..<shape.n).map { Int32(ref.nearest(row: $0)) }
                for single in [false, true] {
                    // The Float pass reads centred rows against centred centroids (exact here: dyadic values).
                    let pass = single ? ref.centred() : ref
                    let x32 = single ? pass.x.map { Float($0) } : nil
                    var labels = [Int32](repeating: -1, count: shape.n)
                    let update = kernelPass(pass, x32: x32, mode: .update, labels: &labels, isa: isa)
                    #expect(labels == expected, "\(isa) weighted \(weighted) float32 \(single)")
                    if shape.k > 1 { #expect(!labels.contains(Int32(shape.k - 1))) }
                    #expect(update.changed == shape.n)
                    let (sums, weights) = ref.sums(labels: labels) { i in Array(ref.x[(i * shape.d)..<((i + 1) * shape.d)]) }
                    #expect(update.sums == sums, "\(isa) weighted \(weighted) float32 \(single)")
                    #expect(update.weights == weights)
                    #expect(update.inertia == 0)
                    // Same centroids again: nothing changes.
                    let again = kernelPass(pass, x32: x32, mode: .update, labels: &labels, isa: isa)
                    #expect(again.changed == 0 && labels == expected)
                    // Some rows start from another label: exactly those count as changed (labels are stored and
                    // compared eight rows at a time, so the perturbed rows fall inside and across such blocks).
                    if shape.k > 1 {
                        let moved = (0..<shape.n).filter { $0 % 3 == 0 || $0 % 8 == 7 }
                        for i in moved { labels[i] = (labels[i] + 1) % Int32(shape.k) }
                        let some = kernelPass(pass, x32: x32, mode: .update, labels: &labels, isa: isa)
                        #expect(some.changed == moved.count && labels == expected)
                        #expect(some.sums == sums && some.weights == weights)
                    }
                }
                var labels = [Int32](repeating: 0, count: shape.n)
                let final = kernelPass(ref, x32: nil, mode: .final, labels: &labels, isa: isa)
                #expect(labels == expected)
                #expect(final.inertia == ref.inertia(labels: expected))
                #expect(final.sums.allSatisfy { $0 == 0 } && final.weights.allSatisfy { $0 == 0 })
                var assigned = [Int32](repeating: 7, count: shape.n)
                let assign = kernelPass(ref, x32: nil, mode: .assign, labels: &assigned, isa: isa)
                #expect(assigned == expected && assign.inertia == 0 && assign.sums.allSatisfy { $0 == 0 })
            }
        }
    }

    @Test("real-valued data: the chosen centroid is nearest up to rounding; sums exact for the chosen labels",
          arguments: KernelShape.awkward)
    func realData(shape: KernelShape) {
        var rng = Xoshiro256(seed: UInt64(7 + shape.d * 100 + shape.k))
        let x = (0..<(shape.n * shape.d)).map { _ in 10 + 3 * rng.nextStandardNormal() }
        let centroids = (0..<(shape.k * shape.d)).map { _ in 10 + 3 * rng.nextStandardNormal() }
        let mean = [Double](repeating: 10, count: shape.d)
        let ref = ReferencePass(x: x, centroids: centroids, mean: mean, weights: nil, n: shape.n, d: shape.d, k: shape.k)
        let centred = ref.centred()
        let x32 = centred.x.map { Float($0) }
        for isa in Self.instructionSets {
            for single in [false, true] {
                var labels = [Int32](repeating: -1, count: shape.n)
                let update = kernelPass(
                    single ? centred : ref, x32: single ? x32 : nil, mode: .update, labels: &labels, isa: isa)
                for i in 0..<shape.n {
                    let dist = ref.distances(row: i)
                    let smallest = dist.min() ?? 0
                    // Expanded-form rounding is relative to ‖x‖² + ‖c‖² (about d·100 here).
                    let scale = Double(shape.d) * 200
                    let tolerance = (single ? 1e-5 : 1e-12) * scale
                    #expect(dist[Int(labels[i])] <= smallest + tolerance, "\(isa) float32 \(single) row \(i)")
                }
                var (sums, weights) = ref.sums(labels: labels) { i in Array(x[(i * shape.d)..<((i + 1) * shape.d)]) }
                if single {
                    sums = ReferencePass.windowSums(labels: labels, x32: x32, n: shape.n, d: shape.d, k: shape.k)
                }
                #expect(update.sums == sums && update.weights == weights, "\(isa) float32 \(single)")
            }
        }
    }

    /// Near ties: every centroid has a twin a few units in the last place away, so a row's two nearest distances
    /// differ by about the rounding of the expanded form, and any change in the order of its roundings would show.
    /// Double: rows in lanes against the 4 × 8 tile (k = 81 at d = 8: the lane panel does not fit, both take the tile).
    /// Float (`single`): rows in lanes for k > 8 against the 8 × 8 tile (k ≤ 8: both take the tile); the twins are a
    /// few Float units in the last place apart.
    @Test("rows in lanes (d ≤ 8) and the tiles give the same labels and sums bit for bit on near ties",
          arguments: [(1, 9), (3, 33), (4, 5), (7, 80), (8, 8), (8, 33), (8, 81)], [false, true])
    func rowsInLanesMatchTile(shape: (d: Int, k: Int), single: Bool) {
        guard Self.instructionSets.contains(.avx2) else { return }
        let (d, k) = shape
        var rng = Xoshiro256(seed: UInt64(31 * d + k))
        let n = 1_001
        let x = (0..<(n * d)).map { _ in 5 + 2 * rng.nextStandardNormal() }
        let half = (k + 1) / 2
        let base = (0..<(half * d)).map { _ in 5 + 2 * rng.nextStandardNormal() }
        var centroids = [Double]()
        for c in 0..<k {
            let twin = c % 2 == 1
            for j in 0..<d {
                let v = base[(c / 2) * d + j]
                centroids.append(twin ? v * (1 + Double(j % 3 + 1) * (single ? 0x1p-21 : 0x1p-51)) : v)
            }
        }
        let mean = [Double](repeating: 5, count: d)
        let lanes = ReferencePass(x: x, centroids: centroids, mean: mean, weights: nil, n: n, d: d, k: k)
        // Zero features appended up to d = 9 take the tile and leave every FMA chain's value unchanged
        // (a zero coefficient adds ±0).
        let wide = 9
        let zeros = [Double](repeating: 0, count: wide - d)
        func padded(_ v: [Double], rows: Int) -> [Double] {
            var out: [Double] = []
            for r in 0..<rows { out += v[(r * d)..<((r + 1) * d)] + zeros }
            return out
        }
        let tile = ReferencePass(
            x: padded(x, rows: n), centroids: padded(centroids, rows: k), mean: padded(mean, rows: 1), weights: nil,
            n: n, d: wide, k: k)
        var a = [Int32](repeating: -1, count: n)
        var b = a
        let l = single
            ? kernelPass(lanes.centred(), x32: lanes.centred().x.map { Float($0) }, mode: .update, labels: &a, isa: .avx2)
            : kernelPass(lanes, x32: nil, mode: .update, labels: &a, isa: .avx2)
        let t = single
            ? kernelPass(tile.centred(), x32: tile.centred().x.map { Float($0) }, mode: .update, labels: &b, isa: .avx2)
            : kernelPass(tile, x32: nil, mode: .update, labels: &b, isa: .avx2)
        #expect(a == b)
        var narrowed: [Double] = []
        for c in 0..<k { narrowed += t.sums[(c * wide)..<(c * wide + d)] }
        #expect(l.sums == narrowed)
        #expect(l.weights == t.weights)
        // The near ties are real: rows go to both members of the twin pairs.
        if k > 1 { #expect(a.contains { $0 % 2 == 0 } && a.contains { $0 % 2 == 1 }) }
    }

    @Test("a pass recording cluster by cluster adds each cluster's rows in row order: bitwise the portable sums",
          arguments: KernelShape.grouped)
    func groupedRecordKeepsRowOrder(shape: KernelShape) {
        guard Self.instructionSets.count == 2 else { return }
        // Values with long mantissas, so that any other order of additions would round differently.
        var rng = Xoshiro256(seed: UInt64(shape.d * 100 + shape.k))
        let x = (0..<(shape.n * shape.d)).map { _ in Double(rng.next() % 1_000_003) / 7919 + 100 }
        let ref = ReferencePass(
            x: x, centroids: Array(x[0..<(shape.k * shape.d)]), mean: (0..<shape.d).map { 226 + Double($0) / 3 },
            weights: nil, n: shape.n, d: shape.d, k: shape.k)
        let (avx, portable) = updateOnBothInstructionSets(ref, x32: nil)
        #expect(avx.labels == portable.labels)
        #expect(avx.result.changed == portable.result.changed)
        #expect(avx.result.sums == portable.result.sums && avx.result.weights == portable.result.weights)
        let exact = ref.sums(labels: avx.labels) { i in Array(x[(i * shape.d)..<((i + 1) * shape.d)]) }.sums
        #expect(avx.result.sums == exact)
        // The Float pass groups at d = 32 (its window sums, added per cluster in row order): the portable bits too.
        let centred = ref.centred()
        let (avx32, portable32) = updateOnBothInstructionSets(centred, x32: centred.x.map { Float($0) })
        #expect(avx32.labels == portable32.labels)
        #expect(avx32.result.sums == portable32.result.sums && avx32.result.weights == portable32.result.weights)
    }

    @Test("AVX2 and portable C give the same labels and bitwise the same sums on real data")
    func instructionSetsAgree() throws {
        guard Self.instructionSets.count == 2 else { return }
        let (data, _) = try gaussianBlobs(centers: KMeansTests.blobCenters, perCluster: 250, spread: 2, seed: 9)
        let ref = ReferencePass(
            x: data.elements, centroids: Array(data.elements[0..<(9 * 3)]), mean: [1, 2, 3],
            weights: (0..<data.rows).map { 1 + Double($0 % 4) }, n: data.rows, d: 3, k: 9)
        let (avx, portable) = updateOnBothInstructionSets(ref, x32: nil)
        #expect(avx.labels == portable.labels)
        #expect(avx.result.sums == portable.result.sums && avx.result.weights == portable.result.weights)
        // Float passes (centred rows; 1,250 rows span five windows of Float partial sums), with and without weights.
        for weighted in [false, true] {
            let centred = ReferencePass(
                x: ref.x, centroids: ref.centroids, mean: ref.mean, weights: weighted ? ref.weights : nil, n: ref.n,
                d: 3, k: 9
            ).centred()
            let x32 = centred.x.map { Float($0) }
            let (avx32, portable32) = updateOnBothInstructionSets(centred, x32: x32)
            #expect(avx32.labels == portable32.labels, "weighted \(weighted)")
            #expect(
                avx32.result.sums == portable32.result.sums && avx32.result.weights == portable32.result.weights,
                "weighted \(weighted)")
            if !weighted {
                let windows = ReferencePass.windowSums(labels: avx32.labels, x32: x32, n: ref.n, d: 3, k: 9)
                #expect(avx32.result.sums == windows)
            }
        }
    }

    /// Each instruction set runs its own arithmetic: on a row exactly halfway between centroid 0 (the origin) and
    /// centroid 1 (2x), the portable multiply-then-add gives both the expanded value 0 (so the lower index wins),
    /// while the FMA chain keeps the product exact and sees centroid 1 smaller by the rounding of ‖c₁‖²
    /// (Float: x = 1 + 2⁻²³, −2⁻⁴⁴; Double: x = 1 + 2⁻⁵², −2⁻¹⁰²). A pass asked for portable C that ran the AVX2
    /// kernel would label these rows 1.
    @Test("each instruction set is the one asked for: FMA and multiply-add split an exact tie differently",
          arguments: [false, true])
    func instructionSetIsHonoured(single: Bool) {
        let x = single ? 1 + 0x1p-23 : 1 + 0x1p-52
        let n = 9  // one 8-row step and a tail
        let ref = ReferencePass(
            x: [Double](repeating: x, count: n), centroids: [0, 2 * x], mean: [0], weights: nil, n: n, d: 1, k: 2)
        let x32 = single ? ref.x.map { Float($0) } : nil
        for isa in Self.instructionSets {
            var labels = [Int32](repeating: -1, count: n)
            _ = kernelPass(ref, x32: x32, mode: .update, labels: &labels, isa: isa)
            let expected: Int32 = isa == .portable ? 0 : 1
            #expect(labels == [Int32](repeating: expected, count: n), "\(isa) float32 \(single)")
        }
    }

    @Test("a full Lloyd fit is identical on both instruction sets for blobs")
    func fitAgrees() throws {
        guard Self.instructionSets.count == 2 else { return }
        let (data, _) = try gaussianBlobs(centers: KMeansTests.blobCenters, perCluster: 300, spread: 1.5, seed: 21)
        let partition = ChunkPartition(rows: data.rows, maximumChunks: 8)
        let (mean, _) = KMeans.columnMoments(data, partition: partition, threads: 1)
        var initial = Array(data.elements[0..<(5 * 3)])
        for c in 0..<5 { for j in 0..<3 { initial[c * 3 + j] -= mean[j] } }
        var runs: [LloydRun] = []
        for isa in KernelInstructionSet.allCases {
            runs.append(KMeans.lloyd(
                data, weights: nil, mean: mean, initial: initial, k: 5, maxIterations: 50, tolerance: 0,
                partition: partition, threads: 2, instructionSet: isa))
        }
        #expect(runs[0].labels == runs[1].labels && runs[0].iterations == runs[1].iterations)
        for (p, q) in zip(runs[0].centroids, runs[1].centroids) { #expect(abs(p - q) <= 1e-12 * max(1, abs(p))) }
        #expect(abs(runs[0].inertia - runs[1].inertia) <= 1e-12 * runs[0].inertia)
        // float32: the same Float sums on both instruction sets, so bitwise the same centroids.
        let single = try #require(KMeans.centredSingleCopy(data, mean: mean))
        let singleRuns = KernelInstructionSet.allCases.map { isa in
            KMeans.lloyd(
                data, weights: nil, mean: mean, initial: initial, k: 5, maxIterations: 50, tolerance: 0,
                partition: partition, threads: 2, single: single, instructionSet: isa)
        }
        #expect(singleRuns[0].labels == singleRuns[1].labels && singleRuns[0].centroids == singleRuns[1].centroids)
        #expect(singleRuns[0].labels == runs[0].labels)
    }
}

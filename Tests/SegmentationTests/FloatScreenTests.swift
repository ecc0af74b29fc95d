import CAPMNumerics
import Testing
@testable import Segmentation

/// The Float screen of the Double pass (`capm_kmeans_pass_f64`) must not change a single bit: every pass with the
/// screen is compared with the same pass without it, on the same Double panel.
@Suite("Float screen of the Double pass")
struct FloatScreenTests {
    /// Shapes the screen runs on (k ≥ 32, k·d ≥ 512; odd group counts, d not a multiple of 4), N across the
    /// 4-row steps and 64-row batches.
    static let shapes: [KernelShape] = [
        KernelShape(n: 1, d: 16, k: 32), KernelShape(n: 3, d: 16, k: 33), KernelShape(n: 130, d: 17, k: 40),
        KernelShape(n: 600, d: 33, k: 33), KernelShape(n: 600, d: 16, k: 40), KernelShape(n: 257, d: 32, k: 64),
        KernelShape(n: 130, d: 4, k: 128), KernelShape(n: 300, d: 3, k: 200),
    ]

    /// Runs `ref` through update, final, assignment (and, unweighted, changes-only) passes with the screened panel
    /// of its centroids and with a plain panel of the same Double centroids; expects identical outputs. Returns the
    /// screened passes' fallbacks per pass.
    @discardableResult
    static func expectIdentical(_ ref: ReferencePass, isa: KernelInstructionSet, _ note: String) -> [Int] {
        let centred = ref.centroids.indices.map { ref.centroids[$0] - ref.mean[$0 % ref.d] }
        let screened = CentroidPanel(centred: centred, mean: ref.mean, k: ref.k, d: ref.d)
        let plain = CentroidPanel(centroids: screened.rowMajor, k: ref.k, d: ref.d)
        var fallbacks: [Int] = []
        // A changes-only pass (unweighted runs) moves the rows whose label is not 3 on entry.
        for mode in [PassMode.update, .final, .assign] + (ref.weights == nil ? [.changes] : []) {
            var a = [Int32](repeating: 3, count: ref.n)
            var b = a
            let withScreen = kernelPass(ref, x32: nil, mode: mode, labels: &a, isa: isa, panel: screened)
            let without = kernelPass(ref, x32: nil, mode: mode, labels: &b, isa: isa, panel: plain)
            #expect(a == b, "\(note) \(isa) \(mode): labels")
            #expect(withScreen.sums == without.sums && withScreen.weights == without.weights, "\(note) \(mode): sums")
            #expect(withScreen.changed == without.changed, "\(note) \(mode): changes")
            #expect(
                withScreen.inertia == without.inertia || (withScreen.inertia.isNaN && without.inertia.isNaN),
                "\(note) \(mode): inertia")
            #expect(without.fallbacks == 0)
            if isa == .portable { #expect(withScreen.fallbacks == 0) }
            fallbacks.append(withScreen.fallbacks)
        }
        return fallbacks
    }

    static func normalCase(_ shape: KernelShape, offset: Double, spread: Double, weighted: Bool, seed: UInt64)
        -> ReferencePass
    {
        var rng = Xoshiro256(seed: seed)
        let x = (0..<(shape.n * shape.d)).map { _ in offset + spread * rng.nextStandardNormal() }
        let centroids = (0..<(shape.k * shape.d)).map { _ in offset + spread * rng.nextStandardNormal() }
        let mean = (0..<shape.d).map { offset + spread * 0.01 * Double($0 % 5) }
        let weights = weighted ? (0..<shape.n).map { 0.5 + Double($0 % 3) } : nil
        return ReferencePass(x: x, centroids: centroids, mean: mean, weights: weights, n: shape.n, d: shape.d, k: shape.k)
    }

    @Test("real-valued data: identical with and without the screen, which decides nearly every row",
          arguments: shapes)
    func normalData(shape: KernelShape) {
        for isa in FusedKernelTests.instructionSets {
            for weighted in [false, true] {
                let ref = Self.normalCase(
                    shape, offset: 10, spread: 3, weighted: weighted, seed: UInt64(shape.n + shape.d * 7 + shape.k))
                let fallbacks = Self.expectIdentical(ref, isa: isa, "weighted \(weighted)")
                // The screen really ran: at most a few rows (near ties) went to the Double kernel.
                if isa == .avx2 { #expect(fallbacks.allSatisfy { $0 <= max(1, shape.n / 50) }, "\(fallbacks)") }
            }
        }
    }

    @Test("exact ties in integer data go to the Double kernel and keep the lowest index", arguments: [
        KernelShape(n: 130, d: 16, k: 33), KernelShape(n: 600, d: 33, k: 33),
    ])
    func integerTies(shape: KernelShape) {
        for isa in FusedKernelTests.instructionSets {
            let ref = FusedKernelTests.integerCase(shape, weighted: false, seed: UInt64(shape.d * 3 + shape.k))
            let fallbacks = Self.expectIdentical(ref, isa: isa, "integer")
            // The last centroid duplicates the first, so every row near centroid 0 ties: the screen must defer.
            if isa == .avx2 { #expect(fallbacks.allSatisfy { $0 > 0 }, "\(fallbacks)") }
        }
    }

    @Test("rows on the bisector of two centroids: undecidable in Float, decided by the Double kernel")
    func nearTies() {
        let d = 16, k = 32, n = 400
        var rng = Xoshiro256(seed: 5)
        var centroids = (0..<(k * d)).map { _ in 50 + 5 * rng.nextStandardNormal() }
        for j in 0..<d {
            centroids[j] = 0
            centroids[d + j] = 0
        }
        centroids[0] = 1
        centroids[d] = -1
        // Distances to centroids 0 and 1 differ by 4·x₀: x₀ from exact ties to well separated.
        let offsets: [Double] = [0, 1e-15, -1e-12, 1e-9, -1e-7, 1e-5, 1e-3, 0.5]
        var x: [Double] = []
        for i in 0..<n {
            x.append(offsets[i % offsets.count])
            for _ in 1..<d { x.append(0.1 * rng.nextStandardNormal()) }
        }
        let ref = ReferencePass(
            x: x, centroids: centroids, mean: [Double](repeating: 0.01, count: d), weights: nil, n: n, d: d, k: k)
        for isa in FusedKernelTests.instructionSets {
            let fallbacks = Self.expectIdentical(ref, isa: isa, "near ties")
            // At least the rows with |x₀| ≤ 1e-7 (five of every eight) cannot be told apart in Float.
            if isa == .avx2 { #expect(fallbacks.allSatisfy { $0 >= n * 5 / 8 }, "\(fallbacks)") }
        }
    }

    @Test("large offsets, values near the Float range and below it: identical", arguments: [
        (1e6, 1.0), (0.0, 1e-30), (0.0, 1e-42), (3.0, 1e25), (1e17, 1e3),
    ])
    func magnitudes(offset: Double, spread: Double) {
        let shape = KernelShape(n: 130, d: 16, k: 32)
        for isa in FusedKernelTests.instructionSets {
            let ref = Self.normalCase(shape, offset: offset, spread: spread, weighted: false, seed: 11)
            Self.expectIdentical(ref, isa: isa, "offset \(offset) spread \(spread)")
        }
    }

    @Test("a Lloyd fit where the screen runs matches the portable kernel, which has none")
    func lloydFit() throws {
        guard FusedKernelTests.instructionSets.count == 2 else { return }
        let ref = Self.normalCase(KernelShape(n: 3000, d: 16, k: 32), offset: 2, spread: 1, weighted: false, seed: 3)
        let data = try FeatureMatrix(rows: ref.n, columns: ref.d, elements: ref.x)
        let partition = ChunkPartition(rows: data.rows, maximumChunks: 8)
        let (mean, _) = KMeans.columnMoments(data, partition: partition, threads: 1)
        var initial = Array(data.elements[0..<(32 * 16)])
        for c in 0..<32 { for j in 0..<16 { initial[c * 16 + j] -= mean[j] } }
        let runs = KernelInstructionSet.allCases.map { isa in
            KMeans.lloyd(
                data, weights: nil, mean: mean, initial: initial, k: 32, maxIterations: 30, tolerance: 0,
                partition: partition, threads: 2, instructionSet: isa)
        }
        #expect(runs[0].labels == runs[1].labels && runs[0].iterations == runs[1].iterations)
        #expect(runs[0].centroids == runs[1].centroids && runs[0].inertia == runs[1].inertia)
    }
}

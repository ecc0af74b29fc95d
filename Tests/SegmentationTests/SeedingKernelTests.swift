import CAPMNumerics
import Foundation
import Testing
@testable import Segmentation

/// The k-means++ seeding passes in C against straightforward Swift: same bits on both instruction sets.
@Suite("k-means++ seeding passes")
struct SeedingKernelTests {
    static let instructionSets = KernelInstructionSet.allCases.filter(\.isAvailable)

    /// Rows, features, candidates (≤ 8), weighted: d covers the 4-feature blocks and their tails, N the 8-row
    /// steps and their tails.
    static let shapes: [(n: Int, d: Int, candidates: Int, weighted: Bool)] = [
        (1, 1, 1, false), (7, 3, 8, true), (8, 4, 5, false), (23, 5, 3, true), (64, 8, 8, false), (131, 17, 6, true),
        (200, 32, 2, false), (57, 33, 7, true),
    ]

    static func data(n: Int, d: Int, weighted: Bool, seed: UInt64) throws -> (FeatureMatrix, [Double]?) {
        var rng = Xoshiro256(seed: seed)
        let x = (0..<(n * d)).map { _ in 100 + 7 * rng.nextStandardNormal() }
        let w = weighted ? (0..<n).map { _ in rng.nextOpenUnit() * 3 } : nil
        return (try FeatureMatrix(rows: n, columns: d, elements: x), w)
    }

    /// Σⱼ (x_{ij} − x_{cj})² in feature order, multiply then add.
    static func distance(_ data: FeatureMatrix, row i: Int, to c: Int) -> Double {
        let d = data.columns
        var s = 0.0
        for j in 0..<d {
            let t = data.elements[i * d + j] - data.elements[c * d + j]
            s += t * t
        }
        return s
    }

    /// Reference: `min(old, new)`; Σ wᵢ·closest in row order.
    static func referenceUpdate(
        _ data: FeatureMatrix, weights: [Double]?, candidate: Int, closest: inout [Double], initialise: Bool
    ) -> Double {
        var sum = 0.0
        for i in 0..<data.rows {
            let s = distance(data, row: i, to: candidate)
            let v = initialise ? s : min(closest[i], s)
            closest[i] = v
            sum += (weights?[i] ?? 1) * v
        }
        return sum
    }

    /// Reference: per candidate Σᵢ wᵢ·(acc > closest ? closest : acc), acc in feature order.
    static func referencePotentials(
        _ data: FeatureMatrix, weights: [Double]?, candidates: [Int], closest: [Double]
    ) -> [Double] {
        candidates.map { candidate in
            var total = 0.0
            for i in 0..<data.rows {
                let acc = distance(data, row: i, to: candidate)
                total += (weights?[i] ?? 1) * (acc > closest[i] ? closest[i] : acc)
            }
            return total
        }
    }

    @Test("closest update and candidate potentials equal the scalar reference bit for bit",
          arguments: 0..<shapes.count)
    func matchesReference(shape index: Int) throws {
        let shape = Self.shapes[index]
        let (data, weights) = try Self.data(n: shape.n, d: shape.d, weighted: shape.weighted, seed: UInt64(index + 1))
        let partition = ChunkPartition(rows: shape.n, maximumChunks: 1)
        let candidates = (0..<shape.candidates).map { ($0 * 7 + 3) % shape.n }
        for isa in Self.instructionSets {
            var expected = [Double](repeating: 0, count: shape.n)
            var closest = expected
            var potential = [0.0]
            let first = Self.referenceUpdate(
                data, weights: weights, candidate: candidates[0], closest: &expected, initialise: true)
            KMeans.updateClosest(
                data, weights: weights, candidate: candidates[0], chunks: 0..<1, closest: &closest,
                chunkPotential: &potential,
                partition: partition, threads: 1, initialise: true, instructionSet: isa)
            #expect(closest == expected && potential[0] == first, "\(isa) initialise")

            var output = [Double](repeating: 0, count: 8)
            KMeans.candidatePotentials(
                data, weights: weights, candidates: candidates, closest: &closest, output: &output,
                partition: partition, threads: 1, instructionSet: isa)
            let reference = Self.referencePotentials(
                data, weights: weights, candidates: candidates, closest: closest)
            #expect(Array(output[0..<shape.candidates]) == reference, "\(isa) potentials")
            #expect(output[shape.candidates...].allSatisfy { $0 == .infinity })

            let last = candidates[shape.candidates - 1]
            let lowered = Self.referenceUpdate(
                data, weights: weights, candidate: last, closest: &expected, initialise: false)
            KMeans.updateClosest(
                data, weights: weights, candidate: last, chunks: 0..<1, closest: &closest,
                chunkPotential: &potential,
                partition: partition, threads: 1, initialise: false, instructionSet: isa)
            #expect(closest == expected && potential[0] == lowered, "\(isa) update")
        }
    }

    @Test("a candidate pass carrying the pending centroid equals the closest update followed by the candidate pass",
          arguments: 0..<shapes.count)
    func pendingUpdate(shape index: Int) throws {
        let shape = Self.shapes[index]
        let (data, weights) = try Self.data(n: shape.n, d: shape.d, weighted: shape.weighted, seed: UInt64(index + 11))
        let partition = ChunkPartition(rows: shape.n, maximumChunks: 1)
        // Up to 7 candidates beside the pending one: covers the 4-lane (≤ 3) and the 8-lane pass.
        let candidates = (0..<min(7, shape.candidates)).map { ($0 * 5 + 1) % shape.n }
        let pending = (shape.n - 1) / 2
        for isa in Self.instructionSets {
            var expected = [Double](repeating: 0, count: shape.n)
            var potential = [0.0]
            _ = Self.referenceUpdate(data, weights: weights, candidate: 0, closest: &expected, initialise: true)
            var closest = expected
            _ = Self.referenceUpdate(data, weights: weights, candidate: pending, closest: &expected, initialise: false)
            let reference = Self.referencePotentials(
                data, weights: weights, candidates: candidates, closest: expected)

            var output = [Double](repeating: 0, count: 8)
            KMeans.candidatePotentials(
                data, weights: weights, candidates: candidates, pending: pending, closest: &closest, output: &output,
                partition: partition, threads: 1, instructionSet: isa)
            #expect(closest == expected, "\(isa) lowered distances")
            #expect(Array(output[0..<candidates.count]) == reference, "\(isa) potentials")
            #expect(output[candidates.count...].allSatisfy { $0 == .infinity })

            // Lowering again (a chunk a draw already updated) changes nothing.
            KMeans.updateClosest(
                data, weights: weights, candidate: pending, chunks: 0..<1, closest: &closest,
                chunkPotential: &potential, partition: partition, threads: 1, initialise: false, instructionSet: isa)
            #expect(closest == expected, "\(isa) idempotent")
        }
    }

    /// The two-pass greedy k-means++: a closest update over all rows after every choice, the same draws.
    static func referenceSeeding(
        _ data: FeatureMatrix, weights: [Double]?, k: Int, partition: ChunkPartition, rng: inout Xoshiro256
    ) -> [Double] {
        let n = data.rows
        let d = data.columns
        let trials = 2 + Int(log(Double(k)))
        var closest = [Double](repeating: 0, count: n)
        var chunkPotential = [Double](repeating: 0, count: partition.count)
        let totalWeight = weights?.reduce(0, +) ?? Double(n)
        var chosen = [KMeans.sampleIndex(target: rng.nextOpenUnit() * totalWeight, n: n) { weights?[$0] ?? 1 }]
        KMeans.updateClosest(
            data, weights: weights, candidate: chosen[0], chunks: 0..<partition.count, closest: &closest,
            chunkPotential: &chunkPotential, partition: partition, threads: 1, initialise: true)
        var output = [Double](repeating: 0, count: partition.count * 8)
        for _ in 1..<k {
            let potential = chunkPotential.reduce(0, +)
            let candidates = (0..<trials).map { _ in
                let target = rng.nextOpenUnit() * potential
                let (chunk, before) = KMeans.chunkByPotential(target: target, chunkPotential: chunkPotential)
                return KMeans.sampleRow(
                    target: target, in: partition.range(chunk), before: before, closest: closest, weights: weights)
            }
            var best = (row: 0, potential: Double.infinity)
            KMeans.candidatePotentials(
                data, weights: weights, candidates: candidates, closest: &closest, output: &output,
                partition: partition, threads: 1)
            for (t, row) in candidates.enumerated() {
                let total = (0..<partition.count).reduce(0.0) { $0 + output[$1 * 8 + t] }
                if total < best.potential { best = (row, total) }
            }
            chosen.append(best.row)
            KMeans.updateClosest(
                data, weights: weights, candidate: best.row, chunks: 0..<partition.count, closest: &closest,
                chunkPotential: &chunkPotential, partition: partition, threads: 1, initialise: false)
        }
        return chosen.flatMap { data.elements[($0 * d)..<($0 * d + d)] }
    }

    @Test("one read per centroid (deferred closest update) picks what the two-pass k-means++ picks",
          arguments: [(3, false), (7, true), (8, false), (12, true), (40, false), (450, true)])
    func deferredUpdateMatchesTwoPass(k: Int, weighted: Bool) throws {
        let (data, weights) = try Self.data(n: 2_003, d: 5, weighted: weighted, seed: UInt64(k))
        let partition = ChunkPartition(rows: 2_003, maximumChunks: 16)
        var referenceRNG = Xoshiro256(seed: 17)
        let expected = Self.referenceSeeding(data, weights: weights, k: k, partition: partition, rng: &referenceRNG)
        var rng = Xoshiro256(seed: 17)
        let seeded = try KMeans.seedPlusPlus(
            data, weights: weights, k: k, partition: partition, threads: 2, rng: &rng)
        let mismatch = zip(seeded, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(
            seeded.count == expected.count && mismatch == nil,
            "first differing element: \(String(describing: mismatch))")
    }

    @Test("k-means++ picks the same centroids on both instruction sets and any thread count")
    func seedingAgrees() throws {
        let (data, _) = try Self.data(n: 3_001, d: 6, weighted: false, seed: 99)
        var seeds: [[Double]] = []
        for isa in Self.instructionSets {
            for threads in [1, 2] {
                var rng = Xoshiro256(seed: 5)
                seeds.append(
                    try KMeans.seedPlusPlus(
                        data, weights: nil, k: 9, partition: ChunkPartition(rows: 3_001, maximumChunks: 16),
                        threads: threads, rng: &rng, instructionSet: isa))
            }
        }
        #expect(seeds.allSatisfy { $0 == seeds[0] })
    }
}

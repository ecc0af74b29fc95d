import CAPMNumerics
import Testing
@testable import Segmentation

/// The silhouette's distance sums in C against the straightforward Swift loop: same bits on both instruction sets.
@Suite("silhouette distance sums")
struct SilhouetteKernelTests {
    static let instructionSets = KernelInstructionSet.allCases.filter(\.isAvailable)

    /// Sample rows, features, clusters, first row: m covers the 4-row blocks and their tails, d the odd counts.
    static let shapes: [(m: Int, d: Int, k: Int, first: Int)] = [
        (1, 1, 1, 0), (2, 3, 2, 1), (5, 7, 3, 0), (8, 4, 2, 3), (130, 33, 9, 17), (61, 32, 5, 60),
    ]

    /// Per row a of `range`: per cluster, Σ over b ascending of √(Σⱼ (aⱼ − bⱼ)²), multiply then add.
    static func reference(_ x: [Double], _ labels: [Int32], m: Int, d: Int, k: Int, range: Range<Int>) -> [Double] {
        var sums = [Double](repeating: 0, count: range.count * k)
        for a in range {
            for b in 0..<m {
                var s = 0.0
                for j in 0..<d {
                    let t = x[a * d + j] - x[b * d + j]
                    s += t * t
                }
                sums[(a - range.lowerBound) * k + Int(labels[b])] += s.squareRoot()
            }
        }
        return sums
    }

    /// The C kernel's sums for the rows of `range` (`labelings` × m slot indices), AVX2 from the feature-major blocks.
    static func kernelSums(
        _ x: [Double], blocks: [Double], slots: [Int32], labelings: Int, d: Int, width: Int, range: Range<Int>,
        isa: KernelInstructionSet
    ) -> [Double] {
        x.withUnsafeBufferPointer { xb in
            blocks.withUnsafeBufferPointer { bb in
                slots.withUnsafeBufferPointer { sb in
                    ClusterMetrics.distanceSums(
                        xb.baseAddress!, blocks: isa == .avx2 ? bb.baseAddress : nil, slots: sb.baseAddress!,
                        labelings: labelings, rows: x.count / d, columns: d, width: width, of: range,
                        instructionSet: isa)
                }
            }
        }
    }

    @Test("each row's per-cluster distance sums equal the scalar loop bit for bit", arguments: shapes.indices)
    func sumsMatchReference(shape index: Int) {
        let (m, d, k, first) = Self.shapes[index]
        var rng = Xoshiro256(seed: UInt64(31 + index))
        let x = (0..<(m * d)).map { _ in 50 + 9 * rng.nextStandardNormal() }
        let labels = (0..<m).map { Int32($0 * 7 % k) }
        let range = first..<m
        let expected = Self.reference(x, labels, m: m, d: d, k: k, range: range)
        let blocks = DistanceKernels.featureMajorBlocks(x, rows: m, columns: d)
        for isa in Self.instructionSets {
            let sums = Self.kernelSums(
                x, blocks: blocks, slots: labels, labelings: 1, d: d, width: k, range: range, isa: isa)
            #expect(sums == expected, "\(isa)")
        }
    }

    @Test("several clusterings in one pass: each one's sums are those of a pass of its own",
          arguments: shapes.indices)
    func clusteringsShareThePass(shape index: Int) {
        let (m, d, k, first) = Self.shapes[index]
        var rng = Xoshiro256(seed: UInt64(77 + index))
        let x = (0..<(m * d)).map { _ in 20 + 3 * rng.nextStandardNormal() }
        // Three clusterings with k, k + 2 and 2 clusters; slots offset by the clusters before each.
        let counts = [k, k + 2, 2]
        let labelings = counts.enumerated().map { q, count in (0..<m).map { Int32(($0 * (5 + q) + q) % count) } }
        let offsets = [0, k, 2 * k + 2]
        let width = counts.reduce(0, +)
        let slots = (0..<3).flatMap { q in labelings[q].map { $0 + Int32(offsets[q]) } }
        let range = first..<m
        let blocks = DistanceKernels.featureMajorBlocks(x, rows: m, columns: d)
        for isa in Self.instructionSets {
            let sums = Self.kernelSums(
                x, blocks: blocks, slots: slots, labelings: 3, d: d, width: width, range: range, isa: isa)
            for q in 0..<3 {
                let expected = Self.reference(x, labelings[q], m: m, d: d, k: counts[q], range: range)
                let got = (0..<range.count).flatMap { r in
                    sums[(r * width + offsets[q])..<(r * width + offsets[q] + counts[q])]
                }
                #expect(got == expected, "\(isa) clustering \(q)")
            }
        }
    }
}

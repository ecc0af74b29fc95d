import CAPMNumerics
import CKMeansKernels
import Testing
@testable import Segmentation

/// Hamerly's full search in C against the scalar Swift loop it replaced: the same bits on both instruction sets.
@Suite("nearest two centroids")
struct NearestTwoKernelTests {
    static let instructionSets = KernelInstructionSet.allCases.filter(\.isAvailable)

    /// (d, k): k covers one centroid, the 4-centroid blocks, the 8-centroid steps and their tails.
    static let shapes: [(d: Int, k: Int)] = [(1, 1), (3, 2), (8, 5), (2, 8), (33, 9), (7, 13), (16, 32)]

    /// The loop of `KMeans.hamerlyPass` before it moved to C.
    static func reference(_ x: [Double], _ centroids: [Double], k: Int, d: Int) -> (index: Int, best: Double, second: Double) {
        var best = Double.infinity
        var second = Double.infinity
        var bestIndex = 0
        for c in 0..<k {
            var t2 = 0.0
            for j in 0..<d {
                let t = x[j] - centroids[c * d + j]
                t2 += t * t
            }
            if t2 < best {
                second = best
                best = t2
                bestIndex = c
            } else if t2 < second {
                second = t2
            }
        }
        return (bestIndex, best, second)
    }

    @Test("index, best and second equal the scalar loop bit for bit (real data and exact ties)", arguments: shapes.indices)
    func matchesScalarLoop(shape index: Int) {
        let (d, k) = Self.shapes[index]
        var rng = Xoshiro256(seed: UInt64(100 + index))
        for integer in [false, true] {
            // Integer values in 0…2 make exact ties between centroids common; the lower index must win.
            let draw = { (rng: inout Xoshiro256) -> Double in
                integer ? Double(rng.next() % 3) : 20 + 5 * rng.nextStandardNormal()
            }
            let centroids = (0..<(k * d)).map { _ in draw(&rng) }
            let blocks = DistanceKernels.featureMajorBlocks(centroids, rows: k, columns: d)
            for _ in 0..<40 {
                let x = (0..<d).map { _ in draw(&rng) }
                let expected = Self.reference(x, centroids, k: k, d: d)
                for isa in Self.instructionSets {
                    let got = x.withUnsafeBufferPointer { xb in
                        centroids.withUnsafeBufferPointer { cb in
                            blocks.withUnsafeBufferPointer { bb in
                                capm_kmeans_nearest_two(
                                    xb.baseAddress, cb.baseAddress, isa == .avx2 ? bb.baseAddress : nil, k, d, isa.c)
                            }
                        }
                    }
                    #expect(Int(got.index) == expected.index, "\(isa) integer \(integer)")
                    #expect(got.best == expected.best && got.second == expected.second, "\(isa) integer \(integer)")
                }
            }
        }
    }
}

import CKMeansKernels
import Testing
@testable import Segmentation

/// The AVX-512VL copy of the Float 8 × 8 pass (k ≤ 8 below d = 24) must give what its AVX2 twin gives, bit for bit.
@Suite("AVX-512VL copy of the Float pass")
struct AVX512CopyTests {
    /// k ≤ 8 and d < 24 (the copy's shapes), N across several 64-row batches and a short last one.
    static let shapes = [3, 8, 12, 16, 17].flatMap { d in [1, 5, 8].map { k in KernelShape(n: 130 + 97 * (d % 3), d: d, k: k) } }

    @Test("update and changes-only passes: the same labels, sums and changes as the AVX2 pass", arguments: shapes)
    func sameAsAVX2(shape: KernelShape) {
        guard capm_kmeans_avx512vl_available() == 1 else { return }
        defer { capm_kmeans_allow_avx512(1) }
        let ref = ChangesPassTests.randomCase(shape, seed: UInt64(shape.d * 100 + shape.k)).centred()
        let x32 = ref.x.map { Float($0) }
        for mode in [PassMode.update, .changes, .assign] {
            var outputs: [(labels: [Int32], result: (changed: Int, inertia: Double, sums: [Double], weights: [Double], fallbacks: Int))] = []
            for allowed in [Int32(1), 0] {
                capm_kmeans_allow_avx512(allowed)
                // Labels on entry: every row in cluster (i mod k), so that a changes-only pass moves most rows.
                var labels = (0..<ref.n).map { Int32($0 % ref.k) }
                let result = kernelPass(ref, x32: x32, mode: mode, labels: &labels, isa: .avx2)
                outputs.append((labels, result))
            }
            #expect(outputs[0].labels == outputs[1].labels, "\(mode): labels")
            #expect(outputs[0].result.sums == outputs[1].result.sums, "\(mode): sums")
            #expect(outputs[0].result.weights == outputs[1].result.weights, "\(mode): weights")
            #expect(outputs[0].result.changed == outputs[1].result.changed, "\(mode): changes")
        }
    }
}

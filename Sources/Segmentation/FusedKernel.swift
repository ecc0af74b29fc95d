import CKMeansKernels

/// Instruction set of the fused pass.
enum KernelInstructionSet: Sendable, CaseIterable, CustomStringConvertible {
    /// Plain C (any CPU).
    case portable
    /// AVX2 + FMA micro-kernel (x86-64 with AVX2, FMA and OS support for the YMM state; degrades to portable C
    /// elsewhere).
    case avx2

    /// The fastest set this CPU runs, from cpuid (once per process).
    static let best: KernelInstructionSet = capm_kmeans_avx2_available() != 0 ? .avx2 : .portable

    /// Whether this CPU runs the set itself (portable: always).
    var isAvailable: Bool { self == .portable || capm_kmeans_avx2_available() != 0 }

    var c: capm_kmeans_isa { self == .avx2 ? CAPM_KMEANS_ISA_AVX2 : CAPM_KMEANS_ISA_PORTABLE }

    var description: String { self == .avx2 ? "avx2" : "portable" }
}

/// The rows a fused pass reads: Double, or (update passes in single precision) Float rows already centred, x − μ,
/// read with a panel of centred centroids.
enum KernelRows {
    case double(UnsafePointer<Double>)
    case float(UnsafePointer<Float>)
}

/// One call of the C fused pass (`capm_kmeans_pass_f64` / `_f32`, see `Sources/CKMeansKernels`) over `rows`
/// consecutive rows: each row's nearest centroid by ‖c‖² − 2·x·c (ties to the lowest index) is stored in `labels`,
/// then, by `mode`, the row's centred features wᵢ(xᵢ − μ) and weight are added to `sums`/`clusterWeights`
/// (``PassMode/update``, row order) — or, for a row whose label changes, moved from its previous cluster's sums to
/// the new one's (``PassMode/changes``) — or wᵢ‖xᵢ − c‖² (difference form, c from `panel.rowMajor`) to the returned
/// inertia (``PassMode/final``), or nothing more (``PassMode/assign``). A Double pass whose panel has a
/// ``FloatScreen`` lets the kernel find the labels through it where that measured faster (same labels).
///
/// Raw pointers: this is the hot loop of every Lloyd iteration, called once per chunk by
/// ``KMeans/fusedPass(_:weights:mean:panel:labels:partials:mode:partition:threads:single:instructionSet:)``.
///
/// - Returns: the number of rows whose label changed, the inertia (final passes; 0 otherwise) and the rows the
///   Float screen left to the Double kernel.
/// - Complexity: O(rows·k·d).
func runFusedKernel(
    rows: Int, x: KernelRows, panel: CentroidPanel, mean: UnsafePointer<Double>, weights: UnsafePointer<Double>?,
    labels: UnsafeMutablePointer<Int32>, sums: UnsafeMutablePointer<Double>?,
    clusterWeights: UnsafeMutablePointer<Double>?, mode: PassMode, instructionSet: KernelInstructionSet
) -> (changed: Int, inertia: Double, fallbacks: Int) {
    var pass = capm_kmeans_pass()
    pass.rows = rows
    pass.d = panel.d
    pass.k = panel.k
    pass.mean = mean
    pass.weights = weights
    pass.labels = labels
    if mode.updatesSums {
        pass.sums = sums
        pass.cluster_weights = clusterWeights
        pass.changes_only = mode == .changes ? 1 : 0
    }
    let screen = panel.screen?.expanded32 ?? []
    let result: capm_kmeans_result = panel.expanded.withUnsafeBufferPointer { p64 in
        panel.expanded32.withUnsafeBufferPointer { p32 in
            panel.rowMajor.withUnsafeBufferPointer { centroids in
                screen.withUnsafeBufferPointer { s32 in
                    pass.panel64 = p64.baseAddress
                    pass.panel32 = p32.baseAddress
                    pass.centroids = mode == .final ? centroids.baseAddress : nil
                    switch x {
                    case .double(let p):
                        pass.x64 = p
                        if let floatScreen = panel.screen {
                            pass.screen32 = s32.baseAddress
                            pass.screen_centred_norm = floatScreen.centredNorm
                            pass.screen_norm = floatScreen.norm
                            pass.screen_mean_norm = floatScreen.meanNorm
                        }
                        return capm_kmeans_pass_f64(&pass, instructionSet.c)
                    case .float(let p):
                        pass.x32 = p
                        guard mode.updatesSums && weights == nil else { return capm_kmeans_pass_f32(&pass, instructionSet.c) }
                        // The window's Float partial sums (k × d, zero on entry; the kernel leaves them zero).
                        return withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, panel.k * panel.d)) {
                            scratch in
                            scratch.initialize(repeating: 0)
                            pass.partial32 = scratch.baseAddress
                            return capm_kmeans_pass_f32(&pass, instructionSet.c)
                        }
                    }
                }
            }
        }
    }
    return (Int(result.changed), result.inertia, Int(result.fallbacks))
}

// swift-tools-version: 6.0
//
// CAPM: customer asset portfolio management.
// Module graph (lower layers never import higher ones; see Docs/architecture.md):
//
//   CLapack (system library: OpenBLAS + LAPACKE)
//     └─ CAPMNumerics   dense matrices, BLAS/LAPACK, seeded random numbers
//          └─ CAPMData  CSV reader, .npy files, atomic writes, transaction logs
//               ├─ CustomerValue      lifetime-value engine (RFM, BG/NBD, Pareto/NBD, Gamma-Gamma, sBG, simulation)
//               ├─ Segmentation       k-means, model selection, CAPM segment profiles
//               │    └─ CKMeansKernels  C: fused Lloyd pass, k-means++, Hamerly search and silhouette passes (AVX2 + FMA chosen at run time via cpuid, portable C)
//               ├─ Journey            journey funnel, moments of truth by value at stake, experience gaps
//               └─ LinearProgramming  LP model, MPS files, dual simplex with duals and ranging
//                    └─ Allocation    budget over segments × moments of truth (plans in YAML/JSON)
//   Pipeline        SegmentRun: transactions → values → segments → allocation → output directory (capm run)
//     └─ CSHA256    C: SHA-256 blocks on the x86 SHA extensions, used when cpuid reports them (run.json checksums)
//   Report          self-contained HTML report of a run directory, own SVG charts (capm report)
//   CAPM            umbrella library re-exporting every engine
//   capm            command-line tool (CAPMCommand target)
import PackageDescription

let package = Package(
    name: "CAPM",
    products: [
        .library(name: "CAPM", targets: ["CAPM"]),
        .executable(name: "capm", targets: ["CAPMCommand"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLapack",
            path: "Sources/CLapack",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapack-dev", "liblapacke-dev"])]
        ),
        .target(name: "CAPMNumerics", dependencies: ["CLapack"]),
        .target(name: "CAPMData", dependencies: ["CAPMNumerics"]),
        .target(name: "CustomerValue", dependencies: ["CAPMNumerics", "CAPMData"]),
        // Fused Lloyd pass of k-means: AVX2 + FMA when cpuid reports them (checked at run time; no build flags).
        .target(name: "CKMeansKernels", path: "Sources/CKMeansKernels"),
        .target(name: "Segmentation", dependencies: ["CAPMNumerics", "CAPMData", "CKMeansKernels"]),
        .target(name: "LinearProgramming", dependencies: ["CAPMNumerics", "CAPMData"]),
        .target(
            name: "Allocation",
            dependencies: [
                "CAPMNumerics", "CAPMData", "LinearProgramming", "Segmentation",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(name: "Journey", dependencies: ["CAPMNumerics", "CAPMData"]),
        // SHA-256 blocks on the x86 SHA extensions when the CPU has them (checked at run time; no build flags).
        .target(name: "CSHA256", path: "Sources/CSHA256"),
        .target(
            name: "Pipeline",
            dependencies: [
                "CAPMNumerics", "CAPMData", "CustomerValue", "Segmentation", "Allocation", "Journey", "CSHA256",
                .product(name: "Yams", package: "Yams"),
            ]),
        .target(name: "Report", dependencies: ["CAPMNumerics", "CAPMData", "Segmentation", "Allocation", "Journey"]),
        .target(name: "CAPM", dependencies: ["CAPMNumerics", "CAPMData", "CustomerValue", "Segmentation", "LinearProgramming", "Allocation", "Journey", "Pipeline", "Report"]),
        .executableTarget(
            name: "CAPMCommand",
            dependencies: [
                "CAPM",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "CAPMNumericsTests", dependencies: ["CAPMNumerics"]),
        .testTarget(name: "CAPMDataTests", dependencies: ["CAPMData"]),
        .testTarget(name: "CustomerValueTests", dependencies: ["CustomerValue"]),
        .testTarget(name: "SegmentationTests", dependencies: ["Segmentation"]),
        .testTarget(name: "LinearProgrammingTests", dependencies: ["LinearProgramming"]),
        .testTarget(name: "AllocationTests", dependencies: ["Allocation"]),
        .testTarget(name: "JourneyTests", dependencies: ["Journey"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline"]),
        .testTarget(name: "CAPMCommandTests", dependencies: ["CAPMCommand"]),
        .testTarget(name: "ReportTests", dependencies: ["Report"], exclude: ["Fixtures", "render-check.sh"]),
    ],
    swiftLanguageModes: [.v6]
)

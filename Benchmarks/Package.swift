// swift-tools-version: 6.1
//
// CAPM's benchmarks, a package of their own so the root build and `swift test` stay lean.
//   cd Benchmarks && swift package benchmark                     # package-benchmark suites
//   cd Benchmarks && swift run -c release csv-compare FILE.csv   # CSV readers side by side
import Foundation
import PackageDescription

// SwiftPM names a path dependency by its folder, and CI clones into a folder of any name: derive it.
let rootPackage = Context.packageDirectory.split(separator: "/").dropLast().last.map(String.init) ?? "main"

let package = Package(
    name: "CAPMBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: "../"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
    ],
    targets: [
        .executableTarget(
            name: "CSVCompare",
            dependencies: [
                .product(name: "CAPM", package: rootPackage),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
            ],
            path: "Sources/CSVCompare"
        ),
    ]
)

// One package-benchmark executable per suite folder under Benchmarks/.
for suite in ["CSVReading", "Simulation", "LinearAlgebra", "SegmentRunSteps"] {
    package.targets.append(
        .executableTarget(
            name: suite,
            dependencies: [
                .product(name: "CAPM", package: rootPackage),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/\(suite)",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ))
}

// The executable is called csv-compare on the command line.
package.products = [.executable(name: "csv-compare", targets: ["CSVCompare"])]

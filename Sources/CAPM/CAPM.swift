// The umbrella module: `import CAPM` brings in every layer of the library.
//
// A finance or marketing tool adds one line to its Package.swift,
//   .product(name: "CAPM", package: "capm")
// and one import. See README.md and Docs/architecture.md.
@_exported import CAPMData
@_exported import CAPMNumerics
@_exported import LinearProgramming
// engines are added here as they land

// The umbrella module: `import CAPM` brings in every layer of the library.
//
// A finance or marketing tool adds one line to its Package.swift,
//   .product(name: "CAPM", package: "capm")
// and one import. See README.md and Docs/architecture.md.
@_exported import Allocation
@_exported import CAPMData
@_exported import CAPMNumerics
@_exported import CustomerValue
@_exported import Journey
@_exported import LinearProgramming
@_exported import Report
@_exported import Segmentation
@_exported import Pipeline

import Foundation

/// A file a caller adds to a run's output directory, made from the files written before it: written after every
/// other output and before `run.json`, so `run.json` lists it with its size and SHA-256 — e.g. `report.html` of
/// `capm run --report`. Written atomically like every output.
public struct ExtraOutput: Sendable {
    /// File name inside the output directory (not one of ``SegmentRunResult/outputNames``, no `/`, not hidden).
    public var name: String
    /// Makes the bytes from the output directory (every other file written, `run.json` absent) and the text of
    /// `run.json` as it stands before this file is added (the `write` timing not yet final). A thrown error fails the
    /// `write` step as ``PipelineError/extraOutput(name:reason:)``.
    public var make: @Sendable (_ directory: URL, _ manifest: String) throws -> [UInt8]

    /// An extra output named `name`, made by `make`.
    public init(name: String, make: @escaping @Sendable (_ directory: URL, _ manifest: String) throws -> [UInt8]) {
        self.name = name
        self.make = make
    }

    /// - Throws: ``PipelineError/invalidParameter(name:value:reason:)`` for a name that is empty, hidden, holds a `/`
    ///   or is one of the run's own outputs.
    func validate() throws(PipelineError) {
        guard !name.isEmpty, !name.hasPrefix("."), !name.contains("/"), !SegmentRunResult.outputNames.contains(name) else {
            throw .invalidParameter(
                name: "extra output", value: name,
                reason: "must be a plain file name, not hidden, and not one of \(SegmentRunResult.outputNames.joined(separator: ", "))")
        }
    }
}

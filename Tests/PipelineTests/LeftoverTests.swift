import Allocation
import CAPMData
import CustomerValue
import Foundation
import Testing

@testable import Pipeline

/// Summary files whose BG/NBD likelihood has its supremum at the edge of the parameter space.
enum BoundaryData {
    /// Writes `rows` customers `(frequency, recency, T)` as an RFM summary file in `dir`.
    static func summary(_ rows: [(Int, Double, Double)], in dir: URL, name: String) throws -> URL {
        var text = "customer_id,frequency,recency,T,monetary_value\n"
        for (i, (x, r, t)) in rows.enumerated() {
            text += "c\(i),\(x),\(r),\(t),\(x > 0 ? 10 + (i * 7) % 41 : 0)\n"
        }
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Nobody drops out (every last purchase within 0.05 weeks of T): the fit runs to a → 0.
    static func noDropout(in dir: URL) throws -> URL {
        var rows: [(Int, Double, Double)] = []
        for i in 0..<600 {
            let t = 20 + Double(i % 33)
            rows.append((1 + i % 9, t - 0.01 * Double(i % 5), t))
        }
        return try summary(rows, in: dir, name: "no-dropout.csv")
    }

    /// Everybody stops right after the first weeks, with a common dropout probability: a, b → ∞, and the predictions
    /// at the estimates cannot be evaluated.
    static func earlyDeaths(in dir: URL) throws -> URL {
        var rows: [(Int, Double, Double)] = []
        for i in 0..<600 {
            let recency = 0.5 + Double(i * 13 % 16) / 10
            rows.append((1 + i % 30, recency, 52))
        }
        return try summary(rows, in: dir, name: "early-deaths.csv")
    }

    static func run(_ url: URL, output: URL?) -> SegmentRun {
        var run = SegmentRun(
            input: .summary(url), plan: .file(Fixtures.example("plan.yaml")), budget: 250_000, outputDirectory: output)
        run.clusterCount = .fixed(2)
        run.silhouetteSample = 200
        run.sweep = SegmentRun.Sweep(fromFactor: 0.5, toFactor: 1.5, steps: 3)
        return run
    }
}

@Suite("Segment run: fits at the boundary of the parameter space")
struct BoundaryFitTests {
    /// A fit that stalls with a → 0 is used with a warning in the result, run.json and summary.txt.
    @Test func stalledFitAtTheEdgeIsUsedWithAWarning() throws {
        let dir = try Fixtures.scratch("boundary")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let result = try BoundaryData.run(try BoundaryData.noDropout(in: dir), output: out).run()
        let fit = try #require(result.fits.first)
        #expect(!fit.converged && fit.status == .lineSearchFailed)
        let a = try #require(fit.parameter("a"))
        #expect(a < FitCheck.edge)
        #expect(result.warnings.count >= 1)
        #expect(result.warnings[0].hasPrefix("bgnbd: the fit ran to the edge of the parameter space"))
        #expect(result.predictions.lifetimeValue.allSatisfy { $0.isFinite })
        // No dropout: everybody is alive.
        #expect(result.predictions.probabilityAlive.allSatisfy { $0 > 0.999 })
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("run.json")))
        let object = try #require(manifest as? [String: Any])
        #expect((object["warnings"] as? [String]) == result.warnings)
        let fits = try #require(object["fits"] as? [[String: Any]])
        #expect(fits[0]["status"] as? String == "lineSearchFailed" && fits[0]["converged"] as? Bool == false)
        let summary = try String(contentsOf: out.appendingPathComponent("summary.txt"), encoding: .utf8)
        #expect(summary.contains("  warning: bgnbd: the fit ran to the edge of the parameter space"))
    }

    /// A boundary fit whose predictions cannot be evaluated stops in `predict` with a typed error naming the model,
    /// its estimates and the customer; nothing is written.
    @Test func boundaryFitWithoutUsablePredictionsFailsWithATypedError() throws {
        let dir = try Fixtures.scratch("boundary-fail")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let error = try #require(throws: PipelineError.self) {
            try BoundaryData.run(try BoundaryData.earlyDeaths(in: dir), output: out).run()
        }
        guard case .fitAtBoundary(let step, let model, let parameters, let reason) = error else {
            Issue.record("expected fitAtBoundary, got \(error)")
            return
        }
        #expect(step == .predict && model == "bgnbd")
        #expect(parameters.hasPrefix("r = ") && parameters.contains("a = "))
        #expect(reason.contains("customer c0"))
        #expect(error.description.hasPrefix("step predict: bgnbd: the fit ran to the edge of the parameter space (r = "))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    /// The classification itself: converged, converged without standard errors, at the edge, failed.
    @Test func fitClassification() {
        func fit(_ parameters: [Double], status: BFGSMinimizer.Status, positiveDefinite: Bool = true, ll: Double = -10)
            -> FitCheck
        {
            FitCheck(
                model: "bgnbd", parameterNames: ["r", "alpha", "a", "b"], parameters: parameters, status: status,
                iterations: 30, gradientNorm: 1e-7, logLikelihood: ll, hessianPositiveDefinite: positiveDefinite)
        }
        #expect((fit([1, 2, 3, 4], status: .converged)) == .converged)
        guard case .convergedWithoutStandardErrors(let text) = (fit([1, 2, 1e-9, 4], status: .converged, positiveDefinite: false))
        else {
            Issue.record("expected a warning")
            return
        }
        #expect(text.contains("a at the edge"))
        guard case .atBoundary = (fit([1, 2, 1e-9, 4e7], status: .lineSearchFailed)) else {
            Issue.record("expected atBoundary")
            return
        }
        // Not at an edge, a non-finite likelihood, or a bad start: the step fails.
        #expect((fit([1, 2, 3, 4], status: .lineSearchFailed)) == .failed)
        #expect((fit([1, 2, 1e-9, 4], status: .iterationLimit, ll: -.infinity)) == .failed)
        #expect((fit([1, 2, 1e-9, 4], status: .nonFiniteStart)) == .failed)
    }
}

@Suite("Segment run: extra outputs (report.html) listed in run.json")
struct ExtraOutputTests {
    /// An extra file is written after summary.txt and before run.json, sees the manifest without itself, and is
    /// listed in run.json with its size and SHA-256.
    @Test func extraOutputIsListedWithSizeAndChecksum() throws {
        let dir = try Fixtures.scratch("extra")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let extra = ExtraOutput(name: "report.html") { directory, manifest in
            // Everything else is there, run.json is not yet.
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            guard names.contains("summary.txt"), !names.contains("run.json"), !manifest.contains("report.html") else {
                throw OutputError.writeFailed(path: "report.html", reason: "unexpected state: \(names.sorted())")
            }
            return Array("<html>\(manifest.utf8.count)</html>\n".utf8)
        }
        let result = try Fixtures.exampleRun(output: out).run(extraOutputs: [extra])
        #expect(result.outputs.map(\.name).last == "report.html")
        let bytes = try Data(contentsOf: out.appendingPathComponent("report.html"))
        let listed = try #require(result.outputs.first { $0.name == "report.html" })
        #expect(listed.bytes == bytes.count)
        var hasher = SHA256()
        hasher.update(Array(bytes))
        #expect(listed.sha256 == SHA256.hexString(hasher.finalize()))
        let manifest = try String(contentsOf: out.appendingPathComponent("run.json"), encoding: .utf8)
        #expect(manifest.contains("\"name\" : \"report.html\""))
        #expect(manifest.contains(listed.sha256))
    }

    /// A failing extra output fails the write step, names the file, and leaves no run.json.
    @Test func failingExtraOutputFailsTheWriteStep() throws {
        let dir = try Fixtures.scratch("extra-fail")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let extra = ExtraOutput(name: "report.html") { _, _ in
            throw OutputError.writeFailed(path: "report.html", reason: "no")
        }
        let error = try #require(throws: PipelineError.self) { try Fixtures.exampleRun(output: out).run(extraOutputs: [extra]) }
        #expect(error.step == .write && error.description.hasPrefix("step write: report.html: "))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("run.json").path))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("report.html").path))
    }

    @Test(arguments: ["", ".hidden", "a/b", "run.json", "customers.csv"])
    func badExtraOutputNamesAreRejected(name: String) {
        let extra = ExtraOutput(name: name) { _, _ in [] }
        #expect(throws: PipelineError.self) { try Fixtures.exampleRun(output: nil).run(extraOutputs: [extra]) }
    }
}

@Suite("Segment run: plan errors point at the user's plan entry")
struct PlanErrorMappingTests {
    /// The bundled plan with `edit` applied, written to `dir`; returns its URL and text.
    static func plan(in dir: URL, _ edit: (String) -> String) throws -> (url: URL, lines: [Substring]) {
        let text = edit(try String(contentsOf: Fixtures.example("plan.yaml"), encoding: .utf8))
        let url = dir.appendingPathComponent("plan.yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return (url, text.split(separator: "\n", omittingEmptySubsequences: false))
    }

    /// The 1-based line of the first line containing `needle`.
    static func line(of needle: String, in lines: [Substring]) throws -> Int {
        try #require(lines.firstIndex { $0.contains(needle) }) + 1
    }

    /// An unlabelled segment (the 5th of the file, after four labelled ones the segmentation replaces) with a bad
    /// value: the error names `segments[4]` and its line, not the effective plan's index.
    @Test func unlabelledSegmentErrorNamesTheFileEntry() throws {
        let dir = try Fixtures.scratch("plan-map")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (url, lines) = try Self.plan(in: dir) { $0.replacingOccurrences(of: "retention: 0.55", with: "retention: 1.5") }
        var run = Fixtures.exampleRun(output: nil, k: 3)
        run.plan = .file(url)
        let error = try #require(throws: PipelineError.self) { try run.run() }
        let line = try Self.line(of: "id: prospects", in: lines)
        #expect(error.step == .allocate)
        #expect(error.description.hasPrefix("step allocate: \(url.path):\(line):"))
        #expect(error.description.hasSuffix("segments[4].retention: retention must be in [0, 1)"))
    }

    /// An explicit cell of a labelled segment is dropped; a later cell's error keeps the file's cell index and line.
    @Test func cellErrorAfterADroppedCellNamesTheFileEntry() throws {
        let dir = try Fixtures.scratch("plan-map-cells")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (url, lines) = try Self.plan(in: dir) { text in
            text.replacingOccurrences(
                of: "cells:\n",
                with: "cells:\n  - {segment: champions, moment: discover, channel: social, current: 10,\n"
                    + "     response: {saturating: {max_uplift: 100, scale: 50}}}\n")
                .replacingOccurrences(of: "current: 48400,", with: "current: 48400, min: 900000,")
        }
        var run = Fixtures.exampleRun(output: nil, k: 3)
        run.plan = .file(url)
        let error = try #require(throws: PipelineError.self) { try run.run() }
        let line = try Self.line(of: "min: 900000", in: lines)
        #expect(error.description.hasPrefix("step allocate: \(url.path):\(line):"))
        #expect(error.description.contains(" cells[1].min: min 900,000 exceeds"))
    }

    @Test(arguments: ["segments[4].retention", "cells[12].response.breakpoints[3]", "budget.amount", "constraints[0]"])
    func keyPathsRoundTrip(path: String) {
        #expect(EffectivePlanMap.render(EffectivePlanMap.components(path)) == path)
    }
}

import Foundation
import Testing

@testable import Report

@Suite("RunReport on the fixture run directory")
struct RunReportTests {
    static let report: RunReport? = try? RunReport.load(runDirectory: Fixture.directory)

    func loaded() throws -> RunReport { try #require(Self.report) }

    @Test("the page is well-formed HTML with quoted attributes")
    func wellFormed() throws {
        let html = try loaded().html()
        let check = HTMLChecker(html)
        #expect(check.errors.isEmpty, "\(check.errors.prefix(5))")
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect((check.counts["svg"] ?? 0) >= 8)
    }

    @Test("every section of the issue is there, by id", arguments: RunReport.sectionIDs)
    func section(_ id: String) throws {
        let check = HTMLChecker(try loaded().html())
        #expect(check.ids.contains(id))
        #expect(check.elements.contains { $0.tag == "section" && $0.attributes["id"] == id })
    }

    @Test("the fixture's page has every chart: histogram, Lorenz, map, funnel, bars, heat map, curves, sweep")
    func charts() throws {
        let check = HTMLChecker(try loaded().html())
        for id in ["clv-histogram", "lorenz", "portfolio-map", "funnel", "moments", "cell-bars", "heatmap", "response-curves", "sweep"] {
            #expect(check.ids.contains(id), "missing \(id)")
        }
    }

    /// `data-value` of the headline figure `kpi-<id>`.
    func headline(_ id: String, in check: HTMLChecker) -> Double? {
        check.elements.first { $0.attributes["id"] == "kpi-" + id }.flatMap { $0.attributes["data-value"] }.flatMap(Double.init)
    }

    @Test("headline numbers equal the values in segments.json and allocation.json")
    func headlineNumbers() throws {
        let check = HTMLChecker(try loaded().html())
        let allocationText = try String(contentsOf: Fixture.directory.appendingPathComponent("allocation.json"), encoding: .utf8)
        let segments = try Fixture.json("segments.json")
        func number(_ d: [String: Any], _ key: String) -> Double? { (d[key] as? NSNumber)?.doubleValue }
        let sizes = (segments["sizes"] as? [NSNumber])?.map(\.intValue) ?? []
        let profiles = segments["profiles"] as? [[String: Any]] ?? []
        let total = profiles.reduce(0.0) { $0 + (number($1, "totalCLV") ?? .nan) }
        #expect(headline("customers", in: check) == Double(sizes.reduce(0, +)))
        #expect(headline("segments", in: check) == number(segments, "k"))
        #expect(headline("total-clv", in: check) == total)
        #expect(headline("mean-clv", in: check) == total / Double(sizes.reduce(0, +)))
        // The literal numbers of allocation.json (pretty-printed, sorted keys: top-level keys are indented by
        // two spaces, the shadow price's by four), parsed with Double(_:) (correctly rounded).
        func literal(_ key: String, indent: Int) -> Double? {
            let prefix = String(repeating: " ", count: indent) + "\"\(key)\" : "
            guard let line = allocationText.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else { return nil }
            return Double(line.dropFirst(prefix.count).trimmingCharacters(in: CharacterSet(charactersIn: ", ")))
        }
        for (id, key) in [("budget", "budget"), ("uplift", "uplift"), ("roi", "roi"), ("uplift-vs-current", "upliftVsCurrent")] {
            let expected = try #require(literal(key, indent: 2))
            #expect(headline(id, in: check) == expected, "\(id)")
        }
        #expect(headline("next-dollar", in: check) == literal("value", indent: 4))
        #expect(allocationText.contains("\n  \"shadowPrice\" : {\n"))
    }

    @Test("the CLV total of customers.csv agrees with segments.json")
    func totals() throws {
        let r = try loaded()
        #expect(r.customers.count == r.segments.sizes.reduce(0, +))
        #expect(abs(r.customers.totalCLV - r.totalCLV) <= 1e-9 * r.totalCLV)
        #expect(r.notes.isEmpty, "\(r.notes)")
    }

    @Test("the response curves come from the plan and pass through the solved points")
    func responseCurves() throws {
        let r = try loaded()
        #expect(!r.responseCurves.isEmpty)
        for c in r.responseCurves {
            #expect(c.fromPlan)
            // The optimal point lies on the piecewise-linear response (the LP's own model).
            let pts = c.piecewise
            let s = c.optimal.spend
            if let k = pts.indices.dropLast().first(where: { pts[$0].spend <= s && s <= pts[$0 + 1].spend }) {
                let a = pts[k], b = pts[k + 1]
                let u = a.uplift + (b.uplift - a.uplift) * (s - a.spend) / (b.spend - a.spend)
                #expect(abs(u - c.optimal.uplift) <= 1e-6 * max(1, abs(u)), "\(c.cell)")
            } else {
                Issue.record("optimal spend \(s) of \(c.cell) outside its curve")
            }
        }
    }

    @Test("same run directory, byte-identical HTML")
    func deterministic() throws {
        let a = try loaded().html()
        let b = try RunReport.load(runDirectory: Fixture.directory).html()
        #expect(a == b)
        #expect(a == (try loaded().html()))
    }

    @Test("self-contained: no scripts, no fonts or files fetched")
    func selfContained() throws {
        let html = try loaded().html()
        #expect(!html.contains("<script"))
        #expect(!html.contains("@import") && !html.contains("url("))
        #expect(!html.contains("<link") && !html.contains("<img"))
        let external = html.components(separatedBy: "http").count - 1
        let xmlns = html.components(separatedBy: "xmlns=\"http://www.w3.org/2000/svg\"").count - 1
        #expect(external == xmlns)
        #expect(html.contains("@media print"))
    }

    @Test("write(to:) writes the page atomically; a missing folder is a writeFailed error naming the file")
    func write() throws {
        let dir = try Fixture.copy()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("report.html")
        let r = try loaded()
        try r.write(to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == r.html())
        let bad = dir.appendingPathComponent("no/such/folder/report.html")
        #expect(throws: ReportError.writeFailed(path: bad.path, reason: "the folder does not exist")) { try r.write(to: bad) }
    }
}

@Suite("RunReport errors")
struct RunReportErrorTests {
    @Test("a missing required file is a ReportError naming it", arguments: ["customers.csv", "segments.json", "allocation.json"])
    func missing(_ name: String) throws {
        let dir = try Fixture.copy()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.removeItem(at: dir.appendingPathComponent(name))
        #expect(throws: ReportError.missingFile(path: dir.appendingPathComponent(name).path)) {
            try RunReport.load(runDirectory: dir)
        }
    }

    @Test("optional files may be absent: the page says so and is still complete", arguments: ["sweep.json", "plan.json", "journey.json", "run.json"])
    func optional(_ name: String) throws {
        let dir = try Fixture.copy()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.removeItem(at: dir.appendingPathComponent(name))
        let report = try RunReport.load(runDirectory: dir)
        let check = HTMLChecker(report.html())
        #expect(check.errors.isEmpty)
        for id in RunReport.sectionIDs { #expect(check.ids.contains(id)) }
        if name == "plan.json" { #expect(report.responseCurves.allSatisfy { !$0.fromPlan }) }
        if name == "sweep.json" { #expect(!check.ids.contains("sweep")) }
        if name == "journey.json" { #expect(!check.ids.contains("funnel")) }
    }

    @Test("a JSON value of the wrong type is an error with its key path")
    func keyPath() throws {
        let dir = try Fixture.copy()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("segments.json")
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
        var profiles = object["profiles"] as? [[String: Any]] ?? []
        profiles[1]["size"] = "many"
        object["profiles"] = profiles
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        do {
            _ = try RunReport.load(runDirectory: dir)
            Issue.record("expected an error")
        } catch {
            guard case .invalidJSON(let path, let keyPath, _) = error else { Issue.record("\(error)"); return }
            #expect(path == url.path)
            #expect(keyPath == "profiles[1].size")
            #expect(error.description.contains("segments.json") && error.description.contains("profiles[1].size"))
        }
    }

    @Test("a bad customers.csv value is an error naming file, line and column")
    func badCSV() throws {
        let dir = try Fixture.copy()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("customers.csv")
        var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var fields = lines[3].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[8] = "lots"
        lines[3] = fields.joined(separator: ",")
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        do {
            _ = try RunReport.load(runDirectory: dir)
            Issue.record("expected an error")
        } catch {
            guard case .invalidCSV(let path, let reason) = error else { Issue.record("\(error)"); return }
            #expect(path == url.path)
            #expect(reason.contains("customers.csv:4:9"))
        }
    }

    @Test("customers.csv without p_alive: no P(alive) histogram, the rest of the page intact")
    func withoutPAlive() throws {
        let dir = try Fixture.copy()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("customers.csv")
        let rows = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).enumerated().filter { $0.offset != 6 }.map(\.element).joined(separator: ",")
        }
        #expect(!(rows.first ?? "").contains("p_alive"))
        try (rows.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        let report = try RunReport.load(runDirectory: dir)
        #expect(report.customers.pAliveHistogram == nil && report.customers.valueAtRisk == nil)
        #expect(report.customers.count == 300)
        let check = HTMLChecker(report.html())
        #expect(check.errors.isEmpty && !check.ids.contains("palive-histogram") && check.ids.contains("clv-histogram"))
    }

    @Test("an infeasible allocation: the page explains it (conflict, smallest relaxation) and stays well-formed")
    func infeasible() throws {
        let dir = try Fixture.copy()
        defer { try? FileManager.default.removeItem(at: dir) }
        let infeasible = Fixture.directory.deletingLastPathComponent().appendingPathComponent("allocation-infeasible.json")
        let target = dir.appendingPathComponent("allocation.json")
        try FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: infeasible, to: target)
        let report = try RunReport.load(runDirectory: dir)
        #expect(report.allocation.status == .infeasible)
        let html = report.html()
        let check = HTMLChecker(html)
        #expect(check.errors.isEmpty, "\(check.errors.prefix(3))")
        for id in RunReport.sectionIDs { #expect(check.ids.contains(id)) }
        #expect(!check.ids.contains("cell-bars") && !check.ids.contains("kpi-next-dollar"))
        let relaxation = try #require(report.allocation.infeasibility?.relaxations.first)
        #expect(html.contains("Relax \(relaxation.constraint)"))
    }

    @Test("a folder that does not exist")
    func noDirectory() {
        let url = URL(fileURLWithPath: "/nonexistent/capm-run")
        #expect(throws: ReportError.notADirectory(path: url.path)) { try RunReport.load(runDirectory: url) }
    }
}

import ArgumentParser
import CAPM
import Foundation

/// `capm report`: the self-contained HTML report of a `capm run` output directory.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report (inline SVG charts, printable) of a `capm run` output directory.",
        discussion: """
            Reads customers.csv, segments.json and allocation.json (required) and sweep.json, plan.json, \
            journey.json and run.json (optional) from --run, and writes one HTML file with no scripts, fonts or \
            network references: headline numbers, the CLV distribution and Lorenz curve, the segment portfolio \
            map, the journey funnel, the allocation (bars, heat map, response curves, budget sweep) and the \
            binding constraints. Same run directory, same bytes. See Docs/report.md.
            """)

    @Option(name: .customLong("run"), help: "Run directory (the --output-dir of `capm run`).") var runDirectory: String
    @Option(name: .shortAndLong, help: "HTML file to write (atomically). Default: RUN/report.html.") var output: String?

    func run() throws {
        let directory = URL(fileURLWithPath: runDirectory)
        let report = try RunReport.load(runDirectory: directory)
        let url = output.map { URL(fileURLWithPath: $0) } ?? directory.appendingPathComponent("report.html")
        let html = report.html()
        try AtomicFile.write(html, to: url)
        print("wrote \(url.path) (\(html.utf8.count / 1024) KB)")
    }
}

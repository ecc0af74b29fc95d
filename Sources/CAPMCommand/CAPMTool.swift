import ArgumentParser
import CAPM

/// The `capm` command: parses arguments, calls the CAPM library, prints. No model logic lives here.
@main
struct CAPMTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capm",
        abstract: "Customer asset portfolio management: value customers, segment them, allocate the budget.",
        version: CAPMVersion.string,
        subcommands: [
            GenerateCommand.self, DescribeCommand.self, CLVCommand.self, SegmentCommand.self, SolveCommand.self,
            AllocateCommand.self, JourneyCommand.self, RunCommand.self, ReportCommand.self,
            InfoCommand.self,
        ]
    )
}

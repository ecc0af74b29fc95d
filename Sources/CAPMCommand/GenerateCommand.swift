import ArgumentParser
import CAPM
import Foundation

/// `capm generate`: writes a synthetic transaction log simulated from BG/NBD purchases and Gamma-Gamma spend.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic transaction log (customer_id,date,amount) from the BG/NBD and Gamma-Gamma models.",
        discussion: """
            Defaults are the published CDNOW estimates (weekly rates): r 0.243, alpha 4.414, a 0.793, b 2.426; \
            spend p 6.25, q 3.74, gamma 15.44. Customers are acquired uniformly over the first --acquisition-days \
            from --start and observed for --observation-days. The same --seed gives the same file. \
            --journey-output also writes a matching journey event log (customer_id,stage,touchpoint,date,outcome,\
            expected_score,experienced_score): every customer's path to the first purchase and post-purchase \
            contacts, plus --prospects prospects (ids P…) who drop out before buying (see Docs/journey.md).
            """)

    @Option(help: "Number of customers to simulate.") var customers: Int
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(name: .shortAndLong, help: "Output CSV file (written atomically).") var output: String
    @Option(help: "BG/NBD shape r of the purchase-rate distribution.") var r: Double = 0.243
    @Option(help: "BG/NBD rate alpha of the purchase-rate distribution (per week).") var alpha: Double = 4.414
    @Option(help: "BG/NBD Beta shape a of the dropout probability.") var a: Double = 0.793
    @Option(help: "BG/NBD Beta shape b of the dropout probability.") var b: Double = 2.426
    @Option(name: .customLong("spend-p"), help: "Gamma-Gamma shape p of each purchase amount.") var spendP: Double = 6.25
    @Option(name: .customLong("spend-q"), help: "Gamma-Gamma shape q of the spend-rate distribution.") var spendQ: Double = 3.74
    @Option(name: .customLong("spend-gamma"), help: "Gamma-Gamma rate gamma of the spend-rate distribution.")
    var spendGamma: Double = 15.44
    @Option(help: "First day of acquisition (YYYY-MM-DD).") var start: String = "1997-01-01"
    @Option(help: "Days over which first purchases are spread.") var acquisitionDays: Int = 84
    @Option(help: "Days observed from --start.") var observationDays: Int = 546
    @Flag(help: "Write rows customer by customer instead of by date.") var byCustomer = false
    @Option(help: "Also write a matching journey event log to this CSV file (written atomically).")
    var journeyOutput: String?
    @Option(help: "Prospects (non-buyers) in the journey log; default: twice --customers.") var prospects: Int?
    @Option(help: "Share of journey events with survey scores (the rest get blank scores), in [0, 1].")
    var surveyRate: Double = 1

    func validate() throws {
        if let prospects, prospects < 0 { throw ValidationError("--prospects must be at least 0") }
        if prospects != nil && journeyOutput == nil { throw ValidationError("--prospects needs --journey-output FILE") }
        if !(surveyRate >= 0 && surveyRate <= 1) { throw ValidationError("--survey-rate must be in [0, 1]") }
    }

    func run() throws {
        let startDay = try parseDay(start, option: "--start")
        let simulator = TransactionSimulator(
            purchase: .init(r: r, alpha: alpha, a: a, b: b), spend: .init(p: spendP, q: spendQ, gamma: spendGamma),
            startDay: startDay, acquisitionDays: acquisitionDays, observationDays: observationDays,
            order: byCustomer ? .byCustomer : .byDate)
        let progress = Progress()
        let clock = ContinuousClock()
        let began = clock.now
        progress.step("simulating \(customers) customers")
        let log = try simulator.simulate(customers: customers, seed: seed)
        let simulated = clock.now
        progress.step("writing \(log.count) transactions to \(output)")
        try log.write(to: URL(fileURLWithPath: output))
        let written = clock.now
        print(
            "wrote \(log.count) transactions of \(log.customerCount) customers to \(output) "
                + "(simulate \(seconds(simulated - began)) s, write \(seconds(written - simulated)) s)")
        if let journeyOutput { try writeJourney(log, to: journeyOutput, progress: progress) }
    }

    /// Simulates and writes the journey log matching `log`'s customers (first purchase day, purchase count).
    private func writeJourney(_ log: TransactionLog, to path: String, progress: Progress) throws {
        let clock = ContinuousClock()
        let began = clock.now
        var firstDay = [Int32](repeating: .max, count: log.customerCount)
        var purchases = [Int](repeating: 0, count: log.customerCount)
        for t in 0..<log.count {
            let c = Int(log.customer[t])
            firstDay[c] = min(firstDay[c], log.day[t])
            purchases[c] += 1
        }
        let prospectCount = prospects ?? 2 * log.customerCount
        progress.step("simulating journeys of \(log.customerCount) customers and \(prospectCount) prospects")
        let journey = try JourneySimulator(surveyRate: surveyRate).simulate(
            customerIDs: log.customerIDs, firstPurchaseDay: firstDay, purchaseCount: purchases, prospects: prospectCount,
            seed: seed)
        let simulated = clock.now
        progress.step("writing \(journey.count) journey events to \(path)")
        try journey.write(to: URL(fileURLWithPath: path))
        print(
            "wrote \(journey.count) journey events of \(log.customerCount) customers and \(prospectCount) prospects to "
                + "\(path) (simulate \(seconds(simulated - began)) s, write \(seconds(clock.now - simulated)) s)")
    }
}

/// Parses `YYYY-MM-DD` (or `YYYYMMDD`) into days since 1970-01-01, or throws a one-line validation error.
func parseDay(_ text: String, option: String) throws -> Int {
    do {
        let table = try CSVTable.parse(
            text: "d\n\(text)\n", name: option, columns: [ColumnSpec(name: "d", type: .date)])
        return Int(try table.days("d")[0])
    } catch {
        throw ValidationError("\(option): '\(text)' is not a date (YYYY-MM-DD)")
    }
}

/// A duration in seconds with three decimals, for progress and timing lines.
func seconds(_ duration: Duration) -> String {
    let s = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    return String(format: "%.3f", s)
}

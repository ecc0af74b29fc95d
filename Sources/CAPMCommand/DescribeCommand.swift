import ArgumentParser
import CAPM
import Foundation

/// `capm describe`: reads a transaction log and prints its descriptive statistics.
struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Read a transaction log and print customers, transactions, revenue and date range.")

    @Argument(help: "Transaction file (CSV with customer_id,date,amount, or see the column options).")
    var file: String
    @Option(help: "Customer id column.") var customerColumn = "customer_id"
    @Option(help: "Date column (YYYY-MM-DD or YYYYMMDD).") var dateColumn = "date"
    @Option(help: "Amount column.") var amountColumn = "amount"
    @Option(help: "Field delimiter: comma, tab, whitespace, or one character.") var delimiter = "comma"
    @Option(help: "Output format: text or json.") var format: OutputFormat = .text

    func run() throws {
        let options = TransactionLog.ReadOptions(
            customerColumn: customerColumn, dateColumn: dateColumn, amountColumn: amountColumn,
            format: CSVFormat(delimiter: try parseDelimiter(delimiter)))
        let clock = ContinuousClock()
        let began = clock.now
        Progress().step("reading \(file)")
        let log = try TransactionLog.read(contentsOf: URL(fileURLWithPath: file), options: options)
        let elapsed = clock.now - began
        let summary = TransactionLogSummary(log)
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        case .text:
            let bytes = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            print("file            \(file)")
            print("transactions    \(summary.transactions)")
            print("customers       \(summary.customers) (\(summary.repeatCustomers) with repeat purchases)")
            print("per customer    \(String(format: "%.3f", summary.transactionsPerCustomer)) transactions")
            print("total amount    \(String(format: "%.2f", summary.totalAmount))")
            print("mean amount     \(String(format: "%.2f", summary.meanAmount))")
            print("dates           \(summary.firstDate) … \(summary.lastDate)")
            let secs = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            print("read            \(seconds(elapsed)) s (\(String(format: "%.0f", Double(bytes) / 1e6 / max(secs, 1e-9))) MB/s)")
        }
    }
}

/// Text or JSON output.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Parses a `--delimiter` value.
func parseDelimiter(_ text: String) throws -> CSVFormat.Delimiter {
    switch text {
    case "comma", ",": return .comma
    case "tab", "\\t": return .tab
    case "whitespace", "space": return .whitespace
    default:
        guard text.utf8.count == 1, let byte = text.utf8.first else {
            throw ValidationError("--delimiter: '\(text)' is not comma, tab, whitespace or a single character")
        }
        return .character(byte)
    }
}

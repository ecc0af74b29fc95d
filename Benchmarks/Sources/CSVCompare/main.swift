// Reads one transaction file (customer_id,date,amount) with three CSV readers and reports throughput.
//
//   swift run -c release csv-compare FILE.csv [repeats]
//
// Every reader produces the same typed result — interned customer codes, day numbers, amounts — so the
// comparison is of the whole job, not of splitting alone. The best of `repeats` runs (default 3) is reported.
import CAPM
import CSV
import Foundation
import SwiftCSV

struct Columns: Equatable {
    var customers = 0
    var rows = 0
    var daySum = 0
    var amountSum = 0.0
}

/// `YYYY-MM-DD` → days since 1970-01-01 for the String-based readers.
func day(_ text: String) -> Int? {
    let parts = text.split(separator: "-")
    guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
    return CivilDate.daysFromCivil(year: y, month: m, day: d)
}

func capm(_ url: URL) throws -> Columns {
    let log = try TransactionLog.read(contentsOf: url)
    return Columns(
        customers: log.customerCount, rows: log.count, daySum: log.day.reduce(0) { $0 + Int($1) },
        amountSum: log.amount.reduce(0, +))
}

/// Builds the typed columns from rows of strings, as a user of a String-based reader would.
struct StringRowConsumer {
    var ids: [String: Int32] = [:]
    var codes: [Int32] = [], days: [Int32] = [], amounts: [Double] = []
    var failed = false

    mutating func consume(_ row: [String]) {
        guard row.count == 3, let d = day(row[1]), let a = Double(row[2]) else {
            failed = true
            return
        }
        let code = ids[row[0]] ?? {
            let c = Int32(ids.count)
            ids[row[0]] = c
            return c
        }()
        codes.append(code)
        days.append(Int32(d))
        amounts.append(a)
    }

    func columns() throws -> Columns {
        if failed { throw CocoaError(.coderInvalidValue) }
        return Columns(
            customers: ids.count, rows: codes.count, daySum: days.reduce(0) { $0 + Int($1) },
            amountSum: amounts.reduce(0, +))
    }
}

func yaslab(_ url: URL) throws -> Columns {
    guard let stream = InputStream(url: url) else { throw CocoaError(.fileNoSuchFile) }
    let reader = try CSVReader(stream: stream, hasHeaderRow: true)
    var consumer = StringRowConsumer()
    while let row = reader.next() { consumer.consume(row) }
    return try consumer.columns()
}

final class ConsumerBox {
    var consumer = StringRowConsumer()
}

func swiftcsv(_ url: URL) throws -> Columns {
    let csv = try CSV<Enumerated>(url: url, delimiter: .comma, loadColumns: false)
    let box = ConsumerBox()
    try csv.enumerateAsArray(startAt: 1, rowLimit: nil) { row in box.consumer.consume(row) }
    return try box.consumer.columns()
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: csv-compare FILE.csv [repeats] [readers: capm,yaslab,swiftcsv]\n".utf8))
    exit(2)
}
let url = URL(fileURLWithPath: arguments[1])
let repeats = arguments.count >= 3 ? Int(arguments[2]) ?? 3 : 3
let chosen = arguments.count >= 4 ? arguments[3].split(separator: ",").map(String.init) : ["capm", "yaslab", "swiftcsv"]
let bytes = Double((try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0)
let readers: [(String, (URL) throws -> Columns)] = [
    ("capm", capm), ("yaslab", yaslab), ("swiftcsv", swiftcsv),
].filter { chosen.contains($0.0) }

print("file \(url.path): \(String(format: "%.1f", bytes / 1e6)) MB, best of \(repeats)")
var reference: Columns?
var capmSeconds: Double?
for (name, read) in readers {
    var best = Double.infinity
    var result = Columns()
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        result = try read(url)
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    if reference == nil { reference = result }
    let agrees = result.rows == reference?.rows && result.customers == reference?.customers
        && result.daySum == reference?.daySum && abs(result.amountSum - (reference?.amountSum ?? 0)) < 1e-6 * result.amountSum
    if name == "capm" { capmSeconds = best }
    let ratio = capmSeconds.map { String(format: "%.1f× capm's time", best / $0) } ?? ""
    print(
        String(
            format: "%@ %8.3f s  %7.1f MB/s  %9.2f M rows/s  rows %d  customers %d  %@  %@",
            name.padding(toLength: 9, withPad: " ", startingAt: 0) as NSString,
            best, bytes / 1e6 / best, Double(result.rows) / 1e6 / best, result.rows, result.customers,
            (agrees ? "same result" : "DIFFERENT RESULT") as NSString, ratio as NSString))
}

import CAPMData
import Foundation

/// The per-customer aggregates the report draws from `customers.csv`: the CLV histogram on a log axis, the
/// P(alive) histogram, and the Lorenz curve of value. The columns are read with the parallel ``CSVTable``
/// reader (only `clv` and, when present, `p_alive` are parsed); nothing per customer is kept.
public struct CustomerValues: Sendable, Equatable {
    /// Rows of customers.csv.
    public var count: Int
    /// Σ clv.
    public var totalCLV: Double
    /// CLV histogram, equal bins on a log₁₀ axis (non-positive values in ``Histogram/belowRange``).
    public var clvHistogram: Histogram
    /// P(alive) histogram over [0, 1] (nil without a `p_alive` column).
    public var pAliveHistogram: Histogram?
    /// Lorenz curve of CLV (nil when Σ clv ≤ 0).
    public var lorenz: LorenzCurve?
    /// Σ clv·(1 − p_alive): value carried by customers who may already be gone (nil without `p_alive`).
    public var valueAtRisk: Double?

    /// Aggregates of the `clv` and `p_alive` columns.
    /// - Complexity: O(N log N) (the Lorenz sort); O(N) otherwise.
    public init(clv: [Double], pAlive: [Double]?) {
        count = clv.count
        totalCLV = clv.reduce(0, +)
        clvHistogram = .logarithmic(clv, bins: 40)
        pAliveHistogram = pAlive.map { Histogram.linear($0, lo: 0, hi: 1, bins: 20) }
        lorenz = LorenzCurve(clv, samples: 200)
        if let pAlive, pAlive.count == clv.count {
            var risk = 0.0
            for i in clv.indices { risk += clv[i] * (1 - pAlive[i]) }
            valueAtRisk = risk
        } else {
            valueAtRisk = nil
        }
    }

    /// Reads `clv` (and `p_alive` when the header has it) from the CSV at `url`.
    /// - Throws: ``ReportError/missingFile(path:)``, ``ReportError/invalidCSV(path:reason:)``.
    public static func read(contentsOf url: URL) throws(ReportError) -> CustomerValues {
        guard FileManager.default.fileExists(atPath: url.path) else { throw .missingFile(path: url.path) }
        do {
            // One pass in the usual case (customers.csv of `capm run` has both columns); a file without p_alive
            // is read again for clv alone.
            let table: CSVTable
            var hasPAlive = true
            do {
                table = try CSVTable.read(
                    contentsOf: url, columns: [ColumnSpec(name: "clv", type: .double), ColumnSpec(name: "p_alive", type: .double)])
            } catch .missingColumn(_, "p_alive", _) {
                hasPAlive = false
                table = try CSVTable.read(contentsOf: url, columns: [ColumnSpec(name: "clv", type: .double)])
            }
            let clv = try table.doubles("clv")
            let pAlive = hasPAlive ? try table.doubles("p_alive") : nil
            return CustomerValues(clv: clv, pAlive: pAlive)
        } catch {
            throw .invalidCSV(path: url.path, reason: error.description)
        }
    }
}

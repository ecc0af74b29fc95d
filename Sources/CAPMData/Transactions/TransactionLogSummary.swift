/// Descriptive statistics of a transaction log: what an analyst checks before fitting anything.
public struct TransactionLogSummary: Sendable, Equatable, Codable {
    /// Number of transactions.
    public var transactions: Int
    /// Number of distinct customers.
    public var customers: Int
    /// Customers with purchases on at least two distinct days (the ones that make repeat purchases).
    public var repeatCustomers: Int
    /// Sum of all amounts.
    public var totalAmount: Double
    /// Mean amount per transaction.
    public var meanAmount: Double
    /// Mean number of transactions per customer.
    public var transactionsPerCustomer: Double
    /// First transaction date, `YYYY-MM-DD`.
    public var firstDate: String
    /// Last transaction date, `YYYY-MM-DD`.
    public var lastDate: String

    /// Summarizes `log`.
    ///
    /// - Complexity: O(transactions) time, O(customers) memory.
    public init(_ log: TransactionLog) {
        transactions = log.count
        customers = log.customerCount
        totalAmount = log.totalAmount
        meanAmount = log.count > 0 ? totalAmount / Double(log.count) : 0
        transactionsPerCustomer = customers > 0 ? Double(transactions) / Double(customers) : 0
        var firstDay = [Int32](repeating: .max, count: log.customerCount)
        var isRepeat = [Bool](repeating: false, count: log.customerCount)
        for t in 0..<log.count {
            let c = Int(log.customer[t])
            let d = log.day[t]
            if firstDay[c] == .max { firstDay[c] = d } else if d != firstDay[c] { isRepeat[c] = true }
        }
        repeatCustomers = isRepeat.reduce(0) { $0 + ($1 ? 1 : 0) }
        let range = log.dateRange
        firstDate = range.map { CivilDate.isoString(days: Int($0.lowerBound)) } ?? ""
        lastDate = range.map { CivilDate.isoString(days: Int($0.upperBound)) } ?? ""
    }
}

/// Per-customer RFM summary in one time unit (columnar): the sufficient statistics of the
/// non-contractual models.
///
/// - `frequency` x: repeat purchases (distinct purchase periods after the first);
/// - `recency` tₓ: time from the first to the last purchase (0 when x = 0);
/// - `age` T: time from the first purchase to the end of the observation period;
/// - `monetaryValue`: mean value of the repeat purchases (0 when x = 0).
///
/// These are the conventions of Fader, Hardie & Lee (2005) and of `lifetimes.summary_data_from_transaction_data`.
public struct CustomerSummary: Sendable, Equatable {
    /// Customer identifiers, one per row.
    public private(set) var customerIDs: [String]
    /// Repeat purchases x ≥ 0.
    public private(set) var frequency: [Int]
    /// Recency tₓ, 0 ≤ tₓ ≤ T.
    public private(set) var recency: [Double]
    /// Age T ≥ 0.
    public private(set) var age: [Double]
    /// Mean repeat-purchase value (0 for customers without repeat purchases), or `nil` when not known.
    public private(set) var monetaryValue: [Double]?

    /// The number of customers.
    public var count: Int { customerIDs.count }

    /// Builds and validates a summary.
    ///
    /// - Throws: ``CustomerValueError/invalidCustomer(customer:reason:)`` for a negative frequency, a non-finite
    ///   or negative recency/age, recency > T, a positive recency with zero frequency, or a negative or
    ///   non-finite monetary value; the error names the customer.
    /// - Complexity: O(n).
    public init(
        customerIDs: [String], frequency: [Int], recency: [Double], age: [Double], monetaryValue: [Double]? = nil
    ) throws(CustomerValueError) {
        let n = customerIDs.count
        precondition(frequency.count == n && recency.count == n && age.count == n && (monetaryValue?.count ?? n) == n)
        for i in 0..<n {
            let id = customerIDs[i]
            let x = frequency[i], tx = recency[i], t = age[i]
            if x < 0 { throw .invalidCustomer(customer: id, reason: "frequency \(x) is negative") }
            if !tx.isFinite || tx < 0 { throw .invalidCustomer(customer: id, reason: "recency \(tx) is not a finite non-negative number") }
            if !t.isFinite || t < 0 { throw .invalidCustomer(customer: id, reason: "T \(t) is not a finite non-negative number") }
            if tx > t { throw .invalidCustomer(customer: id, reason: "recency \(tx) exceeds T \(t)") }
            if x == 0 && tx != 0 { throw .invalidCustomer(customer: id, reason: "recency \(tx) with zero frequency") }
            if let m = monetaryValue?[i], !m.isFinite || m < 0 {
                throw .invalidCustomer(customer: id, reason: "monetary value \(m) is not a finite non-negative number")
            }
        }
        self.customerIDs = customerIDs
        self.frequency = frequency
        self.recency = recency
        self.age = age
        self.monetaryValue = monetaryValue
    }
}

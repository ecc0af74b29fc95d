/// The rows a lenient read skipped, counted by reason, with the first occurrence of each reason.
///
/// Reasons are stable short texts (`wrong number of fields`, `column 'amount': not a non-negative number`, …), so
/// counts from different files and runs can be compared. Positions are those of the strict read: the same file
/// gives the same skipped rows for any thread count.
public struct SkippedRows: Sendable, Equatable, Codable {
    /// One reason: how many rows and the first of them.
    public struct Reason: Sendable, Equatable, Codable {
        /// Why the rows were skipped.
        public var reason: String
        /// How many rows.
        public var count: Int
        /// The first such row's error (`file:line:column: …`).
        public var first: String
        /// The first such row's 1-based line.
        public var firstLine: Int

        /// A reason record.
        public init(reason: String, count: Int, first: String, firstLine: Int) {
            self.reason = reason
            self.count = count
            self.first = first
            self.firstLine = firstLine
        }
    }

    /// The reasons, most frequent first (ties by first line).
    public var reasons: [Reason]

    /// No skipped rows.
    public init(reasons: [Reason] = []) {
        self.reasons = reasons
    }

    /// Total rows skipped.
    public var total: Int { reasons.reduce(0) { $0 + $1.count } }

    /// Whether nothing was skipped.
    public var isEmpty: Bool { reasons.isEmpty }

    /// Adds rows skipped for `reason.reason`: a new reason, or more of a known one (the earlier first row kept).
    /// Reasons stay ordered most frequent first, ties by first line, so any order of adding gives the same value.
    /// - Complexity: O(r log r) for r reasons (a handful).
    public mutating func add(_ reason: Reason) {
        if let k = reasons.firstIndex(where: { $0.reason == reason.reason }) {
            reasons[k].count += reason.count
            if reason.firstLine < reasons[k].firstLine {
                reasons[k].first = reason.first
                reasons[k].firstLine = reason.firstLine
            }
        } else {
            reasons.append(reason)
        }
        reasons.sort { $0.count != $1.count ? $0.count > $1.count : $0.firstLine < $1.firstLine }
    }
}

/// What a reader does with a row it cannot read.
public enum BadRowPolicy: Sendable, Equatable {
    /// Stop at the first bad row with its file, line and column (the default).
    case fail
    /// Skip bad rows and count them by reason (``SkippedRows``). A structural error that makes the rest of the file
    /// unreadable (an unterminated quote) still stops the read.
    case skip
}

/// Lets through at most one progress report per interval: a fit of millions of rows reports every iteration
/// (``KMeansIteration``), and a terminal or a log needs only enough of them to show the work is moving.
///
/// ```swift
/// var throttle = ProgressThrottle()
/// let result = try kMeans.fit(data) { step in
///     if throttle.admits() { print(step) }
/// }
/// ```
public struct ProgressThrottle: Sendable {
    /// The shortest time between two admitted reports.
    public let interval: Duration
    private var last: ContinuousClock.Instant?

    /// A throttle admitting one report per `interval` (default one second).
    public init(interval: Duration = .seconds(1)) {
        self.interval = interval
    }

    /// Whether a report made at `now` should be shown: the first report, or one at least `interval` after the last
    /// admitted one. An admitted report starts the next interval.
    public mutating func admits(at now: ContinuousClock.Instant = .now) -> Bool {
        if let last, now - last < interval { return false }
        last = now
        return true
    }
}

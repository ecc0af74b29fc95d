import Foundation

/// Progress lines for long-running commands, on stderr and only when stderr is a terminal, so that pipes
/// and machine-readable output stay clean.
struct Progress {
    /// Whether lines are printed.
    let enabled: Bool
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant

    /// Progress that prints when stderr is a terminal (or always, with `forced`).
    init(forced: Bool = false) {
        enabled = forced || isatty(2) != 0
        started = clock.now
    }

    /// Prints `capm: <message>` with the time since the command started.
    func step(_ message: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("capm: [\(seconds(clock.now - started)) s] \(message)\n".utf8))
    }
}

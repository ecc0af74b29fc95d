#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CPU seconds used by the whole process (every thread), `CLOCK_PROCESS_CPUTIME_ID` — the clock Python's
/// `time.process_time()` reads, so a Lloyd iteration's CPU time compares directly with scikit-learn's measured the
/// same way. Unlike the process's total CPU time it leaves out what happens outside the iteration (reading the
/// input, whose system time varies by hundreds of milliseconds between identical runs on a shared machine).
enum ProcessCPUClock {
    /// Seconds of CPU time the process has used so far.
    static func now() -> Double {
        var time = timespec()
        guard clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time) == 0 else { return 0 }
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}

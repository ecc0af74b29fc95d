import ArgumentParser
import CAPM
import Foundation

/// How `capm solve` and `capm allocate` end when the model was read and solved but has no optimum: the full
/// report (with the explanation: Farkas rows, conflicts, the smallest relaxation) is still written to stdout or
/// `--output`, then one line goes to stderr and the process exits with a code a script can branch on.
///
/// | exit code | meaning |
/// |---|---|
/// | 0 | optimal |
/// | 1 | bad input or another error (one line on stderr, nothing written) |
/// | 2 | infeasible |
/// | 3 | unbounded |
/// | 4 | stopped without a certified answer (iteration or time limit, numerical trouble) |
/// | 64 | bad command-line usage |
enum ModelExit {
    /// Writes `Error: <subject>: <message>` on stderr and returns the exit to throw.
    static func fail(_ code: Int32, subject: String, _ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("Error: \(subject): \(message)\n".utf8))
        return ExitCode(code)
    }

    /// The exit for an LP that ended with `status` (nil when optimal).
    static func exit(for solution: LPSolution, subject: String) -> ExitCode? {
        switch solution.status {
        case .optimal: return nil
        case .infeasible: return fail(2, subject: subject, "infeasible: \(solution.message)")
        case .unbounded: return fail(3, subject: subject, "unbounded: \(solution.message)")
        case .iterationLimit, .timeLimit, .numericalTrouble:
            return fail(4, subject: subject, "no certified optimum (\(solution.status.rawValue)): \(solution.message)")
        }
    }

    /// The exit for an allocation that ended with `status` (nil when optimal).
    static func exit(for result: AllocationResult, subject: String) -> ExitCode? {
        switch result.status {
        case .optimal: return nil
        case .infeasible:
            var why = "the plan is infeasible"
            if let first = result.infeasibility?.relaxations.first {
                why += " (e.g. relax \(first.constraint) from \(first.bound) to \(first.relaxedBound))"
            } else if let first = result.infeasibility?.conflicts.first {
                why += " (\(first))"
            }
            return fail(2, subject: subject, why + "; the explanation is in the report")
        case .failed: return fail(4, subject: subject, "the solver stopped without a certified optimum; see the report")
        }
    }
}
